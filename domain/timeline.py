"""A value that changes on effective dates: an agency's contribution, a worker's group or agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Timeline(Generic[T]):
    """Changes as (effective English date 'YYYY-MM-DD', value), ordered by date; a later change wins a tie."""

    changes: tuple[tuple[str, T], ...]

    @classmethod
    def starting(cls, effective: str, value: T) -> Timeline[T]:
        return cls(((effective, value),))

    def with_change(self, effective: str, value: T) -> Timeline[T]:
        """A change recorded later, possibly back-dated: kept in date order, after others of the same date."""
        changes = [*self.changes, (effective, value)]
        return Timeline(tuple(sorted(changes, key=lambda change: change[0])))

    def on(self, day: date) -> T | None:
        """The value in force on `day`, None before the first change."""
        found: T | None = None
        key = day.isoformat()
        for effective, value in self.changes:
            if effective <= key:
                found = value
        return found

    @property
    def current(self) -> T:
        """The value of the latest change."""
        return self.changes[-1][1]

    @property
    def first_effective(self) -> str:
        return self.changes[0][0]
