"""Commands and queries on course sessions: schedule, book, cancel, substitute, register, evaluate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.invoicing import InvoiceCommands
from domain.course import Course
from domain.errors import InvalidCommandError, RecordNotFoundError, RuleViolationError
from domain.ids import aggregate_id, check_code, new_code
from domain.people import _text
from domain.programme import ProgrammeCommands, check_ratings
from domain.rules import missing_prerequisite
from domain.session import BOOKED, CourseSession
from domain.views import BookingDetails, SessionDetails
from domain.worker import Worker
from kernel.clock import as_utc


class BookingCommands(ProgrammeCommands, InvoiceCommands):
    """Sessions and their places. Every command on a session decides on its latest state (retried on a race)."""

    def schedule_session(self, actor: Actor, course: str, starts_at: datetime, ends_at: datetime, venue: str,
                         capacity: int, trainers: list[str], code: str | None = None) -> SessionDetails:
        """Schedule a session of a face-to-face course; trainers are workers of the inter-agency pool.

        Raises NotPermittedError for an agency, RecordNotFoundError for an unknown course or trainer.
        """
        session = self._new_session(actor, course, starts_at, ends_at, venue, capacity, trainers, code)
        try:
            self.save(session)
        except IntegrityError:
            raise RuleViolationError(f"session {session.code} is scheduled already") from None
        return SessionDetails.of(session, actor.agency)

    def _new_session(self, actor: Actor, course: str, starts_at: datetime, ends_at: datetime, venue: str,
                     capacity: int, trainers: list[str], code: str | None) -> CourseSession:
        actor.require_partnership("schedule sessions")
        code = check_code("session", code) if code is not None else new_code()
        found = self._load("course", course, Course)
        if found.delivery == "e-learning":
            raise RuleViolationError(f"course {course} is e-learning; it has no sessions")
        starts_at, ends_at = as_utc(starts_at), as_utc(ends_at)
        if ends_at <= starts_at:
            raise InvalidCommandError("a session must end after it starts")
        if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 1000:
            raise InvalidCommandError(f"capacity must be 1 to 1000 places, not {capacity!r}")
        for trainer in trainers:
            self._load("worker", trainer, Worker)
        session: CourseSession = CourseSession._begin(
            CourseSession.Scheduled, aggregate_id("session", code), actor, self.clock.now(),
            starts_at.isoformat(), code=code, course=course, level=found.level, starts_at=starts_at.isoformat(),
            ends_at=ends_at.isoformat(), venue=_text("venue", venue), capacity=capacity, trainers=list(trainers),
        )
        return session

    def get_session(self, actor: Actor, code: str) -> SessionDetails:
        """A session; an agency's credential sees its own bookings only."""
        return SessionDetails.of(self._load("session", code, CourseSession), actor.agency)

    def list_sessions(self, actor: Actor, course: str | None = None) -> list[SessionDetails]:
        sessions = [self.get_session(actor, c) for c in self._codes(CourseSession, CourseSession.Scheduled)]
        return [s for s in sessions if course is None or s.course == course]

    def cancel_session(self, actor: Actor, code: str, reason: str) -> SessionDetails:
        """The partnership cancels a session; every place is freed without charge."""
        actor.require_partnership("cancel sessions")
        reason = _text("reason", reason)

        def command() -> CourseSession:
            record = self._load("session", code, CourseSession)
            live = [b for b in record.bookings.values() if b.status == BOOKED]
            record.cancel(actor, self.clock.now(), reason)
            self.save(record, *self._charges_at_session_cancel(actor, record, live))
            return record

        return SessionDetails.of(self._retrying(command), actor.agency)

    def book_place(self, actor: Actor, session: str, worker: str, booking_id: str | None = None) -> BookingDetails:
        """Book a worker on a session: a place if one is free, else the waiting list (the answer says which).

        `booking_id` lets a caller that may repeat itself (a bridge replaying its
        source) name the booking: when the session already holds that booking for
        this worker, it is returned as it stands and nothing is recorded.
        Raises RuleViolationError when the worker lacks the prerequisite, has
        left, is already booked, or the session is closed to bookings, or when
        `booking_id` names another worker's booking.
        """
        booking_id = new_code() if booking_id is None else check_code("booking", booking_id)

        def command() -> BookingDetails:
            record = self._load("session", session, CourseSession)
            if booking_id in record.bookings:
                return self._repeated_booking(actor, record, booking_id, worker)
            delegate = self._visible_worker(actor, worker)
            self._check_eligible(record, delegate)
            now = self.clock.now()
            record.book(actor, now, booking_id, worker, delegate.agency_on(self.today()))
            self.save(record)
            return BookingDetails.of(record, record.bookings[booking_id])

        return self._retrying(command)

    def _repeated_booking(self, actor: Actor, record: CourseSession, booking_id: str, worker: str) -> BookingDetails:
        self._own_booking(actor, record, booking_id)
        booking = record.bookings[booking_id]
        delegates = {booking.worker, *(s["replaced"] for s in booking.substitutions)}
        if worker not in delegates:
            raise RuleViolationError(f"booking {booking_id} on session {record.code} is another worker's")
        return BookingDetails.of(record, record.bookings[booking_id])

    def _check_eligible(self, session: CourseSession, worker: Worker) -> None:
        if worker.has_left(session.session_date):
            raise RuleViolationError(f"worker {worker.code} has left by {session.session_date}")
        missing = missing_prerequisite(worker.completions.values(), session.level, session.session_date,
                                       self._validation_current)
        if missing is not None:
            foundation = (f" (or validated single-agency foundation training current on {session.session_date})"
                          if missing == "1" else "")
            raise RuleViolationError(f"worker {worker.code} has not completed level {missing} training{foundation}, "
                                     f"which a level {session.level} course requires")

    def cancel_booking(self, actor: Actor, session: str, booking_id: str, received_at: datetime) -> BookingDetails:
        """Cancel a booking as received at `received_at` (kept exactly); a freed place goes to the waiting list.

        The first on the waiting list who still meets the prerequisites gets the place.
        """

        def command() -> BookingDetails:
            record = self._load("session", session, CourseSession)
            self._own_booking(actor, record, booking_id)
            freed = record.bookings[booking_id].status == BOOKED
            record.cancel_booking(actor, self.clock.now(), booking_id, received_at)
            account = None
            if freed:
                self._offer_freed_places(actor, record)
                account = self._charge_cancellation(actor, record, record.bookings[booking_id])
            self.save(record, *([account] if account is not None else []))
            return BookingDetails.of(record, record.bookings[booking_id])

        return self._retrying(command)

    def _offer_freed_places(self, actor: Actor, record: CourseSession) -> None:
        for waiting in list(record.waiting):
            if record.places_free <= 0:
                return
            try:
                self._check_eligible(record, self._load("worker", record.bookings[waiting].worker, Worker))
            except RuleViolationError:
                continue
            record.offer_place(actor, self.clock.now(), waiting)

    def _own_booking(self, actor: Actor, record: CourseSession, booking_id: str) -> None:
        booking = record.bookings.get(booking_id)
        if booking is None or actor.agency not in (None, booking.agency):
            raise RecordNotFoundError(f"no booking {booking_id} on session {record.code}")

    def substitute(self, actor: Actor, session: str, booking_id: str, worker: str) -> BookingDetails:
        """Another worker of the booking's agency, meeting the prerequisites, takes the place (DESIGN.md).

        Raises RuleViolationError (the booking stands) for a worker of another
        agency, one without the prerequisites, or a cancelled booking.
        """

        def command() -> BookingDetails:
            record = self._load("session", session, CourseSession)
            self._own_booking(actor, record, booking_id)
            substitute = self._visible_worker(actor, worker)
            agency = record.bookings[booking_id].agency
            if substitute.agency_on(self.today()) != agency:
                raise RuleViolationError(f"worker {worker} is not of agency {agency}, which made booking "
                                         f"{booking_id}; only its own workers may substitute")
            self._check_eligible(record, substitute)
            record.substitute(actor, self.clock.now(), booking_id, worker)
            self.save(record)
            return BookingDetails.of(record, record.bookings[booking_id])

        return self._retrying(command)

    def record_attendance(self, actor: Actor, session: str, booking_id: str, attended: bool) -> BookingDetails:
        """Mark the register for one booking (trainers act for the partnership)."""
        actor.require_partnership("mark the register")
        return self._booking_after(actor, session, booking_id,
                                   lambda s: s.record_attendance(actor, self.clock.now(), booking_id, bool(attended)))

    def close_register(self, actor: Actor, session: str) -> SessionDetails:
        """Close the register: booked and not attended becomes did not attend; attendees' completions recorded."""
        actor.require_partnership("close registers")

        def command() -> CourseSession:
            record = self._load("session", session, CourseSession)
            attended, _ = record.close_register(actor, self.clock.now())
            workers = [self._completed(actor, record, record.bookings[b].worker) for b in attended]
            accounts = self._charges_at_close(actor, record)
            self.save(record, *[w for w in workers if w is not None], *accounts)
            return record

        return SessionDetails.of(self._retrying(command), actor.agency)

    def _completed(self, actor: Actor, record: CourseSession, code: str) -> Worker | None:
        worker = self._load("worker", code, Worker)
        source = f"session:{record.code}"
        if source in worker.completions:
            return None
        course = self._load("course", record.course, Course)
        worker._record(Worker.CompletionRecorded, actor, self.clock.now(), record.session_date.isoformat(),
                       source=source, course=record.course, level=record.level, delivery=course.delivery)
        return worker

    def correct_register(self, actor: Actor, session: str, booking_id: str, attended: bool,
                         reason: str) -> BookingDetails:
        """Correct a closed register with a reason; the delegate's completion follows the correction."""
        actor.require_partnership("correct registers")
        reason = _text("reason", reason, limit=1000)

        def command() -> BookingDetails:
            record = self._load("session", session, CourseSession)
            record.correct_register(actor, self.clock.now(), booking_id, bool(attended), reason)
            code = record.bookings[booking_id].worker
            worker = self._completed(actor, record, code) if attended else self._withdrawn(actor, record, code,
                                                                                          reason)
            account = self._charges_at_correction(actor, record, record.bookings[booking_id], reason)
            self.save(record, *[r for r in (worker, account) if r is not None])
            return BookingDetails.of(record, record.bookings[booking_id])

        return self._retrying(command)

    def _withdrawn(self, actor: Actor, record: CourseSession, code: str, reason: str) -> Worker | None:
        worker = self._load("worker", code, Worker)
        source = f"session:{record.code}"
        if source not in worker.completions:
            return None
        worker._record(Worker.CompletionWithdrawn, actor, self.clock.now(), record.session_date.isoformat(),
                       source=source, reason=reason)
        return worker

    def record_session_evaluation(self, actor: Actor, session: str, worker: str, ratings: list[dict[str, Any]],
                                  overall: int, comment: str = "") -> SessionDetails:
        """A delegate's evaluation of a session they attended: at most one each (seed 000 s.10)."""
        self._visible_worker(actor, worker)

        def change(record: CourseSession) -> None:
            course = self._load("course", record.course, Course)
            checked = check_ratings(course, ratings, overall)
            if overall is None:
                raise InvalidCommandError("an evaluation of a session needs an overall rating")
            record.record_evaluation(actor, self.clock.now(), worker, checked, overall,
                                     _text("comment", comment, required=False, limit=5000))

        return self._on_session(actor, session, change)

    def _on_session(self, actor: Actor, code: str, change: Any) -> SessionDetails:
        def command() -> CourseSession:
            record = self._load("session", code, CourseSession)
            change(record)
            self.save(record)
            return record

        return SessionDetails.of(self._retrying(command), actor.agency)

    def _booking_after(self, actor: Actor, session: str, booking_id: str, change: Any) -> BookingDetails:
        def command() -> BookingDetails:
            record = self._load("session", session, CourseSession)
            self._own_booking(actor, record, booking_id)
            change(record)
            self.save(record)
            return BookingDetails.of(record, record.bookings[booking_id])

        return self._retrying(command)

    def session_date(self, code: str) -> date:
        return self._load("session", code, CourseSession).session_date
