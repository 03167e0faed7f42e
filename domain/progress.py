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
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from domain.levels import RANKS, level_rank
from domain.pathway import PathwayVersion, Requirement
from domain.worker import Completion, Placement, Worker

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


@functools.lru_cache(maxsize=65536)
def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day (31 January + 1 month = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def requirement_status(requirement: Requirement, joined_group_on: date, completions: Iterable[Completion],
                       as_of: date, counts: Callable[[Completion], bool]) -> RequirementStatus:
    """The status of one requirement on `as_of`; `counts(completion)` says whether training counts at all."""
    return _status(requirement, joined_group_on, [c for c in completions if c.completed_on <= as_of and counts(c)],
                   as_of)


def _status(requirement: Requirement, joined_group_on: date, done: list[Completion], as_of: date) -> RequirementStatus:
    """`requirement_status` given `done`: the training that counts, completed by `as_of`."""
    due_on = add_months(joined_group_on, requirement.due_months)
    needed = level_rank(requirement.level)
    covering = [c for c in done if RANKS[c.level] >= needed]
    if not covering:
        return RequirementStatus(requirement.level, NOT_YET_DUE if as_of < due_on else NEVER_TRAINED, None,
                                 due_on, None)
    latest = max(covering, key=_recency)
    expires_on = add_months(latest.completed_on, 12 * requirement.refresh_years)
    if as_of >= expires_on:
        status = EXPIRED
    elif (expires_on - as_of).days <= EXPIRING_WITHIN_DAYS:
        status = EXPIRING
    else:
        status = IN_DATE
    return RequirementStatus(requirement.level, status, latest, due_on, expires_on)


def _recency(completion: Completion) -> tuple[date, str]:
    """The latest training covers a requirement; of two on one day, the greater source."""
    return completion.completed_on, completion.source


def evaluate_progress(pathway: PathwayVersion, works_with_group_4: bool, joined_group_on: date,
                      completions: Iterable[Completion], as_of: date,
                      counts: Callable[[Completion], bool]) -> list[RequirementStatus]:
    """Every requirement of the worker's pathway on `as_of`, in the pathway's order."""
    done = [c for c in completions if c.completed_on <= as_of and counts(c)]  # each completion asked once
    return [_status(r, joined_group_on, done, as_of) for r in pathway.requirements_for(works_with_group_4)]


def overall_status(statuses: Iterable[RequirementStatus]) -> str:
    """A worker's status: the worst of their requirements' (never trained, expired, not yet due, expiring, in date).

    A pathway with no requirements is in date.
    """
    found = {s.status for s in statuses}
    return next((s for s in (NEVER_TRAINED, EXPIRED, NOT_YET_DUE, EXPIRING) if s in found), IN_DATE)


def is_compliant(statuses: Iterable[RequirementStatus]) -> bool:
    """Compliant: every requirement covered by valid training (in date, or expiring within 90 days)."""
    return overall_status(statuses) in (IN_DATE, EXPIRING)


@dataclass(frozen=True)
class ProgressPeriod:
    """Days from `starts` until `ends` (exclusive; None: for good) over which a worker's progress stays the same.

    `statuses` is `evaluate_progress` on any day of the period, as it was on `starts`
    (the same requirements, statuses and covering training; only the days left change).
    """

    starts: date
    ends: date | None
    agency: str
    placement: Placement
    joined_group_on: date
    pathway: PathwayVersion
    statuses: tuple[RequirementStatus, ...]


def progress_periods(worker: Worker, pathway_on: Callable[[int, date], PathwayVersion],
                     pathway_changes: Callable[[int], Iterable[date]],
                     counts: Callable[[Completion], bool]) -> Iterator[ProgressPeriod]:
    """A worker's progress from the day they started to the day they left, as periods in date order.

    `pathway_on(group, day)` is the pathway in force, `pathway_changes(group)` the
    dates its revisions take effect, `counts` as for `evaluate_progress`. Progress
    changes only on: a change of agency or group, a revision of the pathway, a
    completion, a requirement falling due, the first day of the 90 days before
    training expires, the day it expires, and leaving; the next period starts at
    the earliest of those after its start. Equal to `evaluate_progress` on every
    day in post (tests/domain/test_progress_periods.py checks it day by day).
    """
    counting = [c for c in worker.completions.values() if counts(c)]
    completed = sorted({c.completed_on for c in counting})
    changes = sorted({date.fromisoformat(e) for e, _ in (*worker.agency.changes, *worker.placement.changes)})
    day = worker.started_on
    while worker.left_on is None or day < worker.left_on:
        placement = worker.placement_on(day)
        pathway = pathway_on(placement.target_group, day)
        joined = worker.joined_group_on(day)
        statuses = tuple(evaluate_progress(pathway, placement.works_with_group_4, joined, counting, day, _always))
        ahead = [d for d in (*changes, *completed, *pathway_changes(placement.target_group)) if d > day]
        for status in statuses:
            if status.expires_on is None:
                ahead.append(status.due_on)
            else:
                ahead += (status.expires_on - timedelta(days=EXPIRING_WITHIN_DAYS), status.expires_on)
        if worker.left_on is not None:
            ahead.append(worker.left_on)
        ends = min((d for d in ahead if d > day), default=None)
        yield ProgressPeriod(day, ends, worker.agency_on(day), placement, joined, pathway, statuses)
        if ends is None:
            return
        day = ends


def _always(completion: Completion) -> bool:
    """`counts` for training already found to count."""
    return True
