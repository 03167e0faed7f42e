"""The State resource (xAPI 1.0.3 Communication 2.2, 2.3) through the Flask test client, on each engine."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from kernel.clock import FixedClock
from kernel.keys import Identifier
from lrs.documents.model import STATE as STATE_KIND
from lrs.documents.model import DocumentScope
from tests.api.documents import (ALICE, BOB, COURSE, REGISTRATION, STATE, Documents, auth, later,
                                 stored_event_bytes)
from tests.api.documents import app_fixture, clock_fixture  # noqa: F401  (fixtures app and clock)
from tests.conftest import XAPIClient


@pytest.fixture
def state(xapi: XAPIClient) -> Documents:
    """Alice's state in the level 1 course."""
    return Documents(xapi, STATE, activityId=COURSE, agent=ALICE)


def test_put_stores_any_content_byte_for_byte_and_get_returns_it_with_its_type(state: Documents) -> None:
    """Communication 2.2: "contents" is arbitrary binary data; XAPI-00188, XAPI-00190."""
    suspend_data = b"\x00\xffbookmark=slide-7\r\n\xe9"
    assert state.put(suspend_data, "application/octet-stream", stateId="suspend").status_code == 204
    got = state.get(stateId="suspend")
    assert got.status_code == 200
    assert got.data == suspend_data
    assert got.headers["Content-Type"] == "application/octet-stream"
    assert got.headers["ETag"] == f'"{hashlib.sha1(suspend_data).hexdigest()}"'
    assert got.headers["Last-Modified"] == "Mon, 01 Mar 2027 09:00:00 GMT"


def test_json_is_returned_exactly_as_sent_not_reserialised(state: Documents) -> None:
    body = b'{ "b" : 1.50,\n  "a": "caf\xc3\xa9" }'
    state.put(body, "application/json; charset=utf-8", stateId="prefs")
    got = state.get(stateId="prefs")
    assert got.data == body
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"


def test_head_answers_as_get_without_the_body(state: Documents) -> None:
    """Communication 1.1: HEAD wherever GET is."""
    state.put(b"abc", "text/plain", stateId="bookmark")
    head = state.head(stateId="bookmark")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == state.get(stateId="bookmark").headers["ETag"]
    assert state.head(stateId="nothing-here").status_code == 404
    assert state.head().status_code == 200


def test_a_document_never_written_is_404(state: Documents) -> None:
    response = state.get(stateId="never")
    assert response.status_code == 404
    assert "never" in response.get_json()["error"]["message"]


def test_put_replaces_the_whole_document(state: Documents) -> None:
    state.put(b'{"a": 1, "b": 2}', stateId="s")
    state.put(b'{"c": 3}', stateId="s")
    assert state.get(stateId="s").get_json() == {"c": 3}


def test_post_of_a_new_document_stores_it_as_a_put_would(state: Documents) -> None:
    """Communication 2.2.s7, XAPI-00233."""
    assert state.post(b'{"x": "foo"}', stateId="new").status_code == 204
    assert state.get(stateId="new").data == b'{"x": "foo"}'


def test_post_merges_top_level_properties_and_replaces_nested_objects_whole(state: Documents) -> None:
    """Communication 2.2 "JSON Procedure": XAPI-00183, XAPI-00184, XAPI-00234."""
    state.post(json.dumps({"x": "foo", "y": "bar", "car": {"make": "Ford", "model": "Escape"}}), stateId="merge")
    assert state.post(json.dumps({"x": "bash", "z": "faz", "car": {"make": "Dodge"}}), stateId="merge").status_code == 204
    got = state.get(stateId="merge")
    assert got.get_json() == {"x": "bash", "y": "bar", "z": "faz", "car": {"make": "Dodge"}}
    assert got.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("stored, stored_type, posted, posted_type", [
    (b'{"a": 1}', "application/json", b"abc", "text/plain"),
    (b"/ asdf / undefined", "application/octet-stream", b'{"a": 1}', "application/json"),
    (b'{"a": 1}', "application/json", b'{"a": 1}{', "application/json"),
    (b'{"a": 1}', "application/json", b"[1, 2]", "application/json"),
    (b"[1, 2]", "application/json", b'{"a": 1}', "application/json"),
])
def test_post_that_cannot_merge_is_400_and_leaves_the_document_as_it_was(
        state: Documents, stored: bytes, stored_type: str, posted: bytes, posted_type: str) -> None:
    """Communication 2.2.s8.b1, XAPI-00229, XAPI-00232: both must be application/json objects."""
    state.put(stored, stored_type, stateId="kept")
    response = state.post(posted, posted_type, stateId="kept")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"]
    assert state.get(stateId="kept").data == stored


def test_registration_keeps_documents_apart(state: Documents) -> None:
    """Communication 2.3: a state lives in the context of activity, agent and registration (if given)."""
    state.put(b"with", "text/plain", stateId="s", registration=REGISTRATION)
    state.put(b"without", "text/plain", stateId="s")
    assert state.get(stateId="s", registration=REGISTRATION.upper()).data == b"with"
    assert state.get(stateId="s").data == b"without"
    assert state.ids(registration=REGISTRATION) == ["s"]


def test_the_agent_is_its_identifier_whatever_else_the_parameter_says(state: Documents, xapi: XAPIClient) -> None:
    state.put(b"mine", "text/plain", stateId="s")
    same_person = Documents(xapi, STATE, activityId=COURSE, agent={"mbox": ALICE["mbox"], "name": "A. Example"})
    assert same_person.get(stateId="s").data == b"mine"
    someone_else = Documents(xapi, STATE, activityId=COURSE, agent=BOB)
    assert someone_else.get(stateId="s").status_code == 404
    assert someone_else.ids() == []


def test_multiple_get_lists_the_ids_of_the_context(state: Documents, xapi: XAPIClient) -> None:
    """Communication 2.3 "Multiple Document GET", XAPI-00193."""
    state.put(b"1", "text/plain", stateId="bookmark")
    state.put(b"2", "text/plain", stateId="suspend", registration=REGISTRATION)
    Documents(xapi, STATE, activityId=COURSE + "/other", agent=ALICE).put(b"3", "text/plain", stateId="elsewhere")
    response = state.get()
    assert response.status_code == 200
    assert sorted(response.get_json()) == ["bookmark", "suspend"]
    assert response.headers["Last-Modified"].endswith("GMT")
    assert state.ids(registration=REGISTRATION) == ["suspend"]


def test_since_lists_only_documents_written_after_it(state: Documents, clock: FixedClock) -> None:
    """Communication 2.3: since is exclusive; XAPI-00195, XAPI-00221."""
    state.put(b"old", "text/plain", stateId="old")
    since = later(clock)
    state.put(b"new", "text/plain", stateId="new")
    assert state.ids(since=since) == ["new"]
    assert state.ids(since="2027-03-01T10:00:00+01:00") == ["new"]  # the same instant as the first write: exclusive
    state.put(b"again", "text/plain", stateId="old")
    assert sorted(state.ids(since=since)) == ["new", "old"]


def test_delete_removes_one_document_and_deleting_it_again_is_fine(state: Documents) -> None:
    """XAPI-00187, XAPI-00216."""
    state.put(b"x", "text/plain", stateId="gone")
    state.put(b"y", "text/plain", stateId="stays")
    assert state.delete(stateId="gone").status_code == 204
    assert state.get(stateId="gone").status_code == 404
    assert state.ids() == ["stays"]
    assert state.delete(stateId="gone").status_code == 204


def test_delete_without_state_id_removes_the_whole_context_and_nothing_else(state: Documents,
                                                                          xapi: XAPIClient) -> None:
    """Communication 2.3 "Multiple Document DELETE", XAPI-00194."""
    other_course = Documents(xapi, STATE, activityId=COURSE + "/other", agent=ALICE)
    bob = Documents(xapi, STATE, activityId=COURSE, agent=BOB)
    for documents in (state, other_course, bob):
        documents.put(b"1", "text/plain", stateId="a")
    state.put(b"2", "text/plain", stateId="b", registration=REGISTRATION)
    assert state.delete().status_code == 204
    assert state.ids() == []
    assert other_course.ids() == ["a"] and bob.ids() == ["a"]


def test_delete_with_registration_removes_only_that_registrations_documents(state: Documents) -> None:
    state.put(b"1", "text/plain", stateId="a")
    state.put(b"2", "text/plain", stateId="b", registration=REGISTRATION)
    assert state.delete(registration=REGISTRATION).status_code == 204
    assert state.ids() == ["a"]


def test_a_document_written_again_after_deletion_reads_back(state: Documents) -> None:
    state.put(b"first", "text/plain", stateId="s")
    state.delete(stateId="s")
    state.put(b"second", "text/plain", stateId="s")
    assert state.get(stateId="s").data == b"second"


@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
@pytest.mark.parametrize("params, named", [
    ({"agent": ALICE, "stateId": "s"}, "activityId"),
    ({"activityId": COURSE, "stateId": "s"}, "agent"),
    ({"activityId": "not an IRI", "agent": ALICE, "stateId": "s"}, "activityId"),
    ({"activityId": COURSE, "agent": "not JSON", "stateId": "s"}, "agent"),
    ({"activityId": COURSE, "agent": "true", "stateId": "s"}, "agent"),
    ({"activityId": COURSE, "agent": {"mbox": "alice@example.org"}, "stateId": "s"}, "agent"),
    ({"activityId": COURSE, "agent": {"objectType": "Group", "member": [ALICE]}, "stateId": "s"}, "agent"),
    ({"activityId": COURSE, "agent": ALICE, "stateId": "s", "registration": "true"}, "registration"),
    ({"activityId": COURSE, "agent": ALICE, "stateId": "s", "colour": "blue"}, "colour"),
    ({"activityId": COURSE, "agent": ALICE, "stateId": ""}, "stateId"),
])
def test_bad_parameters_are_400_naming_the_parameter_and_store_nothing(
        xapi: XAPIClient, app: Any, method: str, params: dict[str, Any], named: str) -> None:
    """Communication 2.3.s3.table1, XAPI-00196 to XAPI-00215."""
    before = stored_event_bytes(app)
    url = Documents(xapi, STATE, **params).url()
    response = xapi.request(method, url, data=b'{"a": 1}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert named in response.get_json()["error"]["message"]
    assert stored_event_bytes(app) == before


@pytest.mark.parametrize("method", ["PUT", "POST"])
def test_a_write_needs_the_state_id(state: Documents, method: str) -> None:
    """XAPI-00206, XAPI-00211."""
    response = state.xapi.request(method, state.url(), data=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "stateId" in response.get_json()["error"]["message"]


def test_since_must_be_a_timestamp_and_goes_only_with_a_get_of_ids(state: Documents) -> None:
    """XAPI-00204."""
    assert "since" in state.get(since="not a timestamp").get_json()["error"]["message"]
    assert state.get(stateId="s", since="2027-01-01T00:00:00Z").status_code == 400
    assert state.put(b"{}", stateId="s", since="2027-01-01T00:00:00Z").status_code == 400


def test_a_post_of_invalid_json_is_400_even_for_a_new_document(state: Documents) -> None:
    """XAPI-00235."""
    assert state.post(b'{"a": 1', stateId="s").status_code == 400
    assert state.get(stateId="s").status_code == 404


def test_the_state_scope_reads_and_writes_state_and_nothing_more(xapi: XAPIClient) -> None:
    """Communication 4.2: `state`; all/read reads it; statements scopes do not reach it."""
    as_state = Documents(xapi, STATE, activityId=COURSE, agent=ALICE)
    assert as_state.put(b"1", "text/plain", headers=auth("state"), stateId="s").status_code == 204
    assert xapi.get(as_state.url(stateId="s"), headers=auth("all/read")).status_code == 200
    assert xapi.put(as_state.url(stateId="s"), data=b"2", headers=auth("all/read")).status_code == 403
    assert xapi.as_("reader").get(as_state.url(stateId="s")).status_code == 403
    assert xapi.as_("poster").put(as_state.url(stateId="s"), data=b"2").status_code == 403


def test_each_write_and_the_deletion_is_an_event_an_auditor_can_read(state: Documents, app: Any,
                                                                     clock: FixedClock) -> None:
    """DESIGN.md: nothing is updated in place; a deletion is an event too."""
    state.put(b'{"slide": 1}', stateId="s")
    later(clock)
    state.post(b'{"score": 5}', stateId="s")
    later(clock)
    state.delete(stateId="s")
    key = DocumentScope(STATE_KIND, COURSE, ALICE).key("s")
    history = app.extensions["slrs"].lrs.documents.list_document_versions(key)
    assert [(v.updated, v.document.content if v.document else None) for v in history] == [
        ("2027-03-01T09:00:00.000000Z", b'{"slide": 1}'),
        ("2027-03-01T09:01:00.000000Z", b'{"slide":1,"score":5}'),
        ("2027-03-01T09:02:00.000000Z", None),
    ]


def test_the_agent_and_the_content_are_sealed_in_the_events(state: Documents, app: Any) -> None:
    """An agent's documents are personal data: sealed with the person's key, as statements are."""
    state.put(b"Alice's private reflection", "text/plain", stateId="journal")
    stored = stored_event_bytes(app)
    assert b"alice@example.org" not in stored
    assert b"private reflection" not in stored
    assert b"journal" in stored  # the document's id is not personal


def test_erasing_the_person_erases_their_documents(state: Documents, app: Any) -> None:
    state.put(b"secret", "text/plain", stateId="s")
    assert app.extensions["slrs"].lrs.persons.erase(Identifier("mbox:" + ALICE["mbox"]))
    assert state.get(stateId="s").status_code == 404
    assert state.ids() == []
    key = DocumentScope(STATE_KIND, COURSE, ALICE).key("s")
    assert app.extensions["slrs"].lrs.documents.list_document_versions(key) == []


def test_the_index_rebuilt_from_the_events_lists_what_it_listed(state: Documents, xapi: XAPIClient, app: Any,
                                                                clock: FixedClock) -> None:
    """The index is derived: wiped and rebuilt from the documents' events, multiple GETs answer as before."""
    state.put(b"1", "text/plain", stateId="kept")
    since = later(clock)
    state.put(b"2", "text/plain", stateId="rewritten")
    state.put(b"3", "text/plain", stateId="gone", registration=REGISTRATION)
    state.delete(stateId="gone", registration=REGISTRATION)
    bob = Documents(xapi, STATE, activityId=COURSE, agent=BOB)
    bob.put(b"4", "text/plain", stateId="bobs")
    lrs = app.extensions["slrs"].lrs
    with lrs.recorder.datastore.transaction(commit=True) as cursor:
        cursor.execute("DELETE FROM slrs_documents")
    assert state.ids() == []
    assert lrs.documents.rebuild_index(page_size=2) == 4
    assert state.ids() == ["kept", "rewritten"]
    assert state.ids(since=since) == ["rewritten"]
    assert bob.ids() == ["bobs"]
