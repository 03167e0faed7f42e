"""The Activity Profile resource (xAPI 1.0.3 Communication 2.7) through the Flask test client, on each engine."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from kernel.clock import FixedClock
from tests.api.documents import ACTIVITY_PROFILE, ALICE, COURSE, Documents, auth, later, stored_event_bytes
from tests.api.documents import app_fixture, clock_fixture  # noqa: F401  (fixtures app and clock)
from tests.conftest import XAPIClient

NEW = {"If-None-Match": "*"}


@pytest.fixture
def profiles(xapi: XAPIClient) -> Documents:
    """The level 1 course's profile documents."""
    return Documents(xapi, ACTIVITY_PROFILE, activityId=COURSE)


def test_put_then_get_returns_the_document_its_type_and_etag(profiles: Documents) -> None:
    """XAPI-00287, XAPI-00288, XAPI-00290."""
    assert profiles.put(b"<outline/>", "application/xml", NEW, profileId="outline").status_code == 204
    got = profiles.get(profileId="outline")
    assert (got.status_code, got.data, got.headers["Content-Type"]) == (200, b"<outline/>", "application/xml")
    assert got.headers["ETag"] == f'"{hashlib.sha1(b"<outline/>").hexdigest()}"'


def test_a_put_without_if_match_or_if_none_match_is_refused(profiles: Documents) -> None:
    """Communication 3.1: a PUT to a profile carries one of them; the suite expects 400 for a new document."""
    response = profiles.put(b"{}", profileId="p")
    assert response.status_code == 400
    assert "If-None-Match" in response.get_json()["error"]["message"]
    assert profiles.get(profileId="p").status_code == 404


def test_a_put_without_either_header_onto_an_existing_profile_is_409_and_changes_nothing(profiles: Documents) -> None:
    """Communication 3.1: 409, with a message saying to GET the document and send If-Match."""
    profiles.put(b'{"v": 1}', headers=NEW, profileId="p")
    response = profiles.put(b'{"v": 2}', profileId="p")
    assert response.status_code == 409
    assert "If-Match" in response.get_json()["error"]["message"]
    assert profiles.get(profileId="p").get_json() == {"v": 1}


def test_post_stores_a_new_profile_and_merges_into_an_existing_one(profiles: Documents) -> None:
    """XAPI-00308, XAPI-00310: POST needs no concurrency header."""
    assert profiles.post(json.dumps({"car": "Honda"}), profileId="p").status_code == 204
    assert profiles.post(json.dumps({"type": "Civic"}), profileId="p").status_code == 204
    assert profiles.get(profileId="p").get_json() == {"car": "Honda", "type": "Civic"}


def test_post_onto_a_document_that_is_not_json_is_400(profiles: Documents) -> None:
    """XAPI-00309."""
    profiles.put(b"plain words", "text/plain", NEW, profileId="p")
    assert profiles.post(b'{"a": 1}', profileId="p").status_code == 400
    assert profiles.get(profileId="p").data == b"plain words"


def test_multiple_get_lists_the_activitys_profile_ids_since_a_time(profiles: Documents, xapi: XAPIClient,
                                                                    clock: FixedClock) -> None:
    """XAPI-00289, XAPI-00294, XAPI-00303."""
    profiles.post(b"{}", profileId="first")
    since = later(clock)
    profiles.post(b"{}", profileId="second")
    Documents(xapi, ACTIVITY_PROFILE, activityId=COURSE + "/other").post(b"{}", profileId="elsewhere")
    assert profiles.ids() == ["first", "second"]
    assert profiles.ids(since=since) == ["second"]
    assert profiles.get(since="true").status_code == 400


def test_delete_removes_the_profile_and_a_missing_one_is_fine(profiles: Documents) -> None:
    """XAPI-00285, XAPI-00291."""
    profiles.post(b"{}", profileId="p")
    assert profiles.delete(profileId="p").status_code == 204
    assert profiles.get(profileId="p").status_code == 404
    assert profiles.delete(profileId="never").status_code == 204


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_a_write_needs_the_profile_id(profiles: Documents, method: str) -> None:
    """XAPI-00300 to XAPI-00302."""
    response = profiles.xapi.request(method, profiles.url(), data=b"{}",
                                     headers={"Content-Type": "application/json", **NEW})
    assert response.status_code == 400
    assert "profileId" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("params, named", [
    ({"profileId": "p"}, "activityId"),
    ({"activityId": "no scheme", "profileId": "p"}, "activityId"),
    ({"activityId": COURSE, "profileId": "p", "agent": ALICE}, "agent"),
    ({"activityId": COURSE, "profileId": "p", "registration": "6f1c0b6e-3c1a-4d4e-9a55-0e2f6b7c8d90"}, "registration"),
])
@pytest.mark.parametrize("method", ["GET", "PUT", "POST", "DELETE"])
def test_bad_parameters_are_400_naming_the_parameter(xapi: XAPIClient, app: Any, method: str,
                                                      params: dict[str, Any], named: str) -> None:
    """XAPI-00296 to XAPI-00299."""
    before = stored_event_bytes(app)
    response = xapi.request(method, Documents(xapi, ACTIVITY_PROFILE, **params).url(), data=b"{}",
                            headers={"Content-Type": "application/json", **NEW})
    assert response.status_code == 400
    assert named in response.get_json()["error"]["message"]
    assert stored_event_bytes(app) == before


def test_the_profile_scope_reads_and_writes_profiles_but_not_state(profiles: Documents, xapi: XAPIClient) -> None:
    """Communication 4.2: `profile`."""
    assert profiles.put(b"{}", headers={**NEW, **auth("profile")}, profileId="p").status_code == 204
    assert xapi.get(profiles.url(profileId="p"), headers=auth("profile")).status_code == 200
    state_url = Documents(xapi, "/xapi/activities/state", activityId=COURSE, agent=ALICE).url(stateId="s")
    assert xapi.get(state_url, headers=auth("profile")).status_code == 403
    assert profiles.put(b"{}", headers={**NEW, **auth("state")}, profileId="q").status_code == 403


def test_an_activitys_profile_is_not_personal_so_it_is_kept_in_clear(profiles: Documents, app: Any) -> None:
    profiles.put(b"course outline", "text/plain", NEW, profileId="outline")
    assert b"Y291cnNlIG91dGxpbmU=" in stored_event_bytes(app)  # base64 of the content
