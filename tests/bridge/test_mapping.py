"""The pure mapping, one function per Moodle event kind, from logstore_xapi's own statements (no storage)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

from plugins.moodle_bridge.bridge import read
from plugins.moodle_bridge.commands import (BookPlace, CancelBooking, Ignored, RecordAttendance, RecordCompletion,
                                            RecordEvaluation, WithdrawCompletion)
from plugins.moodle_bridge.mapping import IGNORED, MAPPED, translate
from plugins.moodle_bridge.statements import content_digest, event_name, occurred_at
from plugins.moodle_bridge.tables import Outcome
from tests.bridge.moodle_data import (BOOK_IRI, CERTIFICATE_IRI, COURSE_IRI, FACETOFACE_IRI, FEEDBACK_IRI, FILES, SITE,
                                      needs_data, statements)

USER_1, USER_2 = f"account:{SITE} 1", f"account:{SITE} 2"
ON = date(2015, 6, 10)
AT = datetime(2015, 6, 10, 14, 31, 41, tzinfo=UTC)

pytestmark = needs_data


def only(name: str) -> object:
    [statement] = statements(name)
    return translate(statement)


def test_a_course_completion_completes_the_course_on_the_statements_english_date() -> None:
    assert only("core-course_completed.json") == RecordCompletion(USER_1, COURSE_IRI, ON)


def test_a_module_completion_completes_its_module_and_uncompleted_withdraws_it() -> None:
    assert only("core-course_module_completion_updated-completed.json") == RecordCompletion(USER_1, BOOK_IRI, ON)
    assert only("core-course_module_completion_updated-uncompleted.json") == WithdrawCompletion(USER_1, BOOK_IRI)


def test_a_module_completed_with_a_failing_result_is_not_training_completed() -> None:
    [statement] = statements("core-course_module_completion_updated-completed.json")
    statement["result"]["success"] = False
    assert isinstance(translate(statement), Ignored)


def test_face_to_face_sign_up_cancellation_and_attendance() -> None:
    assert only("mod_facetoface-signup_success.json") == BookPlace(USER_1, FACETOFACE_IRI)
    assert only("mod_facetoface-cancel_booking.json") == CancelBooking(USER_1, FACETOFACE_IRI, AT)
    assert only("mod_facetoface-take_attendance.json") == RecordAttendance(USER_2, FACETOFACE_IRI)


def test_partial_attendance_is_left_to_a_clerk() -> None:
    [statement] = statements("mod_facetoface-take_attendance.json")
    statement["result"]["completion"] = False
    assert "partial attendance" in str(translate(statement))


def test_a_cancellation_without_an_offset_is_received_at_london_time() -> None:
    [statement] = statements("mod_facetoface-cancel_booking.json")
    statement["timestamp"] = "2027-03-13T23:59:00"  # as TinCanPython sends it: no offset
    received = translate(statement)
    assert isinstance(received, CancelBooking)
    assert received.received_at == datetime(2027, 3, 13, 23, 59, tzinfo=UTC)  # GMT in March
    statement["timestamp"] = "2027-06-13T23:59:00"
    assert occurred_at(statement) == datetime(2027, 6, 13, 22, 59, tzinfo=UTC)  # BST in June


def test_a_feedback_submission_is_one_evaluation_of_its_activity_or_its_course_and_answers_change_nothing() -> None:
    submit, answered = statements("mod_feedback-response_submitted-multichoicerated.json")
    assert translate(submit) == RecordEvaluation(USER_1, (FEEDBACK_IRI, COURSE_IRI))
    assert "one item's answer" in str(translate(answered))


def test_an_anonymous_feedback_is_an_evaluation_of_nobody() -> None:
    submit, answered = statements("mod_feedback-response_submitted-textarea_anon.json")
    assert translate(submit) == RecordEvaluation(None, (FEEDBACK_IRI, COURSE_IRI))
    assert isinstance(translate(answered), Ignored)


def test_questionnaires_and_surveys_are_evaluations_too() -> None:
    for name in ("mod_questionnaire-attempt_submitted.json", "mod_survey-response_submitted.json"):
        found = only(name)
        assert isinstance(found, RecordEvaluation) and found.identity == USER_1
        assert found.activities[1] == COURSE_IRI


def test_a_certificate_completes_the_course_its_own_iri_is_linked_to() -> None:
    assert only("tool_certificate-certificate_issued.json") == RecordCompletion(USER_2, CERTIFICATE_IRI, ON)


def test_views_launches_attempts_enrolments_and_criteria_edits_change_nothing() -> None:
    for name in FILES:
        events = {event_name(s) for s in statements(name)}
        if events & set(MAPPED):
            continue
        for statement in statements(name):
            found = translate(statement)
            assert isinstance(found, Ignored), name
            assert found.reason == IGNORED[str(event_name(statement))]


def test_an_unknown_moodle_event_or_a_statement_naming_none_changes_nothing() -> None:
    [statement] = statements("core-course_completed.json")
    unknown = copy.deepcopy(statement)
    unknown["context"]["extensions"]["http://lrs.learninglocker.net/define/extensions/info"]["event_name"] = "\\x\\y"
    assert "changes no training record" in str(translate(unknown))
    del statement["context"]["extensions"]
    assert "names no Moodle event" in str(translate(statement))


def test_the_content_digest_ignores_what_the_lrs_sets_and_nothing_else() -> None:
    [statement] = statements("core-course_completed.json")
    stored = {**statement, "id": "7c1c1a8e-95b1-4d4c-9e8b-5ff2b8f2a0a1", "stored": "2027-01-01T00:00:00Z",
              "authority": {"mbox": "mailto:lrs@example.org"}, "version": "1.0.0"}
    assert content_digest(stored) == content_digest(statement)
    later = {**statement, "timestamp": "2015-06-10T14:31:42.000Z"}
    assert content_digest(later) != content_digest(statement)


def test_a_statement_the_bridge_cannot_read_is_ignored_with_why_rather_than_stopping_the_bridge() -> None:
    [statement] = statements("core-course_completed.json")
    statement["timestamp"] = "14:31:41 on 10 June 2015"  # no LRS would store it; the guard is for what slips by
    outcome = Outcome("d", "id", 1, "\\core\\event\\course_completed", "none", "")
    found = read(statement, outcome)
    assert isinstance(found, Ignored) and found.reason.startswith("the bridge could not read this statement")
