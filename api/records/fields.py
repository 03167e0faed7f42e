"""Strict marshmallow fields of the records API: JSON types as sent, English dates, instants with an offset.

Each subclasses the marshmallow field of its OpenAPI type, so the apispec
plugin documents it as that type. Nothing here coerces: `"3"` is not a number,
`1` is not a boolean, `2027-03-01T09:00` (no offset) is not an instant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from marshmallow import ValidationError, fields

# The years a record may name: wide enough for any real record, narrow enough that
# date arithmetic downstream (due dates, refresh intervals) never leaves `date`'s range.
FIRST_YEAR, LAST_YEAR = 1900, 2999
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


def _in_range(day: date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(f"must fall in the years {FIRST_YEAR} to {LAST_YEAR}")


class EnglishDate(fields.Date):
    """A calendar date `YYYY-MM-DD` (an English date: Europe/London), years 1900 to 2999."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            raise ValidationError("must be a date written YYYY-MM-DD")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{value} is not a date of the calendar") from None
        _in_range(day)
        return day


class Instant(fields.DateTime):
    """An instant in ISO 8601 with a required offset (`2027-03-13T23:59:00+00:00` or `...Z`); returned aware."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if not isinstance(value, str) or not ISO_INSTANT.match(value):
            raise ValidationError("must be an ISO 8601 date and time with an offset, "
                                  "like 2027-03-13T23:59:00+00:00 or 2027-03-13T23:59:00Z")
        try:
            instant = datetime.fromisoformat(value)
            utc = instant.astimezone(UTC)
        except (ValueError, OverflowError):
            raise ValidationError(f"{value} is not a time of the calendar") from None
        _in_range(utc.date())
        return instant

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.isoformat()


class StrictInteger(fields.Integer):
    """A JSON whole number (not a string, float or boolean)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("must be a whole number")
        return super()._deserialize(value, attr, data, **kwargs)


class StrictBoolean(fields.Boolean):
    """A JSON `true` or `false` (not 1, "yes" or "true")."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("must be true or false")
        return value


class Text(fields.String):
    """A JSON string of at most `max_length` characters (the domain says what else it must be)."""

    def __init__(self, max_length: int = 200, **kwargs: Any) -> None:
        self.max_length = max_length
        super().__init__(metadata={"maxLength": max_length, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError("must be a string")
        if len(value) > self.max_length:
            raise ValidationError(f"must be at most {self.max_length} characters")
        return value


class Code(Text):
    """A record's id: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=64, metadata={"pattern": CODE_PATTERN}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not re.match(CODE_PATTERN, text):
            raise ValidationError("must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
        return text


def plain(value: Any) -> Any:
    """A value the JSON encoder writes as itself: dates and instants as ISO 8601, ids as strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    return value


class Plain(fields.Dict):
    """An object rendered as plain JSON (an event's fields): dates and instants as ISO 8601 strings."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return plain(value)
