"""Bookings, the waiting list, cancellations and substitutions, given / when / then on the session's events."""

from __future__ import annotations

import pytest

from domain.application import TrainingRecords
from domain.errors import RecordNotFoundError, RuleViolationError
from tests.domain.conftest import CHARITY, PARTNERSHIP, POLICE, Partnership, events_of, london, names


def test_booking_a_free_place_records_place_booked_for_the_workers_agency(given: Partnership,
                                                                           records: TrainingRecords) -> None:
    session, worker = given.session(), given.worker("ann")
    booking = records.book_place(POLICE, session, worker)
    assert booking.status == "booked" and booking.agency == "police"
    [event] = events_of(records, "session", session, after=1)
    assert names([event]) == ["PlaceBooked"]
    assert (event.worker, event.agency, event.by["credential"]) == ("ann", "police", "police-clerk")


def test_a_full_session_puts_the_booking_on_the_waiting_list_and_says_so(given: Partnership,
                                                                         records: TrainingRecords) -> None:
    session = given.session(capacity=1)
    records.book_place(POLICE, session, given.worker("ann"))
    second = records.book_place(POLICE, session, given.worker("bob"))
    third = records.book_place(POLICE, session, given.worker("cat"))
    assert (second.status, second.position) == ("waiting", 1)
    assert (third.status, third.position) == ("waiting", 2)
    details = records.get_session(PARTNERSHIP, session)
    assert (details.places_taken, details.places_free, details.waiting_list) == (1, 0, 2)
    assert names(events_of(records, "session", session, after=2)) == ["JoinedWaitingList", "JoinedWaitingList"]


def test_a_freed_place_goes_to_the_first_waiting_who_still_meets_the_prerequisites(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2", capacity=1)
    first = records.book_place(POLICE, session, given.worker("ann", completed=("l1",)))
    records.book_place(POLICE, session, given.worker("bob", completed=("l1",)))
    records.withdraw_completion(PARTNERSHIP, "bob", "test:l1", "recorded against the wrong worker")
    third = records.book_place(POLICE, session, given.worker("cat", completed=("l1",)))
    version = records.get_session(PARTNERSHIP, session).version
    records.cancel_booking(POLICE, session, first.id, london(2027, 3, 1, 8, 0))
    cancelled, offered = events_of(records, "session", session, after=version)
    assert names([cancelled, offered]) == ["BookingCancelled", "PlaceOffered"]
    assert offered.booking_id == third.id
    statuses = {b.worker: b.status for b in records.get_session(PARTNERSHIP, session).bookings}
    assert statuses == {"ann": "cancelled", "bob": "waiting", "cat": "booked"}


def test_the_same_worker_cannot_hold_two_places_on_one_session(given: Partnership, records: TrainingRecords) -> None:
    session, worker = given.session(), given.worker("ann")
    records.book_place(POLICE, session, worker)
    with pytest.raises(RuleViolationError, match="already booked"):
        records.book_place(POLICE, session, worker)


def test_a_level_2_booking_without_level_1_is_refused(given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2")
    with pytest.raises(RuleViolationError, match="level 1"):
        records.book_place(POLICE, session, given.worker("ann"))
    assert events_of(records, "session", session, after=1) == []


def test_a_completed_higher_level_meets_a_lower_prerequisite(given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2")
    assert records.book_place(POLICE, session, given.worker("ann", completed=("l2",))).status == "booked"


def test_level_3_needs_level_2_not_just_level_1(given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l3")
    with pytest.raises(RuleViolationError, match="level 2"):
        records.book_place(POLICE, session, given.worker("ann", completed=("l1",)))
    assert records.book_place(POLICE, session, given.worker("bob", completed=("l1", "l2"))).status == "booked"


def test_validated_single_agency_foundation_training_meets_level_1_while_current(
        given: Partnership, records: TrainingRecords) -> None:
    from datetime import date

    records.validate_course(PARTNERSHIP, "found", date(2026, 1, 1), date(2027, 12, 31))
    session = given.session(course="l2")
    assert records.book_place(POLICE, session, given.worker("ann", completed=("found",))).status == "booked"


def test_a_lapsed_single_agency_validation_no_longer_meets_level_1(given: Partnership,
                                                                  records: TrainingRecords) -> None:
    from datetime import date

    records.validate_course(PARTNERSHIP, "found", date(2025, 1, 1), date(2027, 3, 26))  # lapses the day before
    session = given.session(course="l2")
    with pytest.raises(RuleViolationError, match="level 1"):
        records.book_place(POLICE, session, given.worker("ann", completed=("found",)))


def test_cancellation_keeps_its_time_of_receipt_and_counts_notice_in_english_days(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(on=london(2027, 3, 27, 9, 30))
    booking = records.book_place(POLICE, session, given.worker("ann"))
    given.stand_at(london(2027, 3, 20, 10, 0))  # recorded a week after it was received
    cancelled = records.cancel_booking(POLICE, session, booking.id, london(2027, 3, 13, 23, 59))
    assert cancelled.notice_days == 14
    event = events_of(records, "session", session)[-1]
    assert event.effective == "2027-03-13T23:59:00+00:00"
    assert event.timestamp.isoformat() == "2027-03-20T10:00:00+00:00"


def test_notice_counts_the_london_date_of_receipt_in_summer_time(given: Partnership,
                                                                 records: TrainingRecords) -> None:
    given.stand_at(london(2027, 6, 1, 9, 0))
    session = given.session(on=london(2027, 7, 11, 9, 30))
    booking = records.book_place(POLICE, session, given.worker("ann"))
    given.stand_at(london(2027, 6, 20, 9, 0))
    # 23:30 UTC on 12 June is 00:30 on 13 June in London: 28 days before 11 July, not 29
    from datetime import UTC, datetime

    cancelled = records.cancel_booking(POLICE, session, booking.id, datetime(2027, 6, 12, 23, 30, tzinfo=UTC))
    assert cancelled.notice_days == 28


def test_a_cancellation_received_in_the_future_or_after_the_start_is_refused(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(on=london(2027, 3, 27, 9, 30))
    booking = records.book_place(POLICE, session, given.worker("ann"))
    with pytest.raises(RuleViolationError, match="future"):
        records.cancel_booking(POLICE, session, booking.id, london(2027, 3, 2, 9, 0))
    given.stand_at(london(2027, 3, 27, 12, 0))
    with pytest.raises(RuleViolationError, match="started"):
        records.cancel_booking(POLICE, session, booking.id, london(2027, 3, 27, 10, 0))


def test_substitution_replaces_the_delegate_and_the_booking_keeps_its_agency(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session()
    booking = records.book_place(POLICE, session, given.worker("ann"))
    substituted = records.substitute(POLICE, session, booking.id, given.worker("bob"))
    assert (substituted.worker, substituted.agency, substituted.status) == ("bob", "police", "booked")
    event = events_of(records, "session", session)[-1]
    assert names([event]) == ["DelegateSubstituted"] and (event.replaced, event.worker) == ("ann", "bob")


def test_a_substitute_from_another_agency_is_refused_and_the_booking_stands(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session()
    booking = records.book_place(POLICE, session, given.worker("ann"))
    outsider = given.worker("carl", agency="charity")
    with pytest.raises(RuleViolationError, match="not of agency police"):
        records.substitute(PARTNERSHIP, session, booking.id, outsider)
    with pytest.raises(RecordNotFoundError):
        records.substitute(POLICE, session, booking.id, outsider)  # the police clerk cannot even see carl
    assert records.get_session(PARTNERSHIP, session).bookings[0].worker == "ann"
    assert names(events_of(records, "session", session, after=1)) == ["PlaceBooked"]


def test_a_substitute_without_the_prerequisite_is_refused_and_the_booking_stands(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2")
    booking = records.book_place(POLICE, session, given.worker("ann", completed=("l1",)))
    with pytest.raises(RuleViolationError, match="level 1"):
        records.substitute(POLICE, session, booking.id, given.worker("bob"))
    assert records.get_session(PARTNERSHIP, session).bookings[0].worker == "ann"


def test_a_cancelled_booking_cannot_be_substituted(given: Partnership, records: TrainingRecords) -> None:
    session = given.session()
    booking = records.book_place(POLICE, session, given.worker("ann"))
    records.cancel_booking(POLICE, session, booking.id, london(2027, 3, 1, 8, 0))
    with pytest.raises(RuleViolationError, match="cancelled"):
        records.substitute(POLICE, session, booking.id, given.worker("bob"))


def test_another_agency_cannot_see_or_cancel_a_booking(given: Partnership, records: TrainingRecords) -> None:
    session = given.session()
    booking = records.book_place(POLICE, session, given.worker("ann"))
    with pytest.raises(RecordNotFoundError):
        records.cancel_booking(CHARITY, session, booking.id, london(2027, 3, 1, 8, 0))
    assert records.get_session(CHARITY, session).bookings == []
    assert records.get_session(CHARITY, session).places_taken == 1


def test_a_worker_who_moved_agency_is_booked_for_the_new_one_and_old_bookings_stay(
        given: Partnership, records: TrainingRecords) -> None:
    from datetime import date

    early, late = given.session(), given.session(on=london(2027, 4, 20, 9, 30))
    first = records.book_place(POLICE, early, given.worker("ann"))
    records.move_worker_to_agency(PARTNERSHIP, "ann", "charity", date(2027, 3, 1))
    second = records.book_place(CHARITY, late, "ann")
    assert (first.agency, second.agency) == ("police", "charity")
    assert records.get_session(POLICE, early).bookings[0].agency == "police"
