"""Every file of ../shared/data/moodle-statements/complete and the domain command each must produce, checked
against the app serving /xapi and /api/v1, with the bridge's follower taking the statements.

The world: agency police; workers w1 (Moodle user 1) and w2 (user 2); the Moodle
course (id 2) linked to e-learning course `moodle-course` (basic), the book
module to `book` (e-learning, level 1), the certificate to `certified`; the
face-to-face activity to session `s1` of `f2f` (inter-agency, level 1), on which
a clerk booked w2. The feedback activity is not linked, so evaluations count
for the Moodle course it is in. Files are taken in the table's order; "copy"
is a statement whose content an earlier file sent already (Moodle's fixtures
share one feedback submission and one quiz attempt).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kernel.clock import FixedClock
from tests.api.conftest import Given, RecordsAPI, london
from tests.bridge.conftest import Moodle
from tests.bridge.moodle_data import (BOOK_IRI, CERTIFICATE_IRI, COURSE_IRI, FACETOFACE_IRI, FILES, USER_1, USER_2,
                                      needs_data, statements)

pytestmark = needs_data
Check = Callable[[RecordsAPI], None]


def completions(api: RecordsAPI, worker: str) -> set[tuple[str, str]]:
    return {(c["course"], c["completed_on"]) for c in api.ok("GET", f"/workers/{worker}")["completions"]}


def completed(worker: str, course: str) -> Check:
    return lambda api: _assert((course, "2015-06-10") in completions(api, worker), f"{worker} completed {course}")


def not_completed(worker: str, course: str) -> Check:
    return lambda api: _assert(all(c != course for c, _ in completions(api, worker)), f"{worker} not {course}")


def booking(worker: str, status: str, **more: Any) -> Check:
    def check(api: RecordsAPI) -> None:
        found = [b for b in api.ok("GET", "/sessions/s1")["bookings"] if b["worker"] == worker]
        _assert(len(found) == 1 and found[0]["status"] == status, f"{worker} {status}: {found}")
        _assert(all(found[0][k] == v for k, v in more.items()), f"{worker} {more}: {found}")
    return check


def evaluations(count: int, anonymous: int) -> Check:
    def check(api: RecordsAPI) -> None:
        found = [e for e in api.ok("GET", "/courses/moodle-course/history") if e["event"] == "EvaluationRecorded"]
        _assert(len(found) == count, f"{count} evaluations: {found}")
        _assert(sum(1 for e in found if e["data"]["worker"] is None) == anonymous, f"{anonymous} anonymous")
    return check


def _assert(condition: bool, what: str) -> None:
    assert condition, what


ANSWER = "none: one item's answer"
VIEW = "none: a view changes no record"
# (file, the command of each of its statements, the effect to see in the records); taken in this order.
TABLE: list[tuple[str, list[str], Check | None]] = [
    ("core-course_completed.json", ["record_completion"], completed("w1", "moodle-course")),
    ("core-course_module_completion_updated-completed.json", ["record_completion"], completed("w1", "book")),
    ("core-course_module_completion_updated-uncompleted.json", ["withdraw_completion"], not_completed("w1", "book")),
    ("mod_facetoface-signup_success.json", ["book_place"], booking("w1", "booked")),
    ("mod_facetoface-cancel_booking.json", ["cancel_booking"],
     booking("w1", "cancelled", cancelled_at="2015-06-10T14:31:41+00:00")),
    # the clock moves past the session's start here: the register opens
    ("mod_facetoface-take_attendance.json", ["record_attendance"], booking("w2", "booked", attended=True)),
    ("mod_feedback-response_submitted-multichoice.json", ["record_course_evaluation", ANSWER], evaluations(1, 0)),
    ("mod_feedback-response_submitted-multichoicerated.json", ["copy", ANSWER], evaluations(1, 0)),
    ("mod_feedback-response_submitted-no_items.json", ["copy"], evaluations(1, 0)),
    ("mod_feedback-response_submitted-numerical.json", ["copy", ANSWER], evaluations(1, 0)),
    ("mod_feedback-response_submitted-textarea.json", ["copy", ANSWER], evaluations(1, 0)),
    ("mod_feedback-response_submitted-textfield.json", ["copy", ANSWER], evaluations(1, 0)),
    ("mod_feedback-response_submitted-unknown_typ.json", ["copy"], evaluations(1, 0)),
    ("mod_feedback-response_submitted-textarea_anon.json", ["record_course_evaluation", ANSWER], evaluations(2, 1)),
    ("mod_questionnaire-attempt_submitted.json", ["record_course_evaluation"], evaluations(3, 1)),
    ("mod_survey-response_submitted.json", ["record_course_evaluation"], evaluations(4, 1)),
    ("tool_certificate-certificate_issued.json", ["record_completion"], completed("w2", "certified")),
    ("core-course_completion_updated.json", ["none: an administrator edited the course's completion criteria"], None),
    ("core-user_enrolment_created.json", ["none: an enrolment is not training done"], None),
    ("core-user_enrolment_deleted.json", ["none: an enrolment ending is not training undone"], None),
    ("core-user_enrolment_updated-resumed.json", ["none: a suspended or resumed enrolment"], None),
    ("core-user_enrolment_updated-suspended.json", ["none: a suspended or resumed enrolment"], None),
    ("core_h5p-h5p_viewed.json", [VIEW], None),
    ("mod_facetoface-course_module_viewed.json", [VIEW], None),
    ("mod_feedback-course_module_viewed.json", [VIEW], None),
    ("mod_scorm-course_module_viewed.json", [VIEW], None),
    ("mod_scorm-sco_launched.json", ["none: a launch changes no record"], None),
    ("mod_scorm-scoreraw_submitted.json", ["none: a SCORM score"], None),
    ("mod_scorm-status_submitted.json", ["none: a SCORM status says completed even for a failed SCO"], None),
    ("mod_quiz-attempt_submitted-essay.json", ["none: a quiz attempt", "none: a quiz attempt"], None),
    ("mod_quiz-attempt_submitted-multichoice.json", ["copy", "none: a quiz attempt"], None),
    ("mod_quiz-attempt_submitted-no_questions.json", ["copy"], None),
    ("mod_quiz-attempt_submitted-truefalse.json", ["copy", "none: a quiz attempt"], None),
    ("mod_lesson-lesson_ended.json", ["none: a lesson session"], None),
    ("totara_program-program_assigned.json", ["none: an assignment to a programme is not training done"], None),
]


def test_the_table_holds_every_file_of_the_moodle_data() -> None:
    assert sorted(name for name, _, _ in TABLE) == FILES


def world(api: RecordsAPI, given: Given) -> None:
    given.agency("police")
    for code, level, delivery in (("moodle-course", "basic", "e-learning"), ("book", "1", "e-learning"),
                                  ("certified", "basic", "e-learning"), ("f2f", "1", "inter-agency")):
        given.course(code, level, delivery)
    given.worker("w1")
    given.worker("w2")
    given.session("s1", course="f2f", starts="2027-03-10T09:30:00+00:00", ends="2027-03-10T16:30:00+00:00")
    api.ok("POST", "/sessions/s1/bookings", {"worker": "w2"}, 201)
    for agent, worker in ((USER_1, "w1"), (USER_2, "w2")):
        api.ok("POST", "/moodle/aliases", {**agent, "worker": worker}, 201)
    for activity, course in ((COURSE_IRI, "moodle-course"), (BOOK_IRI, "book"), (CERTIFICATE_IRI, "certified")):
        api.ok("POST", "/moodle/activities", {"activity": activity, "course": course}, 201)
    api.ok("POST", "/moodle/sessions", {"activity": FACETOFACE_IRI, "session": "s1"}, 201)


def said(outcome: dict[str, Any], posted_id: str) -> str:
    """The outcome as the table writes it."""
    if outcome["statement_id"] != posted_id:
        return "copy"
    if outcome["status"] == "none":
        return f"none: {outcome['reason']}"
    assert outcome["status"] == "applied", outcome
    return str(outcome["command"]["name"])


def test_each_moodle_statement_gives_the_command_of_the_table(api: RecordsAPI, given: Given, moodle: Moodle,
                                                              clock: FixedClock) -> None:
    world(api, given)
    for name, expected, check in TABLE:
        if name == "mod_facetoface-take_attendance.json":
            clock.set(london(2027, 3, 10, 10, 0))
        before = api.log_position()
        ids = moodle.send(statements(name))
        got = [said(api.ok("GET", f"/moodle/statements/{i}"), i) for i in ids]
        assert len(got) == len(expected), name
        for found, wanted in zip(got, expected, strict=True):
            assert found.startswith(wanted), (name, found, wanted)
        if check is not None:
            check(api)
        if all(e == "copy" or e.startswith("none") for e in expected):
            assert api.log_position() == before, f"{name} changed the records"
    assert api.ok("GET", "/moodle/pending") == []


@pytest.mark.parametrize("engine", ["sqlite"])
def test_sending_every_file_again_and_replaying_the_log_changes_nothing(api: RecordsAPI, given: Given,
                                                                        moodle: Moodle, clock: FixedClock) -> None:
    world(api, given)
    everything = [s for name, _, _ in TABLE for s in statements(name)]
    clock.set(london(2027, 3, 10, 10, 0))
    moodle.send(everything)
    position = api.log_position()
    moodle.send(everything)  # Moodle's resends: new ids, the same content
    follower = api.app.extensions["slrs"].follower("moodle_bridge")
    follower.rebuild()
    assert api.log_position() == position
