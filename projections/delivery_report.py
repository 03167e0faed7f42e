"""The session delivery report: per session, capacity, bookings, cancellations by notice band, substitutions,
attendance, fill and attendance rates, waiting list; as of a day, as known at an instant, with late corrections.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from kernel.tracking import TrackingStore
from projections.corrections import LateCorrection, LateEvent, attribute, late_events
from projections.delivery_view import DeliveryFacts, SessionDeliveryRow
from projections.timepoint import TimePoint

# Session events that can take effect on a day before the one they are recorded on.
SESSION_EVENTS = ("CourseSession.BookingCancelled", "CourseSession.AttendanceRecorded",
                  "CourseSession.RegisterClosed", "CourseSession.RegisterCorrected")


@dataclass(frozen=True)
class SessionDeliveryView:
    """Sessions dated `first` to `last` (of `course`) on `as_of` as known at `known_at`.

    With `agency`, only sessions holding its bookings, and only its bookings counted.
    """

    as_of: date
    known_at: datetime
    agency: str | None
    first: date
    last: date
    rows: list[SessionDeliveryRow]
    late_corrections: list[LateCorrection]


def session_delivery(delivery: TrackingStore, audit: TrackingStore | None, tp: TimePoint, first: date, last: date,
                     agency: str | None = None, course: str | None = None) -> SessionDeliveryView:
    """One row per session dated `first` to `last`, by date; `audit` None leaves out the late corrections."""
    facts = DeliveryFacts(delivery, tp)
    rows = facts.rows(facts.sessions(first, last, agency, course), agency)
    late = session_corrections(delivery, audit, tp, first, last, agency, course) if audit is not None else []
    return SessionDeliveryView(tp.as_of, tp.known_at, agency, first, last, rows, late)


def session_corrections(delivery: TrackingStore, audit: TrackingStore, tp: TimePoint, first: date, last: date,
                        agency: str | None, course: str | None = None) -> list[LateCorrection]:
    """The late events that changed a session's row on `as_of` (counting `agency`'s bookings only, when given)."""
    baseline = tp.as_known_then()
    events = late_events(audit, tp, SESSION_EVENTS, agency)
    if baseline is None or not events:
        return []

    def affected(event: LateEvent) -> set[str]:
        return event.linked("session")

    touched = set().union(*(affected(e) for e in events))
    now_facts, then_facts = DeliveryFacts(delivery, tp), DeliveryFacts(delivery, baseline)
    now = {r.session: r for r in now_facts.rows(now_facts.sessions(first, last, agency, course, touched), agency)}
    then = {r.session: r for r in then_facts.rows(then_facts.sessions(first, last, agency, course, touched), agency)}
    return attribute(events, affected, then, now, session_summary)


def session_summary(row: SessionDeliveryRow) -> dict[str, Any]:
    """What a late correction may change of a session's row: its tally, rates and state."""
    return {**asdict(row.tally), "fill_rate": row.fill_rate, "attendance_rate": row.attendance_rate,
            "register_closed": row.register_closed, "cancelled": row.cancelled}
