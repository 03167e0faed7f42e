"""The same id sent again: the same statement (204/200, nothing stored) unless Data 2.3.1 says it differs (409).

Issue 9, item 8: each exception to immutability (Data 2.3.1.b1 to b7) is a
difference the comparison ignores; b8 and 2.3.1.s9.b2 are differences it keeps.
Item 10: timestamps are given back in UTC in every format (Data 4.5.s1.b6).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from tests.conftest import XAPIClient, statement

REG = "0D1E3B9F-8A4F-4C43-9A6A-2B0F6E3F0C11"
PAT = {"objectType": "Agent", "mbox": "mailto:pat@example.org"}
SAM = {"objectType": "Agent", "account": {"homePage": "https://moodle.example", "name": "sam"}}
TEAM = {"objectType": "Group", "name": "Team", "member": [PAT, SAM]}
ACTIVITY = {"objectType": "Activity", "id": "https://lscp.example/courses/level-2",
            "definition": {"name": {"en-GB": "Working Together"}}}


def put(xapi: XAPIClient, sid: str, body: dict[str, Any]) -> int:
    response = xapi.put(f"/xapi/statements?statementId={sid}", data=json.dumps(body), content_type="application/json")
    return int(response.status_code)


def count(xapi: XAPIClient) -> int:
    return len(xapi.get("/xapi/statements").get_json()["statements"])


SAME = {
    "b1 properties the LRS assigns": (
        statement(version="1.0.0"), statement(version="1.0.3", authority=SAM, stored="2001-01-01T00:00:00Z")),
    "b1 a timestamp the LRS assigned": (statement(), statement(timestamp="2020-01-01T00:00:00Z")),
    "b2 activity definitions": (
        statement(object=ACTIVITY, context={"contextActivities": {"parent": [ACTIVITY]}}),
        statement(object={**ACTIVITY, "definition": {"name": {"en-GB": "Working Together (2027)"}}},
                  context={"contextActivities": {"parent": {"objectType": "Activity", "id": ACTIVITY["id"]}}})),
    "b3 verb display": (
        statement(verb={"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"en-GB": "passed"}}),
        statement(verb={"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"cy": "pasio"}})),
    "b4 the same instant in another zone": (
        statement(timestamp="2020-01-01T00:00:00Z"), statement(timestamp="2020-01-01T01:00:00+01:00")),
    "b4 the same instant, more digits": (
        statement(timestamp="2020-01-01T00:00:00.5Z"), statement(timestamp="2020-01-01T05:30:00.500+05:30")),
    "b5 group members in another order": (
        statement(actor=TEAM), statement(actor={**TEAM, "member": [SAM, PAT]})),
    "b7 an e-mail domain's case": (
        statement(actor={"mbox": "mailto:pat@example.org"}), statement(actor={"mbox": "mailto:pat@EXAMPLE.ORG"})),
    "b7 a registration's case": (
        statement(context={"registration": REG.lower()}), statement(context={"registration": REG})),
    "b7 a statement reference's case": (
        statement(object={"objectType": "StatementRef", "id": REG.lower()}),
        statement(object={"objectType": "StatementRef", "id": REG})),
    "b7 a hash's case": (
        statement(actor={"mbox_sha1sum": "A" * 40}), statement(actor={"mbox_sha1sum": "a" * 40})),
}

DIFFERENT = {
    "b8 a duration is a string": (statement(result={"duration": "PT1H"}), statement(result={"duration": "PT60M"})),
    "another instant": (
        statement(timestamp="2020-01-01T00:00:00Z"), statement(timestamp="2020-01-01T00:00:00+01:00")),
    "an e-mail's local part": (
        statement(actor={"mbox": "mailto:pat@example.org"}), statement(actor={"mbox": "mailto:Pat@example.org"})),
    "another verb": (statement(), statement(verb={"id": "http://adlnet.gov/expapi/verbs/failed"})),
    "another member": (statement(actor=TEAM), statement(actor={**TEAM, "member": [PAT]})),
    "an activity id's case": (
        statement(object={"id": "https://lscp.example/a"}), statement(object={"id": "https://lscp.example/A"})),
}


def test_a_difference_that_2_3_1_ignores_is_the_same_statement(xapi: XAPIClient) -> None:
    """Before: 409 for the timestamp, definition, display, member order and case differences."""
    for case, (first, again) in SAME.items():
        sid = str(uuid.uuid4())
        assert put(xapi, sid, first) == 204, case
        assert put(xapi, sid.upper(), again) == 204, case
        response = xapi.post("/xapi/statements", data=json.dumps({**again, "id": sid}),
                             content_type="application/json")
        assert response.status_code == 200, case
        assert xapi.get(f"/xapi/statements?statementId={sid}").status_code == 200, case
    assert count(xapi) == len(SAME)


def test_any_other_difference_is_a_conflict(xapi: XAPIClient) -> None:
    for case, (first, again) in DIFFERENT.items():
        sid = str(uuid.uuid4())
        assert put(xapi, sid, first) == 204, case
        assert put(xapi, sid, again) == 409, case
    assert count(xapi) == len(DIFFERENT)


def test_attachment_content_is_not_part_of_the_statement(xapi: XAPIClient) -> None:
    """b6: re-sending a statement whose attachment is only a fileUrl compares the metadata, not any content."""
    sha2 = hashlib.sha256(b"pdf").hexdigest()
    meta = {"usageType": "http://id.tincanapi.com/attachment/certificate-of-completion", "display": {"en-GB": "C"},
            "contentType": "application/pdf", "length": 3, "fileUrl": "https://lscp.example/c.pdf", "sha2": sha2}
    sid = str(uuid.uuid4())
    assert put(xapi, sid, statement(attachments=[meta])) == 204
    assert put(xapi, sid, statement(attachments=[{**meta, "sha2": sha2.upper(), "display": {"EN-gb": "C"}}])) == 204
    assert put(xapi, sid, statement(attachments=[{**meta, "length": 4}])) == 409


def test_timestamps_are_given_back_in_utc_in_every_format(xapi: XAPIClient) -> None:
    """Item 10, Data 4.5.s1.b6: before, "+01:00" came back as sent. Every digit of the fraction is kept (4.5.s1.b3)."""
    sub = {"objectType": "SubStatement", "actor": PAT, "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
           "object": {"id": "https://lscp.example/s"}, "timestamp": "2027-03-29T09:30:00-05:00"}
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    assert put(xapi, first, statement(timestamp="2027-03-13T00:30:00.123456789+01:00")) == 204
    assert put(xapi, second, statement(timestamp="20270313T235900+0530", object=sub)) == 204
    assert put(xapi, third, statement(timestamp="2027-03-13T09:00:00Z")) == 204
    for fmt in ("exact", "ids", "canonical"):
        listed = {s["id"]: s for s in xapi.get(f"/xapi/statements?format={fmt}").get_json()["statements"]}
        assert listed[first]["timestamp"] == "2027-03-12T23:30:00.123456789Z", fmt
        assert listed[second]["timestamp"] == "2027-03-13T18:29:00Z", fmt
        assert listed[second]["object"]["timestamp"] == "2027-03-29T14:30:00Z", fmt
        assert listed[third]["timestamp"] == "2027-03-13T09:00:00Z", fmt
        one = xapi.get(f"/xapi/statements?statementId={first}&format={fmt}").get_json()
        assert one["timestamp"] == "2027-03-12T23:30:00.123456789Z", fmt
        assert all(s["stored"].endswith("Z") for s in listed.values())


def test_a_timestamp_without_a_time_zone_is_given_back_as_sent(xapi: XAPIClient) -> None:
    """A local time names no instant, so there is no UTC form to give (Data 4.5.s1.b4 only recommends a zone)."""
    sid = str(uuid.uuid4())
    assert put(xapi, sid, statement(timestamp="2027-03-13T09:00:00")) == 204
    assert xapi.get(f"/xapi/statements?statementId={sid}").get_json()["timestamp"] == "2027-03-13T09:00:00"
