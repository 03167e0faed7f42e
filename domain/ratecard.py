"""The partnership's rate cards, each in force from its effective date (seed 000 s.9: reviewed every year)."""

from __future__ import annotations

from datetime import date

from domain.charging import RateCard
from domain.record import Record


class RateCards(Record):
    """Every card the partnership has published; a card published later never re-prices a charge raised."""

    class Opened(Record.Created):
        def apply(self, cards: RateCards) -> None:
            pass

    class Published(Record.Event):
        code: str
        amounts: dict[str, int]

        def apply(self, cards: RateCards) -> None:
            cards.cards.append(RateCard(self.code, date.fromisoformat(self.effective), dict(self.amounts)))

    def __init__(self) -> None:
        self.cards: list[RateCard] = []
