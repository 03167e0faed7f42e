"""Pure rules over values: notice, prerequisites (DESIGN.md "Decisions where the seeds are silent")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from domain.levels import level_rank
from domain.worker import Completion
from kernel.clock import london_date


def notice_days(received_at: datetime, session_date: date) -> int:
    """Whole calendar days from the English date a cancellation is received to the session's date.

    Received 13 March (any time, Europe/London) for a session on 27 March: 14.
    """
    return (session_date - london_date(received_at)).days


def prerequisite_level(level: str) -> str | None:
    """The level a booking on `level` requires: 2 needs 1, 3 needs 2; basic and 1 need nothing."""
    return {"2": "1", "3": "2"}.get(level)


def meets_level(completions: Iterable[Completion], level: str, on: date,
                validation_current: Callable[[str, date], bool]) -> bool:
    """Whether completed training meets `level` for a session on `on` (DESIGN.md, "Prerequisites").

    A completion at `level` or higher counts, expired or not; a single-agency
    course counts only while the partnership's validation of it is current on
    `on` (for level 1 that is "single-agency foundation training").
    `validation_current(course, on)` answers for single-agency courses.
    """
    for completion in completions:
        if completion.completed_on > on or level_rank(completion.level) < level_rank(level):
            continue
        if completion.delivery != "single-agency" or validation_current(completion.course, on):
            return True
    return False


def missing_prerequisite(completions: Iterable[Completion], session_level: str, on: date,
                         validation_current: Callable[[str, date], bool]) -> str | None:
    """The level whose prerequisite is not met for a session of `session_level` on `on`, or None."""
    needed = prerequisite_level(session_level)
    if needed is None or meets_level(list(completions), needed, on, validation_current):
        return None
    return needed
