"""Checks for the Context object and its contextActivities."""

from __future__ import annotations

from lrs.validation.activities import check_activity_value
from lrs.validation.actors import check_actor, check_group_only
from lrs.validation.context2 import CONTEXT_2_KEYS, check_context_2
from lrs.validation.primitives import fail, is_language_tag, is_uuid, show
from lrs.validation.structures import (
    check_extensions,
    check_statement_ref,
    check_string,
    check_uuid,
    expect_object,
    reject_unknown,
)

# xAPI 1.0.3 Data 2.4.6.s3 (Context) and 2.4.6.2.s4.b1 (contextActivities keys)
CONTEXT_KEYS = frozenset(
    (
        "registration",
        "instructor",
        "team",
        "contextActivities",
        "revision",
        "platform",
        "language",
        "statement",
        "extensions",
    )
)
CONTEXT_ACTIVITY_KEYS = frozenset(("parent", "grouping", "category", "other"))
# xAPI 2.0 Data 2.4.6: the 1.0.3 properties and contextAgents, contextGroups (`lrs.validation.context2`)
CONTEXT_KEYS_2 = CONTEXT_KEYS | CONTEXT_2_KEYS


def check_context_activities(value: object, path: str) -> None:
    """Each of parent/grouping/category/other is an Activity or an array of Activities."""
    activities = expect_object(value, path, "contextActivities")
    if not activities.keys() <= CONTEXT_ACTIVITY_KEYS:
        reject_unknown(activities, CONTEXT_ACTIVITY_KEYS, path, "contextActivities")
    for key, entry in activities.items():
        kpath = f"{path}.{key}"
        if isinstance(entry, list):
            # xAPI 1.0.3 Data 2.4.6.2.s4.b2: an array of Activity objects...
            for i, activity in enumerate(entry):
                check_activity_value(activity, f"{kpath}[{i}]", f"contextActivities.{key} entry")
        else:
            # ...or a single Activity object (1.0.3 Data 2.4.6.2.s3: kept for 0.95 compatibility)
            check_activity_value(entry, kpath, f"contextActivities.{key}")


def check_context(value: object, path: str, object_is_activity: bool, xapi2: bool = False) -> None:
    """The Context of a Statement; revision/platform need the statement's object to be an Activity.

    With `xapi2`, the Context of a 2.0 statement: contextAgents and contextGroups are allowed too.
    """
    context = expect_object(value, path, "context")
    allowed = CONTEXT_KEYS_2 if xapi2 else CONTEXT_KEYS
    if not context.keys() <= allowed:
        reject_unknown(context, allowed, path, "context")
    if xapi2:
        check_context_2(context, path)
    if "registration" in context:
        registration = context["registration"]
        if not is_uuid(registration):
            check_uuid(registration, f"{path}.registration", "context.registration")
    if "instructor" in context:
        # xAPI 1.0.3 Data 2.4.6.s3.table1.row2: an Agent (MAY be a Group)
        check_actor(context["instructor"], f"{path}.instructor", "context.instructor")
    if "team" in context:
        # xAPI 1.0.3 Data 2.4.6.s3.table1.row3: a Group
        check_group_only(context["team"], f"{path}.team", "context.team")
    if "contextActivities" in context:
        check_context_activities(context["contextActivities"], f"{path}.contextActivities")
    for key in ("revision", "platform"):
        if key in context:
            check_string(context[key], f"{path}.{key}", f"context.{key}")
            if not object_is_activity:
                # xAPI 1.0.3 Data 2.4.6.s4.b1 and 2.4.6.s4.b2
                fail(f"{path}.{key}", f"context.{key} may only be used when the statement's object is an Activity")
    if "language" in context:
        language = context["language"]
        if not is_language_tag(language):
            # xAPI 1.0.3 Data 2.4.6.s3.table1.row7: an RFC 5646 language tag
            fail(
                f"{path}.language",
                f'context.language must be an RFC 5646 language tag like "en-US", got {show(language)}',
            )
    if "statement" in context:
        check_statement_ref(context["statement"], f"{path}.statement", "context.statement")
    if "extensions" in context:
        check_extensions(context["extensions"], f"{path}.extensions")
