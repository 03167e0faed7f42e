"""Tests of lrs.validation for activity definitions, results, scores, contexts, attachments and authority.

Spec references are to xAPI 1.0.3, Part Two (Data); "XAPI-nnnnn" are ADL conformance-suite requirement ids.
"""

from __future__ import annotations

from typing import Any

import pytest

from lrs.validation import validate_statement
from tests.unit.test_statement_validation import DELETE, assert_rejected, changed, full_statement, minimal_statement


def with_definition(definition: dict[str, Any]) -> dict[str, Any]:
    """A minimal statement whose activity has `definition`."""
    return changed(minimal_statement(), {"object.definition": definition})


def component(cid: str, text: str = "x") -> dict[str, Any]:
    return {"id": cid, "description": {"en-US": text}}


CMI = "http://adlnet.gov/expapi/activities/cmi.interaction"
INTERACTIONS = {
    "true-false": {"interactionType": "true-false", "correctResponsesPattern": ["true"]},
    "choice": {"interactionType": "choice", "correctResponsesPattern": ["a[,]b"], "choices": [component("a"), component("b")]},
    "fill-in": {"interactionType": "fill-in", "correctResponsesPattern": ["{case_matters=false}{lang=en}Bob"]},
    "long-fill-in": {"interactionType": "long-fill-in", "correctResponsesPattern": ["{order_matters=false}x[,]y"]},
    "matching": {
        "interactionType": "matching",
        "correctResponsesPattern": ["ben[.]3[,]chris[.]2"],
        "source": [component("ben"), component("chris")],
        "target": [component("2"), component("3")],
    },
    "performance": {
        "interactionType": "performance",
        "correctResponsesPattern": ["s1[.]x[,]s2[.]1:3"],
        "steps": [component("s1"), component("s2")],
    },
    "sequencing": {
        "interactionType": "sequencing",
        "correctResponsesPattern": ["b[,]a"],
        "choices": [component("a"), component("b")],
    },
    "likert": {"interactionType": "likert", "correctResponsesPattern": ["l2"], "scale": [component("l1"), component("l2")]},
    "numeric": {"interactionType": "numeric", "correctResponsesPattern": ["4[:]"]},
    "other": {"interactionType": "other", "correctResponsesPattern": ["(35.937432,-86.868896)"]},
    "choice without correct responses or choices": {"interactionType": "choice"},
    "empty correct responses (nothing is correct)": {"interactionType": "choice", "correctResponsesPattern": []},
    "component without description": {"interactionType": "likert", "scale": [{"id": "1"}, {"id": "2"}]},
}


@pytest.mark.parametrize("definition", INTERACTIONS.values(), ids=list(INTERACTIONS))
def test_each_interaction_type_with_its_components_is_accepted(definition: dict[str, Any]) -> None:
    """Data 2.4.4.1.s8-s15 and Appendix C: the ten interaction types with their own component lists."""
    validate_statement(with_definition(dict(definition, type=CMI, name={"en": "Q1"})))


INVALID_DEFINITIONS = {
    "definition is a string": ("should error", "statement.object.definition"),
    "unknown definition key": ({"title": {"en": "x"}}, "statement.object.definition.title"),
    "name is a string": ({"name": "Quiz"}, "statement.object.definition.name"),
    "name with invalid language tag": (
        {"name": {"en-US": "Q", "something": "x"}},
        'statement.object.definition.name["something"]',
    ),
    "name with repeated extension singleton": (
        {"name": {"zh-z-aaa-z-bbb": "x"}},
        'statement.object.definition.name["zh-z-aaa-z-bbb"]',
    ),
    "description is a number": ({"description": 1234}, "statement.object.definition.description"),
    "type is not an IRI": ({"type": "should error"}, "statement.object.definition.type"),
    "moreInfo is not an IRL": ({"moreInfo": "/about"}, "statement.object.definition.moreInfo"),
    "moreInfo is null": ({"moreInfo": None}, "statement.object.definition.moreInfo"),
    "extensions is a string": ({"extensions": "x"}, "statement.object.definition.extensions"),
    "extension key is not an IRI": (
        {"extensions": {"should fail": True}},
        'statement.object.definition.extensions["should fail"]',
    ),
    "interactionType in wrong case": ({"interactionType": "Choice"}, "statement.object.definition.interactionType"),
    "interactionType unknown": ({"interactionType": "essay"}, "statement.object.definition.interactionType"),
    "interactionType is an IRI": ({"interactionType": CMI}, "statement.object.definition.interactionType"),
    "interactionType is a number": ({"interactionType": 12345}, "statement.object.definition.interactionType"),
    "correct responses without interactionType": (
        {"correctResponsesPattern": ["a"]},
        "statement.object.definition.correctResponsesPattern",
    ),
    "correct responses is a string": (
        {"interactionType": "fill-in", "correctResponsesPattern": "a"},
        "statement.object.definition.correctResponsesPattern",
    ),
    "correct response entry is a number": (
        {"interactionType": "numeric", "correctResponsesPattern": ["1", 2]},
        "statement.object.definition.correctResponsesPattern[1]",
    ),
    "choices without interactionType": ({"choices": [component("a")]}, "statement.object.definition.choices"),
    "choices for true-false": (
        {"interactionType": "true-false", "choices": [component("a")]},
        "statement.object.definition.choices",
    ),
    "scale for choice": ({"interactionType": "choice", "scale": [component("a")]}, "statement.object.definition.scale"),
    "steps for matching": (
        {"interactionType": "matching", "steps": [component("a")]},
        "statement.object.definition.steps",
    ),
    "component list is an object": (
        {"interactionType": "likert", "scale": component("a")},
        "statement.object.definition.scale",
    ),
    "component without id": (
        {"interactionType": "likert", "scale": [{"description": {"en": "x"}}]},
        "statement.object.definition.scale[0].id",
    ),
    "component id is a number": (
        {"interactionType": "likert", "scale": [{"id": 1}]},
        "statement.object.definition.scale[0].id",
    ),
    "component ids repeat": (
        {"interactionType": "choice", "choices": [component("a"), component("b"), component("a")]},
        "statement.object.definition.choices[2].id",
    ),
    "component with unknown key": (
        {"interactionType": "sequencing", "choices": [dict(component("a"), value=1)]},
        "statement.object.definition.choices[0].value",
    ),
    "component description with invalid tag": (
        {"interactionType": "matching", "source": [{"id": "a", "description": {"a12345678": "x"}}]},
        'statement.object.definition.source[0].description["a12345678"]',
    ),
}


@pytest.mark.parametrize("definition, path", INVALID_DEFINITIONS.values(), ids=list(INVALID_DEFINITIONS))
def test_invalid_activity_definition_is_rejected(definition: object, path: str) -> None:
    """Data 2.4.4.1.s2, s13 and s16 (XAPI-00063..XAPI-00080): definition properties and interaction components."""
    assert_rejected(with_definition(definition), path)  # type: ignore[arg-type]


VALID_RESULTS = {
    "empty result": {},
    "score with scaled bounds": {"score": {"scaled": -1}},
    "score scaled one": {"score": {"scaled": 1.0}},
    "raw equal to max": {"score": {"raw": 10, "min": 0, "max": 10}},
    "raw equal to min, negative": {"score": {"raw": -5.5, "min": -5.5, "max": 0}},
    "raw with only max": {"score": {"raw": 3, "max": 10}},
    "raw without bounds": {"score": {"raw": 123456.789}},
    "min without max": {"score": {"min": 5}},
    "false success and completion": {"success": False, "completion": False},
    "empty response": {"response": ""},
    "weeks duration": {"duration": "P4W"},
    "long duration": {"duration": "P3Y1M29DT4H35M59.14S"},
    "extension values of any kind": {
        "extensions": {"http://e.x/a": None, "http://e.x/b": {}, "http://e.x/c": "", "http://e.x/d": [1, {"k": None}]}
    },
}


@pytest.mark.parametrize("result", VALID_RESULTS.values(), ids=list(VALID_RESULTS))
def test_valid_result_is_accepted(result: dict[str, Any]) -> None:
    """Data 2.4.5 and 2.4.5.1: optional result properties; extension values are never grounds to reject (4.1.s3.b2)."""
    validate_statement(changed(minimal_statement(), {"result": result}))


INVALID_RESULTS = {
    "result is a string": ("passed", "statement.result"),
    "unknown result key": ({"passed": True}, "statement.result.passed"),
    "success as a string": ({"success": "true"}, "statement.result.success"),
    "completion as a string": ({"completion": "false"}, "statement.result.completion"),
    "completion as a number": ({"completion": 1}, "statement.result.completion"),
    "response as a number": ({"response": 12345}, "statement.result.response"),
    "duration not ISO 8601": ({"duration": "PA1H0M0S"}, "statement.result.duration"),
    "duration mixing weeks and days": ({"duration": "P4W1D"}, "statement.result.duration"),
    "duration of seconds without T": ({"duration": "P16559.14S"}, "statement.result.duration"),
    "duration as a number": ({"duration": 60}, "statement.result.duration"),
    "extensions as a number": ({"extensions": 12345}, "statement.result.extensions"),
    "extension key relative": ({"extensions": {"attempts": 1}}, 'statement.result.extensions["attempts"]'),
    "score is a number": ({"score": 95}, "statement.result.score"),
    "score with unknown key": ({"score": {"percent": 95}}, "statement.result.score.percent"),
    "scaled above one": ({"score": {"scaled": 1.01}}, "statement.result.score.scaled"),
    "scaled below minus one": ({"score": {"scaled": -1.00001}}, "statement.result.score.scaled"),
    "max as a numeric string": ({"score": {"max": "100"}}, "statement.result.score.max"),
    "max as words": ({"score": {"max": "one hundred"}}, "statement.result.score.max"),
    "raw is null": ({"score": {"raw": None}}, "statement.result.score.raw"),
    "raw above max": ({"score": {"raw": 101, "min": 0, "max": 100}}, "statement.result.score.raw"),
    "raw below min": ({"score": {"raw": -1, "min": 0, "max": 100}}, "statement.result.score.raw"),
    "raw above max without min": ({"score": {"raw": 11, "max": 10}}, "statement.result.score.raw"),
    "min greater than max": ({"score": {"min": 104.6, "max": 100.6}}, "statement.result.score.min"),
    "min equal to max": ({"score": {"min": 5, "max": 5}}, "statement.result.score.min"),
}


@pytest.mark.parametrize("result, path", INVALID_RESULTS.values(), ids=list(INVALID_RESULTS))
def test_invalid_result_is_rejected(result: object, path: str) -> None:
    """Data 2.2.s4.b1.b2-b3, 2.4.5, 2.4.5.1 and 4.6 (XAPI-00006, XAPI-00081..XAPI-00084, XAPI-00124)."""
    assert_rejected(changed(minimal_statement(), {"result": result}), path)


VALID_CONTEXTS = {
    "empty context": {},
    "single activity instead of an array (0.95 style)": {
        "contextActivities": {"parent": {"id": "urn:p"}, "other": {"id": "urn:o"}}
    },
    "empty contextActivities array": {"contextActivities": {"category": []}},
    "instructor is a group": {"instructor": {"objectType": "Group", "member": [{"mbox": "mailto:t@x.org"}]}},
    "identified team without members": {"team": {"objectType": "Group", "openid": "http://x.org/team"}},
    "three-letter language": {"language": "cmn"},
    "language with script and region": {"language": "zh-Hans-CN"},
    "context activity with full definition": {
        "contextActivities": {"grouping": [{"id": "urn:g", "definition": {"type": "urn:t", "name": {"sr-Cyrl": "x"}}}]}
    },
}


@pytest.mark.parametrize("context", VALID_CONTEXTS.values(), ids=list(VALID_CONTEXTS))
def test_valid_context_is_accepted(context: dict[str, Any]) -> None:
    """Data 2.4.6 and 2.4.6.2: every context property is optional; single context activities stay allowed."""
    validate_statement(changed(minimal_statement(), {"context": context}))


STATEMENT_REF = {"objectType": "StatementRef", "id": "8f87ccde-bb56-4c2e-ab83-44982ef22df0"}
INVALID_CONTEXTS = {
    "context is a string": ("x", {}, "statement.context"),
    "unknown context key": ({"location": "x"}, {}, "statement.context.location"),
    "registration not a UUID": ({"registration": "should fail"}, {}, "statement.context.registration"),
    "registration is an object": ({"registration": {"key": "x"}}, {}, "statement.context.registration"),
    "instructor is a string": ({"instructor": "Mr T"}, {}, "statement.context.instructor"),
    "instructor without identifier": ({"instructor": {"name": "Mr T"}}, {}, "statement.context.instructor"),
    "team is an agent": (
        {"team": {"objectType": "Agent", "mbox": "mailto:t@x.org"}}, {},
        "statement.context.team.objectType",
    ),
    "team without objectType": (
        {"team": {"member": [{"mbox": "mailto:t@x.org"}]}}, {},
        "statement.context.team.objectType",
    ),
    "contextActivities is a string": ({"contextActivities": "x"}, {}, "statement.context.contextActivities"),
    "contextActivities with unknown key": (
        {"contextActivities": {"consequences": []}}, {},
        "statement.context.contextActivities.consequences",
    ),
    "contextActivities key in wrong case": (
        {"contextActivities": {"Parent": []}}, {},
        "statement.context.contextActivities.Parent",
    ),
    "context activity without id": (
        {"contextActivities": {"parent": [{"id": "urn:p"}, {}]}}, {},
        "statement.context.contextActivities.parent[1].id",
    ),
    "context activity id relative": (
        {"contextActivities": {"parent": [{"id": "p1"}]}}, {},
        "statement.context.contextActivities.parent[0].id",
    ),
    "context activity that is an agent": (
        {"contextActivities": {"other": [{"objectType": "Agent", "mbox": "mailto:a@x.org"}]}},
        {},
        "statement.context.contextActivities.other[0].objectType",
    ),
    "context activity entry is a string": (
        {"contextActivities": {"category": ["urn:c"]}}, {},
        "statement.context.contextActivities.category[0]",
    ),
    "context activity with unknown key": (
        {"contextActivities": {"other": [{"id": "urn:o", "key": "x"}]}},
        {},
        "statement.context.contextActivities.other[0].key",
    ),
    "revision is a number": ({"revision": 12345}, {}, "statement.context.revision"),
    "platform is an object": ({"platform": {"name": "x"}}, {}, "statement.context.platform"),
    "revision when the object is an agent": (
        {"revision": "1"}, {"objectType": "Agent", "mbox": "mailto:a@x.org"},
        "statement.context.revision",
    ),
    "platform when the object is a statement reference": (
        {"platform": "Moodle"}, STATEMENT_REF,
        "statement.context.platform",
    ),
    "platform when the object is a group": (
        {"platform": "x"}, {"objectType": "Group", "member": []},
        "statement.context.platform",
    ),
    "language tag invalid": ({"language": "something"}, {}, "statement.context.language"),
    "language is a number": ({"language": 12345}, {}, "statement.context.language"),
    "statement is not a StatementRef": (
        {"statement": {"objectType": "Activity", "id": "urn:a"}}, {},
        "statement.context.statement.objectType",
    ),
    "statement id not a UUID": (
        {"statement": {"objectType": "StatementRef", "id": "AA97B177-9383-4934-8543-0F91A7A028368"}},
        {},
        "statement.context.statement.id",
    ),
    "extension key not an IRI": ({"extensions": {"altitude": 1}}, {}, 'statement.context.extensions["altitude"]'),
}


@pytest.mark.parametrize("context, obj, path", INVALID_CONTEXTS.values(), ids=list(INVALID_CONTEXTS))
def test_invalid_context_is_rejected(context: object, obj: dict[str, Any], path: str) -> None:
    """Data 2.4.6.s3-s4 and 2.4.6.2.s4 (XAPI-00085..XAPI-00094): context types, revision/platform only for Activities."""
    changes: dict[str, Any] = {"context": context}
    if obj:
        changes["object"] = obj
    assert_rejected(changed(minimal_statement(), changes), path)


def test_revision_and_platform_in_substatement_follow_the_substatement_object() -> None:
    """Data 2.4.4.3.s8.b2 with 2.4.6.s4.b1: a SubStatement is validated as a Statement, so its own object decides."""
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:a@x.org"},
        "verb": {"id": "urn:v"},
        "object": {"objectType": "Agent", "mbox": "mailto:b@x.org"},
        "context": {"platform": "VR"},
    }
    assert_rejected(changed(minimal_statement(), {"object": sub}), "statement.object.context.platform")


INVALID_ATTACHMENTS = {
    "attachments is an object": ({"attachments": {"usageType": "urn:u"}}, "statement.attachments"),
    "attachment is a number": ({"attachments": [12345]}, "statement.attachments[0]"),
    "unknown attachment key": ({"attachments[0].name": "x"}, "statement.attachments[0].name"),
    "missing usageType": ({"attachments[0].usageType": DELETE}, "statement.attachments[0].usageType"),
    "missing display": ({"attachments[0].display": DELETE}, "statement.attachments[0].display"),
    "missing contentType": ({"attachments[0].contentType": DELETE}, "statement.attachments[0].contentType"),
    "missing length": ({"attachments[0].length": DELETE}, "statement.attachments[0].length"),
    "missing sha2": ({"attachments[0].sha2": DELETE}, "statement.attachments[0].sha2"),
    "usageType not an IRI": ({"attachments[0].usageType": "should fail"}, "statement.attachments[0].usageType"),
    "display is a string": ({"attachments[0].display": "x"}, "statement.attachments[0].display"),
    "display with invalid tag": (
        {"attachments[0].display": {"something": "x"}},
        'statement.attachments[0].display["something"]',
    ),
    "description with invalid tag": (
        {"attachments[0].description": {"a12345678": "x"}},
        'statement.attachments[0].description["a12345678"]',
    ),
    "contentType is a number": ({"attachments[0].contentType": 12345}, "statement.attachments[0].contentType"),
    "contentType without subtype": ({"attachments[0].contentType": "pdf"}, "statement.attachments[0].contentType"),
    "length is a string": ({"attachments[0].length": "27"}, "statement.attachments[0].length"),
    "length is negative": ({"attachments[0].length": -1}, "statement.attachments[0].length"),
    "length is fractional": ({"attachments[0].length": 2.5}, "statement.attachments[0].length"),
    "length is a boolean": ({"attachments[0].length": True}, "statement.attachments[0].length"),
    "sha2 is a number": ({"attachments[0].sha2": 12345}, "statement.attachments[0].sha2"),
    "sha2 not hex": ({"attachments[0].sha2": "not-a-hash"}, "statement.attachments[0].sha2"),
    "fileUrl not an IRL": ({"attachments[0].fileUrl": "should fail"}, "statement.attachments[0].fileUrl"),
    "signature that is not octet-stream": (
        {
            "attachments[0].usageType": "http://adlnet.gov/expapi/attachments/signature",
            "attachments[0].contentType": "text/plain; charset=ascii",
        },
        "statement.attachments[0].contentType",
    ),
}


@pytest.mark.parametrize("changes, path", INVALID_ATTACHMENTS.values(), ids=list(INVALID_ATTACHMENTS))
def test_invalid_attachment_is_rejected(changes: dict[str, Any], path: str) -> None:
    """Data 2.4.11.s2 and 2.6.s4.b1 (XAPI-00025, XAPI-00115): attachment metadata types and required properties."""
    assert_rejected(changed(full_statement(), changes), path)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain; charset=ascii", "application/vnd.ms-excel", 'multipart/mixed; boundary="a b"', "image/svg+xml"],
)
def test_media_types_with_parameters_are_accepted(content_type: str) -> None:
    """Data 2.4.11.s2.table1.row4: contentType is any Internet Media Type (RFC 2046)."""
    validate_statement(changed(full_statement(), {"attachments[0].contentType": content_type}))


MEMBER = {"mbox": "mailto:user@example.org"}
CONSUMER = {"account": {"homePage": "http://example.com/xAPI/OAuth/Token", "name": "oauth_consumer_x75db"}}
INVALID_AUTHORITIES = {
    "authority agent without identifier": ({"objectType": "Agent"}, "statement.authority"),
    "authority objectType in lower case": (
        {"objectType": "group", "member": [CONSUMER, MEMBER]},
        "statement.authority.objectType",
    ),
    "authority group of one": ({"objectType": "Group", "member": [CONSUMER]}, "statement.authority.member"),
    "authority group of three": (
        {"objectType": "Group", "member": [CONSUMER, MEMBER, {"mbox": "mailto:x@example.org"}]},
        "statement.authority.member",
    ),
    "authority identified group": (
        {"objectType": "Group", "mbox": "mailto:g@x.org", "member": [CONSUMER, MEMBER]},
        "statement.authority.mbox",
    ),
    "authority group without members": (
        {"objectType": "Group", "name": "Group Anonymous"},
        "statement.authority.member",
    ),
    "authority is a string": ("lrs", "statement.authority"),
}


@pytest.mark.parametrize("authority, path", INVALID_AUTHORITIES.values(), ids=list(INVALID_AUTHORITIES))
def test_invalid_authority_is_rejected(authority: object, path: str) -> None:
    """Data 2.4.9.s3.b1 (XAPI-00024): an Agent, or a Group of exactly two Agents for 3-legged OAuth."""
    assert_rejected(changed(full_statement(), {"authority": authority}), path)
