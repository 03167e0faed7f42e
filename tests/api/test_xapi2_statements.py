"""What else xAPI 2.0 changed for statements and documents: timestamps, Last-Modified, durations, State writes.

xAPI 2.0 (IEEE 9274.1.1-2023) Data 4.5 (RFC 3339 timestamps, given back in
UTC), Data 2.4.7 (timestamp defaults to stored), Communication 2.1.3 and 2.2
(Last-Modified), Data 4.6 (durations compared to 0.01 second) and
Communication 3.1 (the State under concurrency control). On each engine.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from tests.conftest import XAPIClient, statement

V2 = {"X-Experience-API-Version": "2.0.0"}
V1 = {"X-Experience-API-Version": "1.0.3"}
STATE = "/xapi/activities/state"
STATE_QUERY = ("activityId=https%3A%2F%2Flscp.example%2Fcourses%2Flevel-1"
               "&agent=%7B%22mbox%22%3A%22mailto%3Aalice%40example.org%22%7D&stateId=bookmark")


def put(xapi: XAPIClient, body: dict[str, Any], headers: dict[str, str] = V2) -> Any:
    return xapi.put(f"/xapi/statements?statementId={body['id']}", json=body, headers=headers)


def get_one(xapi: XAPIClient, statement_id: str, headers: dict[str, str] = V2) -> Any:
    return xapi.get(f"/xapi/statements?statementId={statement_id}", headers=headers)


def test_an_rfc_3339_timestamp_with_an_offset_is_accepted_and_given_back_in_utc(xapi: XAPIClient) -> None:
    """2.0 Data 4.5: RFC 3339 timestamps; the LRS gives them back in UTC, the same instant."""
    sent = statement(id=str(uuid.uuid4()), timestamp="2023-05-04T12:00:00.250-05:00")
    assert put(xapi, sent).status_code == 204
    read = get_one(xapi, sent["id"]).get_json()
    assert read["timestamp"] == "2023-05-04T17:00:00.250Z"


def test_a_plus_zero_offset_is_accepted_and_an_unknown_offset_refused(xapi: XAPIClient) -> None:
    """RFC 3339 4.3: +00:00 is UTC; -00:00 means "offset unknown", which xAPI refuses (Data 4.5)."""
    assert put(xapi, statement(id=str(uuid.uuid4()), timestamp="2008-09-15T15:53:00.601+00:00")).status_code == 204
    assert put(xapi, statement(id=str(uuid.uuid4()), timestamp="2008-09-15T15:53:00.601-00:00")).status_code == 400


def test_a_statement_without_timestamp_gets_its_stored_time(xapi: XAPIClient) -> None:
    """2.0 Data 2.4.7: the LRS sets timestamp to stored when it is not given."""
    sent = statement(id=str(uuid.uuid4()))
    assert put(xapi, sent).status_code == 204
    read = get_one(xapi, sent["id"]).get_json()
    assert read["timestamp"] == read["stored"]
    assert read["stored"].endswith("Z")


def test_last_modified_of_one_statement_is_its_stored_time(xapi: XAPIClient) -> None:
    """2.0 Communication 2.1.3: Last-Modified matches the stored timestamp (to the second HTTP dates hold)."""
    sent = statement(id=str(uuid.uuid4()))
    assert put(xapi, sent).status_code == 204
    response = get_one(xapi, sent["id"])
    stored = datetime.fromisoformat(response.get_json()["stored"])
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == stored.replace(microsecond=0)


def test_last_modified_of_a_page_is_its_latest_stored_time(xapi: XAPIClient) -> None:
    for _ in range(3):
        assert xapi.post("/xapi/statements", json=statement(), headers=V2).status_code == 200
    response = xapi.get("/xapi/statements", headers=V2)
    latest = max(datetime.fromisoformat(s["stored"]) for s in response.get_json()["statements"])
    assert parsedate_to_datetime(response.headers["Last-Modified"]) == latest.replace(microsecond=0)


def test_last_modified_of_a_document(xapi: XAPIClient) -> None:
    """2.0 Communication 2.2: a document GET says when the document last changed."""
    assert xapi.put(f"{STATE}?{STATE_QUERY}", data=b'{"page": 3}', content_type="application/json",
                    headers=V2).status_code == 204
    response = xapi.get(f"{STATE}?{STATE_QUERY}", headers=V2)
    assert response.status_code == 200
    assert parsedate_to_datetime(response.headers["Last-Modified"]).tzinfo is not None


def test_durations_are_compared_to_the_hundredth_of_a_second(xapi: XAPIClient) -> None:
    """2.0 Data 4.6: precision beyond 0.01 s is left out of comparisons, so the same statement sent again
    with more digits is the same statement (204), while another hundredth is another statement (409)."""
    statement_id = str(uuid.uuid4())
    assert put(xapi, statement(id=statement_id, result={"duration": "PT1M0.12S"})).status_code == 204
    assert put(xapi, statement(id=statement_id, result={"duration": "PT1M0.1237S"})).status_code == 204
    assert put(xapi, statement(id=statement_id, result={"duration": "PT1M0.13S"})).status_code == 409
    assert get_one(xapi, statement_id).get_json()["result"]["duration"] == "PT1M0.12S"


def _put_state(xapi: XAPIClient, body: bytes, headers: dict[str, str]) -> Any:
    return xapi.put(f"{STATE}?{STATE_QUERY}", data=body, content_type="application/json", headers=headers)


def test_a_2_0_state_put_without_a_precondition_may_not_replace_a_document(xapi: XAPIClient) -> None:
    """2.0 Communication 3.1: the State joins the profiles under concurrency control: 409, the document kept."""
    assert _put_state(xapi, b'{"page": 1}', V2).status_code == 204  # a new document needs no precondition
    response = _put_state(xapi, b'{"page": 2}', V2)
    assert response.status_code == 409
    assert "If-Match" in response.get_json()["error"]["message"]
    current = xapi.get(f"{STATE}?{STATE_QUERY}", headers=V2)
    assert current.get_json() == {"page": 1}
    assert _put_state(xapi, b'{"page": 2}', {**V2, "If-Match": current.headers["ETag"]}).status_code == 204
    assert xapi.get(f"{STATE}?{STATE_QUERY}", headers=V2).get_json() == {"page": 2}


def test_a_1_0_3_state_put_replaces_a_document_as_before(xapi: XAPIClient) -> None:
    assert _put_state(xapi, b'{"page": 1}', V1).status_code == 204
    assert _put_state(xapi, b'{"page": 2}', V1).status_code == 204
    assert xapi.get(f"{STATE}?{STATE_QUERY}", headers=V1).get_json() == {"page": 2}
