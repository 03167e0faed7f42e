"""Commands a bridge repeats when it replays its source: a named booking, a withdrawn course evaluation."""

from __future__ import annotations

import pytest

from domain.application import TrainingRecords
from domain.errors import NotPermittedError, RuleViolationError
from tests.domain.conftest import PARTNERSHIP, POLICE, Partnership, events_of, london, names


def test_booking_again_under_the_same_booking_id_records_nothing_and_answers_the_booking(
        given: Partnership, records: TrainingRecords) -> None:
    session, worker = given.session(), given.worker("ann")
    first = records.book_place(POLICE, session, worker, booking_id="moodle-1")
    records.cancel_booking(POLICE, session, "moodle-1", london(2027, 3, 1, 8, 0))
    version = records.get_session(PARTNERSHIP, session).version
    again = records.book_place(POLICE, session, worker, booking_id="moodle-1")
    assert (first.id, first.status, again.status) == ("moodle-1", "booked", "cancelled")
    assert events_of(records, "session", session, after=version) == []


def test_a_booking_id_of_another_workers_booking_is_refused(given: Partnership, records: TrainingRecords) -> None:
    session = given.session()
    records.book_place(POLICE, session, given.worker("ann"), booking_id="moodle-1")
    with pytest.raises(RuleViolationError, match="another worker's"):
        records.book_place(POLICE, session, given.worker("bob"), booking_id="moodle-1")


def test_withdrawing_a_course_evaluation_records_it_once_and_a_repeat_of_its_source_adds_nothing(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    assert records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:abc", [], None, worker="ann")
    assert records.withdraw_course_evaluation(PARTNERSHIP, "basic", "moodle:abc", "voided in the LRS")
    assert not records.withdraw_course_evaluation(PARTNERSHIP, "basic", "moodle:abc", "voided in the LRS")
    assert not records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:abc", [], None, worker="ann")
    assert not records.withdraw_course_evaluation(PARTNERSHIP, "basic", "moodle:never", "no such source")
    withdrawn = events_of(records, "course", "basic", after=2)
    assert names(withdrawn) == ["EvaluationWithdrawn"]
    assert (withdrawn[0].source, withdrawn[0].worker) == ("moodle:abc", "ann")


def test_only_the_partnership_withdraws_course_evaluations(given: Partnership, records: TrainingRecords) -> None:
    records.record_course_evaluation(PARTNERSHIP, "basic", "moodle:abc", [], None)
    with pytest.raises(NotPermittedError):
        records.withdraw_course_evaluation(POLICE, "basic", "moodle:abc", "voided")
