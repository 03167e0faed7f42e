"""Statement-level tests of lrs.validation: the top level, actors, verbs, objects, batches and real Moodle data.

Each invalid case changes one thing in a known-good statement and names the `path` the error must report.
Spec references are to xAPI 1.0.3, Part Two (Data); "XAPI-nnnnn" are ADL conformance-suite requirement ids.
"""

from __future__ import annotations

import copy
import glob
import json
import os
import re
from typing import Any

import pytest

from lrs.errors import StatementValidationError
from lrs.validation import validate_statement, validate_statements

DELETE = object()  # marker: remove the property instead of setting it
MOODLE_DIR = os.path.join(os.path.dirname(__file__), "..", "fixtures", "moodle-statements", "complete")


def full_statement() -> dict[str, Any]:
    """A statement using every top-level property, all valid."""
    return {
        "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
        "actor": {"objectType": "Agent", "name": "Ann", "account": {"homePage": "https://lms.example.org", "name": "42"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed", "de": "abgeschlossen"}},
        "object": {
            "objectType": "Activity",
            "id": "https://lms.example.org/course/7",
            "definition": {
                "name": {"en": "Keeping children safe"},
                "description": {"en": "Level 1 course"},
                "type": "http://adlnet.gov/expapi/activities/course",
                "moreInfo": "https://lms.example.org/course/7/about",
                "extensions": {"https://w3id.org/xapi/acrossx/extensions/type": "online"},
            },
        },
        "result": {
            "score": {"scaled": 0.8, "raw": 80, "min": 0, "max": 100},
            "success": True,
            "completion": True,
            "response": "done",
            "duration": "PT1H2M3.5S",
            "extensions": {"http://example.com/ext/attempts": 2},
        },
        "context": {
            "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
            "instructor": {"mbox": "mailto:teacher@example.org"},
            "team": {"objectType": "Group", "name": "Team A", "member": [{"mbox": "mailto:b@example.org"}]},
            "contextActivities": {
                "parent": [{"id": "https://lms.example.org/programme/1", "objectType": "Activity"}],
                "grouping": [{"id": "https://lms.example.org"}],
                "category": [{"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}],
                "other": [{"id": "https://lms.example.org/other"}],
            },
            "revision": "r2",
            "platform": "Moodle",
            "language": "en-GB",
            "statement": {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
            "extensions": {"http://example.com/ext/room": "12"},
        },
        "timestamp": "2024-05-01T12:30:00.123Z",
        "stored": "2024-05-01T12:30:01.000+00:00",
        "authority": {"objectType": "Agent", "account": {"homePage": "https://lrs.example.org", "name": "client-1"}},
        "version": "1.0.0",
        "attachments": [
            {
                "usageType": "http://adlnet.gov/expapi/attachments/certificate",
                "display": {"en-US": "Certificate"},
                "description": {"en-US": "Completion certificate"},
                "contentType": "application/pdf",
                "length": 12345,
                "sha2": "495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a",
                "fileUrl": "https://files.example.org/cert.pdf",
            }
        ],
    }


def minimal_statement() -> dict[str, Any]:
    """The smallest valid statement: actor, verb id and activity id."""
    return {
        "actor": {"mbox": "mailto:ann@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
        "object": {"id": "http://www.example.org/meeting/1"},
    }


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def changed(statement: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `statement` with each dotted path (e.g. "context.team.member[0].mbox") set or deleted."""
    result = copy.deepcopy(statement)
    for path, value in changes.items():
        steps = [int(index) if index else name for name, index in _STEP.findall(path)]
        target: Any = result
        for step in steps[:-1]:
            target = target[step]
        if value is DELETE:
            del target[steps[-1]]
        else:
            target[steps[-1]] = copy.deepcopy(value)
    return result


def assert_rejected(statement: object, path: str) -> StatementValidationError:
    """The statement is refused and the error names `path`."""
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(statement)
    assert caught.value.path == path, f"expected path {path!r}, got {caught.value.path!r}: {caught.value.message}"
    assert caught.value.message
    return caught.value


AGENT_MBOX = {"objectType": "Agent", "mbox": "mailto:sam@example.org"}
SUBSTATEMENT = {
    "objectType": "SubStatement",
    "actor": {"mbox": "mailto:ann@example.org"},
    "verb": {"id": "http://example.com/verbs/will-attend"},
    "object": {"id": "http://www.example.org/meeting/2"},
}

VALID_CHANGES = {
    "minimal statement": ({}, True),
    "full statement": ({}, False),
    "actor without objectType": ({"actor": {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e364975"}}, True),
    "actor identified by openid": ({"actor": {"openid": "http://openid.example.org/12345"}}, True),
    "actor anonymous group": (
        {"actor": {"objectType": "Group", "member": [AGENT_MBOX, {"openid": "https://id.example/x"}]}},
        True,
    ),
    "actor identified group without member": ({"actor": {"objectType": "Group", "mbox": "mailto:team@example.org"}}, True),
    "actor identified group with members": (
        {"actor": {"objectType": "Group", "account": {"homePage": "https://x.example", "name": "g"}, "member": [AGENT_MBOX]}},
        True,
    ),
    "actor group with empty member list": ({"actor": {"objectType": "Group", "name": "nobody", "member": []}}, True),
    "object is an Agent": ({"object": AGENT_MBOX}, True),
    "object is a Group": ({"object": {"objectType": "Group", "member": [AGENT_MBOX]}}, True),
    "object is a StatementRef": ({"object": {"objectType": "StatementRef", "id": "8F87CCDE-BB56-4C2E-AB83-44982EF22DF0"}}, True),
    "object is a SubStatement": ({"object": SUBSTATEMENT}, True),
    "SubStatement with context, result, timestamp and attachments": (
        {
            "object": dict(
                SUBSTATEMENT,
                result={"success": False},
                context={"platform": "VR", "revision": "1"},
                timestamp="2099-01-01T00:00:00Z",
                attachments=[],
            )
        },
        True,
    ),
    "SubStatement referring to a statement": (
        {"object": dict(SUBSTATEMENT, object={"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"})},
        True,
    ),
    "voiding statement": (
        {
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"},
        },
        True,
    ),
    "verb display with many language tags": (
        {"verb": {"id": "urn:x-verb:met", "display": {"zh-Hant-TW": "x", "sr-Latn-RS": "y", "es-419": "z", "cmn": "w"}}},
        True,
    ),
    "empty verb display and empty definition": (
        {"verb": {"id": "urn:v", "display": {}}, "object": {"id": "urn:a", "definition": {}}},
        True,
    ),
    "non-ASCII IRIs": ({"verb": {"id": "http://例え.jp/動詞/完了"}, "object": {"id": "https://ex.org/ñandú"}}, True),
    "version 1.0": ({"version": "1.0"}, False),
    "version 1.0.3": ({"version": "1.0.3"}, False),
    "version 1.0.9": ({"version": "1.0.9"}, False),
    "uppercase statement id": ({"id": "6690E6C9-3EF0-4ED3-8B37-7F3964730BEE"}, False),
    "statement id of any UUID version": ({"id": "12345678-1234-5678-1234-567812345678"}, False),
    "timestamp without time zone (SHOULD, not MUST)": ({"timestamp": "2024-05-01T12:30:00"}, False),
    "timestamp far in the future": ({"timestamp": "2999-12-31T23:59:59.999Z"}, False),
    "authority as OAuth group of two": (
        {
            "authority": {
                "objectType": "Group",
                "member": [
                    {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}},
                    AGENT_MBOX,
                ],
            }
        },
        False,
    ),
    "no attachments": ({"attachments": []}, False),
    "attachment without description and fileUrl": (
        {"attachments[0].description": DELETE, "attachments[0].fileUrl": DELETE},
        False,
    ),
    "attachment length given as an integral float": ({"attachments[0].length": 27.0}, False),
    "signature attachment": (
        {
            "attachments[0].usageType": "http://adlnet.gov/expapi/attachments/signature",
            "attachments[0].contentType": "application/octet-stream",
        },
        False,
    ),
}


@pytest.mark.parametrize("changes, minimal", VALID_CHANGES.values(), ids=list(VALID_CHANGES))
def test_valid_statement_is_accepted(changes: dict[str, Any], minimal: bool) -> None:
    """Well-formed statements the spec allows are never refused (Data 2.4; conformance "should pass" templates)."""
    validate_statement(changed(minimal_statement() if minimal else full_statement(), changes))


INVALID_CHANGES = {
    # xAPI 1.0.3 Data 2.2.s2.b3 (XAPI-00003..5): actor, verb, object are required
    "missing actor": ({"actor": DELETE}, "statement.actor"),
    "missing verb": ({"verb": DELETE}, "statement.verb"),
    "missing object": ({"object": DELETE}, "statement.object"),
    # Data 2.2.s4.b1.b5 / b7: unknown or wrongly cased keys
    "unknown top-level key": ({"foo": 1}, "statement.foo"),
    "wrongly cased top-level key": ({"Actor": AGENT_MBOX}, "statement.Actor"),
    "objectType on the statement": ({"objectType": "Statement"}, "statement.objectType"),
    # Data 2.2.s4.b1.b1: null is never a value outside extensions
    "null actor": ({"actor": None}, "statement.actor"),
    "null result": ({"result": None}, "statement.result"),
    "null context registration": ({"context.registration": None}, "statement.context.registration"),
    "null in verb display": ({"verb.display.en-US": None}, 'statement.verb.display["en-US"]'),
    # Data 2.4.1 / 4.4 (XAPI-00007, XAPI-00027): UUIDs
    "id too long": ({"id": "AA97B177-9383-4934-8543-0F91A7A028368"}, "statement.id"),
    "id with a non-hex letter": ({"id": "MA97B177-9383-4934-8543-0F91A7A02836"}, "statement.id"),
    "id without hyphens": ({"id": "6690e6c93ef04ed38b377f3964730bee"}, "statement.id"),
    "id is a number": ({"id": 12345}, "statement.id"),
    "id is empty": ({"id": ""}, "statement.id"),
    # Data 4.5 (XAPI-00123): timestamps
    "timestamp with -00:00 offset": ({"timestamp": "2008-09-15T15:53:00.601-00:00"}, "statement.timestamp"),
    "timestamp with -0000 offset": ({"timestamp": "2008-09-15T15:53:00.601-0000"}, "statement.timestamp"),
    "timestamp with -00 offset": ({"timestamp": "2008-09-15T15:53:00.601-00"}, "statement.timestamp"),
    "timestamp in US date style": ({"timestamp": "01/011/2015"}, "statement.timestamp"),
    "timestamp that is only a date": ({"timestamp": "2015-01-01"}, "statement.timestamp"),
    "timestamp on a day that does not exist": ({"timestamp": "2015-02-29T10:00:00Z"}, "statement.timestamp"),
    "timestamp is a number": ({"timestamp": 1714566600}, "statement.timestamp"),
    "stored is not ISO 8601": ({"stored": "yesterday"}, "statement.stored"),
    # Data 2.4.10 (XAPI-00101): version
    "version 0.9.9": ({"version": "0.9.9"}, "statement.version"),
    "version 1.1.0": ({"version": "1.1.0"}, "statement.version"),
    "version 2.0.0": ({"version": "2.0.0"}, "statement.version"),
    "version as a number": ({"version": 1.0}, "statement.version"),
    # Data 2.4.2 (XAPI-00032..XAPI-00045): agents
    "mbox without mailto scheme": ({"actor": {"mbox": "bob@example.com"}}, "statement.actor.mbox"),
    "mbox with another scheme": ({"actor": {"mbox": "http://should.fail.com"}}, "statement.actor.mbox"),
    "mbox without an address": ({"actor": {"mbox": "mailto:should.fail.com"}}, "statement.actor.mbox"),
    "mbox_sha1sum too short": (
        {"actor": {"mbox_sha1sum": "cd9b00a5611f94eaa7b1661edab976068e36497"}},
        "statement.actor.mbox_sha1sum",
    ),
    "mbox_sha1sum not hex": (
        {"actor": {"mbox_sha1sum": "zd9b00a5611f94eaa7b1661edab976068e364975"}},
        "statement.actor.mbox_sha1sum",
    ),
    "openid relative": ({"actor": {"openid": "/me"}}, "statement.actor.openid"),
    "agent without identifier": ({"actor": {"objectType": "Agent", "name": "x"}}, "statement.actor"),
    "agent with two identifiers": ({"actor.mbox": "mailto:a@example.org"}, "statement.actor.account"),
    "agent with mbox and openid": (
        {"actor": {"mbox": "mailto:a@b.org", "openid": "http://a.b/c"}},
        "statement.actor.openid",
    ),
    "agent name is a number": ({"actor.name": 123}, "statement.actor.name"),
    "agent objectType in lower case": ({"actor.objectType": "agent"}, "statement.actor.objectType"),
    "agent with unknown key": ({"actor.age": 7}, "statement.actor.age"),
    "group members without group objectType": ({"actor": {"member": [AGENT_MBOX]}}, "statement.actor.member"),
    # Data 2.4.2.4 (XAPI-00038..40): account objects
    "account without homePage": ({"actor.account": {"name": "42"}}, "statement.actor.account.homePage"),
    "account without name": ({"actor.account": {"homePage": "https://x.example"}}, "statement.actor.account.name"),
    "account homePage not an IRL": (
        {"actor.account.homePage": "ab=c://should.fail.com"},
        "statement.actor.account.homePage",
    ),
    "account name is an object": ({"actor.account.name": {"key": "x"}}, "statement.actor.account.name"),
    "account with extra key": ({"actor.account.id": "x"}, "statement.actor.account.id"),
    # Data 2.4.2.2 (XAPI-00046..50): groups
    "anonymous group without member": ({"actor": {"objectType": "Group", "name": "x"}}, "statement.actor.member"),
    "group member is a group": (
        {"actor": {"objectType": "Group", "member": [AGENT_MBOX, {"objectType": "Group", "member": []}]}},
        "statement.actor.member[1].objectType",
    ),
    "group member list is an object": (
        {"actor": {"objectType": "Group", "member": AGENT_MBOX}},
        "statement.actor.member",
    ),
    "group member with bad mbox": (
        {"actor": {"objectType": "Group", "member": [AGENT_MBOX, {"mbox": "x@y.z"}]}},
        "statement.actor.member[1].mbox",
    ),
    "identified group with two identifiers": (
        {"actor": {"objectType": "Group", "mbox": "mailto:g@x.org", "openid": "http://x.org/g"}},
        "statement.actor.openid",
    ),
    # Data 2.4.3 (XAPI-00041..): verbs
    "verb without id": ({"verb": {"display": {"en": "did"}}}, "statement.verb.id"),
    "verb id not an IRI": ({"verb.id": "completed"}, "statement.verb.id"),
    "verb display is a string": ({"verb.display": "completed"}, "statement.verb.display"),
    "verb display with invalid language tag": ({"verb.display": {"a12345": "x"}}, 'statement.verb.display["a12345"]'),
    "verb display value is a number": ({"verb.display.en-US": 5}, 'statement.verb.display["en-US"]'),
    "verb with unknown key": ({"verb.name": "x"}, "statement.verb.name"),
    # Data 2.3.2.s2.b1 (XAPI-00016): voiding statements target a StatementRef
    "voiding an activity": ({"verb.id": "http://adlnet.gov/expapi/verbs/voided"}, "statement.object.objectType"),
    # Data 2.4.4 (XAPI-00054..): objects
    "activity without id": ({"object.id": DELETE}, "statement.object.id"),
    "activity id relative": ({"object.id": "course/7"}, "statement.object.id"),
    "object objectType in lower case": ({"object.objectType": "activity"}, "statement.object.objectType"),
    "object objectType unknown": ({"object.objectType": "Course"}, "statement.object.objectType"),
    "activity with unknown key": ({"object.name": "x"}, "statement.object.name"),
    "agent as object without objectType": ({"object": {"mbox": "mailto:a@example.org"}}, "statement.object.objectType"),
    "group as object with group member": (
        {"object": {"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@x.org"}]}},
        "statement.object.member[0].objectType",
    ),
    "statement reference with bad id": (
        {"object": {"objectType": "StatementRef", "id": "should fail"}},
        "statement.object.id",
    ),
    "statement reference without id": ({"object": {"objectType": "StatementRef"}}, "statement.object.id"),
    "statement reference with extra key": (
        {"object": {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0", "definition": {}}},
        "statement.object.definition",
    ),
    # Data 2.4.4.3.s8 (XAPI-00057..62): SubStatements
    "SubStatement with id": (
        {"object": dict(SUBSTATEMENT, id="8f87ccde-bb56-4c2e-ab83-44982ef22df0")},
        "statement.object.id",
    ),
    "SubStatement with stored": (
        {"object": dict(SUBSTATEMENT, stored="2024-01-01T00:00:00Z")},
        "statement.object.stored",
    ),
    "SubStatement with version": ({"object": dict(SUBSTATEMENT, version="1.0.0")}, "statement.object.version"),
    "SubStatement with authority": ({"object": dict(SUBSTATEMENT, authority=AGENT_MBOX)}, "statement.object.authority"),
    "nested SubStatement": ({"object": dict(SUBSTATEMENT, object=SUBSTATEMENT)}, "statement.object.object.objectType"),
    "SubStatement without verb": (
        {"object": {k: v for k, v in SUBSTATEMENT.items() if k != "verb"}},
        "statement.object.verb",
    ),
    "SubStatement with unknown key": ({"object": dict(SUBSTATEMENT, foo=1)}, "statement.object.foo"),
    "SubStatement with bad actor": ({"object": dict(SUBSTATEMENT, actor={"mbox": "x"})}, "statement.object.actor.mbox"),
    "SubStatement voiding an activity": (
        {"object": dict(SUBSTATEMENT, verb={"id": "http://adlnet.gov/expapi/verbs/voided"})},
        "statement.object.object.objectType",
    ),
}


@pytest.mark.parametrize("changes, path", INVALID_CHANGES.values(), ids=list(INVALID_CHANGES))
def test_invalid_statement_is_rejected_with_path(changes: dict[str, Any], path: str) -> None:
    """Each MUST of Data 2.2-2.4 breaks validation and the error points at the offending property."""
    assert_rejected(changed(full_statement(), changes), path)


@pytest.mark.parametrize("value", [None, [], "statement", 1, True])
def test_statement_that_is_not_an_object_is_rejected(value: object) -> None:
    """A statement is a JSON object (Data 2.4)."""
    assert_rejected(value, "statement")


def test_mbox_without_mailto_scheme_is_rejected() -> None:
    """Data 2.4.2.3.s3.table1.row1: mbox is "mailto:email address"; the message tells the client what to send."""
    error = assert_rejected(changed(minimal_statement(), {"actor.mbox": "bob@example.com"}), "statement.actor.mbox")
    assert "mailto:" in error.message and "bob@example.com" in error.message
    assert str(error) == f"statement.actor.mbox: {error.message}"


def test_boolean_is_not_accepted_as_a_number() -> None:
    """Data 2.2.s4.b1.b2: Python's True is an int, but JSON true is not a number."""
    assert_rejected(changed(full_statement(), {"result.score.raw": True}), "statement.result.score.raw")


def test_not_a_number_is_not_accepted_as_a_number() -> None:
    """json.loads accepts NaN, which is not JSON: a score must be a finite number (Data 2.4.5.1)."""
    assert_rejected(json.loads('{"actor": {"mbox": "mailto:a@b.c"}, "verb": {"id": "urn:v"}, '
                               '"object": {"id": "urn:a"}, "result": {"score": {"scaled": NaN}}}'),
                    "statement.result.score.scaled")


def test_custom_path_prefix_is_used() -> None:
    """validate_statement reports paths under the prefix it is given."""
    with pytest.raises(StatementValidationError) as caught:
        validate_statement(changed(minimal_statement(), {"verb.id": "x"}), path="body")
    assert caught.value.path == "body.verb.id"


def test_validation_never_mutates_the_statement() -> None:
    """The validator only reads: the LRS stores what the client sent (Data 2.3.1 immutability)."""
    statement = changed(full_statement(), {"context.revision": DELETE, "context.platform": DELETE})
    statement["object"] = dict(SUBSTATEMENT, context={"contextActivities": {"parent": {"id": "urn:p"}}})
    before = copy.deepcopy(statement)
    validate_statement(statement)
    assert statement == before


def test_batch_error_names_the_statement_index() -> None:
    """validate_statements reports statements[i]... for the first invalid statement of a batch."""
    batch: list[object] = [minimal_statement() for _ in range(5)]
    batch[3] = changed(minimal_statement(), {"actor.mbox": "bob@example.com"})
    batch[4] = changed(minimal_statement(), {"verb.id": "x"})
    with pytest.raises(StatementValidationError) as caught:
        validate_statements(batch)
    assert caught.value.path == "statements[3].actor.mbox"


def test_batch_of_valid_statements_and_empty_batch_are_accepted() -> None:
    """A batch is an array of statements (Communication 2.1.2); every one of them valid means no error."""
    validate_statements([minimal_statement(), full_statement()])
    validate_statements([])


def test_batch_that_is_not_an_array_is_rejected() -> None:
    """validate_statements takes the decoded array of a POST body."""
    with pytest.raises(StatementValidationError) as caught:
        validate_statements(minimal_statement())  # type: ignore[arg-type]
    assert caught.value.path == "statements"


MOODLE_FILES = sorted(glob.glob(os.path.join(MOODLE_DIR, "*.json")))


def test_the_moodle_corpus_travels_with_the_repository() -> None:
    """tests/fixtures/moodle-statements: the cases below run on every checkout, never skipped for want of data."""
    assert len(MOODLE_FILES) == 35


@pytest.mark.parametrize("filename", MOODLE_FILES, ids=[os.path.basename(f) for f in MOODLE_FILES])
def test_real_moodle_statements_are_valid(filename: str) -> None:
    """Statements produced by Moodle's logstore_xapi plugin (real-world 1.0.3 data) are all accepted."""
    with open(filename, encoding="utf-8") as handle:
        statements = json.load(handle)
    assert isinstance(statements, list) and statements
    validate_statements(statements)
