"""When two statements with one id are the same statement (xAPI 1.0.3 Data 2.3.1, Statement Comparison Requirements).

Differences that the exceptions to immutability could have caused are
ignored (2.3.1.s9.b1), each by one step of `comparable`:

- b1, properties the LRS may assign: id, authority, stored and version;
  timestamp when one side lacks it or the LRS gave it (it equals `stored`);
- b2, Activity Definitions referenced by the statement (object, context
  activities, a sub-statement's own);
- b3, the Verb's display;
- b4, the serialization of timestamps: the same instant in any time zone,
  with any number of trailing zeros in its fraction, is the same timestamp;
- b5, the order of a Group's members;
- b6, attachments' content: it is not part of the statement (their
  metadata, the `attachments` property, is compared);
- b7, case where the value is case-insensitive: an e-mail address's domain,
  hex digests (mbox_sha1sum, sha2), UUIDs (registration, statement
  references) and language tags (RFC 5646 2.1.1).

Everything else is compared as sent (2.3.1.s9.b2); the result duration is a
string (2.3.1.b8) but for any precision beyond 0.01 second, which is left out
(Data 4.6.s1.b5, a SHOULD* in 1.0.3 and a shall in xAPI 2.0), and context
activities are compared as arrays (Data 2.4.6.2).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from lrs.personal import CONTEXT_2_ROLES
from lrs.timestamps import instant

LRS_ASSIGNED = ("id", "authority", "stored", "version")
_SECONDS_FRACTION = re.compile(r"(\d+)[.,](\d+)S\Z")


def same_statement(stored: Mapping[str, Any], received: Mapping[str, Any]) -> bool:
    """Whether `received` (as a client sent it, context activities as arrays) is the statement `stored` (as read back)."""
    mine, theirs = comparable(stored), comparable(received)
    if "timestamp" not in received or stored.get("timestamp") == stored.get("stored"):
        mine.pop("timestamp", None)
        theirs.pop("timestamp", None)
    return mine == theirs


def comparable(statement: Mapping[str, Any]) -> dict[str, Any]:
    """The statement without what Data 2.3.1 says a comparison ignores, in one form per meaning."""
    out = {k: v for k, v in statement.items() if k not in LRS_ASSIGNED}
    if "timestamp" in out:
        out["timestamp"] = instant(out["timestamp"])
    out["actor"] = _agent(out["actor"])
    out["verb"] = {"id": out["verb"]["id"]}
    out["object"] = _object(out["object"])
    if "context" in out:
        out["context"] = _context(out["context"])
    result = out.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        out["result"] = {**result, "duration": _hundredths(result["duration"])}
    if "attachments" in out:
        out["attachments"] = [_attachment(a) for a in out["attachments"]]
    return out


def _hundredths(duration: str) -> str:
    """A duration with its seconds to 0.01 second at most: `PT0.1237S` and `PT0.12S` compare the same (Data 4.6.s1.b5)."""
    def to_hundredths(match: re.Match[str]) -> str:
        fraction = match.group(2)[:2].rstrip("0")
        return f"{match.group(1)}.{fraction}S" if fraction else f"{match.group(1)}S"

    return _SECONDS_FRACTION.sub(to_hundredths, duration)


def _object(obj: Mapping[str, Any]) -> Any:
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {k: v for k, v in obj.items() if k != "definition"}
    if kind in ("Agent", "Group"):
        return _agent(obj)
    if kind == "StatementRef":
        return {**obj, "id": obj["id"].lower()}
    return comparable(obj)  # a SubStatement


def _agent(agent: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(agent)
    if "mbox" in out:
        out["mbox"] = _mailto(out["mbox"])
    if "mbox_sha1sum" in out:
        out["mbox_sha1sum"] = out["mbox_sha1sum"].lower()
    if "member" in out:
        members = [_agent(m) for m in out["member"]]
        out["member"] = sorted(members, key=lambda m: json.dumps(m, sort_keys=True))
    return out


def _mailto(mbox: str) -> str:
    """`mailto:local@domain` with the domain in lower case (Data 2.3.1.b7, 2.4.2.3.s4.b1)."""
    local, at, domain = mbox.rpartition("@")
    return f"{local}{at}{domain.lower()}" if at else mbox


def _context(context: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(context)
    if "registration" in out:
        out["registration"] = out["registration"].lower()
    if "statement" in out:
        out["statement"] = {**out["statement"], "id": out["statement"]["id"].lower()}
    for key in ("instructor", "team"):
        if key in out:
            out[key] = _agent(out[key])
    for key, role in CONTEXT_2_ROLES:  # xAPI 2.0: an agent or group in contextAgents, contextGroups
        if key in out:
            out[key] = [{**entry, role: _agent(entry[role])} for entry in out[key]]
    if "contextActivities" in out:
        out["contextActivities"] = {
            kind: [_object(a) for a in (activities if isinstance(activities, list) else [activities])]
            for kind, activities in out["contextActivities"].items()
        }
    return out


def _attachment(attachment: Mapping[str, Any]) -> dict[str, Any]:
    out = {**attachment, "sha2": attachment["sha2"].lower()}
    for key in ("display", "description"):
        if key in out:
            out[key] = {tag.lower(): text for tag, text in out[key].items()}
    return out
