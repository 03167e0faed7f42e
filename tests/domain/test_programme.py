"""Courses, their validation, pathways and completions from elsewhere."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import TrainingRecords
from domain.errors import InvalidCommandError, NotPermittedError, RuleViolationError
from tests.domain.conftest import PARTNERSHIP, POLICE, Partnership, events_of, names


def test_health_intercollegiate_levels_map_onto_the_partnership_scale(given: Partnership,
                                                                    records: TrainingRecords) -> None:
    course = records.define_course(PARTNERSHIP, "h3", "Safeguarding for GPs", "health-3-core", "single-agency",
                                   ["Refer"], [], 120)
    assert (course.level, course.level_label) == ("2", "health-3-core")


def test_only_single_agency_courses_are_validated_and_only_while_current(given: Partnership,
                                                                         records: TrainingRecords) -> None:
    with pytest.raises(RuleViolationError, match="single-agency"):
        records.validate_course(PARTNERSHIP, "l1", date(2027, 1, 1), date(2027, 12, 31))
    records.validate_course(PARTNERSHIP, "found", date(2027, 1, 1), date(2027, 12, 31))
    assert records.get_course("found", on=date(2027, 12, 31)).validated
    assert not records.get_course("found", on=date(2028, 1, 1)).validated


def test_the_shipped_default_pathways_until_a_revision_takes_effect(given: Partnership,
                                                                    records: TrainingRecords) -> None:
    assert [r.level for r in records.get_pathway(4).requirements] == ["basic", "1", "2", "3"]
    group_5 = records.get_pathway(5)
    assert [r.level for r in group_5.requirements_for(False)] == ["basic", "1", "2"]
    assert [r.level for r in group_5.requirements_for(True)] == ["basic", "1", "2", "3"]
    records.publish_pathway(PARTNERSHIP, 1, [{"level": "basic", "due_months": 1, "refresh_years": 2},
                                             {"level": "1", "due_months": 6}], ["online safety"], date(2027, 9, 1))
    assert [r.level for r in records.get_pathway(1, on=date(2027, 8, 31)).requirements] == ["basic"]
    revised = records.get_pathway(1, on=date(2027, 9, 1))
    assert [(r.level, r.due_months, r.refresh_years) for r in revised.requirements] == [("basic", 1, 2), ("1", 6, 3)]


def test_a_pathway_requirement_must_name_a_level(given: Partnership, records: TrainingRecords) -> None:
    with pytest.raises(InvalidCommandError, match="level"):
        records.publish_pathway(PARTNERSHIP, 2, [{"level": "4"}], [], date(2027, 9, 1))


def test_repeating_a_completion_from_the_same_source_changes_nothing(given: Partnership,
                                                                     records: TrainingRecords) -> None:
    given.worker("ann")
    assert records.record_completion(POLICE, "ann", "basic", date(2027, 2, 1), "moodle:abc")
    assert not records.record_completion(POLICE, "ann", "basic", date(2027, 2, 1), "moodle:abc")
    assert names(events_of(records, "worker", "ann")) == ["Registered", "CompletionRecorded"]


def test_an_agency_records_single_agency_and_e_learning_completions_but_not_inter_agency_ones(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    assert records.record_completion(POLICE, "ann", "found", date(2027, 2, 1), "police-lms:1")
    with pytest.raises(NotPermittedError, match="registers"):
        records.record_completion(POLICE, "ann", "l1", date(2027, 2, 1), "police-lms:2")
    with pytest.raises(InvalidCommandError, match="session registers"):
        records.record_completion(PARTNERSHIP, "ann", "l1", date(2027, 2, 1), "session:s1")
    with pytest.raises(InvalidCommandError, match="session registers"):
        records.withdraw_completion(POLICE, "ann", "session:s1", "not attended")


def test_an_agency_sees_only_its_own_workers_evaluations_in_a_courses_history(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    given.worker("carl", agency="charity")
    rating = [{"outcome": "Recognise abuse", "rating": 4}]
    records.record_course_evaluation(PARTNERSHIP, "basic", "m:1", rating, 4, "ann's view", worker="ann")
    records.record_course_evaluation(PARTNERSHIP, "basic", "m:2", rating, 2, "carl's view", worker="carl")
    records.record_course_evaluation(PARTNERSHIP, "basic", "m:3", rating, 3, "anonymous")
    seen = [e.data["worker"] for e in records.get_history(POLICE, "course", "basic") if e.event == "EvaluationRecorded"]
    assert seen == ["ann"]
    assert len([e for e in records.get_history(PARTNERSHIP, "course", "basic")
                if e.event == "EvaluationRecorded"]) == 3


def test_a_completion_cannot_be_dated_in_the_future(given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    with pytest.raises(InvalidCommandError, match="future"):
        records.record_completion(POLICE, "ann", "basic", date(2027, 3, 2), "moodle:x")
