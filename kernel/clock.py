"""The clock every application is given: instants in UTC, English dates in Europe/London.

Nothing calls `datetime.now` directly; a test stands on 13 March at 23:59 in
London by giving a `FixedClock`, without sleeping or patching.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


class Clock(Protocol):
    """A source of the current instant (timezone-aware, UTC)."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and replays."""

    def __init__(self, instant: datetime) -> None:
        self.instant = as_utc(instant)

    def now(self) -> datetime:
        return self.instant

    def set(self, instant: datetime) -> None:
        """Stand at `instant` (an aware datetime; naive ones are refused)."""
        self.instant = as_utc(instant)

    def advance(self, delta: timedelta) -> None:
        self.instant += delta


def as_utc(instant: datetime) -> datetime:
    """An aware datetime in UTC; raises ValueError for a naive one (its zone would be a guess)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{instant.isoformat()} has no time zone offset")
    return instant.astimezone(UTC)


def london_date(instant: datetime) -> date:
    """The English calendar date of an instant (Europe/London, so 23:30 UTC in summer is the next day)."""
    return as_utc(instant).astimezone(LONDON).date()


def today(clock: Clock) -> date:
    """Today's English date by `clock`."""
    return london_date(clock.now())


def london_midnight(day: date) -> datetime:
    """The instant an English date begins, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(UTC)
