"""Pathways: what each target group must complete, revisable by events with effective dates.

The shipped default (DESIGN.md "Business rules", from seed 000 table 2 and seed
004) applies to a group until the partnership publishes a revision for it:

| group | required levels |
|---|---|
| 1 | basic |
| 2 | basic, 1 |
| 3, 7, 8 | basic, 1, 2 |
| 4 | basic, 1, 2, 3 |
| 5, 6 | basic, 1, 2, and 3 when they advise (5) or supervise (6) group 4 staff |

Each requirement falls due `due_months` after the worker joins the group
(default 3) and must be refreshed every `refresh_years` (default 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.record import Record

DEFAULT_DUE_MONTHS = 3
DEFAULT_REFRESH_YEARS = 3


@dataclass(frozen=True)
class Requirement:
    """One level a group must complete; `group_4_only` when it applies only to those working with group 4 staff."""

    level: str
    due_months: int = DEFAULT_DUE_MONTHS
    refresh_years: int = DEFAULT_REFRESH_YEARS
    group_4_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "due_months": self.due_months, "refresh_years": self.refresh_years,
                "group_4_only": self.group_4_only}

    @classmethod
    def from_dict(cls, value: dict[str, Any]) -> Requirement:
        return cls(value["level"], value["due_months"], value["refresh_years"], value["group_4_only"])


@dataclass(frozen=True)
class PathwayVersion:
    """A group's pathway as in force from `effective_from` (None for the shipped default)."""

    target_group: int
    effective_from: date | None
    requirements: tuple[Requirement, ...]
    topics: tuple[str, ...]

    def requirements_for(self, works_with_group_4: bool) -> tuple[Requirement, ...]:
        """The requirements of one worker: group-4-only ones only for those advising or supervising group 4."""
        return tuple(r for r in self.requirements if works_with_group_4 or not r.group_4_only)


def _levels(*levels: str, group_4_only: tuple[str, ...] = ()) -> tuple[Requirement, ...]:
    return tuple(Requirement(level) for level in levels) + tuple(Requirement(lv, group_4_only=True)
                                                                 for lv in group_4_only)


DEFAULT_PATHWAYS: dict[int, PathwayVersion] = {
    1: PathwayVersion(1, None, _levels("basic"), ()),
    2: PathwayVersion(2, None, _levels("basic", "1"), ("information sharing", "child development")),
    3: PathwayVersion(3, None, _levels("basic", "1", "2"),
                      ("impact of parenting issues", "working with complexity")),
    4: PathwayVersion(4, None, _levels("basic", "1", "2", "3"), ("section 47 enquiries", "emergency action")),
    5: PathwayVersion(5, None, _levels("basic", "1", "2", group_4_only=("3",)),
                      ("advising others", "safer recruitment")),
    6: PathwayVersion(6, None, _levels("basic", "1", "2", group_4_only=("3",)),
                      ("supervising child protection cases",)),
    7: PathwayVersion(7, None, _levels("basic", "1", "2"), ("section 11 expectations",)),
    8: PathwayVersion(8, None, _levels("basic", "1", "2"), ("lessons from serious case reviews",)),
}


class Pathway(Record):
    """The revisions of one target group's pathway; the one in force on a date is the latest effective by then."""

    class Published(Record.Created):
        target_group: int
        requirements: list[dict[str, Any]]
        topics: list[str]

        def apply(self, pathway: Pathway) -> None:
            pathway.target_group = self.target_group
            pathway.add(self.effective, self.requirements, self.topics)

    class Revised(Record.Event):
        requirements: list[dict[str, Any]]
        topics: list[str]

        def apply(self, pathway: Pathway) -> None:
            pathway.add(self.effective, self.requirements, self.topics)

    def __init__(self) -> None:
        self.target_group = 0
        self.versions: list[PathwayVersion] = []

    def add(self, effective: str, requirements: list[dict[str, Any]], topics: list[str]) -> None:
        version = PathwayVersion(self.target_group, date.fromisoformat(effective),
                                 tuple(Requirement.from_dict(r) for r in requirements), tuple(topics))
        self.versions = sorted([*self.versions, version], key=lambda v: v.effective_from or date.min)

    def in_force_on(self, day: date) -> PathwayVersion:
        """The revision in force on an English date, or the shipped default before the first one."""
        found = DEFAULT_PATHWAYS[self.target_group]
        for version in self.versions:
            if version.effective_from is not None and version.effective_from <= day:
                found = version
        return found
