"""The Agent Profile resource (xAPI 1.0.3 Communication 2.6) through the Flask test client, on each engine."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kernel.clock import FixedClock
from kernel.keys import Identifier
from tests.api.documents import AGENT_PROFILE, ALICE, BOB, COURSE, Documents, later, stored_event_bytes
from tests.api.documents import app_fixture, clock_fixture  # noqa: F401  (fixtures app and clock)
from tests.conftest import XAPIClient

NEW = {"If-None-Match": "*"}
PREFERENCES = "https://w3id.org/xapi/cmi5/cmi5LearnerPreferences"


@pytest.fixture
def alice(xapi: XAPIClient) -> Documents:
    """Alice's profile documents."""
    return Documents(xapi, AGENT_PROFILE, agent=ALICE)


def test_put_then_get_returns_the_profile(alice: Documents) -> None:
    """XAPI-00259, XAPI-00269, XAPI-00273."""
    body = json.dumps({"languagePreference": "en-GB", "audioPreference": "off"})
    assert alice.put(body, headers=NEW, profileId=PREFERENCES).status_code == 204
    got = alice.get(profileId=PREFERENCES)
    assert got.status_code == 200 and got.data == body.encode()
    assert got.headers["ETag"].startswith('"') and len(got.headers["ETag"]) == 42


def test_a_put_without_a_concurrency_header_is_refused(alice: Documents) -> None:
    """Communication 3.1; the suite's XAPI-00273 expects 400 for a new document."""
    assert alice.put(b"{}", profileId="p").status_code == 400
    alice.put(b'{"v": 1}', headers=NEW, profileId="p")
    assert alice.put(b'{"v": 2}', profileId="p").status_code == 409
    assert alice.get(profileId="p").get_json() == {"v": 1}


def test_post_merges_json_profiles(alice: Documents) -> None:
    """XAPI-00275, XAPI-00280."""
    alice.post(b'{"a": 1, "b": {"c": 2}}', profileId="p")
    alice.post(b'{"b": {"d": 3}}', profileId="p")
    assert alice.get(profileId="p").get_json() == {"a": 1, "b": {"d": 3}}


@pytest.mark.parametrize("stored, stored_type, posted, posted_type", [
    (b'{"a": 1}', "application/json", b"abc", "application/x-www-form-urlencoded"),
    (b"abc", "text/plain", b'{"a": 1}', "application/json"),
    (b'{"a": 1}', "application/json", b'{"a": ', "application/json"),
])
def test_post_that_cannot_merge_is_400_and_keeps_the_profile(alice: Documents, stored: bytes, stored_type: str,
                                                             posted: bytes, posted_type: str) -> None:
    """XAPI-00276, XAPI-00281."""
    alice.put(stored, stored_type, NEW, profileId="p")
    assert alice.post(posted, posted_type, profileId="p").status_code == 400
    assert alice.get(profileId="p").data == stored


def test_profiles_belong_to_the_agent_identified(alice: Documents, xapi: XAPIClient) -> None:
    alice.post(b'{"mine": true}', profileId="p")
    bob = Documents(xapi, AGENT_PROFILE, agent=BOB)
    assert bob.get(profileId="p").status_code == 404
    assert bob.ids() == []
    assert Documents(xapi, AGENT_PROFILE, agent={"mbox": ALICE["mbox"]}).get(profileId="p").status_code == 200


def test_a_groups_identifier_in_an_agent_object_is_accepted_but_a_group_is_not(xapi: XAPIClient) -> None:
    """Communication 2.6: "agent" is an Agent, not a Group (XAPI-00258)."""
    team = {"objectType": "Agent", "mbox": "mailto:safeguarding-team@example.org"}
    assert Documents(xapi, AGENT_PROFILE, agent=team).post(b"{}", profileId="p").status_code == 204
    group = Documents(xapi, AGENT_PROFILE, agent={**team, "objectType": "Group"})
    response = group.get(profileId="p")
    assert response.status_code == 400
    assert "Group" in response.get_json()["error"]["message"]


def test_multiple_get_lists_the_agents_profile_ids_since_a_time(alice: Documents, clock: FixedClock) -> None:
    """XAPI-00268, XAPI-00270."""
    alice.post(b"{}", profileId="first")
    since = later(clock)
    alice.post(b"{}", profileId="second")
    assert alice.ids() == ["first", "second"]
    assert alice.ids(since=since) == ["second"]
    assert alice.get(since="yesterday").status_code == 400


def test_delete_removes_the_profile(alice: Documents) -> None:
    """XAPI-00271."""
    alice.post(b"{}", profileId="p")
    assert alice.delete(profileId="p").status_code == 204
    assert alice.get(profileId="p").status_code == 404
    assert alice.ids() == []


@pytest.mark.parametrize("params, named", [
    ({"profileId": "p"}, "agent"),
    ({"agent": "true", "profileId": "p"}, "agent"),
    ({"agent": {"name": "no identifier"}, "profileId": "p"}, "agent"),
    ({"agent": ALICE, "profileId": "p", "activityId": COURSE}, "activityId"),
])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_bad_parameters_are_400_naming_the_parameter(xapi: XAPIClient, app: Any, method: str,
                                                      params: dict[str, Any], named: str) -> None:
    """XAPI-00255 to XAPI-00264."""
    before = stored_event_bytes(app)
    response = xapi.request(method, Documents(xapi, AGENT_PROFILE, **params).url(), data=b"{}",
                            headers={"Content-Type": "application/json", **NEW})
    assert response.status_code == 400
    assert named in response.get_json()["error"]["message"]
    assert stored_event_bytes(app) == before


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_a_write_needs_the_profile_id(alice: Documents, method: str) -> None:
    """XAPI-00265 to XAPI-00267."""
    response = alice.xapi.request(method, alice.url(), data=b"{}", headers={"Content-Type": "application/json", **NEW})
    assert response.status_code == 400
    assert "profileId" in response.get_json()["error"]["message"]


def test_an_agents_profile_is_sealed_and_erased_with_the_person(alice: Documents, app: Any) -> None:
    alice.put(b'{"note": "prefers large print"}', headers=NEW, profileId="p")
    stored = stored_event_bytes(app)
    assert b"alice@example.org" not in stored and b"large print" not in stored
    app.extensions["slrs"].lrs.persons.erase(Identifier("mbox:" + ALICE["mbox"]))
    assert alice.get(profileId="p").status_code == 404
