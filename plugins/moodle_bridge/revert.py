"""Reverting what a statement did when it is voided (xAPI 1.0.3 Data 2.4.8 voiding; Communication 2.1.3).

Each revert is safe to repeat, like the commands: it looks first at what the
records hold. A completion is withdrawn, a withdrawal recorded again, an
evaluation withdrawn, attendance unmarked (or the closed register corrected);
a sign-up's booking is cancelled as received when the voiding statement says
(the notice rules apply as to any cancellation; the partnership may waive a
charge). A cancellation cannot be undone: the records keep it, and say why.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from domain.errors import ConcurrentChangeError, RecordsError
from plugins.moodle_bridge.execute import BRIDGE, LIVE, Executor
from plugins.moodle_bridge.tables import REVERTED, Outcome


def revert(executor: Executor, outcome: Outcome, at: datetime, voided_by: str) -> tuple[str, str]:
    """Undo an applied outcome; its new (status, reason). Raises ConcurrentChangeError (retry the page)."""
    given: dict[str, Any] = outcome.command or {}
    reason = f"voided by statement {voided_by}"
    try:
        said = _revert(executor, given, at, reason)
    except ConcurrentChangeError:
        raise
    except RecordsError as error:
        return outcome.status, f"{outcome.reason}; {reason}, but the records refused to undo it: {error}"
    if said is None:
        return outcome.status, f"{outcome.reason}; {reason}, but a cancellation cannot be undone: book again"
    return REVERTED, f"{reason}: {said}"


def _revert(executor: Executor, given: dict[str, Any], at: datetime, reason: str) -> str | None:
    records, name, worker = executor.records, given.get("name"), str(given.get("worker"))
    if name == "record_completion":
        records.withdraw_completion(BRIDGE, worker, given["source"], reason)
        return "completion withdrawn"
    if name == "withdraw_completion":
        for withdrawn in given["withdrawn"]:
            records.record_completion(BRIDGE, worker, withdrawn["course"],
                                      date.fromisoformat(withdrawn["completed_on"]), withdrawn["source"])
        return "completion recorded again"
    if name == "record_course_evaluation":
        records.withdraw_course_evaluation(BRIDGE, given["course"], given["source"], reason)
        return "evaluation withdrawn"
    if name == "book_place":
        return _cancel_booking(executor, given, at)
    if name == "record_attendance":
        return _unmark(executor, given, reason)
    return None


def _cancel_booking(executor: Executor, given: dict[str, Any], at: datetime) -> str:
    session, booking_id = given["session"], given["booking_id"]
    booking = next(b for b in executor.records.get_session(BRIDGE, session).bookings if b.id == booking_id)
    if booking.status not in LIVE:
        return f"booking {booking_id} is {booking.status}"
    cancelled = executor.records.cancel_booking(BRIDGE, session, booking_id, at)
    return f"booking {booking_id} cancelled with {cancelled.notice_days} days' notice"


def _unmark(executor: Executor, given: dict[str, Any], reason: str) -> str:
    records, session, booking_id = executor.records, given["session"], given["booking_id"]
    booking = next(b for b in records.get_session(BRIDGE, session).bookings if b.id == booking_id)
    if booking.outcome == "attended":
        records.correct_register(BRIDGE, session, booking_id, False, reason)
        return "the closed register corrected: did not attend"
    if booking.outcome is None and booking.attended:
        records.record_attendance(BRIDGE, session, booking_id, False)
    return "attendance unmarked"
