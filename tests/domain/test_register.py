"""The register: attendance from the session's start, closing it, correcting it, and delegates' evaluations."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import TrainingRecords
from domain.errors import InvalidCommandError, NotPermittedError, RecordNotFoundError, RuleViolationError
from tests.domain.conftest import PARTNERSHIP, POLICE, Partnership, events_of, london, names

RATINGS = [{"outcome": "Recognise abuse", "rating": 5}, {"outcome": "Respond to concerns", "rating": 4}]


def booked(given: Partnership, records: TrainingRecords, *workers: str) -> tuple[str, list[str]]:
    session = given.session(capacity=5)
    ids = [records.book_place(POLICE, session, given.worker(w)).id for w in workers]
    given.stand_at(london(2027, 3, 27, 12, 30))
    return session, ids


def test_attendance_cannot_be_recorded_before_the_session_starts(given: Partnership,
                                                                 records: TrainingRecords) -> None:
    session = given.session()
    booking = records.book_place(POLICE, session, given.worker("ann"))
    with pytest.raises(RuleViolationError, match="not started"):
        records.record_attendance(PARTNERSHIP, session, booking.id, True)


def test_closing_the_register_makes_booked_and_not_attended_did_not_attend(given: Partnership,
                                                                          records: TrainingRecords) -> None:
    session, (ann, bob, cat) = booked(given, records, "ann", "bob", "cat")
    records.record_attendance(PARTNERSHIP, session, ann, True)
    records.record_attendance(PARTNERSHIP, session, bob, False)
    version = records.get_session(PARTNERSHIP, session).version
    closed = records.close_register(PARTNERSHIP, session)
    [event] = events_of(records, "session", session, after=version)
    assert names([event]) == ["RegisterClosed"]
    assert (event.attended, sorted(event.did_not_attend)) == ([ann], sorted([bob, cat]))
    outcomes = {b.worker: b.outcome for b in closed.bookings}
    assert outcomes == {"ann": "attended", "bob": "did not attend", "cat": "did not attend"}


def test_attending_records_a_completion_on_the_session_date(given: Partnership, records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    records.record_attendance(PARTNERSHIP, session, ann, True)
    records.close_register(PARTNERSHIP, session)
    [completion] = records.get_worker(PARTNERSHIP, "ann").completions
    assert (completion.course, completion.level, completion.completed_on) == ("l1", "1", date(2027, 3, 27))
    assert names(events_of(records, "worker", "ann"))[-1] == "CompletionRecorded"


def test_a_closed_register_takes_no_more_marks_nor_substitutes(given: Partnership, records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    records.close_register(PARTNERSHIP, session)
    with pytest.raises(RuleViolationError, match="closed"):
        records.record_attendance(PARTNERSHIP, session, ann, True)
    with pytest.raises(RuleViolationError, match="closed"):
        records.substitute(POLICE, session, ann, given.worker("bob"))


def test_a_correction_after_close_needs_a_reason_and_brings_the_completion(given: Partnership,
                                                                          records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    records.close_register(PARTNERSHIP, session)
    with pytest.raises(InvalidCommandError, match="reason"):
        records.correct_register(PARTNERSHIP, session, ann, True, "  ")
    corrected = records.correct_register(PARTNERSHIP, session, ann, True, "signed the paper register late")
    assert corrected.outcome == "attended"
    event = events_of(records, "session", session)[-1]
    assert names([event]) == ["RegisterCorrected"] and event.reason == "signed the paper register late"
    assert [c.source for c in records.get_worker(PARTNERSHIP, "ann").completions] == [f"session:{session}"]
    records.correct_register(PARTNERSHIP, session, ann, False, "it was her colleague who signed")
    assert records.get_worker(PARTNERSHIP, "ann").completions == []


def test_a_correction_before_close_or_repeating_the_outcome_is_refused(given: Partnership,
                                                                       records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    with pytest.raises(RuleViolationError, match="open"):
        records.correct_register(PARTNERSHIP, session, ann, True, "early")
    records.close_register(PARTNERSHIP, session)
    with pytest.raises(RuleViolationError, match="already recorded as did not attend"):
        records.correct_register(PARTNERSHIP, session, ann, False, "again")


def test_correcting_an_unknown_booking_is_not_found(given: Partnership, records: TrainingRecords) -> None:
    session, _ = booked(given, records, "ann")
    records.close_register(PARTNERSHIP, session)
    with pytest.raises(RecordNotFoundError):
        records.correct_register(PARTNERSHIP, session, "no-such-booking", True, "typo")


def test_only_the_partnership_marks_registers(given: Partnership, records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    with pytest.raises(NotPermittedError):
        records.record_attendance(POLICE, session, ann, True)


def test_the_partnership_cancelling_a_session_frees_every_place(given: Partnership,
                                                               records: TrainingRecords) -> None:
    session = given.session(capacity=1)
    records.book_place(POLICE, session, given.worker("ann"))
    records.book_place(POLICE, session, given.worker("bob"))
    cancelled = records.cancel_session(PARTNERSHIP, session, "trainer ill")
    assert cancelled.cancelled and cancelled.waiting_list == 0
    assert {(b.status, b.cancelled_by_partnership) for b in cancelled.bookings} == {("cancelled", True)}
    with pytest.raises(RuleViolationError, match="cancelled"):
        records.book_place(POLICE, session, given.worker("cat"))


def test_a_delegate_who_attended_evaluates_once(given: Partnership, records: TrainingRecords) -> None:
    session, (ann, _) = booked(given, records, "ann", "bob")
    records.record_attendance(PARTNERSHIP, session, ann, True)
    records.close_register(PARTNERSHIP, session)
    records.record_session_evaluation(POLICE, session, "ann", RATINGS, 5, "useful")
    event = events_of(records, "session", session)[-1]
    assert names([event]) == ["EvaluationRecorded"] and (event.worker, event.overall) == ("ann", 5)
    with pytest.raises(RuleViolationError, match="already evaluated"):
        records.record_session_evaluation(POLICE, session, "ann", RATINGS, 4)
    with pytest.raises(RuleViolationError, match="did not attend"):
        records.record_session_evaluation(POLICE, session, "bob", RATINGS, 4)


def test_an_evaluation_rates_the_courses_own_outcomes_from_1_to_5(given: Partnership,
                                                                  records: TrainingRecords) -> None:
    session, (ann,) = booked(given, records, "ann")
    records.record_attendance(PARTNERSHIP, session, ann, True)
    with pytest.raises(InvalidCommandError, match="not a learning outcome"):
        records.record_session_evaluation(POLICE, session, "ann", [{"outcome": "Juggling", "rating": 3}], 3)
    with pytest.raises(InvalidCommandError, match="1 to 5"):
        records.record_session_evaluation(POLICE, session, "ann", [{"outcome": "Recognise abuse", "rating": 6}], 3)


def test_course_level_evaluations_may_be_anonymous_and_a_repeated_source_changes_nothing(
        given: Partnership, records: TrainingRecords) -> None:
    assert records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:feedback:1",
                                            [{"outcome": "Recognise abuse", "rating": 4}], 4, "clear")
    assert not records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:feedback:1",
                                                [{"outcome": "Recognise abuse", "rating": 4}], 4, "clear")
    [event] = [e for e in events_of(records, "course", "basic") if type(e).__name__ == "EvaluationRecorded"]
    assert event.worker is None
