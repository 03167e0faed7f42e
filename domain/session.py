"""A course session with its bookings, waiting list, register and delegates' evaluations.

Rules (DESIGN.md "Decisions where the seeds are silent"): capacity is never
exceeded, a full session puts a booking on the waiting list; a cancellation
keeps the exact time it was received and its notice in whole English days;
a substitution replaces the delegate on a live booking up to the register's
close; closing the register turns booked-and-not-attended into did not attend;
a closed register is corrected only with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.actor import Actor
from domain.errors import RecordNotFoundError, RuleViolationError
from domain.record import Record
from domain.rules import notice_days
from kernel.clock import as_utc, london_date

BOOKED, WAITING, CANCELLED = "booked", "waiting", "cancelled"
ATTENDED, DID_NOT_ATTEND = "attended", "did not attend"


@dataclass
class Booking:
    """A place (or a waiting-list entry) on a session, held by the agency that booked it."""

    booking_id: str
    worker: str
    agency: str
    status: str
    booked_at: str
    attended: bool | None = None  # as marked on the register before it closes
    outcome: str | None = None  # attended or did not attend, once the register closes
    cancelled_at: str | None = None
    notice_days: int | None = None
    by_partnership: bool = False
    substitutions: list[dict[str, str]] = field(default_factory=list)

    @property
    def live(self) -> bool:
        return self.status in (BOOKED, WAITING)


class CourseSession(Record):
    """One dated delivery of a course: the consistency boundary of its places."""

    class Scheduled(Record.Created):
        code: str
        course: str
        level: str
        starts_at: str
        ends_at: str
        venue: str
        capacity: int
        trainers: list[str]

        def apply(self, session: CourseSession) -> None:
            session.code, session.course, session.level = self.code, self.course, self.level
            session.starts_at = datetime.fromisoformat(self.starts_at)
            session.ends_at = datetime.fromisoformat(self.ends_at)
            session.venue, session.capacity, session.trainers = self.venue, self.capacity, list(self.trainers)

    class PlaceBooked(Record.Event):
        booking_id: str
        worker: str
        agency: str

        def apply(self, session: CourseSession) -> None:
            session.bookings[self.booking_id] = Booking(self.booking_id, self.worker, self.agency, BOOKED,
                                                        self.effective)

    class JoinedWaitingList(Record.Event):
        booking_id: str
        worker: str
        agency: str

        def apply(self, session: CourseSession) -> None:
            session.bookings[self.booking_id] = Booking(self.booking_id, self.worker, self.agency, WAITING,
                                                        self.effective)
            session.waiting.append(self.booking_id)

    class PlaceOffered(Record.Event):
        """A freed place given to a waiting-list entry, in order."""

        booking_id: str

        def apply(self, session: CourseSession) -> None:
            session.bookings[self.booking_id].status = BOOKED
            session.waiting.remove(self.booking_id)

    class BookingCancelled(Record.Event):
        """`effective` is the exact time the cancellation was received; notice in whole English days."""

        booking_id: str
        notice_days: int

        def apply(self, session: CourseSession) -> None:
            booking = session.bookings[self.booking_id]
            if booking.status == WAITING:
                session.waiting.remove(self.booking_id)
            booking.status, booking.cancelled_at, booking.notice_days = CANCELLED, self.effective, self.notice_days

    class DelegateSubstituted(Record.Event):
        booking_id: str
        replaced: str
        worker: str

        def apply(self, session: CourseSession) -> None:
            booking = session.bookings[self.booking_id]
            booking.substitutions.append({"replaced": self.replaced, "worker": self.worker, "at": self.effective})
            booking.worker, booking.attended = self.worker, None

    class AttendanceRecorded(Record.Event):
        booking_id: str
        attended: bool

        def apply(self, session: CourseSession) -> None:
            session.bookings[self.booking_id].attended = self.attended

    class RegisterClosed(Record.Event):
        attended: list[str]
        did_not_attend: list[str]

        def apply(self, session: CourseSession) -> None:
            for booking_id in self.attended:
                session.bookings[booking_id].outcome = ATTENDED
            for booking_id in self.did_not_attend:
                session.bookings[booking_id].outcome = DID_NOT_ATTEND
            session.register_closed = True

    class RegisterCorrected(Record.Event):
        booking_id: str
        attended: bool
        reason: str

        def apply(self, session: CourseSession) -> None:
            booking = session.bookings[self.booking_id]
            booking.attended = self.attended
            booking.outcome = ATTENDED if self.attended else DID_NOT_ATTEND

    class Cancelled(Record.Event):
        """The partnership cancelled the session: every live booking is freed, without charge."""

        reason: str

        def apply(self, session: CourseSession) -> None:
            for booking in session.bookings.values():
                if booking.live:
                    booking.status, booking.cancelled_at, booking.by_partnership = CANCELLED, self.effective, True
            session.waiting.clear()
            session.cancelled = True

    class EvaluationRecorded(Record.Event):
        """A delegate's evaluation: a rating (1 to 5) per learning outcome, overall, free text."""

        booking_id: str
        worker: str
        ratings: list[dict[str, Any]]
        overall: int
        comment: str

        def apply(self, session: CourseSession) -> None:
            session.evaluated.add(self.worker)

    def __init__(self) -> None:
        self.code = ""
        self.course = ""
        self.level = ""
        self.starts_at = datetime.min
        self.ends_at = datetime.min
        self.venue = ""
        self.capacity = 0
        self.trainers: list[str] = []
        self.bookings: dict[str, Booking] = {}
        self.waiting: list[str] = []
        self.register_closed = False
        self.cancelled = False
        self.evaluated: set[str] = set()

    @property
    def session_date(self) -> date:
        """The English date the session runs on."""
        return london_date(self.starts_at)

    @property
    def places_taken(self) -> int:
        return sum(1 for b in self.bookings.values() if b.status == BOOKED)

    @property
    def places_free(self) -> int:
        return max(self.capacity - self.places_taken, 0)

    def booking(self, booking_id: str) -> Booking:
        """Raises RecordNotFoundError when the session holds no such booking."""
        try:
            return self.bookings[booking_id]
        except KeyError:
            raise RecordNotFoundError(f"no booking {booking_id} on session {self.code}") from None

    def live_booking_of(self, worker: str) -> Booking | None:
        return next((b for b in self.bookings.values() if b.worker == worker and b.live), None)

    def _check_open(self, doing: str) -> None:
        if self.cancelled:
            raise RuleViolationError(f"session {self.code} was cancelled; cannot {doing}")
        if self.register_closed:
            raise RuleViolationError(f"the register of session {self.code} is closed; cannot {doing}")

    def book(self, actor: Actor, at: datetime, booking_id: str, worker: str, agency: str) -> str:
        """A place if one is free, else a waiting-list entry; returns BOOKED or WAITING."""
        self._check_open("book")
        if at >= self.starts_at:
            raise RuleViolationError(f"session {self.code} has started; bookings close at its start")
        if self.live_booking_of(worker) is not None:
            raise RuleViolationError(f"worker {worker} is already booked on session {self.code}")
        event = self.PlaceBooked if self.places_free > 0 else self.JoinedWaitingList
        self._record(event, actor, at, at.isoformat(), booking_id=booking_id, worker=worker, agency=agency)
        return self.bookings[booking_id].status

    def cancel_booking(self, actor: Actor, at: datetime, booking_id: str, received_at: datetime) -> int:
        """Cancel a live booking as of the time the cancellation was received; returns its notice in days."""
        booking = self.booking(booking_id)
        self._check_open("cancel a booking")
        if not booking.live:
            raise RuleViolationError(f"booking {booking_id} is already cancelled")
        received_at = as_utc(received_at)
        if received_at > at:
            raise RuleViolationError("a cancellation cannot be received in the future")
        if received_at >= self.starts_at:
            raise RuleViolationError(f"session {self.code} had started when the cancellation was received; "
                                     "record attendance instead (an absent delegate did not attend)")
        days = notice_days(received_at, self.session_date)
        self._record(self.BookingCancelled, actor, at, received_at.isoformat(), booking_id=booking_id,
                     notice_days=days)
        return days

    def offer_place(self, actor: Actor, at: datetime, booking_id: str) -> None:
        """Give a free place to a waiting-list entry (the service picks the first who meets the prerequisites)."""
        if self.places_free <= 0 or booking_id not in self.waiting:
            raise RuleViolationError(f"no free place for waiting-list entry {booking_id}")
        self._record(self.PlaceOffered, actor, at, at.isoformat(), booking_id=booking_id)

    def substitute(self, actor: Actor, at: datetime, booking_id: str, worker: str) -> None:
        """Replace the delegate of a live booking, up to the register's close."""
        booking = self.booking(booking_id)
        self._check_open("substitute")
        if not booking.live:
            raise RuleViolationError(f"booking {booking_id} was cancelled: its place is freed, so it cannot "
                                     "be substituted")
        if booking.worker == worker:
            raise RuleViolationError(f"worker {worker} already holds booking {booking_id}")
        if self.live_booking_of(worker) is not None:
            raise RuleViolationError(f"worker {worker} is already booked on session {self.code}")
        self._record(self.DelegateSubstituted, actor, at, at.isoformat(), booking_id=booking_id,
                     replaced=booking.worker, worker=worker)

    def record_attendance(self, actor: Actor, at: datetime, booking_id: str, attended: bool) -> None:
        """Mark a booked delegate on the register (from the session's start until the register closes)."""
        booking = self.booking(booking_id)
        self._check_open("record attendance")
        if at < self.starts_at:
            raise RuleViolationError(f"session {self.code} has not started; the register opens at its start")
        if booking.status != BOOKED:
            raise RuleViolationError(f"booking {booking_id} is {booking.status}, not a booked place")
        self._record(self.AttendanceRecorded, actor, at, self.session_date.isoformat(),
                     booking_id=booking_id, attended=attended)

    def close_register(self, actor: Actor, at: datetime) -> tuple[list[str], list[str]]:
        """Close the register: booked and not marked attended becomes did not attend. Returns (attended, dna)."""
        self._check_open("close the register")
        if at < self.starts_at:
            raise RuleViolationError(f"session {self.code} has not started; its register cannot close yet")
        booked = [b for b in self.bookings.values() if b.status == BOOKED]
        attended = [b.booking_id for b in booked if b.attended]
        absent = [b.booking_id for b in booked if not b.attended]
        self._record(self.RegisterClosed, actor, at, self.session_date.isoformat(),
                     attended=attended, did_not_attend=absent)
        return attended, absent

    def correct_register(self, actor: Actor, at: datetime, booking_id: str, attended: bool, reason: str) -> None:
        """Correct one delegate's outcome on a closed register, with a reason."""
        booking = self.booking(booking_id)
        if not self.register_closed:
            raise RuleViolationError(f"the register of session {self.code} is open: record attendance instead")
        if booking.outcome is None:
            raise RuleViolationError(f"booking {booking_id} was not on the register when it closed")
        if (booking.outcome == ATTENDED) == attended:
            raise RuleViolationError(f"booking {booking_id} is already recorded as {booking.outcome}")
        self._record(self.RegisterCorrected, actor, at, self.session_date.isoformat(),
                     booking_id=booking_id, attended=attended, reason=reason)

    def cancel(self, actor: Actor, at: datetime, reason: str) -> None:
        """The partnership cancels the session before its register closes."""
        self._check_open("cancel the session")
        self._record(self.Cancelled, actor, at, at.isoformat(), reason=reason)

    def record_evaluation(self, actor: Actor, at: datetime, worker: str, ratings: list[dict[str, Any]],
                          overall: int, comment: str) -> None:
        """A delegate's evaluation of a session they attended; at most one per delegate."""
        booking = next((b for b in self.bookings.values()
                        if b.worker == worker and (b.outcome == ATTENDED or (b.outcome is None and b.attended))),
                       None)
        if booking is None:
            raise RuleViolationError(f"worker {worker} did not attend session {self.code}; only delegates "
                                     "who attended evaluate it")
        if worker in self.evaluated:
            raise RuleViolationError(f"worker {worker} has already evaluated session {self.code}")
        self._record(self.EvaluationRecorded, actor, at, at.isoformat(), booking_id=booking.booking_id,
                     worker=worker, ratings=ratings, overall=overall, comment=comment)
