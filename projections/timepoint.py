"""The two times of every report: the day reported on (`as_of`) and the instant the records are taken as known.

`as_of` is an English date (Europe/London): the report shows that day, with
the pathways, contribution status, validations and placements in force then.
`known_at` is an instant: only events recorded by then count, so
`as_of=2027-03-31&known_at=2027-03-31T23:59:59+01:00` gives exactly what the
report said at the end of that day. When `known_at` is later than the end of
the `as_of` day, the events recorded in between that changed the day's figures
are the late corrections (projections/corrections.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kernel.clock import as_utc, london_date, london_midnight
from projections.facts import micros


@dataclass(frozen=True)
class TimePoint:
    """A report's `as_of` (English date) and `known_at` (aware instant, UTC)."""

    as_of: date
    known_at: datetime

    @classmethod
    def of(cls, now: datetime, as_of: date | None = None, known_at: datetime | None = None) -> TimePoint:
        """`as_of` defaults to the English date of `known_at`, which defaults to `now`."""
        known = as_utc(known_at) if known_at is not None else as_utc(now)
        return cls(as_of if as_of is not None else london_date(known), known)

    @property
    def known_us(self) -> int:
        """`known_at` in microseconds since 1970: facts with `recorded <= known_us` count."""
        return micros(self.known_at)

    @property
    def day(self) -> str:
        """`as_of` as YYYY-MM-DD, the way facts keep their effective dates."""
        return self.as_of.isoformat()

    @property
    def end_of_day(self) -> datetime:
        """The last microsecond of the `as_of` day in London, as an instant in UTC."""
        return london_midnight(self.as_of + timedelta(days=1)) - timedelta(microseconds=1)

    def as_known_then(self) -> TimePoint | None:
        """The same day as known at its end, when `known_at` is later (the baseline of late corrections)."""
        end = self.end_of_day
        return TimePoint(self.as_of, end) if self.known_at > end else None


def financial_year_start(day: date) -> date:
    """1 April of the financial year (April to March) holding `day`: the default start of a report's period."""
    return date(day.year if day.month >= 4 else day.year - 1, 4, 1)
