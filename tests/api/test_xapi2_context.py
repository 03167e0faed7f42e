"""xAPI 2.0's context.contextAgents and context.contextGroups: validated, stored sealed, queried, downgraded.

xAPI 2.0 (IEEE 9274.1.1-2023) Data 2.4.6 and Communication 2.1.3 (related_agents);
a 1.0.3 reader meets a 2.0 statement downgraded (issue 14). On each engine.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import XAPIClient, statement

V2 = {"X-Experience-API-Version": "2.0.0"}
V1 = {"X-Experience-API-Version": "1.0.3"}
COACH = {"objectType": "Agent", "mbox": "mailto:coach@example.org", "name": "Carol Coach"}
PLAYER = {"objectType": "Agent", "mbox": "mailto:player@example.org"}
TEAM = {"objectType": "Group", "mbox": "mailto:team@example.org", "member": [PLAYER]}
ROLE = "https://lscp.example/activity-types/role/trainer"


def with_context_2(**context: Any) -> dict[str, Any]:
    """A statement whose context holds the given (2.0) properties, with a fresh id."""
    return statement(id=str(uuid.uuid4()), context=context)


def coached() -> dict[str, Any]:
    return with_context_2(
        contextAgents=[{"objectType": "contextAgent", "agent": COACH, "relevantTypes": [ROLE]}],
        contextGroups=[{"objectType": "contextGroup", "group": TEAM}],
    )


def post(xapi: XAPIClient, body: Any, headers: dict[str, str] = V2) -> Any:
    return xapi.post("/xapi/statements", json=body, headers=headers)


def get_one(xapi: XAPIClient, statement_id: str, headers: dict[str, str] = V2) -> dict[str, Any]:
    response = xapi.get(f"/xapi/statements?statementId={statement_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def related_to(xapi: XAPIClient, agent: dict[str, Any], related: bool, headers: dict[str, str] = V2) -> list[str]:
    params = {"agent": json.dumps(agent), **({"related_agents": "true"} if related else {})}
    response = xapi.get(f"/xapi/statements?{urlencode(params)}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return [s["id"] for s in response.get_json()["statements"]]


def test_context_agents_and_groups_are_stored_and_read_back_as_sent(xapi: XAPIClient) -> None:
    sent = coached()
    assert post(xapi, sent).status_code == 200
    read = get_one(xapi, sent["id"])
    assert read["context"] == sent["context"]
    assert read["version"] == "2.0.0"  # a 2.0 statement sent without version is a 2.0.0 statement


def test_a_sub_statement_may_carry_them_too(xapi: XAPIClient) -> None:
    inner = {k: v for k, v in coached().items() if k != "id"}
    sent = statement(id=str(uuid.uuid4()), object={"objectType": "SubStatement", **inner})
    assert post(xapi, sent).status_code == 200
    assert get_one(xapi, sent["id"])["object"]["context"] == inner["context"]


@pytest.mark.parametrize("context, fault", [
    ({"contextAgents": {"objectType": "contextAgent", "agent": COACH}}, "must be an array"),
    ({"contextAgents": [{"objectType": "Agent", "agent": COACH}]}, "contextAgent"),
    ({"contextAgents": [{"agent": COACH}]}, "objectType"),
    ({"contextAgents": [{"objectType": "contextAgent"}]}, "agent"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": {"name": "no identifier"}}]}, "identifier"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": TEAM}]}, "contextGroups"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": COACH, "relevantTypes": []}]}, "at least one"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": COACH, "relevantTypes": ["abc"]}]}, "IRI"),
    ({"contextAgents": [{"objectType": "contextAgent", "agent": COACH, "role": "coach"}]}, "unknown property"),
    ({"contextGroups": [{"objectType": "contextGroup", "group": COACH}]}, "Group"),
    ({"contextGroups": [{"objectType": "contextgroup", "group": TEAM}]}, "contextGroup"),
    ({"contextGroups": [{"objectType": "contextGroup", "group": {"objectType": "Group"}}]}, "member"),
    ({"contextGroups": [{"objectType": "contextGroup", "group": TEAM, "member": [PLAYER]}]}, "unknown property"),
])
def test_a_malformed_context_agent_or_group_is_a_400_naming_the_fault(xapi: XAPIClient, context: dict[str, Any],
                                                                       fault: str) -> None:
    sent = with_context_2(**context)
    response = post(xapi, sent)
    assert response.status_code == 400
    assert fault in response.get_json()["error"]["message"]
    assert xapi.get(f"/xapi/statements?statementId={sent['id']}", headers=V2).status_code == 404


def test_a_1_0_3_request_may_not_send_them(xapi: XAPIClient) -> None:
    """1.0.3 Data 2.4.6 knows neither property, and refuses properties it does not know."""
    response = post(xapi, coached(), V1)
    assert response.status_code == 400
    assert "contextAgents" in response.get_json()["error"]["message"]


def test_related_agents_finds_the_agents_of_context_agents_and_groups(xapi: XAPIClient) -> None:
    """2.0 Communication 2.1.3: related_agents widens `agent` to the context's agents and groups (and members)."""
    sent = coached()
    assert post(xapi, sent).status_code == 200
    for someone in (COACH, TEAM, PLAYER):
        assert related_to(xapi, someone, related=True) == [sent["id"]]
        assert related_to(xapi, someone, related=False) == []  # not the actor, not the object


def test_their_identities_are_never_stored_in_clear(app: Any, xapi: XAPIClient) -> None:
    """The personal-data rule of every stored agent holds for these too: pseudonym and sealed values."""
    assert post(xapi, coached()).status_code == 200
    recorder = app.extensions["slrs"].lrs.recorder
    states = b"".join(n.state for n in recorder.select_notifications(1, 100))
    for address in (b"coach@example.org", b"team@example.org", b"player@example.org", b"Carol Coach"):
        assert address not in states


def test_a_1_0_3_reader_gets_a_2_0_statement_downgraded(xapi: XAPIClient) -> None:
    """As the 1.0.3 data model allows: no contextAgents or contextGroups, version 1.0.0; the rest as stored."""
    sent = {**coached(), "version": "2.0.0"}
    sent["context"]["registration"] = str(uuid.uuid4())
    assert post(xapi, sent).status_code == 200
    for read in (get_one(xapi, sent["id"], V1), xapi.get("/xapi/statements", headers=V1).get_json()["statements"][0]):
        assert read["version"] == "1.0.0"
        assert read["context"] == {"registration": sent["context"]["registration"]}
        assert read["actor"] == sent["actor"]
    assert get_one(xapi, sent["id"], V2)["context"] == sent["context"]  # stored as sent: the downgrade is a view


def test_a_1_0_3_reader_gets_a_sub_statement_downgraded_too(xapi: XAPIClient) -> None:
    inner = {k: v for k, v in coached().items() if k != "id"}
    sent = statement(id=str(uuid.uuid4()), object={"objectType": "SubStatement", **inner})
    assert post(xapi, sent).status_code == 200
    assert get_one(xapi, sent["id"], V1)["object"]["context"] == {}  # nothing else was in it


def test_a_1_0_3_reader_never_meets_them_even_in_a_statement_sent_as_1_0_0(xapi: XAPIClient) -> None:
    """A 2.0 client may send contextAgents in a statement whose version says 1.0.0: 1.0.3 readers still never see them."""
    sent = {**coached(), "version": "1.0.0"}
    assert post(xapi, sent).status_code == 200
    read = get_one(xapi, sent["id"], V1)
    assert "contextAgents" not in read.get("context", {}) and "contextGroups" not in read.get("context", {})
    assert read["version"] == "1.0.0"
    assert get_one(xapi, sent["id"], V2)["context"] == sent["context"]


def test_a_2_0_reader_gets_a_1_0_3_statement_as_stored(xapi: XAPIClient) -> None:
    sent = statement(id=str(uuid.uuid4()), context={"instructor": COACH})
    assert post(xapi, sent, V1).status_code == 200
    as_1, as_2 = get_one(xapi, sent["id"], V1), get_one(xapi, sent["id"], V2)
    assert as_2 == as_1
    assert as_2["version"] == "1.0.0"


def test_version_2_0_0_is_kept_for_2_0_and_refused_from_a_1_0_3_request(xapi: XAPIClient) -> None:
    """Data 2.4.10: a statement keeps the version it was accepted with; 1.0.3 accepts only 1.0.x."""
    sent = statement(id=str(uuid.uuid4()), version="2.0.0")
    assert post(xapi, sent, V1).status_code == 400
    assert post(xapi, sent, V2).status_code == 200
    assert get_one(xapi, sent["id"])["version"] == "2.0.0"
    assert post(xapi, statement(version="2.1.0"), V2).status_code == 400


def test_an_unknown_property_is_refused_under_2_0_as_under_1_0_3(xapi: XAPIClient) -> None:
    """2.0 Data 2.2: no property the data model does not define; 1.0.3 (Data 2.2.s4.b1.b7) refused them already."""
    for headers in (V2, V1):
        response = post(xapi, statement(extra={"not": "in the data model"}), headers)
        assert response.status_code == 400
        assert "extra" in response.get_json()["error"]["message"]
        nested = statement(verb={"id": "http://adlnet.gov/expapi/verbs/completed", "label": "completed"})
        assert post(xapi, nested, headers).status_code == 400


def test_a_1_0_3_statement_stays_valid_under_2_0(xapi: XAPIClient) -> None:
    assert post(xapi, statement(version="1.0.3", context={"team": TEAM}), V2).status_code == 200


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["contextAgent", "contextGroup",
                                                                                       ROLE, "mailto:x@example.org"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["objectType", "agent", "group", "relevantTypes", "mbox", "member", "name", "x"]), inner,
        max_size=4),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(agents=ANY_JSON, groups=ANY_JSON)
def test_whatever_they_hold_the_answer_is_200_or_400(xapi: XAPIClient, agents: Any, groups: Any) -> None:
    """Malformed contextAgents and contextGroups are the client's error, never the server's."""
    response = post(xapi, with_context_2(contextAgents=agents, contextGroups=groups))
    assert response.status_code in (200, 400), response.get_json()
