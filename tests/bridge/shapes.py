"""Moodle-shaped statements for a test's own worker, course and session: the real fixtures with values replaced."""

from __future__ import annotations

import copy
import json
from typing import Any

from tests.bridge.moodle_data import DATA

MOODLE_SITE = "https://moodle.lscp.example"
KINDS = {
    "course_completed": "core-course_completed.json",
    "module_completed": "core-course_module_completion_updated-completed.json",
    "module_uncompleted": "core-course_module_completion_updated-uncompleted.json",
    "signup": "mod_facetoface-signup_success.json",
    "cancellation": "mod_facetoface-cancel_booking.json",
    "attendance": "mod_facetoface-take_attendance.json",
    "feedback": "mod_feedback-response_submitted-textarea.json",
    "anonymous_feedback": "mod_feedback-response_submitted-textarea_anon.json",
}


def course_iri(course_id: int) -> str:
    return f"{MOODLE_SITE}/course/view.php?id={course_id}"


def module_iri(kind: str, module_id: int) -> str:
    return f"{MOODLE_SITE}/mod/{kind}/view.php?id={module_id}"


def account(user_id: int) -> dict[str, Any]:
    """A Moodle learner's actor: the site's account of their user id, and their name."""
    return {"account": {"homePage": MOODLE_SITE, "name": str(user_id)}, "name": f"Learner {user_id}"}


def shaped(kind: str, user_id: int, activity: str, timestamp: str, course_id: int = 2) -> list[dict[str, Any]]:
    """The statements of Moodle event `kind` (KINDS) by user `user_id` about `activity` at `timestamp`.

    The site, the learner, the object and the Moodle course in its context are
    replaced; everything else is as logstore_xapi sends it. Anonymous feedback
    keeps its anonymous account.
    """
    found: list[dict[str, Any]] = json.loads((DATA / KINDS[kind]).read_text())
    statements = []
    for original in found:
        statement = json.loads(json.dumps(original).replace("http://www.example.org", MOODLE_SITE))
        if statement["actor"]["account"]["name"] != "anonymous":
            statement["actor"] = account(user_id)
        if statement["verb"]["id"] != "http://adlnet.gov/expapi/verbs/answered":
            statement["object"] = {**statement["object"], "id": activity}
        statement["timestamp"] = timestamp
        for parent in statement["context"].get("contextActivities", {}).get("parent", []):
            if parent["id"].startswith(f"{MOODLE_SITE}/course/view.php"):
                parent["id"] = course_iri(course_id)
        statements.append(copy.deepcopy(statement))
    return statements
