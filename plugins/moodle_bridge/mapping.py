"""One pure function per Moodle event kind: a statement (unsealed, as stored) to a command, or Ignored with why.

Which events matter, and the traps, are from logstore_xapi's own fixtures
(../shared/data/moodle-statements/INDEX.md): a module's completion arrives as
its own `course_module_completion_updated` event, so views, launches, quiz
and SCORM attempts and lessons change nothing by themselves (SCORM's
"completed" is sent even for a failed SCO); an edit of completion criteria is
an administrator's act, not a learner's; anonymous responses name the account
`anonymous`, which is never linked to a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from plugins.moodle_bridge.commands import (BookPlace, CancelBooking, Ignored, RecordAttendance, RecordCompletion,
                                            RecordEvaluation, Translation, WithdrawCompletion)
from plugins.moodle_bridge.statements import (activity, course_activity, event_name, identity, is_anonymous,
                                              occurred_at, occurred_on, result, verb)

Statement = Mapping[str, Any]

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
UNCOMPLETED = "https://xapi.edlm/profiles/edlm-lms/concepts/verbs/uncompleted"
REGISTERED = "http://adlnet.gov/expapi/verbs/registered"
UNREGISTERED = "http://id.tincanapi.com/verb/unregistered"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"
SUBMITTED = ("http://activitystrea.ms/schema/1.0/submit", "http://activitystrea.ms/submit")
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
ACHIEVED = "https://w3id.org/xapi/tla/verbs/achieved"


def _unexpected(statement: Statement) -> Ignored:
    return Ignored(f"Moodle event {event_name(statement)} with verb {verb(statement)} is not one the bridge knows")


def _who(statement: Statement) -> str | None:
    return None if is_anonymous(statement) else identity(statement)


def course_completed(statement: Statement) -> Translation:
    """`\\core\\event\\course_completed` (verb completed, object the course): the course linked to it is completed."""
    who, what = _who(statement), activity(statement)
    if verb(statement) != COMPLETED or what is None:
        return _unexpected(statement)
    if who is None:
        return Ignored("a course completion without an identified learner")
    return RecordCompletion(who, what, occurred_on(statement))


def course_module_completion_updated(statement: Statement) -> Translation:
    """`\\core\\event\\course_module_completion_updated`: completed records, uncompleted withdraws what was recorded.

    A completion with `result.success` false (Moodle's "complete, failed") or
    `result.completion` false is not training completed.
    """
    who, what, outcome = _who(statement), activity(statement), result(statement)
    if what is None or verb(statement) not in (COMPLETED, UNCOMPLETED):
        return _unexpected(statement)
    if who is None:
        return Ignored("a module completion without an identified learner")
    if verb(statement) == UNCOMPLETED:
        return WithdrawCompletion(who, what)
    if outcome.get("success") is False or outcome.get("completion") is False:
        return Ignored("the module was completed with a failing result, which is not training completed")
    return RecordCompletion(who, what, occurred_on(statement))


def facetoface_signup_success(statement: Statement) -> Translation:
    """`\\mod_facetoface\\event\\signup_success` (verb registered): a place on the activity's session."""
    who, what = _who(statement), activity(statement)
    if verb(statement) != REGISTERED or what is None or who is None:
        return _unexpected(statement) if who is not None else Ignored("a sign-up without an identified learner")
    return BookPlace(who, what)


def facetoface_cancel_booking(statement: Statement) -> Translation:
    """`\\mod_facetoface\\event\\cancel_booking` (verb unregistered): cancelled, received at the statement's timestamp.

    The time of receipt decides the notice band (DESIGN.md), so it is the
    timestamp, never the time the bridge reads it: a lagging bridge charges the same.
    """
    who, what = _who(statement), activity(statement)
    if verb(statement) != UNREGISTERED or what is None or who is None:
        return _unexpected(statement) if who is not None else Ignored("a cancellation without an identified learner")
    return CancelBooking(who, what, occurred_at(statement))


def facetoface_take_attendance(statement: Statement) -> Translation:
    """`\\mod_facetoface\\event\\take_attendance` (verb attended, one statement per attendee).

    logstore_xapi sends it for Moodle statuses 90 (partly attended) and 100
    (fully attended) with `result.completion` true only for 100. Partial
    attendance is left to a clerk: the register is the partnership's call.
    """
    who, what = _who(statement), activity(statement)
    if verb(statement) != ATTENDED or what is None or who is None:
        return _unexpected(statement) if who is not None else Ignored("attendance without an identified learner")
    if result(statement).get("completion") is False:
        return Ignored("Moodle marked partial attendance; a clerk decides the register")
    return RecordAttendance(who, what)


def evaluation_submitted(statement: Statement) -> Translation:
    """Feedback `response_submitted`, questionnaire `attempt_submitted`, survey `response_submitted`.

    The submission (verb submit) is one course-level evaluation, anonymous when
    Moodle says so. Each `answered` statement beside it is one item's answer:
    Moodle's items are its own questions, not the course's learning outcomes, so
    they are kept in the LRS and change no record.
    """
    what = activity(statement)
    if verb(statement) == ANSWERED:
        return Ignored("one item's answer; the evaluation is recorded from the submission beside it")
    if verb(statement) not in SUBMITTED or what is None:
        return _unexpected(statement)
    course = course_activity(statement)
    return RecordEvaluation(_who(statement), (what, course) if course is not None else (what,))


def certificate_issued(statement: Statement) -> Translation:
    """`\\tool_certificate\\event\\certificate_issued` (verb achieved): the course linked to the certificate is completed.

    The certificate's IRI names the issued certificate (its code), not a course,
    so each one waits until it is linked to the course it certifies.
    """
    who, what = _who(statement), activity(statement)
    if verb(statement) != ACHIEVED or what is None or who is None:
        return _unexpected(statement) if who is not None else Ignored("a certificate for no identified learner")
    return RecordCompletion(who, what, occurred_on(statement))


MAPPED: dict[str, Callable[[Statement], Translation]] = {
    "\\core\\event\\course_completed": course_completed,
    "\\core\\event\\course_module_completion_updated": course_module_completion_updated,
    "\\mod_facetoface\\event\\signup_success": facetoface_signup_success,
    "\\mod_facetoface\\event\\cancel_booking": facetoface_cancel_booking,
    "\\mod_facetoface\\event\\take_attendance": facetoface_take_attendance,
    "\\mod_feedback\\event\\response_submitted": evaluation_submitted,
    "\\mod_questionnaire\\event\\attempt_submitted": evaluation_submitted,
    "\\mod_survey\\event\\response_submitted": evaluation_submitted,
    "\\tool_certificate\\event\\certificate_issued": certificate_issued,
}

VIEWED = "a view changes no record"
IGNORED: dict[str, str] = {
    "\\core\\event\\course_completion_updated": "an administrator edited the course's completion criteria; "
                                                "no learner completed anything",
    "\\core\\event\\user_enrolment_created": "an enrolment is not training done",
    "\\core\\event\\user_enrolment_deleted": "an enrolment ending is not training undone",
    "\\core\\event\\user_enrolment_updated": "a suspended or resumed enrolment changes no training record",
    "\\core_h5p\\event\\h5p_viewed": VIEWED,
    "\\mod_facetoface\\event\\course_module_viewed": VIEWED,
    "\\mod_feedback\\event\\course_module_viewed": VIEWED,
    "\\mod_scorm\\event\\course_module_viewed": VIEWED,
    "\\mod_scorm\\event\\sco_launched": "a launch changes no record",
    "\\mod_scorm\\event\\scoreraw_submitted": "a SCORM score; the module's completion arrives as its own event",
    "\\mod_scorm\\event\\status_submitted": "a SCORM status says completed even for a failed SCO; the module's "
                                            "completion arrives as its own event",
    "\\mod_quiz\\event\\attempt_submitted": "a quiz attempt; the module's completion arrives as its own event",
    "\\mod_lesson\\event\\lesson_ended": "a lesson session; the module's completion arrives as its own event",
    "\\totara_program\\event\\program_assigned": "an assignment to a programme is not training done",
}


def translate(statement: Statement) -> Translation:
    """The command a Moodle statement asks for, or Ignored with the reason (never raises for a valid statement)."""
    name = event_name(statement)
    if name is None:
        return Ignored("the statement names no Moodle event (logstore_xapi's info extension)")
    if name in MAPPED:
        return MAPPED[name](statement)
    return Ignored(IGNORED.get(name, f"Moodle event {name} changes no training record"))
