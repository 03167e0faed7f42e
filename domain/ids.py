"""Identifiers: the partnership's own codes for records, and the aggregate ids derived from them."""

from __future__ import annotations

import re
import uuid
from typing import NewType

from domain.errors import InvalidCommandError

AgencyId = NewType("AgencyId", str)
WorkerId = NewType("WorkerId", str)
CourseId = NewType("CourseId", str)
SessionId = NewType("SessionId", str)
BookingId = NewType("BookingId", str)

NAMESPACE = uuid.UUID("0b6a3a52-31f4-4a5e-9d6e-6f2d7d0c8a41")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def check_code(kind: str, code: str) -> str:
    """A record's code: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.

    Raises InvalidCommandError otherwise (the id appears in URLs and CSV files).
    """
    if not isinstance(code, str) or not CODE.match(code):
        raise InvalidCommandError(
            f"{kind} id {code!r} must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    return code


def aggregate_id(kind: str, code: str) -> uuid.UUID:
    """The aggregate id of record `code` of `kind` ('agency', 'worker', ...): stable, so a code is unique."""
    return uuid.uuid5(NAMESPACE, f"{kind}:{code}")


def new_code() -> str:
    """A fresh code for a record whose creator gave none (sessions, bookings)."""
    return str(uuid.uuid4())
