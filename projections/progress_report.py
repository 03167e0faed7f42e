"""The worker progress report: each worker's pathway, the training covering each requirement, and its status.

As of a day, as known at an instant (projections/timepoint.py), of one agency
or all, a page of workers at a time (by worker id), with the late corrections
that changed the day's figures after it ended.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kernel.tracking import TrackingStore
from projections.corrections import LateCorrection, LateEvent, attribute, late_events
from projections.progress import P
from projections.progress_view import ProgressFacts, WorkerProgressRow
from projections.timepoint import TimePoint

PROGRESS_EVENTS = ("Worker.Registered", "Worker.MovedAgency", "Worker.MovedGroup", "Worker.JobRoleChanged",
                   "Worker.Left", "Worker.CompletionRecorded", "Worker.CompletionWithdrawn", "Course.Validated",
                   "Pathway.Published", "Pathway.Revised")
CHUNK = 2000


@dataclass(frozen=True)
class WorkerProgressView:
    """A page of workers' progress on `as_of` as known at `known_at` (`agency` None: every agency).

    `next_after` is the worker id to pass as `after` for the next page (None: this is the last).
    """

    as_of: date
    known_at: datetime
    agency: str | None
    rows: list[WorkerProgressRow]
    next_after: str | None
    late_corrections: list[LateCorrection]


def worker_progress(progress: TrackingStore, audit: TrackingStore | None, tp: TimePoint, *,
                    agency: str | None = None, worker: str | None = None, target_group: int | None = None,
                    status: str | None = None, after: str | None = None, limit: int | None = None
                    ) -> WorkerProgressView:
    """Workers in post on `as_of` (of `agency`; one `worker`; of a target group; of a status), by worker id.

    `audit` None leaves out the late corrections.
    """
    facts = ProgressFacts(progress, tp.known_us)
    codes = [worker] if worker is not None else facts.worker_codes(agency)
    codes = [c for c in codes if after is None or c > after]
    rows: list[WorkerProgressRow] = []
    more = False
    for start in range(0, len(codes), CHUNK):
        part = codes[start:start + CHUNK]
        workers = facts.workers(part)
        for row in facts.progress_rows((workers[c] for c in part if c in workers), tp.as_of, agency):
            if target_group in (None, row.target_group) and status in (None, row.status):
                if limit is not None and len(rows) == limit:
                    more = True
                    break
                rows.append(row)
        if more:
            break
    late = progress_corrections(progress, audit, tp, agency, codes if worker is not None else None) if audit else []
    return WorkerProgressView(tp.as_of, tp.known_at, agency, rows, rows[-1].worker if more else None, late)


def progress_corrections(progress: TrackingStore, audit: TrackingStore, tp: TimePoint, agency: str | None,
                         only: list[str] | None = None) -> list[LateCorrection]:
    """The late events that changed any worker's progress on `as_of` (of `agency`; of the workers `only`)."""
    baseline = tp.as_known_then()
    events = late_events(audit, tp, PROGRESS_EVENTS, agency, unlinked=("course", "pathway"))
    if baseline is None or not events:
        return []
    facts = ProgressFacts(progress, tp.known_us)
    scope = set(only) if only is not None else None

    def affected(event: LateEvent) -> set[str]:
        if event.kind == "worker":
            found = event.linked("worker")
        elif event.kind == "course":
            found = _completers(progress, event.record, tp.known_us)
        else:
            found = set(facts.worker_codes(agency))
        return found if scope is None else found & scope

    touched = sorted(set().union(*(affected(e) for e in events)))
    then = progress_by_worker(ProgressFacts(progress, baseline.known_us), touched, tp.as_of, agency)
    now = progress_by_worker(facts, touched, tp.as_of, agency)
    return attribute(events, affected, then, now, progress_summary)


def progress_summary(row: WorkerProgressRow) -> dict[str, Any]:
    """What a late correction may change of a worker's row: placement, status, and each requirement's status."""
    found: dict[str, Any] = {"agency": row.agency, "target_group": row.target_group, "status": row.status,
                             "compliant": row.compliant}
    for requirement in row.requirements:
        covered = f" by {requirement.covered_by}" if requirement.covered_by else ""
        found[f"level {requirement.level}"] = requirement.status + covered
    return found


def progress_by_worker(facts: ProgressFacts, codes: Iterable[str], day: date,
                       agency: str | None) -> dict[str, WorkerProgressRow | None]:
    """Each worker's progress row on `day` (None when not in post, or not of `agency`)."""
    found: dict[str, WorkerProgressRow | None] = {}
    codes = list(codes)
    for start in range(0, len(codes), CHUNK):
        workers = facts.workers(codes[start:start + CHUNK])
        for code in codes[start:start + CHUNK]:
            row = facts.progress(workers[code], day) if code in workers else None
            found[code] = row if row is not None and agency in (None, row.agency) else None
    return found


def _completers(progress: TrackingStore, course: str, known_us: int) -> set[str]:
    rows = progress.fetch(f"SELECT DISTINCT worker FROM {P}completions WHERE course = ? AND recorded <= ?",
                          [course, known_us])
    return {r["worker"] for r in rows}
