"""The Activities and Agents resources (xAPI 1.0.3 Communication 2.4, 2.5) through the Flask test client, on each engine."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from werkzeug.test import TestResponse

from lrs.personal import identifier_of
from tests.conftest import XAPIClient, statement

MEETING = "https://lscp.example/sessions/2027-03-29"
ALICE = {"objectType": "Agent", "mbox": "mailto:alice@example.org"}


def post(xapi: XAPIClient, *statements: dict[str, Any]) -> None:
    response = xapi.post("/xapi/statements", data=json.dumps(list(statements)), content_type="application/json")
    assert response.status_code == 200, response.get_json()


def activity(xapi: XAPIClient, activity_id: str = MEETING) -> Any:
    response = xapi.get("/xapi/activities", query_string={"activityId": activity_id})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def person(xapi: XAPIClient, agent: dict[str, Any]) -> Any:
    response = xapi.get("/xapi/agents", query_string={"agent": json.dumps(agent)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def defines(definition: dict[str, Any], activity_id: str = MEETING, **overrides: Any) -> dict[str, Any]:
    return statement(object={"objectType": "Activity", "id": activity_id, "definition": definition}, **overrides)


# Activities (Communication 2.5)

def test_an_activity_reads_back_as_the_statement_defined_it(xapi: XAPIClient) -> None:
    """XAPI-00251: the complete Activity object."""
    definition = {"type": "http://adlnet.gov/expapi/activities/meeting", "name": {"en-GB": "Level 2 session"},
                  "description": {"en-GB": "Working Together"}, "moreInfo": "https://lscp.example/l2",
                  "extensions": {"https://lscp.example/ext/venue": {"room": "B2", "seats": 24}}}
    post(xapi, defines(definition))
    assert activity(xapi) == {"objectType": "Activity", "id": MEETING, "definition": definition}


def test_two_statements_in_other_languages_give_both_languages(xapi: XAPIClient) -> None:
    """XAPI-00254: every language any statement gave, in one batch or in two."""
    post(xapi, defines({"name": {"en-GB": "meeting", "en-US": "meeting"}}),
         defines({"name": {"fr-FR": "réunion"}}))
    post(xapi, defines({"name": {"de-DE": "Sitzung"}, "description": {"en-GB": "A session"}}))
    got = activity(xapi)["definition"]
    assert got["name"] == {"en-GB": "meeting", "en-US": "meeting", "fr-FR": "réunion", "de-DE": "Sitzung"}
    assert got["description"] == {"en-GB": "A session"}


def test_a_later_statement_wins_key_by_key(xapi: XAPIClient) -> None:
    post(xapi, defines({"name": {"en-GB": "Old title"}, "moreInfo": "https://lscp.example/old",
                        "extensions": {"https://lscp.example/ext/a": 1, "https://lscp.example/ext/b": 1}}))
    post(xapi, defines({"name": {"en-GB": "New title"}, "extensions": {"https://lscp.example/ext/b": 2}}))
    assert activity(xapi)["definition"] == {
        "name": {"en-GB": "New title"}, "moreInfo": "https://lscp.example/old",
        "extensions": {"https://lscp.example/ext/a": 1, "https://lscp.example/ext/b": 2}}


def test_a_new_interaction_type_replaces_the_old_interaction(xapi: XAPIClient) -> None:
    post(xapi, defines({"interactionType": "choice", "correctResponsesPattern": ["a"],
                        "choices": [{"id": "a", "description": {"en-GB": "Yes"}}, {"id": "b"}]}))
    post(xapi, defines({"interactionType": "choice", "choices": [{"id": "a", "description": {"fr-FR": "Oui"}}]}))
    assert activity(xapi)["definition"] == {"interactionType": "choice", "correctResponsesPattern": ["a"],
                                            "choices": [{"id": "a", "description": {"en-GB": "Yes", "fr-FR": "Oui"}}]}
    post(xapi, defines({"interactionType": "true-false", "correctResponsesPattern": ["true"]}))
    assert activity(xapi)["definition"] == {"interactionType": "true-false", "correctResponsesPattern": ["true"]}


def test_context_and_sub_statement_activities_are_defined_too(xapi: XAPIClient) -> None:
    group_3 = "https://lscp.example/pathways/group-3"
    parent = {"id": group_3, "definition": {"name": {"en-GB": "Group 3"}}}
    sub = {"objectType": "SubStatement", "actor": ALICE, "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
           "object": {"id": MEETING, "definition": {"name": {"en-GB": "Planned session"}}}}
    post(xapi, statement(object=sub, context={"contextActivities": {"parent": parent}}))
    assert activity(xapi, group_3)["definition"] == {"name": {"en-GB": "Group 3"}}
    assert activity(xapi)["definition"] == {"name": {"en-GB": "Planned session"}}


def test_an_activity_no_statement_defined_is_still_an_activity_object(xapi: XAPIClient) -> None:
    """Communication 2.5: "SHOULD* still return an Activity Object" (the 2.0 suite requires it), not a 404."""
    post(xapi, statement(object={"id": MEETING}))
    assert activity(xapi) == {"objectType": "Activity", "id": MEETING}
    assert activity(xapi, "https://lscp.example/never-seen") == {"objectType": "Activity",
                                                                  "id": "https://lscp.example/never-seen"}


def test_a_voided_statement_keeps_its_definition(xapi: XAPIClient) -> None:
    first = defines({"name": {"en-GB": "Kept"}})
    first["id"] = "7d6c1f0e-5a11-4c4e-9a3f-2b8f0b6a9e01"
    post(xapi, first)
    post(xapi, statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                         object={"objectType": "StatementRef", "id": first["id"]}))
    assert activity(xapi)["definition"] == {"name": {"en-GB": "Kept"}}


def test_activity_id_missing_repeated_not_an_iri_or_with_others_is_400(xapi: XAPIClient) -> None:
    """XAPI-00250, and Communication 2.5's one parameter."""
    for query in ("", "activityId=true", f"activityId={MEETING}&activityId={MEETING}",
                  f"activityId={MEETING}&agent=x", "activityId="):
        response = xapi.get(f"/xapi/activities?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["message"]


def test_head_of_an_activity_has_the_get_headers_and_no_body(xapi: XAPIClient) -> None:
    post(xapi, defines({"name": {"en-GB": "Level 2"}}))
    got = xapi.get("/xapi/activities", query_string={"activityId": MEETING})
    head = xapi.request("HEAD", "/xapi/activities", query_string={"activityId": MEETING})
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"] == f'"{hashlib.sha1(got.data).hexdigest()}"'
    assert head.headers["X-Experience-API-Version"] == "1.0.3"
    assert head.headers["Content-Type"] == "application/json"


def test_activities_need_a_scope_that_reads(xapi: XAPIClient) -> None:
    assert xapi.as_("poster").get("/xapi/activities", query_string={"activityId": MEETING}).status_code == 403
    assert xapi.as_("reader").get("/xapi/activities", query_string={"activityId": MEETING}).status_code == 200


# Agents (Communication 2.4)

def test_a_person_holds_every_name_statements_gave_the_agent(xapi: XAPIClient) -> None:
    """XAPI-00248, XAPI-00237, XAPI-00238, XAPI-00239."""
    post(xapi, statement(actor={**ALICE, "name": "Alice Example"}))
    post(xapi, statement(actor={**ALICE, "name": "Alice Example"}),
         statement(actor={"mbox": "mailto:bob@example.org"}, object={**ALICE, "name": "Alice E. Smith"}))
    assert person(xapi, ALICE) == {"objectType": "Person", "name": ["Alice Example", "Alice E. Smith"],
                                   "mbox": ["mailto:alice@example.org"]}
    assert person(xapi, {**ALICE, "name": "Ally"})["name"] == ["Alice Example", "Alice E. Smith", "Ally"]


def test_an_agent_never_seen_is_a_person_of_what_the_request_holds(xapi: XAPIClient) -> None:
    """XAPI-00236 and Communication 2.4: "MUST still return a Person Object"."""
    agent = {"objectType": "Agent", "name": "Rick James",
             "account": {"homePage": "http://www.example.com/agentId/1", "name": "Rick James"}}
    assert person(xapi, agent) == {"objectType": "Person", "name": ["Rick James"],
                                   "account": [{"homePage": "http://www.example.com/agentId/1", "name": "Rick James"}]}
    assert person(xapi, {"openid": "https://id.example/rick"}) == {"objectType": "Person",
                                                                   "openid": ["https://id.example/rick"]}


def test_each_kind_of_identifier_is_an_array(xapi: XAPIClient) -> None:
    """XAPI-00240, XAPI-00241, XAPI-00242."""
    sha1 = {"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9", "name": "By hash"}
    openid = {"openid": "https://id.example/carol", "name": "Carol"}
    account = {"account": {"homePage": "https://moodle.example", "name": "42"}, "name": "Dan"}
    post(xapi, *(statement(actor=agent) for agent in (sha1, openid, account)))
    assert person(xapi, {"mbox_sha1sum": sha1["mbox_sha1sum"]}) == {
        "objectType": "Person", "name": ["By hash"], "mbox_sha1sum": [sha1["mbox_sha1sum"]]}
    assert person(xapi, {"openid": openid["openid"]})["openid"] == [openid["openid"]]
    assert person(xapi, {"account": account["account"]}) == {"objectType": "Person", "name": ["Dan"],
                                                             "account": [account["account"]]}


def test_group_members_and_instructors_are_known_agents(xapi: XAPIClient) -> None:
    team = {"objectType": "Group", "member": [{**ALICE, "name": "Alice in a team"}]}
    post(xapi, statement(actor=team, context={"instructor": {"mbox": "mailto:trainer@example.org", "name": "T"}}))
    assert person(xapi, ALICE)["name"] == ["Alice in a team"]
    assert person(xapi, {"mbox": "mailto:trainer@example.org"})["name"] == ["T"]


def test_names_are_kept_sealed_and_erasing_the_person_forgets_them(xapi: XAPIClient) -> None:
    post(xapi, statement(actor={**ALICE, "name": "Alice Example"}))
    lrs = xapi.client.application.extensions["slrs"].lrs
    rows = lrs.dialect.fetch(lrs.recorder.datastore, "SELECT person, sealed FROM slrs_agent_forms")
    assert rows and not any("Alice" in row["sealed"] or "alice@" in row["sealed"] for row in rows)
    identifier = identifier_of(ALICE)
    assert identifier is not None and lrs.persons.erase(identifier)
    assert person(xapi, ALICE) == {"objectType": "Person", "mbox": ["mailto:alice@example.org"]}


def test_agent_missing_repeated_a_group_or_not_an_agent_is_400(xapi: XAPIClient) -> None:
    """XAPI-00243, XAPI-00249: the parameter is an Agent with one identifier, not a Group or a Person."""
    group = {"objectType": "Group", "mbox": "mailto:team@example.org"}
    bad = [None, "not json", json.dumps({"objectType": "Agent", "name": "No identifier"}), json.dumps(group),
           json.dumps({"mbox": "alice@example.org"}), json.dumps({"objectType": "Person", "mbox": [ALICE["mbox"]]}),
           json.dumps({**ALICE, "openid": "https://id.example/a"}), json.dumps([ALICE])]
    for value in bad:
        response: TestResponse = xapi.get("/xapi/agents", query_string={} if value is None else {"agent": value})
        assert response.status_code == 400, value
    twice = xapi.get(f"/xapi/agents?agent={json.dumps(ALICE)}&agent={json.dumps(ALICE)}")
    assert twice.status_code == 400
    other = xapi.get("/xapi/agents", query_string={"agent": json.dumps(ALICE), "activityId": MEETING})
    assert other.status_code == 400


def test_head_of_a_person_has_the_get_headers_and_no_body(xapi: XAPIClient) -> None:
    post(xapi, statement(actor={**ALICE, "name": "Alice"}))
    query = {"agent": json.dumps(ALICE)}
    got = xapi.get("/xapi/agents", query_string=query)
    head = xapi.request("HEAD", "/xapi/agents", query_string=query)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"] and head.headers["X-Experience-API-Version"] == "1.0.3"


def test_a_person_needs_a_credential_that_reads_every_statement(xapi: XAPIClient) -> None:
    """Communication 2.4: names are personal data; statements/write alone is 403."""
    query = {"agent": json.dumps(ALICE)}
    assert xapi.as_("poster").get("/xapi/agents", query_string=query).status_code == 403
    assert xapi.as_("reader").get("/xapi/agents", query_string=query).status_code == 200


def test_the_canonical_format_shows_activities_with_their_canonical_definition(xapi: XAPIClient) -> None:
    """Communication 2.1.3: format=canonical gives "the canonical definition of the Activity Objects", language-filtered."""
    english = defines({"name": {"en-GB": "Level 2 session"}})
    english["id"] = "0b7a0a8e-8f0e-4b7e-9d55-0f5c7ac1c001"
    post(xapi, english)
    post(xapi, defines({"name": {"cy-GB": "Sesiwn lefel 2"}}))
    welsh = {"Accept-Language": "cy"}
    canonical = xapi.get("/xapi/statements", query_string={"statementId": english["id"], "format": "canonical"},
                         headers=welsh).get_json()
    assert canonical["object"]["definition"] == {"name": {"cy-GB": "Sesiwn lefel 2"}}
    exact = xapi.get("/xapi/statements", query_string={"statementId": english["id"]}, headers=welsh).get_json()
    assert exact["object"]["definition"] == {"name": {"en-GB": "Level 2 session"}}
    listed = xapi.get("/xapi/statements", query_string={"format": "canonical"}, headers=welsh).get_json()
    assert [s["object"]["definition"]["name"] for s in listed["statements"]] == [{"cy-GB": "Sesiwn lefel 2"}] * 2
