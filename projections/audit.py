"""The audit trail: every event of the training records and every stored statement, with who, when and what.

Two followers, one per log. `AuditProjection` (the records' log) keeps
`slrs_audit_events` (each event: recorded instant, effective date or instant,
who, and its fields without sealed personal data) and `slrs_audit_links` (the
workers, agencies, sessions, bookings and courses it concerns, so it can be
found by any of them and an agency sees only what concerns it). The workers'
agencies and the bookings' agencies and delegates it needs to draw those
links are kept in `slrs_audit_workers` and `slrs_audit_bookings`.
`StatementAuditProjection` (the statement log) keeps `slrs_audit_statements`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from domain.account import BookingAccount
from domain.application import HIDDEN
from domain.course import Course
from domain.invoice import Invoice
from domain.record import Record
from domain.session import CourseSession
from domain.worker import Worker
from kernel.tracking import TrackingStore
from projections.facts import (KINDS, Codes, by_fields, chunks, dumps, effective_day, event_name, insert, kind_of,
                               marks, micros)

A = "slrs_audit_"
EVENT_COLUMNS = ("kind", "code", "version", "event", "recorded", "effective", "effective_day", "by_credential",
                 "by_agency", "by_person", "data")
LINK_COLUMNS = ("link_kind", "link_code", "kind", "code", "version")
COURSE_EVALUATIONS = (Course.EvaluationRecorded, Course.EvaluationWithdrawn)
BOOKING_EVENTS = (CourseSession.PlaceOffered, CourseSession.BookingCancelled, CourseSession.AttendanceRecorded,
                  CourseSession.RegisterCorrected, CourseSession.EvaluationRecorded, CourseSession.DelegateSubstituted)


class AuditProjection:
    """Every event of the training records, and what each concerns."""

    log = "records"
    tables: tuple[str, ...] = (
        Codes.ddl(A + "ids"),
        f"""CREATE TABLE IF NOT EXISTS {A}events (kind TEXT NOT NULL, code TEXT NOT NULL, version INTEGER NOT NULL,
            event TEXT NOT NULL, recorded BIGINT NOT NULL, effective TEXT NOT NULL, effective_day TEXT NOT NULL,
            by_credential TEXT NOT NULL, by_agency TEXT, by_person TEXT, data TEXT NOT NULL,
            PRIMARY KEY (kind, code, version))""",
        f"CREATE INDEX IF NOT EXISTS {A}events_by_time ON {A}events (recorded, kind, code, version)",
        f"""CREATE TABLE IF NOT EXISTS {A}links (link_kind TEXT NOT NULL, link_code TEXT NOT NULL, kind TEXT NOT NULL,
            code TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (link_kind, link_code, kind, code, version))""",
        f"CREATE TABLE IF NOT EXISTS {A}workers (worker TEXT PRIMARY KEY, agency TEXT NOT NULL)",
        f"""CREATE TABLE IF NOT EXISTS {A}bookings (booking TEXT PRIMARY KEY, session TEXT NOT NULL,
            agency TEXT NOT NULL, worker TEXT NOT NULL)""",
    )

    def __init__(self) -> None:
        self.codes = Codes(A + "ids", KINDS.values())

    def reset(self, cursor: Any) -> None:
        """Forget every event (before a rebuild)."""
        for table in ("events", "links", "workers", "bookings"):
            cursor.execute(f"DELETE FROM {A}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events, and the links of each, in log order."""
        codes = self.codes.resolve(store, cursor, values, values)
        state = _PageState.load(store, cursor, values, codes)
        events, links = [], []
        for event in values:
            kind, code = kind_of(event), codes[event.originator_id]
            credential, agency, person = by_fields(event)
            data = {k: v for k, v in event.__dict__.items() if k not in HIDDEN}
            events.append((kind, code, event.originator_version, event_name(event), micros(event.timestamp),
                           event.effective, effective_day(event.effective), credential, agency, person, dumps(data)))
            links.extend((link_kind, link_code, kind, code, event.originator_version)
                         for link_kind, link_code in state.links(event, kind, code) if link_code)
        insert(store, cursor, A + "events", EVENT_COLUMNS, events)
        insert(store, cursor, A + "links", LINK_COLUMNS, links)
        state.save(store, cursor)


class _PageState:
    """The workers' agencies and bookings a page needs to draw its links, loaded once and saved at its end."""

    def __init__(self, workers: dict[str, str], bookings: dict[str, tuple[str, str, str]]) -> None:
        self.workers, self.bookings = workers, bookings
        self.changed_workers: set[str] = set()
        self.changed_bookings: set[str] = set()

    @classmethod
    def load(cls, store: TrackingStore, cursor: Any, values: Sequence[Record.Event],
             codes: Mapping[Any, str]) -> _PageState:
        workers = sorted({codes[e.originator_id] for e in values if isinstance(e, Worker.Event)}
                         | {str(e.worker) for e in values if isinstance(e, COURSE_EVALUATIONS) and e.worker})
        bookings = sorted({str(getattr(e, "booking_id")) for e in values if isinstance(e, BOOKING_EVENTS)}
                          | {codes[e.originator_id] for e in values if isinstance(e, BookingAccount.Event)}
                          | {str(b) for e in values if isinstance(e, CourseSession.RegisterClosed)
                             for b in (*e.attended, *e.did_not_attend)})
        found = cls({}, {})
        for part in chunks(workers):
            cursor.execute(store.dialect.sql(f"SELECT worker, agency FROM {A}workers WHERE worker IN "
                                             f"({marks(len(part))})"), list(part))
            found.workers.update((_col(r, 0, "worker"), _col(r, 1, "agency")) for r in cursor.fetchall())
        for part in chunks(bookings):
            cursor.execute(store.dialect.sql(f"SELECT booking, session, agency, worker FROM {A}bookings WHERE booking "
                                             f"IN ({marks(len(part))})"), list(part))
            found.bookings.update((_col(r, 0, "booking"), (_col(r, 1, "session"), _col(r, 2, "agency"),
                                                            _col(r, 3, "worker"))) for r in cursor.fetchall())
        return found

    def links(self, e: Any, kind: str, code: str) -> list[tuple[str, str | None]]:
        """What one event concerns, as (kind, code) pairs; updates the page's state as the event says."""
        found: list[tuple[str, str | None]] = [(kind, code)]
        if isinstance(e, Worker.Registered | Worker.MovedAgency):
            found.append(("agency", self.workers.get(code)))
            self.workers[code] = e.agency
            self.changed_workers.add(code)
        if isinstance(e, Worker.Event):
            found.append(("agency", self.workers.get(code)))
            if isinstance(e, Worker.CompletionRecorded | Worker.CompletionWithdrawn) and e.source.startswith("session:"):
                found.append(("session", e.source.removeprefix("session:")))
        elif isinstance(e, COURSE_EVALUATIONS) and e.worker:
            found += [("worker", e.worker), ("agency", self.workers.get(e.worker))]
        elif isinstance(e, CourseSession.PlaceBooked | CourseSession.JoinedWaitingList):
            self.bookings[e.booking_id] = (code, e.agency, e.worker)
            self.changed_bookings.add(e.booking_id)
            found += [("booking", e.booking_id), ("worker", e.worker), ("agency", e.agency)]
        elif isinstance(e, BOOKING_EVENTS):
            found += self._booking(e.booking_id)
            if isinstance(e, CourseSession.DelegateSubstituted) and e.booking_id in self.bookings:
                session, agency, _ = self.bookings[e.booking_id]
                self.bookings[e.booking_id] = (session, agency, e.worker)
                self.changed_bookings.add(e.booking_id)
                found += [("worker", e.replaced), ("worker", e.worker)]
        elif isinstance(e, CourseSession.RegisterClosed):
            found += [link for b in (*e.attended, *e.did_not_attend) for link in self._booking(b)]
        elif isinstance(e, CourseSession.Cancelled):
            found += [("agency", a) for s, a, _ in self.bookings.values() if s == code]
        elif isinstance(e, BookingAccount.Event):
            found += [("session", getattr(e, "session", None))] + self._booking(code)
            if isinstance(e, BookingAccount.Opened):
                found.append(("agency", e.agency))
        elif isinstance(e, Invoice.Issued):
            found.append(("agency", e.agency))
        return found

    def _booking(self, booking: str) -> list[tuple[str, str | None]]:
        if booking not in self.bookings:
            return [("booking", booking)]
        session, agency, worker = self.bookings[booking]
        return [("booking", booking), ("session", session), ("agency", agency), ("worker", worker)]

    def save(self, store: TrackingStore, cursor: Any) -> None:
        """Write the workers' agencies and the bookings this page changed."""
        if self.changed_workers:
            cursor.executemany(store.dialect.sql(
                f"INSERT INTO {A}workers (worker, agency) VALUES (?, ?) "
                "ON CONFLICT (worker) DO UPDATE SET agency = excluded.agency"),
                [(w, self.workers[w]) for w in sorted(self.changed_workers)])
        if self.changed_bookings:
            cursor.executemany(store.dialect.sql(
                f"INSERT INTO {A}bookings (booking, session, agency, worker) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (booking) DO UPDATE SET worker = excluded.worker"),
                [(b, *self.bookings[b]) for b in sorted(self.changed_bookings)])


def _col(row: Any, index: int, name: str) -> str:
    return str(row[name] if isinstance(row, dict) else row[index])


class StatementAuditProjection:
    """Every stored statement: when stored, its timestamp, the credential that sent it, its verb and object.

    Follows the statement log (statements as plain dicts, personal values sealed);
    the actor is not kept here: it reaches a worker only through the bridge's aliases.
    """

    log = "lrs"
    tables: tuple[str, ...] = (
        f"""CREATE TABLE IF NOT EXISTS {A}statements (id TEXT PRIMARY KEY, recorded BIGINT NOT NULL,
            effective TEXT NOT NULL, effective_day TEXT NOT NULL, by_credential TEXT NOT NULL, verb TEXT NOT NULL,
            object TEXT NOT NULL, data TEXT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {A}statements_by_time ON {A}statements (recorded, id)",
    )

    def reset(self, cursor: Any) -> None:
        """Forget every statement (before a rebuild)."""
        cursor.execute(f"DELETE FROM {A}statements")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Mapping[str, Any]]) -> None:
        """Write a page of statements."""
        rows = []
        for s in values:
            stored = datetime.fromisoformat(s["stored"])
            timestamp = s.get("timestamp") or s["stored"]
            authority = s.get("authority", {})
            who = (authority.get("account") or {}).get("name") or authority.get("name") or ""
            target = s["object"].get("id", s["object"].get("objectType", ""))
            data = {"verb": s["verb"]["id"], "object": target, "registration": s.get("context", {}).get("registration")}
            rows.append((s["id"], micros(stored), timestamp, effective_day(timestamp), str(who), s["verb"]["id"],
                         str(target), dumps(data)))
        insert(store, cursor, A + "statements", ("id", "recorded", "effective", "effective_day", "by_credential",
                                                 "verb", "object", "data"), rows)
