"""What each event of the records concerns: the workers, agencies, sessions, bookings and courses it is found by.

A worker's events concern the agency the worker was recorded under at that
version (a move concerns both agencies); a booking's events concern the agency
that made it and the delegate then holding it; a course evaluation concerns
its worker's agency as recorded by then. What this needs is kept as rows keyed
by the events that set them (`slrs_audit_worker_agencies`, `slrs_audit_bookings`,
`slrs_audit_delegates`), and each lookup reads only rows of earlier events, so
a page applied again draws exactly the same links.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from domain.account import BookingAccount
from domain.course import Course
from domain.invoice import Invoice
from domain.record import Record
from domain.session import CourseSession
from domain.worker import Worker
from kernel.tracking import TrackingStore
from projections.facts import chunks, insert, marks, micros

A = "slrs_audit_"
TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {A}worker_agencies (worker TEXT NOT NULL, version INTEGER NOT NULL,
        agency TEXT NOT NULL, recorded BIGINT NOT NULL, PRIMARY KEY (worker, version))""",
    f"""CREATE TABLE IF NOT EXISTS {A}bookings (booking TEXT PRIMARY KEY, session TEXT NOT NULL,
        agency TEXT NOT NULL, version INTEGER NOT NULL)""",
    f"CREATE INDEX IF NOT EXISTS {A}bookings_by_session ON {A}bookings (session)",
    f"""CREATE TABLE IF NOT EXISTS {A}delegates (booking TEXT NOT NULL, version INTEGER NOT NULL,
        worker TEXT NOT NULL, PRIMARY KEY (booking, version))""",
)
STATE_TABLES = ("worker_agencies", "bookings", "delegates")
COURSE_EVALUATIONS = (Course.EvaluationRecorded, Course.EvaluationWithdrawn)
BOOKING_EVENTS = (CourseSession.PlaceOffered, CourseSession.BookingCancelled, CourseSession.AttendanceRecorded,
                  CourseSession.RegisterCorrected, CourseSession.EvaluationRecorded,
                  CourseSession.DelegateSubstituted)
Link = tuple[str, str | None, int]  # (kind, code, part): part 0 concerns the whole event, part n its nth booking
FILTERED = ("worker", "agency", "session")  # what the audit trail is filtered by: the only links kept


class Links:
    """The state one page needs to draw its links, loaded once; rows the page adds are written at its end."""

    def __init__(self) -> None:
        self.agencies: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # worker: (version, recorded, agency)
        self.bookings: dict[str, tuple[str, str, int]] = {}  # booking: (session, agency, version)
        self.delegates: dict[str, list[tuple[int, str]]] = defaultdict(list)  # booking: (version, worker)
        self.new: dict[str, list[tuple[Any, ...]]] = defaultdict(list)

    @classmethod
    def load(cls, store: TrackingStore, cursor: Any, page: Sequence[Record.Event], codes: Mapping[Any, str]) -> Links:
        """The rows of earlier events about the workers, bookings and sessions of `page` (through `cursor`)."""
        found = cls()
        workers = {codes[e.originator_id] for e in page if isinstance(e, Worker.Event)}
        workers |= {str(e.worker) for e in page if isinstance(e, COURSE_EVALUATIONS) and e.worker}
        bookings = {str(getattr(e, "booking_id")) for e in page if isinstance(e, BOOKING_EVENTS)}
        bookings |= {codes[e.originator_id] for e in page if isinstance(e, BookingAccount.Event)}
        bookings |= {str(b) for e in page if isinstance(e, CourseSession.RegisterClosed)
                     for b in (*e.attended, *e.did_not_attend)}
        sessions = {codes[e.originator_id] for e in page if isinstance(e, CourseSession.Cancelled)}
        for row in _select(store, cursor, "worker_agencies", "worker", workers):
            found.agencies[row[0]].append((int(row[1]), int(row[3]), row[2]))
        for row in [*_select(store, cursor, "bookings", "booking", bookings),
                    *_select(store, cursor, "bookings", "session", sessions)]:
            found.bookings[row[0]] = (row[1], row[2], int(row[3]))
        for row in _select(store, cursor, "delegates", "booking", bookings):
            found.delegates[row[0]].append((int(row[1]), row[2]))
        return found

    def links(self, e: Any, kind: str, code: str) -> list[Link]:
        """The workers, agencies and sessions one event concerns, as (kind, code, part), each once.

        An event about several bookings (a register's close, a session's
        cancellation) has a part for each, so a filter by worker and agency
        finds it only where one booking is of both.
        """
        found: dict[Link, None] = {}
        for link in self._links(e, kind, code):
            if link[0] in FILTERED and link[1] is not None:
                found[(link[0], link[1], link[2] if len(link) > 2 else 0)] = None
        return list(found)

    def _links(self, e: Any, kind: str, code: str) -> list[tuple[Any, ...]]:
        found: list[tuple[Any, ...]] = [(kind, code)]
        if isinstance(e, Worker.Event):
            found.append(("agency", self._agency_of(code, e.originator_version - 1)))
            if isinstance(e, Worker.Registered | Worker.MovedAgency):
                self._add("worker_agencies", (code, e.originator_version, e.agency, micros(e.timestamp)))
                self.agencies[code].append((e.originator_version, micros(e.timestamp), e.agency))
            found.append(("agency", self._agency_of(code, e.originator_version)))
            if isinstance(e, Worker.CompletionRecorded | Worker.CompletionWithdrawn) and e.source.startswith("session:"):
                found.append(("session", e.source.removeprefix("session:")))
        elif isinstance(e, COURSE_EVALUATIONS) and e.worker:
            found += [("worker", e.worker), ("agency", self._agency_when(e.worker, micros(e.timestamp)))]
        elif isinstance(e, CourseSession.PlaceBooked | CourseSession.JoinedWaitingList):
            self._add("bookings", (e.booking_id, code, e.agency, e.originator_version))
            self.bookings[e.booking_id] = (code, e.agency, e.originator_version)
            self._delegate(e.booking_id, e.originator_version, e.worker)
            found += [("booking", e.booking_id), ("worker", e.worker), ("agency", e.agency)]
        elif isinstance(e, BOOKING_EVENTS):
            found += self._booking(e.booking_id, e.originator_version)
            if isinstance(e, CourseSession.DelegateSubstituted):
                self._delegate(e.booking_id, e.originator_version, e.worker)
                found += [("worker", e.replaced), ("worker", e.worker)]
        elif isinstance(e, CourseSession.RegisterClosed):
            found += [(*link, part) for part, b in enumerate((*e.attended, *e.did_not_attend), start=1)
                      for link in self._booking(b, e.originator_version)]
        elif isinstance(e, CourseSession.Cancelled):
            held = sorted(b for b, (s, _, v) in self.bookings.items() if s == code and v < e.originator_version)
            found += [(*link, part) for part, b in enumerate(held, start=1)
                      for link in self._booking(b, e.originator_version)]
        elif isinstance(e, BookingAccount.Event):
            booking = self.bookings.get(code)
            found += [("booking", code), ("session", booking[0] if booking else getattr(e, "session", None)),
                      ("agency", booking[1] if booking else getattr(e, "agency", None))]
        elif isinstance(e, Invoice.Issued):
            found.append(("agency", e.agency))
        return found

    def _add(self, table: str, row: tuple[Any, ...]) -> None:
        self.new[table].append(row)

    def _delegate(self, booking: str, version: int, worker: str) -> None:
        self._add("delegates", (booking, version, worker))
        self.delegates[booking].append((version, worker))

    def _agency_of(self, worker: str, version: int) -> str | None:
        """The agency of the latest registration or move of `worker` at or before `version`."""
        earlier = [(v, a) for v, _, a in self.agencies.get(worker, ()) if v <= version]
        return max(earlier)[1] if earlier else None

    def _agency_when(self, worker: str, recorded: int) -> str | None:
        """The agency of the latest registration or move of `worker` recorded by `recorded`."""
        earlier = [(r, v, a) for v, r, a in self.agencies.get(worker, ()) if r <= recorded]
        return max(earlier)[2] if earlier else None

    def _booking(self, booking: str, version: int) -> list[tuple[str, str | None]]:
        if booking not in self.bookings:
            return [("booking", booking)]
        session, agency, _ = self.bookings[booking]
        earlier = [(v, w) for v, w in self.delegates.get(booking, ()) if v <= version]
        return [("booking", booking), ("session", session), ("agency", agency),
                ("worker", max(earlier)[1] if earlier else None)]

    def save(self, store: TrackingStore, cursor: Any) -> None:
        """Write the rows this page added (rows already there from an earlier application are passed over)."""
        insert(store, cursor, A + "worker_agencies", ("worker", "version", "agency", "recorded"),
               self.new["worker_agencies"])
        insert(store, cursor, A + "bookings", ("booking", "session", "agency", "version"), self.new["bookings"])
        insert(store, cursor, A + "delegates", ("booking", "version", "worker"), self.new["delegates"])


def _select(store: TrackingStore, cursor: Any, table: str, column: str, values: set[str]) -> list[tuple[Any, ...]]:
    columns = {"worker_agencies": ("worker", "version", "agency", "recorded"),
               "bookings": ("booking", "session", "agency", "version"),
               "delegates": ("booking", "version", "worker")}[table]
    found: list[tuple[Any, ...]] = []
    for part in chunks(sorted(values)):
        cursor.execute(store.dialect.sql(f"SELECT {', '.join(columns)} FROM {A}{table} "
                                         f"WHERE {column} IN ({marks(len(part))})"), list(part))
        found += [tuple(r[c] for c in columns) if isinstance(r, dict) else tuple(r) for r in cursor.fetchall()]
    return found
