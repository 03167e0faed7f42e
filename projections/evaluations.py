"""Evaluations (seed 000 s.10): delegates' ratings of sessions and e-learning platforms' course evaluations.

Follows the training records' log. Tables:

- `slrs_evaluation_responses`: each evaluation: course, session and booking (session evaluations), worker (None
  when anonymous), overall rating and the rating of each learning outcome, and when a course-level one was
  withdrawn; comments are not kept here;
- `slrs_evaluation_sessions`: each session's course, date and trainers;
- `slrs_evaluation_bookings`: the agency that made each booking (a session evaluation belongs to it);
- `slrs_evaluation_workers`: each worker's agency over time (a course evaluation by a worker belongs to theirs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain.course import Course
from domain.record import Record
from domain.session import CourseSession
from domain.worker import Worker
from kernel.clock import london_date
from kernel.tracking import TrackingStore
from projections.facts import Codes, dumps, effective_day, insert, micros

E = "slrs_evaluation_"
RESPONSE_COLUMNS = ("kind", "code", "version", "course", "session", "booking", "worker", "source", "overall",
                    "ratings", "effective_day", "recorded")


class EvaluationProjection:
    """Every evaluation's ratings, and what says whose it is."""

    log = "records"
    tables: tuple[str, ...] = (
        Codes.ddl(E + "ids"),
        f"""CREATE TABLE IF NOT EXISTS {E}responses (kind TEXT NOT NULL, code TEXT NOT NULL, version INTEGER NOT NULL,
            course TEXT NOT NULL, session TEXT, booking TEXT, worker TEXT, source TEXT, overall INTEGER,
            ratings TEXT NOT NULL, effective_day TEXT NOT NULL, recorded BIGINT NOT NULL, withdrawn BIGINT,
            PRIMARY KEY (kind, code, version))""",
        f"""CREATE TABLE IF NOT EXISTS {E}sessions (session TEXT PRIMARY KEY, course TEXT NOT NULL,
            session_date TEXT NOT NULL, trainers TEXT NOT NULL)""",
        f"CREATE TABLE IF NOT EXISTS {E}bookings (booking TEXT PRIMARY KEY, agency TEXT NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS {E}workers (worker TEXT NOT NULL, version INTEGER NOT NULL,
            effective TEXT NOT NULL, agency TEXT NOT NULL, recorded BIGINT NOT NULL, PRIMARY KEY (worker, version))""",
    )

    def __init__(self) -> None:
        self.codes = Codes(E + "ids", ("course", "session", "worker"))

    def reset(self, cursor: Any) -> None:
        """Forget every fact (before a rebuild)."""
        for table in ("responses", "sessions", "bookings", "workers"):
            cursor.execute(f"DELETE FROM {E}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events as rows, in log order."""
        wanted = [e for e in values if type(e) in HANDLERS]
        codes = self.codes.resolve(store, cursor, values, [e for e in wanted if type(e) in NEEDS_CODE])
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for event in wanted:
            HANDLERS[type(event)](event, codes.get(event.originator_id, ""), rows)
        insert(store, cursor, E + "responses", RESPONSE_COLUMNS, rows["responses"])
        if rows["withdrawn"]:
            cursor.executemany(store.dialect.sql(
                f"UPDATE {E}responses SET withdrawn = ? WHERE kind = 'course' AND code = ? AND source = ? "
                "AND version < ? AND withdrawn IS NULL"), rows["withdrawn"])
        insert(store, cursor, E + "sessions", ("session", "course", "session_date", "trainers"), rows["sessions"])
        insert(store, cursor, E + "bookings", ("booking", "agency"), rows["bookings"])
        insert(store, cursor, E + "workers", ("worker", "version", "effective", "agency", "recorded"), rows["workers"])


Rows = dict[str, list[tuple[Any, ...]]]


def _scheduled(e: Any, code: str, rows: Rows) -> None:
    rows["sessions"].append((code, e.course, london_date(datetime.fromisoformat(e.starts_at)).isoformat(),
                             dumps(list(e.trainers))))


def _booked(e: Any, code: str, rows: Rows) -> None:
    rows["bookings"].append((e.booking_id, e.agency))


def _worker(e: Any, code: str, rows: Rows) -> None:
    rows["workers"].append((code, e.originator_version, e.effective, e.agency, micros(e.timestamp)))


def _session_evaluation(e: Any, code: str, rows: Rows) -> None:
    rows["responses"].append(("session", code, e.originator_version, "", code, e.booking_id, e.worker, None,
                              e.overall, dumps(e.ratings), effective_day(e.effective), micros(e.timestamp)))


def _course_evaluation(e: Any, code: str, rows: Rows) -> None:
    rows["responses"].append(("course", code, e.originator_version, code, None, None, e.worker, e.source,
                              e.overall, dumps(e.ratings), effective_day(e.effective), micros(e.timestamp)))


def _course_evaluation_withdrawn(e: Any, code: str, rows: Rows) -> None:
    rows["withdrawn"].append((micros(e.timestamp), code, e.source, e.originator_version))


HANDLERS: dict[type, Callable[[Any, str, Rows], None]] = {
    CourseSession.Scheduled: _scheduled,
    CourseSession.PlaceBooked: _booked,
    CourseSession.JoinedWaitingList: _booked,
    CourseSession.EvaluationRecorded: _session_evaluation,
    Course.EvaluationRecorded: _course_evaluation,
    Course.EvaluationWithdrawn: _course_evaluation_withdrawn,
    Worker.Registered: _worker,
    Worker.MovedAgency: _worker,
}
NEEDS_CODE = {CourseSession.Scheduled, CourseSession.EvaluationRecorded, Course.EvaluationRecorded,
              Course.EvaluationWithdrawn, Worker.Registered, Worker.MovedAgency}
