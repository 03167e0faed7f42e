"""Query parameters, `more` tokens and headers a careless or hostile client sends: a 400 naming what was wrong.

Issue 9, items 4, 5, 6 and 11 (xAPI 1.0.3 Communication 2.1.3, Data 2.2).
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from api.app import create_app
from tests.conftest import XAPIClient, statement

ALICE = {"mbox": "mailto:alice@example.org"}
PASSED = "http://adlnet.gov/expapi/verbs/passed"


def post(xapi: XAPIClient, body: object) -> list[str]:
    response = xapi.post("/xapi/statements", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def get(xapi: XAPIClient, **params: str) -> Any:
    return xapi.get("/xapi/statements", query_string=params)


def names_the_parameter(response: Any, parameter: str) -> str:
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert parameter in error["fields"], error
    assert error["message"].startswith("bad request parameters: " + parameter), error
    return str(error["message"])


BAD_AGENTS = [
    ('{"mbox":null}', ["mbox", "string"]),                                  # was a 500
    ('{"account":{"homePage":"http://www.example.org"}}', ["account.name"]),  # was a 500
    ("{}", ["inverse functional identifier"]),                              # was 200 and []
    ('{"mbox":"mailto:a@example.org","openid":"http://a.example.org"}', ["exactly one"]),
    ('{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"}]}', ["anonymous Group"]),
    ('{"mbox":"alice@example.org"}', ["mailto"]),
    ('{"objectType":"Activity","id":"http://x.example"}', ["objectType"]),
    ('"mailto:alice@example.org"', ["JSON object"]),
    ('{"mbox":"mailto:a@example.org",}', ["not valid JSON"]),
]


def test_an_agent_parameter_is_held_to_the_rules_of_an_actor(xapi: XAPIClient) -> None:
    """Communication 2.1.3: `agent` is an Agent or identified Group (Data 2.4.2); anything else names the parameter."""
    for agent, words in BAD_AGENTS:
        message = names_the_parameter(get(xapi, agent=agent), "agent")
        for word in words:
            assert word in message, (agent, message)


def test_a_valid_agent_parameter_still_filters(xapi: XAPIClient) -> None:
    [mine] = post(xapi, [statement(actor=ALICE)])
    post(xapi, [statement(actor={"account": {"homePage": "https://moodle.example", "name": "7"}})])
    assert [s["id"] for s in get(xapi, agent=json.dumps(ALICE)).get_json()["statements"]] == [mine]
    group = {"objectType": "Group", "mbox": "mailto:team@example.org"}
    assert get(xapi, agent=json.dumps(group)).get_json()["statements"] == []


BAD_VALUES = [
    ("verb", "not an iri"), ("verb", ""), ("activity", "course 1"), ("activity", "http://"),
    ("registration", "not-a-uuid"), ("statementId", "42"), ("voidedStatementId", "x"), ("since", "yesterday"),
    ("until", "2026-13-01T00:00:00Z"), ("limit", "-1"), ("limit", "ten"), ("format", "full"),
    ("ascending", "yes"), ("related_agents", "1"),
]


def test_each_parameter_is_checked_like_the_value_it_names(xapi: XAPIClient) -> None:
    """Item 4: before, `verb=not an iri` answered 200 with an empty list."""
    for parameter, value in BAD_VALUES:
        names_the_parameter(get(xapi, **{parameter: value}), parameter)


def test_a_parameter_given_twice_is_refused(xapi: XAPIClient) -> None:
    response = xapi.get(f"/xapi/statements?verb={PASSED}&verb=http://adlnet.gov/expapi/verbs/failed")
    assert "more than once" in names_the_parameter(response, "verb")


def test_dates_that_leave_the_calendar_in_utc_are_400(xapi: XAPIClient) -> None:
    """Item 6: before, OverflowError (500)."""
    for parameter, value in [("until", "0001-01-01T00:00:00+14:00"), ("since", "9999-12-31T23:59:59-14:00")]:
        assert "0001 to 9999" in names_the_parameter(get(xapi, **{parameter: value}), parameter)


def test_a_statement_whose_timestamp_leaves_the_calendar_in_utc_is_refused(xapi: XAPIClient) -> None:
    """Data 4.5.s1.b6: timestamps are given back in UTC, so one that has no UTC form is refused when sent."""
    response = xapi.post("/xapi/statements", data=json.dumps(statement(timestamp="0001-01-01T00:00:00+14:00")),
                         content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["path"] == "statements[0].timestamp"
    assert "0001 to 9999" in response.get_json()["error"]["message"]


def test_boolean_words_in_any_case_are_accepted(xapi: XAPIClient) -> None:
    """Item 11: tincan's RemoteLRS sends Python's True and False; before, 400."""
    first, second = post(xapi, [statement(), statement()])
    for yes, no in [("True", "False"), ("TRUE", "false"), ("true", "FALSE")]:
        body = get(xapi, ascending=yes, related_agents=no, related_activities=no, attachments=no).get_json()
        assert [s["id"] for s in body["statements"]] == [first, second]
        assert [s["id"] for s in get(xapi, ascending=no).get_json()["statements"]] == [second, first]


def more_token(xapi: XAPIClient) -> str:
    post(xapi, [statement() for _ in range(3)])
    more = get(xapi, limit="1").get_json()["more"]
    return parse_qs(urlsplit(more).query)["more"][0]


def unsigned(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


TAMPERED = [
    {"limit": "5"}, {"limit": -5}, {"cursor": 2**70}, {"ceiling": 2**63}, {"agent": {"mbox": "mailto:a@example.org"}},
    {"format": "bogus"}, {"since": "yesterday"}, {"limit": 5, "cursor": 1},
]


def test_a_tampered_more_token_is_refused(xapi: XAPIClient) -> None:
    """Item 5: before, these answered 500, or (limit -5) returned 500 statements."""
    _payload, _, signature = more_token(xapi).partition(".")
    for data in TAMPERED:
        for token in (unsigned(data), f"{unsigned(data)}.{signature}"):
            response = get(xapi, more=token)
            assert response.status_code == 400, data
            assert "not issued by this LRS" in response.get_json()["error"]["message"]


def test_a_more_token_is_good_on_any_process_of_the_same_store(xapi: XAPIClient, environ: dict[str, str]) -> None:
    """Tokens are signed with a key kept in the database, so another worker or host continues the query."""
    token = more_token(xapi)
    other = create_app({"SLRS_ENV": environ, "TESTING": True})
    try:
        second = XAPIClient(other.test_client())
        page = get(second, more=token)
        assert page.status_code == 200 and len(page.get_json()["statements"]) == 1
    finally:
        other.extensions["slrs"].close()


def test_raw_non_ascii_bytes_in_authorization_are_401(xapi: XAPIClient) -> None:
    """Item 6: before, base64 of non-ASCII text raised ValueError (500)."""
    for header in ["Basic \xff\xfe\xe9", "Basic d3JpdGVy\xe9", "Bearer \xe9", "Basic " + "\xe9" * 500]:
        response = xapi.get("/xapi/statements", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_nul_character_anywhere_in_a_url_is_400(xapi: XAPIClient) -> None:
    """PostgreSQL text cannot hold NUL: before, /board/agencies/%00/workers answered 500 there (found by the walk)."""
    for path in ("/xapi/statements?verb=http://x.example/%00", "/api/v1/agencies/%00", "/board/agencies/%00/workers",
                 "/api/v1/reports/agencies/%00", "/health?x%00=1"):
        response = xapi.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.get_data(as_text=True), path  # the board pages answer HTML, the APIs JSON
