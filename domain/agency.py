"""An agency of the partnership: its sector, whether it is a health body, and its budget contribution over time."""

from __future__ import annotations

from datetime import date

from domain.record import Record
from domain.timeline import Timeline


class Agency(Record):
    """One agency; whether it contributes to the inter-agency budget is a status with effective dates (seed 000 s.9)."""

    class Registered(Record.Created):
        code: str
        name: str
        sector: str
        health: bool
        contributes: bool

        def apply(self, agency: Agency) -> None:
            agency.code, agency.name, agency.sector, agency.health = self.code, self.name, self.sector, self.health
            agency.contribution = Timeline.starting(self.effective, self.contributes)

    class DetailsChanged(Record.Event):
        name: str
        sector: str
        health: bool

        def apply(self, agency: Agency) -> None:
            agency.name, agency.sector, agency.health = self.name, self.sector, self.health

    class ContributionChanged(Record.Event):
        contributes: bool

        def apply(self, agency: Agency) -> None:
            agency.contribution = agency.contribution.with_change(self.effective, self.contributes)

    def __init__(self) -> None:
        self.code = ""
        self.name = ""
        self.sector = ""
        self.health = False
        self.contribution: Timeline[bool] = Timeline.starting("0001-01-01", False)

    def contributes_on(self, day: date) -> bool:
        """Whether the agency contributes to the inter-agency budget on an English date."""
        return self.contribution.on(day) or False
