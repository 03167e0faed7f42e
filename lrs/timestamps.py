"""Timestamps as the index stores and compares them: UTC, microseconds, a trailing Z."""

from __future__ import annotations

from datetime import UTC, datetime

from kernel.clock import Clock
from lrs.errors import BadRequestError

INDEX_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def now_stored(clock: Clock) -> str:
    """The `stored` value of a statement stored now by `clock` (xAPI 1.0.3 Data 2.4.8), in the index form."""
    return clock.now().astimezone(UTC).strftime(INDEX_FORMAT)


def to_index_form(value: str, parameter: str) -> str:
    """An ISO 8601 timestamp from a query parameter, in the index's sortable form."""
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1) if "T" not in value else value)
    except ValueError as error:
        raise BadRequestError(f"{parameter} must be an ISO 8601 timestamp, got {value!r}") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime(INDEX_FORMAT)
