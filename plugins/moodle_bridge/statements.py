"""Reading a Moodle statement: which Moodle event it reports, who, about which activity, when; and its content key.

Moodle's logstore_xapi names the Moodle event in a context extension
(`.../define/extensions/info` → `event_name`, e.g. `\\core\\event\\course_completed`);
that, not the verb alone, says what happened (a `completed` verb is sent for course
completion, module completion, quiz attempts, SCORM status and lessons alike).
Statements carry no `id` and are sent again on retries, so a statement is known
by a digest of its content (`content_digest`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from kernel.clock import LONDON, as_utc, london_date
from lrs.personal import identifier_of

INFO_EXTENSION = "http://lrs.learninglocker.net/define/extensions/info"
PLATFORM = "Moodle"
# Set by the LRS, and different on each copy Moodle sends (xAPI 1.0.3 Data 2.4.1, 2.4.8-2.4.10).
LRS_SET = ("id", "stored", "authority", "version")
# The course activity type logstore_xapi gives a Moodle course (cmi5 profile), and an older one.
COURSE_TYPES = ("https://w3id.org/xapi/cmi5/activitytype/course", "http://id.tincanapi.com/activitytype/lms/course")
# Moodle's anonymous feedback and questionnaire responses name this account, which is nobody.
ANONYMOUS_ACCOUNT = "anonymous"


def event_name(statement: Mapping[str, Any]) -> str | None:
    """The Moodle event a statement reports (`\\mod_facetoface\\event\\signup_success`), None if it names none."""
    info = (statement.get("context") or {}).get("extensions", {}).get(INFO_EXTENSION)
    name = info.get("event_name") if isinstance(info, dict) else None
    return name if isinstance(name, str) else None


def is_from_moodle(statement: Mapping[str, Any]) -> bool:
    """Whether logstore_xapi sent it: the context names the platform Moodle, or the Moodle event."""
    return (statement.get("context") or {}).get("platform") == PLATFORM or event_name(statement) is not None


def verb(statement: Mapping[str, Any]) -> str:
    """The verb's IRI."""
    return str(statement["verb"]["id"])


def activity(statement: Mapping[str, Any]) -> str | None:
    """The IRI of the statement's object when it is an activity, else None."""
    obj = statement.get("object") or {}
    return str(obj["id"]) if obj.get("objectType", "Activity") == "Activity" and "id" in obj else None


def course_activity(statement: Mapping[str, Any]) -> str | None:
    """The Moodle course a statement happened in: a context activity typed as a course.

    Newer logstore_xapi releases list it under `parent`, older ones under `grouping`.
    """
    activities = (statement.get("context") or {}).get("contextActivities") or {}
    for kind in ("parent", "grouping"):
        for found in activities.get(kind) or []:
            if (found.get("definition") or {}).get("type") in COURSE_TYPES:
                return str(found["id"])
    return None


def identity(statement: Mapping[str, Any]) -> str | None:
    """The actor's inverse functional identifier (`account:HOME NAME`, `mbox:mailto:...`), None if it has none."""
    actor = statement.get("actor") or {}
    found = identifier_of(actor)
    return str(found) if found is not None else None


def is_anonymous(statement: Mapping[str, Any]) -> bool:
    """Moodle's anonymous response: the actor's account is named `anonymous` (never a worker's)."""
    account = (statement.get("actor") or {}).get("account") or {}
    return account.get("name") == ANONYMOUS_ACCOUNT


def occurred_at(statement: Mapping[str, Any]) -> datetime:
    """When it happened: the statement's `timestamp`, read in Europe/London when it has no offset.

    Moodle sends UTC with `Z`; some clients (TinCanPython) drop the offset, and
    an English partnership's clock is London's. Raises ValueError for a timestamp
    that is not ISO 8601 (the LRS has checked it, so only a foreign log could).
    """
    stamp = str(statement["timestamp"]).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(stamp)
    return as_utc(parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=LONDON))


def occurred_on(statement: Mapping[str, Any]) -> date:
    """The English date of `occurred_at`."""
    return london_date(occurred_at(statement))


def result(statement: Mapping[str, Any]) -> dict[str, Any]:
    """The statement's result, {} when it has none."""
    found = statement.get("result")
    return found if isinstance(found, dict) else {}


def content_digest(statement: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the statement without what the LRS sets: the same for every copy Moodle sends.

    Keys sorted, no whitespace; the statement as the LRS reads it back (unsealed).
    """
    content = {k: v for k, v in statement.items() if k not in LRS_SET}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
