"""A worker's progress along their pathway on a date, derived from events, never stored (DESIGN.md).

For each requirement of the pathway in force on the date: the latest completed
training at that level or higher that counts covers it, and lasts
`refresh_years`; with none, the requirement is "not yet due" until
`due_months` after the worker joined the group, then "never trained".
Single-agency training counts when a partnership validation of its course
was current on the day it was completed (seed 004).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from domain.levels import level_rank
from domain.pathway import PathwayVersion, Requirement
from domain.worker import Completion

NOT_YET_DUE, IN_DATE, EXPIRING, EXPIRED, NEVER_TRAINED = (
    "not yet due", "in date", "expiring", "expired", "never trained")
STATUSES = (NOT_YET_DUE, IN_DATE, EXPIRING, EXPIRED, NEVER_TRAINED)
EXPIRING_WITHIN_DAYS = 90


@dataclass(frozen=True)
class RequirementStatus:
    """One requirement on a date: its status, the completion covering it, when it fell due and when it expires."""

    level: str
    status: str
    covered_by: Completion | None
    due_on: date
    expires_on: date | None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def requirement_status(requirement: Requirement, joined_group_on: date, completions: Iterable[Completion],
                       as_of: date, counts: Callable[[Completion], bool]) -> RequirementStatus:
    """The status of one requirement on `as_of`; `counts(completion)` says whether training counts at all."""
    due_on = add_months(joined_group_on, requirement.due_months)
    covering = [c for c in completions if c.completed_on <= as_of
                and level_rank(c.level) >= level_rank(requirement.level) and counts(c)]
    if not covering:
        return RequirementStatus(requirement.level, NOT_YET_DUE if as_of < due_on else NEVER_TRAINED, None,
                                 due_on, None)
    latest = max(covering, key=lambda c: (c.completed_on, c.source))
    expires_on = add_months(latest.completed_on, 12 * requirement.refresh_years)
    if as_of >= expires_on:
        status = EXPIRED
    elif (expires_on - as_of).days <= EXPIRING_WITHIN_DAYS:
        status = EXPIRING
    else:
        status = IN_DATE
    return RequirementStatus(requirement.level, status, latest, due_on, expires_on)


def evaluate_progress(pathway: PathwayVersion, works_with_group_4: bool, joined_group_on: date,
                      completions: Iterable[Completion], as_of: date,
                      counts: Callable[[Completion], bool]) -> list[RequirementStatus]:
    """Every requirement of the worker's pathway on `as_of`, in the pathway's order."""
    done = list(completions)
    return [requirement_status(r, joined_group_on, done, as_of, counts)
            for r in pathway.requirements_for(works_with_group_4)]


def overall_status(statuses: Iterable[RequirementStatus]) -> str:
    """A worker's status: the worst of their requirements' (never trained, expired, not yet due, expiring, in date).

    A pathway with no requirements is in date.
    """
    found = {s.status for s in statuses}
    return next((s for s in (NEVER_TRAINED, EXPIRED, NOT_YET_DUE, EXPIRING) if s in found), IN_DATE)


def is_compliant(statuses: Iterable[RequirementStatus]) -> bool:
    """Compliant: every requirement covered by valid training (in date, or expiring within 90 days)."""
    return overall_status(statuses) in (IN_DATE, EXPIRING)
