"""xAPI 2.0.0 beside 1.0.3, chosen by each request's X-Experience-API-Version header (issue 14).

xAPI 2.0 (IEEE 9274.1.1-2023) Communication 3.3 (the header), 2.8 (About) and
1.3 (the alternate request syntax, which 2.0 removed). None of this depends on
the engine beyond what the resources' own tests cover, so these run on SQLite.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import CREDENTIALS, XAPIClient, basic, statement

V2 = {"X-Experience-API-Version": "2.0.0"}
V1 = {"X-Experience-API-Version": "1.0.3"}
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def engine() -> str:
    """The version rules are the HTTP layer's, whatever the engine: the shared `app` and `xapi` on SQLite only."""
    return "sqlite"


@pytest.mark.parametrize("version", ["2.0.0", "2.0", "2.0.7"])
def test_a_2_0_header_is_spoken_and_the_answer_says_2_0_0(xapi: XAPIClient, version: str) -> None:
    """Communication 3.3: "2.0" and any "2.0.x" are xAPI 2.0; the answer names the version it speaks, 2.0.0."""
    response = xapi.get("/xapi/statements", headers={"X-Experience-API-Version": version})
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "2.0.0"


def test_a_1_0_x_request_is_still_answered_as_1_0_3(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.1"})
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


@pytest.mark.parametrize("version", ["1.1", "1.1.0", "2.1.0", "3.0.0", "0.95", "2", "2.0.x"])
def test_a_version_neither_1_0_nor_2_0_is_refused_with_400(xapi: XAPIClient, version: str) -> None:
    response = xapi.get("/xapi/statements", headers={"X-Experience-API-Version": version})
    assert response.status_code == 400
    assert "2.0.0" in response.get_json()["error"]["message"]  # the error says what to send instead


def test_a_request_without_the_header_is_refused_and_answered_as_1_0_3(xapi: XAPIClient) -> None:
    """Communication 3.3.s4.b1: 400. Which version the answer names is the LRS's choice: 1.0.3, as before."""
    response = xapi.post("/xapi/statements", json=statement(), headers={"X-Experience-API-Version": None})
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_about_lists_every_1_0_version_and_2_0_0_without_a_header(xapi: XAPIClient) -> None:
    """Communication 2.8: About needs no version header; it lists each version the LRS speaks."""
    response = xapi.client.get("/xapi/about")
    assert response.status_code == 200
    assert response.get_json()["version"] == ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"]


def test_about_asked_in_2_0_answers_in_2_0(xapi: XAPIClient) -> None:
    response = xapi.client.get("/xapi/about", headers=V2)
    assert response.headers["X-Experience-API-Version"] == "2.0.0"
    assert "2.0.0" in response.get_json()["version"]


def _alternate_put(xapi: XAPIClient, statement_id: str, version: str, **headers: str) -> Any:
    form = {"statementId": statement_id, "content": json.dumps(statement()), "Content-Type": "application/json",
            "X-Experience-API-Version": version, "Authorization": basic("writer", CREDENTIALS["writer"][0])}
    return xapi.client.post("/xapi/statements?method=PUT", data=urlencode(form), content_type=FORM, headers=headers)


def test_the_alternate_syntax_is_refused_for_a_2_0_request(xapi: XAPIClient) -> None:
    """xAPI 2.0 removed the alternate request syntax (1.0.3 Communication 1.3): a 2.0 request using it is a 400
    and stores nothing."""
    statement_id = str(uuid.uuid4())
    response = _alternate_put(xapi, statement_id, "2.0.0")
    assert response.status_code == 400
    assert "alternate request syntax" in response.get_json()["error"]["message"]
    assert xapi.get(f"/xapi/statements?statementId={statement_id}", headers=V2).status_code == 404


def test_the_alternate_syntax_is_refused_when_the_real_header_speaks_2_0(xapi: XAPIClient) -> None:
    form = {"content": json.dumps(statement()), "Authorization": basic("writer", CREDENTIALS["writer"][0])}
    response = xapi.client.post("/xapi/statements?method=POST", data=urlencode(form), content_type=FORM, headers=V2)
    assert response.status_code == 400
    assert xapi.get("/xapi/statements", headers=V2).get_json()["statements"] == []


def test_the_alternate_syntax_still_works_for_a_1_0_3_request(xapi: XAPIClient) -> None:
    statement_id = str(uuid.uuid4())
    assert _alternate_put(xapi, statement_id, "1.0.3").status_code == 204
    assert xapi.get(f"/xapi/statements?statementId={statement_id}", headers=V1).status_code == 200


def test_about_through_the_alternate_syntax_is_refused_for_2_0_only(xapi: XAPIClient) -> None:
    for version, status in (("2.0.0", 400), ("1.0.3", 200)):
        form = urlencode({"X-Experience-API-Version": version})
        assert xapi.client.post("/xapi/about?method=GET", data=form, content_type=FORM).status_code == status
