"""End to end, cmi5 against `slrs serve`: an LMS launches an assignable unit, the unit (tincan) plays its session.

What cmi5 (https://github.com/AICC/CMI-5_Spec_Current, sections 9 to 11) asks
of an LRS: the LMS writes the `LMS.LaunchData` State document for the
registration and the learner's `cmi5LearnerPreferences` Agent Profile, and
records `launched` (cmi5 10.0: the LMS, not the unit, says launched); the
unit reads both documents, then records initialized, completed, passed and
terminated, each carrying the launch data's context template; the LMS reads
the session back by registration.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from tincan import Activity, Agent, RemoteLRS, Statement

from tests.e2e.servers import AUTH, start_server, stop_server

pytestmark = pytest.mark.e2e

LEARNER: dict[str, Any] = {"objectType": "Agent", "account": {"homePage": "https://lms.lscp.example", "name": "worker-0042"}}
COURSE = "https://lscp.example/courses/level-1-elearning"
UNIT = "https://lscp.example/courses/level-1-elearning/au/recognising-abuse"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"
VERBS = "http://adlnet.gov/expapi/verbs/"


@pytest.fixture
def server(environ: dict[str, str]) -> Iterator[str]:
    process, url = start_server(environ, init=True)
    yield url
    stop_server(process)


def send(method: str, url: str, body: bytes | None = None, **headers: str) -> tuple[int, bytes, dict[str, Any]]:
    """One HTTP request as the LMS makes it; its status, body and headers."""
    request = urllib.request.Request(url, data=body, method=method, headers={
        "X-Experience-API-Version": "1.0.3", "Authorization": AUTH, "Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def launch_data(session: str) -> dict[str, Any]:
    """cmi5 10.2.1: what the LMS tells the unit before it launches."""
    return {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"objectType": "Activity", "id": COURSE}]},
            "extensions": {SESSION: session},
        },
        "launchMode": "Normal",
        "launchMethod": "AnyWindow",
        "moveOn": "CompletedAndPassed",
        "masteryScore": 0.8,
        "returnURL": "https://lms.lscp.example/courses/level-1",
    }


def statement(verb: str, registration: str, template: dict[str, Any], *categories: str,
              **extra: Any) -> dict[str, Any]:
    """A cmi5-defined statement: the context template with the registration and the cmi5 category added."""
    context = json.loads(json.dumps(template))
    context["registration"] = registration
    context["contextActivities"]["category"] = [{"id": c} for c in (CMI5, *categories)]
    made = {"id": str(uuid.uuid4()), "actor": LEARNER, "verb": {"id": VERBS + verb, "display": {"en": verb}},
            "object": {"objectType": "Activity", "id": UNIT}, "context": context, **extra}
    return json.loads(json.dumps(made))  # a copy: tincan rewrites the dicts it is given


def test_a_cmi5_unit_reads_its_launch_data_and_the_lms_reads_its_session_back(server: str) -> None:
    registration, session = str(uuid.uuid4()), str(uuid.uuid4())
    state_url = f"{server}/activities/state?" + urlencode(
        {"activityId": UNIT, "agent": json.dumps(LEARNER), "registration": registration, "stateId": "LMS.LaunchData"})
    profile_url = f"{server}/agents/profile?" + urlencode(
        {"agent": json.dumps(LEARNER), "profileId": "cmi5LearnerPreferences"})

    # The LMS: launch data, the learner's preferences (a new profile: If-None-Match), then "launched".
    assert send("PUT", state_url, json.dumps(launch_data(session)).encode())[0] == 204
    preferences = {"languagePreference": "en-GB", "audioPreference": "off"}
    assert send("PUT", profile_url, json.dumps(preferences).encode(), **{"If-None-Match": "*"})[0] == 204
    launched = statement("launched", registration, launch_data(session)["contextTemplate"])
    assert send("POST", f"{server}/statements", json.dumps(launched).encode())[0] == 200

    # The unit, with a real client: read the launch data and the preferences, then play the session.
    lrs = RemoteLRS(version="1.0.3", endpoint=server + "/", username="e2e", password="e2e-secret")
    learner = Agent(account={"home_page": LEARNER["account"]["homePage"], "name": LEARNER["account"]["name"]})
    state = lrs.retrieve_state(Activity(id=UNIT), learner, "LMS.LaunchData", registration=registration)
    assert state.success, state.data
    data = json.loads(state.content.content)
    assert data["launchMode"] == "Normal" and data["contextTemplate"]["extensions"][SESSION] == session
    profile = lrs.retrieve_agent_profile(learner, "cmi5LearnerPreferences")
    assert profile.success and json.loads(profile.content.content) == preferences
    template, mastery = data["contextTemplate"], data["masteryScore"]
    played = [
        statement("initialized", registration, template),
        statement("completed", registration, template, MOVE_ON, result={"completion": True, "duration": "PT9M"}),
        statement("passed", registration, {**template, "extensions": {**template["extensions"], MASTERY: mastery}},
                  MOVE_ON, result={"success": True, "score": {"scaled": 0.9}, "duration": "PT9M"}),
        statement("terminated", registration, template, result={"duration": "PT10M"}),
    ]
    saved = lrs.save_statements([Statement(s) for s in played])
    assert saved.success, saved.data

    # The LMS: the whole session, in order, by registration.
    status, body, headers = send("GET", f"{server}/statements?" + urlencode(
        {"registration": registration, "ascending": "true"}))
    assert status == 200 and "X-Experience-API-Consistent-Through" in headers
    session_statements = json.loads(body)["statements"]
    assert [s["verb"]["id"].removeprefix(VERBS) for s in session_statements] == [
        "launched", "initialized", "completed", "passed", "terminated"]
    for stored in session_statements:
        assert stored["context"]["registration"] == registration
        assert stored["context"]["extensions"][SESSION] == session
        assert stored["context"]["contextActivities"]["grouping"] == [{"objectType": "Activity", "id": COURSE}]
        assert stored["actor"]["account"] == LEARNER["account"]
    assert session_statements[3]["result"]["score"]["scaled"] == 0.9
