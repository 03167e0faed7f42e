"""Timestamps (xAPI 1.0.3 Data 4.5): read from ISO 8601, given back in UTC, kept in the index's sortable form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kernel.clock import Clock

INDEX_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

# ISO 8601 combined date and time (extended or basic format; "T" separator, seconds optional),
# optional fraction of a second ("." or ","), optional offset (Z, +hh:mm, +hhmm, +hh).
_TIMESTAMP = re.compile(
    r"(?:(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"|(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)"
    r"(Z|([+\-])(\d{2})(?::?(\d{2}))?)?\Z",
    re.ASCII,
).match
_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True)
class TimestampFields:
    """A timestamp's calendar and clock values; `offset` in minutes east of UTC, None for a local time."""

    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    fraction: str  # the digits after the decimal sign, as sent ("" if none)
    offset: int | None
    negative_zero: bool  # "-00", "-0000", "-00:00": not ISO 8601 (conformance XAPI-00123)

    def utc(self) -> datetime:
        """The instant, to the second, in UTC; raises OverflowError outside the years 1 to 9999."""
        local = datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, tzinfo=UTC)
        return local - timedelta(minutes=self.offset or 0)


def timestamp_fields(value: str) -> TimestampFields | None:
    """The fields of an ISO 8601 date-time with real calendar and clock values, or None."""
    m = _TIMESTAMP(value)
    if m is None:
        return None
    g = m.groups()
    date_time = g[0:7] if g[0] is not None else g[7:14]
    year, month, day, hour, minute = (int(v) for v in date_time[:5])
    second, fraction = int(date_time[5] or 0), date_time[6] or ""
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month] and hour <= 23 and minute <= 59 and second <= 59):
        return None
    if month == 2 and day == 29 and (year % 4 or (year % 100 == 0 and year % 400)):
        return None
    zone, sign, zh, zm = g[14], g[15], g[16], g[17]
    offset, negative_zero = None, False
    if zone == "Z":
        offset = 0
    elif zone is not None:
        if int(zh) > 23 or (zm is not None and int(zm) > 59):
            return None
        offset = int(zh) * 60 + int(zm or 0)
        negative_zero = sign == "-" and offset == 0
        offset = -offset if sign == "-" else offset
    return TimestampFields(year, month, day, hour, minute, second, fraction, offset, negative_zero)


def leaves_calendar(fields: TimestampFields) -> bool:
    """Whether the instant, moved to UTC, falls outside the years 0001 to 9999 (it cannot be given back in UTC)."""
    if fields.offset in (None, 0) or 1 < fields.year < 9999:
        return False
    try:
        fields.utc()
    except OverflowError:
        return True
    return False


def _utc_text(fields: TimestampFields, fraction: str) -> str:
    moment = fields.utc()
    text = (f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
            f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}")
    return f"{text}.{fraction}Z" if fraction else f"{text}Z"


def to_utc(value: str) -> str:
    """A valid timestamp as the LRS gives it back: in UTC, every digit of its fraction kept (Data 4.5.s1.b6).

    One already in UTC ("Z") or without a time zone (a local time) is returned as sent.
    """
    if value.endswith("Z"):
        return value
    fields = timestamp_fields(value)
    if fields is None or fields.offset is None:
        return value
    return _utc_text(fields, fields.fraction)


def instant(value: str) -> str:
    """What a timestamp means, for comparing two (Data 2.3.1.b4): the same text for the same instant.

    A local time (no time zone) means only itself.
    """
    fields = timestamp_fields(value)
    if fields is None or fields.offset is None:
        return value
    return _utc_text(fields, fields.fraction.rstrip("0"))


def now_stored(clock: Clock) -> str:
    """The `stored` value of a statement stored now by `clock` (xAPI 1.0.3 Data 2.4.8), in the index form."""
    return clock.now().astimezone(UTC).strftime(INDEX_FORMAT)


def to_index_form(value: str) -> str:
    """An ISO 8601 timestamp from a query parameter, in the index's sortable form.

    A space for the "T" is accepted (tincan's RemoteLRS sends one); a local time
    is taken as UTC. Raises ValueError, saying what is wrong with the value in
    words for the client, for anything else, including an instant outside the
    years 0001 to 9999 once moved to UTC.
    """
    text = value.replace(" ", "T", 1) if "T" not in value else value
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"must be an ISO 8601 timestamp such as 2026-03-13T09:00:00Z, got {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC).strftime(INDEX_FORMAT)
    except OverflowError:
        raise ValueError(f"{value!r} falls outside the years 0001 to 9999 once converted to UTC") from None
