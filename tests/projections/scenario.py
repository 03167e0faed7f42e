"""A month of a partnership's training that touches every report follower: bookings, a waiting list, cancellations,
a substitution, a register closed and corrected, charges waived and disputed, evaluations, an invoice."""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.actor import Actor
from tests.domain.conftest import PARTNERSHIP, Partnership, london

POLICE = Actor("police-clerk", agency="police")
CHARITY = Actor("charity-clerk", agency="charity")


def busy_month(given: Partnership) -> dict[str, Any]:
    """The codes of what it made: the session and its bookings by worker."""
    records, clock = given.records, given.clock
    for code in ("ann", "bob", "cid"):
        given.worker(code, completed=("basic",))
    for code in ("cat", "dan", "eli"):
        given.worker(code, agency="charity", group=2, completed=("basic",))
    session = given.session("l1", capacity=4, on=london(2027, 3, 29, 9, 30))
    booked = {w: records.book_place(PARTNERSHIP, session, w).id for w in ("ann", "bob", "cat", "dan", "eli")}
    clock.set(london(2027, 3, 15, 12, 0))
    records.cancel_booking(CHARITY, session, booked["dan"], london(2027, 3, 15, 11, 0))  # 14 days: £75
    records.substitute(POLICE, session, booked["bob"], "cid")
    clock.set(london(2027, 3, 29, 10, 0))
    for worker in ("ann", "cat", "eli"):
        records.record_attendance(PARTNERSHIP, session, booked[worker], True)
    records.close_register(PARTNERSHIP, session)  # cid (bob's place) did not attend: £125 to police
    for worker, overall in (("ann", 5), ("cat", 4), ("eli", 3)):
        records.record_session_evaluation(PARTNERSHIP, session, worker, [{"outcome": "Recognise abuse",
                                                                          "rating": overall}], overall)
    clock.set(london(2027, 3, 30, 9, 0))
    charges = {c.booking: c.id for c in records.list_charges(PARTNERSHIP)}
    records.dispute_charge(POLICE, charges[booked["bob"]], "cid was ill and we rang")
    records.waive_charge(PARTNERSHIP, charges[booked["dan"]], "first late cancellation this year", "Chair")
    records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:eval-1", [], 4)
    clock.set(london(2027, 4, 2, 9, 0))
    records.issue_invoices(PARTNERSHIP, "2027-03")
    records.correct_register(PARTNERSHIP, session, booked["bob"], True, "cid came late and was missed")
    records.move_worker_to_agency(PARTNERSHIP, "eli", "police", date(2027, 4, 1))
    return {"session": session, "booked": booked, "charges": charges}
