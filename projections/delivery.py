"""The facts of course delivery: courses, sessions, and every booking, cancellation, substitution and register mark.

Follows the training records' log. Tables:

- `slrs_delivery_courses`: each course's level and delivery (e-learning levels have no place limit);
- `slrs_delivery_sessions`: each scheduled session: course, level, date, capacity, trainers;
- `slrs_delivery_bookings`: each booking with the agency that made it (it never changes) and its first delegate;
- `slrs_delivery_facts`: one row per session event and booking (a register's close is a row per booking on it),
  with its effective date and the instant it was recorded;
- `slrs_delivery_tallies` and `slrs_delivery_settled`: each session's tally per agency with all its facts
  replayed, derived from the facts and remade when they change (projections/delivery_tallies.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from domain.course import Course
from domain.record import Record
from domain.session import CourseSession
from kernel.clock import london_date
from kernel.tracking import TrackingStore
from projections.facts import Codes, dumps, effective_day, insert, mark_stale, micros, stale_ddl

D = "slrs_delivery_"
FACT_COLUMNS = ("session", "version", "booking", "fact", "worker", "replaced", "notice_days", "attended", "reason",
                "effective", "effective_day", "recorded")
# The facts of a session's events, as the delivery reports name them.
BOOKED, WAITING, OFFERED, CANCELLED = "booked", "waiting", "offered", "cancelled"
SUBSTITUTED, MARKED, CLOSED, CORRECTED, SESSION_CANCELLED = (
    "substituted", "marked", "closed", "corrected", "session cancelled")
# What a tally counts of a session's places (projections/delivery_view.py `Tally`).
TALLY_FIELDS = ("places_booked", "booked", "waiting", "cancelled_28_plus", "cancelled_14_to_27", "cancelled_under_14",
                "cancelled_by_partnership", "substitutions", "attended", "did_not_attend")


class DeliveryProjection:
    """Sessions and their bookings, fact by fact, as recorded."""

    log = "records"
    tables: tuple[str, ...] = (
        Codes.ddl(D + "ids"),
        f"""CREATE TABLE IF NOT EXISTS {D}courses (course TEXT PRIMARY KEY, title TEXT NOT NULL, level TEXT NOT NULL,
            delivery TEXT NOT NULL, recorded BIGINT NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS {D}sessions (session TEXT PRIMARY KEY, course TEXT NOT NULL, level TEXT NOT NULL,
            starts_at TEXT NOT NULL, session_date TEXT NOT NULL, capacity INTEGER NOT NULL, venue TEXT NOT NULL,
            trainers TEXT NOT NULL, recorded BIGINT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {D}sessions_by_date ON {D}sessions (session_date)",
        f"""CREATE TABLE IF NOT EXISTS {D}bookings (booking TEXT PRIMARY KEY, session TEXT NOT NULL,
            agency TEXT NOT NULL, worker TEXT NOT NULL, recorded BIGINT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {D}bookings_by_agency ON {D}bookings (agency, session)",
        f"""CREATE TABLE IF NOT EXISTS {D}facts (session TEXT NOT NULL, version INTEGER NOT NULL,
            booking TEXT NOT NULL, fact TEXT NOT NULL, worker TEXT, replaced TEXT, notice_days INTEGER,
            attended INTEGER, reason TEXT, effective TEXT NOT NULL, effective_day TEXT NOT NULL,
            recorded BIGINT NOT NULL, PRIMARY KEY (session, version, booking))""",
        f"CREATE INDEX IF NOT EXISTS {D}facts_by_booking ON {D}facts (booking)",
        f"CREATE INDEX IF NOT EXISTS {D}facts_by_recorded ON {D}facts (recorded)",
        # Each session's tally per agency with every fact replayed (projections/delivery_tallies.py), and the
        # sessions whose tallies wait to be remade.
        f"""CREATE TABLE IF NOT EXISTS {D}tallies (session TEXT NOT NULL, agency TEXT NOT NULL,
            {", ".join(f"{name} INTEGER NOT NULL" for name in TALLY_FIELDS)}, PRIMARY KEY (session, agency))""",
        f"""CREATE TABLE IF NOT EXISTS {D}settled (session TEXT PRIMARY KEY, last_effective TEXT NOT NULL,
            cancelled INTEGER NOT NULL, closed INTEGER NOT NULL)""",
        *stale_ddl(D, "session"),
    )

    def __init__(self) -> None:
        self.codes = Codes(D + "ids", ("course", "session"))

    def reset(self, cursor: Any) -> None:
        """Forget every fact (before a rebuild)."""
        for table in ("courses", "sessions", "bookings", "facts", "tallies", "settled", "stale"):
            cursor.execute(f"DELETE FROM {D}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events as rows, in log order."""
        wanted = [e for e in values if type(e) in HANDLERS]
        codes = self.codes.resolve(store, cursor, values, wanted)
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for event in wanted:
            HANDLERS[type(event)](event, codes[event.originator_id], rows)
        insert(store, cursor, D + "courses", ("course", "title", "level", "delivery", "recorded"), rows["courses"])
        insert(store, cursor, D + "sessions", ("session", "course", "level", "starts_at", "session_date", "capacity",
                                               "venue", "trainers", "recorded"), rows["sessions"])
        insert(store, cursor, D + "bookings", ("booking", "session", "agency", "worker", "recorded"), rows["bookings"])
        insert(store, cursor, D + "facts", FACT_COLUMNS, rows["facts"])
        mark_stale(store, cursor, D, "session", {row[0] for row in (*rows["sessions"], *rows["facts"])})

    def settle(self, store: TrackingStore) -> int:
        """Once caught up: remake the tallies of the sessions with new facts (projections/delivery_tallies.py)."""
        from projections.delivery_tallies import settle  # it replays through delivery_view, which imports this module

        return settle(store)


Rows = dict[str, list[tuple[Any, ...]]]


def _fact(e: Any, session: str, fact: str, booking: str = "", *, worker: str | None = None,
          replaced: str | None = None, notice_days: int | None = None, attended: bool | None = None,
          reason: str | None = None) -> tuple[Any, ...]:
    return (session, e.originator_version, booking, fact, worker, replaced, notice_days,
            None if attended is None else int(attended), reason, e.effective, effective_day(e.effective),
            micros(e.timestamp))


def _course(e: Any, code: str, rows: Rows) -> None:
    rows["courses"].append((code, e.title, e.level, e.delivery, micros(e.timestamp)))


def _scheduled(e: Any, code: str, rows: Rows) -> None:
    starts = datetime.fromisoformat(e.starts_at)
    rows["sessions"].append((code, e.course, e.level, e.starts_at, london_date(starts).isoformat(), e.capacity,
                             e.venue, dumps(list(e.trainers)), micros(e.timestamp)))


def _place(fact: str) -> Callable[[Any, str, Rows], None]:
    def handle(e: Any, code: str, rows: Rows) -> None:
        rows["bookings"].append((e.booking_id, code, e.agency, e.worker, micros(e.timestamp)))
        rows["facts"].append(_fact(e, code, fact, e.booking_id, worker=e.worker))
    return handle


def _offered(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, OFFERED, e.booking_id))


def _cancelled(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, CANCELLED, e.booking_id, notice_days=e.notice_days))


def _substituted(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, SUBSTITUTED, e.booking_id, worker=e.worker, replaced=e.replaced))


def _marked(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, MARKED, e.booking_id, attended=e.attended))


def _closed(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].extend(_fact(e, code, CLOSED, b, attended=True) for b in e.attended)
    rows["facts"].extend(_fact(e, code, CLOSED, b, attended=False) for b in e.did_not_attend)
    if not e.attended and not e.did_not_attend:
        rows["facts"].append(_fact(e, code, CLOSED))


def _corrected(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, CORRECTED, e.booking_id, attended=e.attended, reason=e.reason))


def _session_cancelled(e: Any, code: str, rows: Rows) -> None:
    rows["facts"].append(_fact(e, code, SESSION_CANCELLED, reason=e.reason))


HANDLERS: dict[type, Callable[[Any, str, Rows], None]] = {
    Course.Defined: _course,
    CourseSession.Scheduled: _scheduled,
    CourseSession.PlaceBooked: _place(BOOKED),
    CourseSession.JoinedWaitingList: _place(WAITING),
    CourseSession.PlaceOffered: _offered,
    CourseSession.BookingCancelled: _cancelled,
    CourseSession.DelegateSubstituted: _substituted,
    CourseSession.AttendanceRecorded: _marked,
    CourseSession.RegisterClosed: _closed,
    CourseSession.RegisterCorrected: _corrected,
    CourseSession.Cancelled: _session_cancelled,
}
