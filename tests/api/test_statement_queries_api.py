"""Query parameters of GET /xapi/statements as a client sends them."""

from __future__ import annotations

import json
import uuid

from tests.conftest import XAPIClient, statement


def post(xapi: XAPIClient, body: object) -> list[str]:
    response = xapi.post("/xapi/statements", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_more_link_is_a_relative_url_that_fetches_the_next_page(xapi: XAPIClient) -> None:
    ids = post(xapi, [statement() for _ in range(5)])
    first = xapi.get("/xapi/statements?limit=2&ascending=true").get_json()
    assert [s["id"] for s in first["statements"]] == ids[:2]
    assert first["more"].startswith("/xapi/statements?more=")
    second = xapi.get(first["more"]).get_json()
    assert [s["id"] for s in second["statements"]] == ids[2:4]
    last = xapi.get(second["more"]).get_json()
    assert [s["id"] for s in last["statements"]] == ids[4:] and last["more"] == ""


def test_agent_filter_is_json(xapi: XAPIClient) -> None:
    [mine] = post(xapi, [statement(actor={"mbox": "mailto:carol@example.org"})])
    post(xapi, [statement()])
    agent = json.dumps({"mbox": "mailto:carol@example.org"})
    body = xapi.get("/xapi/statements", query_string={"agent": agent}).get_json()
    assert [s["id"] for s in body["statements"]] == [mine]
    assert xapi.get("/xapi/statements", query_string={"agent": "carol"}).status_code == 400


def test_unknown_parameter_is_400(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements?colour=red")
    assert response.status_code == 400
    assert "colour" in response.get_json()["error"]["message"]


def test_statement_id_with_a_filter_is_400(xapi: XAPIClient) -> None:
    response = xapi.get(f"/xapi/statements?statementId={uuid.uuid4()}&verb=http://x.example/v")
    assert response.status_code == 400


def test_bad_since_and_bad_limit_are_400(xapi: XAPIClient) -> None:
    assert xapi.get("/xapi/statements?since=yesterday").status_code == 400
    assert xapi.get("/xapi/statements?limit=-1").status_code == 400
    assert xapi.get("/xapi/statements?ascending=yes").status_code == 400


def test_head_returns_headers_without_a_body(xapi: XAPIClient) -> None:
    [sid] = post(xapi, [statement()])
    response = xapi.request("HEAD", f"/xapi/statements?statementId={sid}")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["X-Experience-API-Consistent-Through"]


def test_voided_statement_by_statement_id_is_404_and_by_voided_id_200(xapi: XAPIClient) -> None:
    [target] = post(xapi, [statement()])
    post(xapi, [statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                          object={"objectType": "StatementRef", "id": target})])
    assert xapi.get(f"/xapi/statements?statementId={target}").status_code == 404
    assert xapi.get(f"/xapi/statements?voidedStatementId={target}").get_json()["id"] == target


def test_canonical_format_follows_accept_language(xapi: XAPIClient) -> None:
    category = {"id": "https://lscp.example/cat", "definition": {"name": {"en-US": "Level 2", "cy": "Lefel 2"}}}
    post(xapi, [statement(verb={"id": "http://adlnet.gov/expapi/verbs/attended",
                                "display": {"en-US": "attended", "cy": "mynychu"}},
                          context={"contextActivities": {"category": [category]}})])
    response = xapi.get("/xapi/statements?format=canonical", headers={"Accept-Language": "cy, en;q=0.5"})
    assert response.status_code == 200
    got = response.get_json()["statements"][0]
    assert got["verb"]["display"] == {"cy": "mynychu"}
    assert got["context"]["contextActivities"]["category"][0]["definition"]["name"] == {"cy": "Lefel 2"}
    exact = xapi.get("/xapi/statements", headers={"Accept-Language": "cy"}).get_json()["statements"][0]
    assert exact["verb"]["display"] == {"en-US": "attended", "cy": "mynychu"}


def test_consistent_through_is_sent_even_on_a_bad_query(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements?LIMIT=1")
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")
