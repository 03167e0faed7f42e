"""Giving a resolved command to the training records, safe to repeat: each is keyed by its statement's content.

A completion's and an evaluation's `source` is `moodle:<digest>`; a booking's
id is `moodle-<digest prefix>`; a cancellation is recognised by its time of
receipt, attendance by the register. So a command given again (after a crash
between the records' commit and the bridge's, or a replay of the whole log)
finds its effect already there and records nothing. A refusal by the records'
rules is an outcome (`refused`, with the records' own words), not a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.actor import Actor
from domain.application import TrainingRecords
from domain.errors import ConcurrentChangeError, RecordsError
from domain.views import BookingDetails
from plugins.moodle_bridge.commands import (BookPlace, CancelBooking, Command, RecordAttendance, RecordCompletion,
                                            RecordEvaluation, WithdrawCompletion)
from plugins.moodle_bridge.resolve import Target
from plugins.moodle_bridge.tables import APPLIED, NONE, REFUSED, Rows

BRIDGE = Actor("moodle-bridge")
LIVE = ("booked", "waiting")
BOOKING_PREFIX = "moodle-"


def source_of(digest: str) -> str:
    """The completion or evaluation source of a statement's content."""
    return f"moodle:{digest}"


def booking_id_of(digest: str) -> str:
    """The booking id of a sign-up's content (a record code: at most 64 characters)."""
    return f"{BOOKING_PREFIX}{digest[:40]}"


@dataclass(frozen=True)
class Done:
    """What the records said: applied, none (nothing to do) or refused, in words, and the values given."""

    status: str
    reason: str
    command: dict[str, Any]
    session: str | None = None
    booking: str | None = None
    source: str | None = None


class Executor:
    """Runs commands (and their reverts, in plugins/moodle_bridge/revert.py) on `TrainingRecords` as the bridge."""

    def __init__(self, records: TrainingRecords, rows: Rows) -> None:
        self.records, self.rows = records, rows

    def run(self, command: Command, target: Target, digest: str) -> Done:
        """Give one command; the records' refusals become `refused` (a concurrent change is raised: retry the page)."""
        try:
            return self._run(command, target, digest)
        except ConcurrentChangeError:
            raise
        except RecordsError as error:
            return Done(REFUSED, str(error), {"name": command.name, "worker": target.worker},
                        session=target.session)

    def _run(self, command: Command, target: Target, digest: str) -> Done:
        worker = target.worker
        if isinstance(command, RecordEvaluation):
            assert target.course is not None
            return self.record_evaluation(target.course, worker, source_of(digest))
        assert worker is not None
        if isinstance(command, RecordCompletion):
            assert target.course is not None
            return self.record_completion(worker, target.course, command.completed_on, source_of(digest))
        if isinstance(command, WithdrawCompletion):
            return self.withdraw_completions(worker, command.activity, digest)
        assert target.session is not None
        if isinstance(command, BookPlace):
            return self.book_place(worker, target.session, booking_id_of(digest))
        if isinstance(command, CancelBooking):
            return self.cancel_booking(worker, target.session, command.received_at)
        assert isinstance(command, RecordAttendance)
        return self.record_attendance(worker, target.session, digest)

    def recorded_before(self, worker: str, source: str) -> bool:
        """Whether the worker's history ever recorded a completion from `source` (withdrawn since or not)."""
        return any(e.event == "CompletionRecorded" and e.data.get("source") == source
                   for e in self.records.get_history(BRIDGE, "worker", worker))

    def record_completion(self, worker: str, course: str, completed_on: date, source: str) -> Done:
        given = {"name": "record_completion", "worker": worker, "course": course,
                 "completed_on": completed_on.isoformat(), "source": source}
        if self.recorded_before(worker, source):
            return Done(APPLIED, "recorded before: this statement is a repeat", given, source=source)
        self.records.record_completion(BRIDGE, worker, course, completed_on, source)
        return Done(APPLIED, f"completion of {course} on {completed_on} recorded", given, source=source)

    def withdraw_completions(self, worker: str, activity: str, digest: str) -> Done:
        """Withdraw what completing `activity` recorded from Moodle for the worker and still stands."""
        reason = f"Moodle marked {activity} not complete ({source_of(digest)})"
        standing = {c.source for c in self.records.get_worker(BRIDGE, worker).completions}
        withdrawn_here = {e.data.get("source") for e in self.records.get_history(BRIDGE, "worker", worker)
                          if e.event == "CompletionWithdrawn" and e.data.get("reason") == reason}
        withdrawn = []
        for outcome in self.rows.applied("record_completion", worker, activity=activity):
            given = outcome.command or {}
            if outcome.source in standing:
                self.records.withdraw_completion(BRIDGE, worker, str(outcome.source), reason)
            elif outcome.source not in withdrawn_here:
                continue
            withdrawn.append({"source": outcome.source, "course": given.get("course"),
                              "completed_on": given.get("completed_on")})
        given = {"name": "withdraw_completion", "worker": worker, "withdrawn": withdrawn, "reason": reason}
        if not withdrawn:
            return Done(NONE, f"no completion of {activity} recorded from Moodle stands", given)
        return Done(APPLIED, f"{len(withdrawn)} completion(s) withdrawn", given)

    def book_place(self, worker: str, session: str, booking_id: str) -> Done:
        booking = self.records.book_place(BRIDGE, session, worker, booking_id=booking_id)
        given = {"name": "book_place", "worker": worker, "session": session, "booking_id": booking_id}
        said = {"booked": "a place booked", "waiting": f"on the waiting list at {booking.position}"}
        return Done(APPLIED, said.get(booking.status, f"booked before, now {booking.status}"), given,
                    session=session, booking=booking_id)

    def booking_of(self, worker: str, session: str) -> BookingDetails | None:
        """The worker's booking on the session that a cancellation or attendance is about.

        The bridge's own bookings are found through its outcomes, newest first,
        never by the records' current state: on a replay, a booking a later
        sign-up made is not yet the bridge's. A live booking a clerk made counts too.
        """
        bookings = {b.id: b for b in self.records.get_session(BRIDGE, session).bookings if b.worker == worker}
        own = [bookings[o.booking] for o in self.rows.applied("book_place", worker, session=session)
               if o.booking in bookings]
        clerks = [b for b in bookings.values() if b.status in LIVE and not b.id.startswith(BOOKING_PREFIX)]
        found = [b for b in own if b.status in LIVE] or clerks or own
        return found[0] if found else None

    def booked_on(self, worker: str, sessions: list[str]) -> list[str]:
        """Those of `sessions` where `booking_of` finds a live booking of the worker, else any booking."""
        found = {s: self.booking_of(worker, s) for s in sessions}
        live = [s for s, b in found.items() if b is not None and b.status in LIVE]
        return live or [s for s, b in found.items() if b is not None]

    def cancel_booking(self, worker: str, session: str, received_at: datetime) -> Done:
        booking = self.booking_of(worker, session)
        given = {"name": "cancel_booking", "worker": worker, "session": session,
                 "booking_id": booking.id if booking else None, "received_at": received_at.isoformat()}
        if booking is None:
            return Done(NONE, f"worker {worker} holds no booking on session {session}", given, session=session)
        if booking.status not in LIVE:
            repeat = booking.cancelled_at == received_at.isoformat()
            return Done(APPLIED if repeat else NONE, "cancelled before: this statement is a repeat" if repeat
                        else f"booking {booking.id} was already {booking.status}", given, session=session,
                        booking=booking.id)
        cancelled = self.records.cancel_booking(BRIDGE, session, booking.id, received_at)
        return Done(APPLIED, f"cancelled with {cancelled.notice_days} days' notice", given, session=session,
                    booking=booking.id)

    def record_attendance(self, worker: str, session: str, digest: str) -> Done:
        booking = self.booking_of(worker, session)
        given = {"name": "record_attendance", "worker": worker, "session": session,
                 "booking_id": booking.id if booking else None, "attended": True}
        if booking is None or booking.status != "booked":
            return Done(NONE, f"worker {worker} holds no booked place on session {session}", given, session=session)
        if booking.outcome == "attended" or (booking.outcome is None and booking.attended):
            return Done(APPLIED, "attendance recorded before", given, session=session, booking=booking.id)
        if booking.outcome is not None:
            self.records.correct_register(BRIDGE, session, booking.id, True,
                                          f"Moodle took attendance after the register closed ({source_of(digest)})")
            return Done(APPLIED, "the closed register corrected: attended", given, session=session, booking=booking.id)
        self.records.record_attendance(BRIDGE, session, booking.id, True)
        return Done(APPLIED, "marked attended on the register", given, session=session, booking=booking.id)

    def record_evaluation(self, course: str, worker: str | None, source: str) -> Done:
        given = {"name": "record_course_evaluation", "course": course, "worker": worker, "source": source}
        recorded = self.records.record_course_evaluation(BRIDGE, course, source, [], None, "", worker=worker)
        said = "anonymous " if worker is None else ""
        return Done(APPLIED, f"{said}evaluation of {course} recorded" if recorded else "recorded before", given,
                    source=source)
