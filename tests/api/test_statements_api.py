"""The Statements resource through the Flask test client, on each engine."""

from __future__ import annotations

import json
import uuid

from werkzeug.test import TestResponse

from tests.conftest import XAPIClient, statement


def post(xapi: XAPIClient, body: object) -> TestResponse:
    return xapi.post("/xapi/statements", data=json.dumps(body), content_type="application/json")


def test_post_one_statement_returns_its_new_id(xapi: XAPIClient) -> None:
    response = post(xapi, statement())
    assert response.status_code == 200
    [sid] = response.get_json()
    assert uuid.UUID(sid)
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_put_then_get_by_statement_id_returns_the_object_itself(xapi: XAPIClient) -> None:
    sid = str(uuid.uuid4())
    put = xapi.put(f"/xapi/statements?statementId={sid}", data=json.dumps(statement()), content_type="application/json")
    assert put.status_code == 204
    got = xapi.get(f"/xapi/statements?statementId={sid}")
    assert got.status_code == 200
    body = got.get_json()
    assert body["id"] == sid and body["verb"]["id"] == statement()["verb"]["id"]
    assert body["authority"]["account"]["name"] == "writer"
    assert got.headers["X-Experience-API-Consistent-Through"]
    assert got.headers["Last-Modified"].endswith("GMT")


def test_put_with_different_id_in_body_is_400(xapi: XAPIClient) -> None:
    response = xapi.put(f"/xapi/statements?statementId={uuid.uuid4()}",
                        data=json.dumps(statement(id=str(uuid.uuid4()))), content_type="application/json")
    assert response.status_code == 400


def test_put_without_statement_id_is_400(xapi: XAPIClient) -> None:
    response = xapi.put("/xapi/statements", data=json.dumps(statement()), content_type="application/json")
    assert response.status_code == 400
    assert "statementId" in response.get_json()["error"]["message"]


def test_post_batch_with_one_invalid_statement_is_400_and_stores_nothing(xapi: XAPIClient) -> None:
    bad = statement(actor={"mbox": "alice@example.org"})
    response = post(xapi, [statement(), bad])
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["path"].startswith("statements[1].actor")
    assert "mailto" in error["message"]
    assert xapi.get("/xapi/statements").get_json()["statements"] == []


def test_reposting_same_statement_is_fine_but_changed_content_is_409(xapi: XAPIClient) -> None:
    sid = str(uuid.uuid4())
    assert post(xapi, statement(id=sid)).status_code == 200
    assert post(xapi, statement(id=sid)).status_code == 200
    conflict = post(xapi, statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/failed"}))
    assert conflict.status_code == 409
    assert sid in conflict.get_json()["error"]["message"]


def test_malformed_json_is_400(xapi: XAPIClient) -> None:
    response = xapi.post("/xapi/statements", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]["message"]


def test_wrong_content_type_is_400(xapi: XAPIClient) -> None:
    response = xapi.post("/xapi/statements", data=json.dumps(statement()), content_type="text/plain")
    assert response.status_code == 400


def test_missing_version_header_is_400(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements", headers={"X-Experience-API-Version": None})
    assert response.status_code == 400
    assert response.headers["X-Experience-API-Version"] == "1.0.3"


def test_versions_1_0_0_to_1_0_3_accepted_and_1_1_rejected(xapi: XAPIClient) -> None:
    for version in ("1.0.0", "1.0.1", "1.0.2", "1.0.3"):
        assert xapi.get("/xapi/statements", headers={"X-Experience-API-Version": version}).status_code == 200
    for version in ("1.1.0", "3.0.0", "0.95"):  # 2.0.0 is spoken too: tests/api/test_xapi2_versions.py
        assert xapi.get("/xapi/statements", headers={"X-Experience-API-Version": version}).status_code == 400


def test_no_credentials_is_401_with_basic_challenge(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements", headers={"Authorization": None})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert response.get_json()["error"]["status"] == 401


def test_wrong_secret_is_401(xapi: XAPIClient) -> None:
    response = xapi.get("/xapi/statements", headers={"Authorization": "Basic d3JpdGVyOm5vcGU="})  # writer:nope
    assert response.status_code == 401


def test_reader_cannot_write_and_poster_cannot_read(xapi: XAPIClient) -> None:
    assert post(xapi.as_("reader"), statement()).status_code == 403
    assert xapi.as_("reader").get("/xapi/statements").status_code == 200
    assert post(xapi.as_("poster"), statement()).status_code == 200
    assert xapi.as_("poster").get("/xapi/statements").status_code == 403


def test_revoked_credential_is_refused_at_once(app: object, xapi: XAPIClient) -> None:
    assert xapi.get("/xapi/statements").status_code == 200
    app.extensions["slrs"].credentials.revoke_credential("writer")  # type: ignore[attr-defined]
    assert xapi.get("/xapi/statements").status_code == 401


def test_about_needs_no_credentials(xapi: XAPIClient) -> None:
    response = xapi.client.get("/xapi/about")
    assert response.status_code == 200
    assert "1.0.3" in response.get_json()["version"]
