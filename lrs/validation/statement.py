"""Checks for Statements and SubStatements: top-level properties, verb, object dispatch and voiding."""

from __future__ import annotations

from typing import Any

from lrs.validation.activities import ACTIVITY_KEYS, check_activity
from lrs.validation.actors import IFI_KEYS, check_actor, check_agent, check_authority, check_group
from lrs.validation.attachments import check_attachments
from lrs.validation.context import check_context
from lrs.validation.primitives import fail, is_iri, is_timestamp, is_uuid, is_version, is_version_2, show
from lrs.validation.results import check_result
from lrs.validation.structures import (
    check_iri,
    check_language_map,
    check_statement_ref,
    check_timestamp,
    check_uuid,
    expect_object,
    reject_unknown,
)

# xAPI 1.0.3 Data 2.4.s1.table1 (Statement properties)
STATEMENT_KEYS = frozenset(
    (
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "stored",
        "authority",
        "version",
        "attachments",
    )
)
# xAPI 1.0.3 Data 2.4.4.3.s8.b3: a SubStatement has no id, stored, version or authority
SUBSTATEMENT_FORBIDDEN = ("id", "stored", "version", "authority")
SUBSTATEMENT_KEYS = (STATEMENT_KEYS - frozenset(SUBSTATEMENT_FORBIDDEN)) | {"objectType"}
VERB_KEYS = frozenset(("id", "display"))
VOIDED = "http://adlnet.gov/expapi/verbs/voided"
OBJECT_TYPES = ("Activity", "Agent", "Group", "StatementRef", "SubStatement")
AGENT_HINTS = frozenset(IFI_KEYS + ("member",))


def _check_verb(value: object, path: str) -> str:
    """Validate a Verb and return its id."""
    verb = expect_object(value, path, "verb")
    if not verb.keys() <= VERB_KEYS:
        reject_unknown(verb, VERB_KEYS, path, "verb")
    if "id" not in verb:
        # xAPI 1.0.3 Data 2.4.3.s3.table1.row1
        fail(f"{path}.id", "verb id (an IRI) is required")
    vid = verb["id"]
    if not is_iri(vid):
        check_iri(vid, f"{path}.id", "verb id")
    if "display" in verb:
        # xAPI 1.0.3 Data 2.4.3.s3.table1.row2
        check_language_map(verb["display"], f"{path}.display", "verb.display")
    return vid  # type: ignore[no-any-return]


def _check_object(value: object, path: str, inside_substatement: bool, xapi2: bool) -> str:
    """Validate the object of a (Sub)Statement and return its objectType."""
    obj = expect_object(value, path, "object")
    # xAPI 1.0.3 Data 2.4.4.s2: objectType defaults to Activity
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        if "objectType" not in obj and not obj.keys() <= ACTIVITY_KEYS and not obj.keys().isdisjoint(AGENT_HINTS):
            # xAPI 1.0.3 Data 2.4.4.2.s1.b1: without objectType the object is read as an Activity
            fail(
                f"{path}.objectType",
                'an Agent or Group used as the object must state "objectType" ("Agent" or "Group")',
            )
        check_activity(obj, path)
    elif kind == "Agent":
        # xAPI 1.0.3 Data 2.4.4.2.s1.b1 (objectType is present by construction here)
        check_agent(obj, path)
    elif kind == "Group":
        check_group(obj, path)
    elif kind == "StatementRef":
        check_statement_ref(obj, path, "object")
    elif kind == "SubStatement":
        if inside_substatement:
            # xAPI 1.0.3 Data 2.4.4.3.s8.b4
            fail(f"{path}.objectType", "a SubStatement cannot contain another SubStatement")
        _check_statement(obj, path, True, xapi2)
    else:
        # xAPI 1.0.3 Data 2.2.s4.b1.b6: enumerated values match exactly, case included
        fail(
            f"{path}.objectType",
            f"object objectType must be one of {', '.join(OBJECT_TYPES)} (case-sensitive), got {show(kind)}",
        )
    return kind  # type: ignore[no-any-return]


def _check_statement(stmt: dict[str, Any], path: str, substatement: bool, xapi2: bool) -> None:
    if substatement:
        if not stmt.keys() <= SUBSTATEMENT_KEYS:
            for key in SUBSTATEMENT_FORBIDDEN:
                if key in stmt:
                    fail(f"{path}.{key}", f'a SubStatement must not have "{key}"')
            reject_unknown(stmt, SUBSTATEMENT_KEYS, path, "SubStatement")
    else:
        # xAPI 1.0.3 Data 2.2.s4.b1.b7 and 2.2.s4.b8: no properties beyond the spec's
        if not stmt.keys() <= STATEMENT_KEYS:
            reject_unknown(stmt, STATEMENT_KEYS, path, "statement")

    # xAPI 1.0.3 Data 2.2.s2.b3: actor, verb and object are required
    for key in ("actor", "verb", "object"):
        if key not in stmt:
            fail(f"{path}.{key}", f'"{key}" is required')

    if "id" in stmt:
        sid = stmt["id"]
        if not is_uuid(sid):
            check_uuid(sid, f"{path}.id", "statement id")

    check_actor(stmt["actor"], f"{path}.actor", "actor")
    verb_id = _check_verb(stmt["verb"], f"{path}.verb")
    kind = _check_object(stmt["object"], f"{path}.object", substatement, xapi2)
    if verb_id == VOIDED and kind != "StatementRef":
        # xAPI 1.0.3 Data 2.3.2.s2.b1
        fail(
            f"{path}.object.objectType",
            f'a voiding statement (verb "{VOIDED}") must have a StatementRef as its object',
        )

    if "result" in stmt:
        check_result(stmt["result"], f"{path}.result")
    if "context" in stmt:
        check_context(stmt["context"], f"{path}.context", kind == "Activity", xapi2)
    for key in ("timestamp", "stored"):
        if key in stmt:
            stamp = stmt[key]
            if not is_timestamp(stamp):
                check_timestamp(stamp, f"{path}.{key}", key)
    if "authority" in stmt:
        check_authority(stmt["authority"], f"{path}.authority")
    if "version" in stmt:
        version = stmt["version"]
        # xAPI 1.0.3 Data 2.4.10.s3.b1/b2 (conformance XAPI-00101 accepts "1.0" and "1.0.9"); xAPI 2.0
        # Data 2.4.10: a 2.0 LRS accepts "2.0" and "2.0.x" as well
        if not (is_version(version) or (xapi2 and is_version_2(version))):
            allowed = '"2.0", "2.0.x", "1.0" or "1.0.x"' if xapi2 else '"1.0" or start with "1.0." (e.g. "1.0.0")'
            fail(f"{path}.version", f"version must be {allowed}, got {show(version)}")
    if "attachments" in stmt:
        check_attachments(stmt["attachments"], f"{path}.attachments")


def check_statement(statement: object, path: str, xapi2: bool = False) -> None:
    """A complete Statement as received from a client; with `xapi2`, a statement sent by an xAPI 2.0 request."""
    stmt = expect_object(statement, path, "a statement")
    _check_statement(stmt, path, False, xapi2)
