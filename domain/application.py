"""`TrainingRecords`: the application service of the training records, built from its own environment.

    records = TrainingRecords()                     # PERSISTENCE_MODULE, SLRS_DATA_DIR, POSTGRES_* of os.environ
    records = TrainingRecords({"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=FixedClock(...))

Methods take an `Actor` (who, and which agency they may act for) and plain
values, and return frozen dataclasses (domain/views.py). Errors are those of
domain/errors.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.actor import Actor
from domain.base import KINDS
from domain.imports import ImportCommands
from domain.errors import InvalidCommandError, RecordNotFoundError
from domain.ids import aggregate_id
from domain.record import Record
from domain.session import CourseSession
from domain.progress import evaluate_progress, is_compliant, overall_status
from domain.views import HistoryEntry, ProgressDetails
from domain.worker import Completion

HIDDEN = {"originator_id", "originator_version", "originator_topic", "timestamp", "by", "effective", "sealed",
          "pseudonym"}


class TrainingRecords(ImportCommands):
    """Agencies, workers, courses, pathways, sessions, bookings, register and evaluations, as events."""

    def get_progress(self, actor: Actor, worker: str, on: date | None = None) -> ProgressDetails:
        """A worker's progress along the pathway of their group on `on` (default today), with the rules then in force.

        Raises RecordNotFoundError for another agency's worker.
        """
        day = on or self.today()
        record = self._visible_worker(actor, worker)
        placement = record.placement_on(day)
        pathway = self.get_pathway(placement.target_group, day)

        def counts(completion: Completion) -> bool:
            return completion.delivery != "single-agency" or self._validation_current(completion.course,
                                                                                      completion.completed_on)

        statuses = evaluate_progress(pathway, placement.works_with_group_4, record.joined_group_on(day),
                                     record.completions.values(), day, counts)
        return ProgressDetails(worker, record.agency_on(day), day, placement.target_group, pathway.effective_from,
                               statuses, overall_status(statuses), is_compliant(statuses))

    def _is_own_worker(self, actor: Actor, worker: str | None) -> bool:
        if worker is None:
            return False
        try:
            self._visible_worker(actor, worker)
        except RecordNotFoundError:
            return False
        return True

    def get_history(self, actor: Actor, kind: str, code: str) -> list[HistoryEntry]:
        """Every event of one record, oldest first: recorded time, effective time, who, and what it said.

        `kind` is agency, worker, course or session. An agency's credential sees
        its own records only, and of a session only the events of its own bookings.
        Sealed personal values are left out.
        """
        if kind not in KINDS:
            raise InvalidCommandError(f"history is kept for {sorted(KINDS)}, not {kind!r}")
        if kind == "worker":
            self._visible_worker(actor, code)
        elif kind == "agency":
            actor.require_agency(code, "agency", code)
        record = self._load(kind, code, KINDS[kind])
        entries = []
        for event in self.events.get(aggregate_id(kind, code)):
            assert isinstance(event, Record.Event)
            data = {k: v for k, v in event.__dict__.items() if k not in HIDDEN}
            entries.append(HistoryEntry(event.originator_version, type(event).__name__, event.timestamp,
                                        event.effective, event.by, data))
        if kind == "session" and actor.agency is not None:
            assert isinstance(record, CourseSession)
            entries = _own_bookings_only(entries, record, actor.agency)
        if kind == "course" and actor.agency is not None:
            entries = [e for e in entries if e.event not in ("EvaluationRecorded", "EvaluationWithdrawn")
                       or self._is_own_worker(actor, e.data.get("worker"))]
        return entries


def _own_bookings_only(entries: list[HistoryEntry], session: CourseSession, agency: str) -> list[HistoryEntry]:
    own = {b.booking_id for b in session.bookings.values() if b.agency == agency}
    kept = []
    for entry in entries:
        data: dict[str, Any] = dict(entry.data)
        if "booking_id" in data and data["booking_id"] not in own:
            continue
        for key in ("attended", "did_not_attend"):
            if entry.event == "RegisterClosed":
                data[key] = [b for b in data[key] if b in own]
        kept.append(HistoryEntry(entry.version, entry.event, entry.recorded_at, entry.effective, entry.by, data))
    return kept


__all__ = ["TrainingRecords", "RecordNotFoundError"]
