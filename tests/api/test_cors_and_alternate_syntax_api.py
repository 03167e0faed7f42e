"""What reaches /xapi before any resource: the version header, CORS, HEAD, and the alternate request syntax.

xAPI 1.0.3 Communication 1.1, 1.3, 2.8 and 3.3 through the Flask test client.
None of it touches storage but through the resources it reaches, so these run
on SQLite only; the resources' own tests run on each engine.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest

from api.app import create_app
from kernel.persistence import ConfigurationError
from tests.conftest import CREDENTIALS, XAPIClient, basic, environ_for, statement

VERSION = {"X-Experience-API-Version": "1.0.3"}
CONTENT = "https://content.example"
FORM = "application/x-www-form-urlencoded"


def make_app(tmp_path: Any, **settings: str) -> Any:
    app = create_app({"SLRS_ENV": {**environ_for("sqlite", str(tmp_path / "var")), **settings}, "TESTING": True,
                      "SLRS_CREATE_TABLES": True})
    for key, (secret, scopes) in CREDENTIALS.items():
        app.extensions["slrs"].credentials.create_credential(key, secret, scopes)
    return app


@pytest.fixture
def app(tmp_path: Any) -> Iterator[Any]:
    app = make_app(tmp_path)
    yield app
    app.extensions["slrs"].close()


@pytest.fixture
def xapi(app: Any) -> XAPIClient:
    return XAPIClient(app.test_client())


def auth(key: str = "writer") -> str:
    return basic(key, CREDENTIALS[key][0])


def alternate(xapi: XAPIClient, path: str, method: str, fields: dict[str, str], *, query: str | None = None,
              headers: dict[str, str] | None = None) -> Any:
    """POST path?method=... with `fields` as the form, and no xAPI headers but those given."""
    return xapi.client.post(f"{path}?{query or urlencode({'method': method})}", data=urlencode(fields),
                            content_type=FORM, headers=headers or {})


def stored_count(xapi: XAPIClient) -> int:
    return len(xapi.get("/xapi/statements").get_json()["statements"])


# The version header, on every path under /xapi (Communication 2.8, XAPI-00321; 3.3)

def test_every_path_under_xapi_but_about_needs_the_version_header(xapi: XAPIClient) -> None:
    for path in ("/xapi/activities", "/xapi/agents", "/xapi/activities/state", "/xapi/no-such-resource", "/xapi"):
        response = xapi.client.get(path, headers={"Authorization": auth()})
        assert response.status_code == 400, path
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
        bad = xapi.client.get(path, headers={"Authorization": auth(), "X-Experience-API-Version": "0.9"})
        assert bad.status_code == 400, path
    assert xapi.client.get("/xapi/about").status_code == 200
    assert xapi.get("/xapi/no-such-resource").status_code == 404
    assert xapi.client.get("/xapi/no-such-resource", headers=VERSION).status_code == 401


def test_about_is_unchanged_and_head_answers_have_headers_but_no_body(xapi: XAPIClient) -> None:
    about = xapi.client.get("/xapi/about")
    assert about.get_json() == {"version": ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"], "extensions": {}}
    for path, headers in (("/xapi/about", {}), ("/xapi/statements", None)):
        head = xapi.request("HEAD", path, headers=headers) if headers is None else xapi.client.head(path)
        assert head.status_code == 200 and head.data == b"", path
        assert head.headers["X-Experience-API-Version"] == "1.0.3"
        assert head.headers["Content-Type"] == "application/json"
    assert xapi.request("HEAD", "/xapi/statements").headers["X-Experience-API-Consistent-Through"]


# CORS for browser-hosted content

def test_a_preflight_is_answered_without_version_or_credential(xapi: XAPIClient) -> None:
    response = xapi.client.options("/xapi/activities/state", headers={
        "Origin": CONTENT, "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization, content-type, x-experience-api-version, if-match"})
    assert response.status_code == 204 and response.data == b""
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-experience-api-version", "if-match", "if-none-match"} <= allowed
    assert {"GET", "HEAD", "PUT", "POST", "DELETE"} <= {
        m.strip() for m in response.headers["Access-Control-Allow-Methods"].split(",")}
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_answers_to_any_origin_can_be_read_errors_included(xapi: XAPIClient) -> None:
    got = xapi.get("/xapi/statements", headers={"Origin": CONTENT})
    assert got.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip() for h in got.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Last-Modified", "X-Experience-API-Consistent-Through", "X-Experience-API-Version"} <= exposed
    refused = xapi.client.get("/xapi/statements", headers={"Origin": CONTENT, **VERSION})
    assert refused.status_code == 401 and refused.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in xapi.get("/xapi/statements").headers  # no Origin, no CORS
    assert "Access-Control-Allow-Origin" not in xapi.client.get("/health", headers={"Origin": CONTENT}).headers


def test_configured_origins_are_echoed_with_credentials_and_others_refused(tmp_path: Any) -> None:
    app = make_app(tmp_path, SLRS_CORS_ORIGINS=f"{CONTENT}, https://lms.example:8443/")
    try:
        xapi = XAPIClient(app.test_client())
        allowed = xapi.get("/xapi/statements", headers={"Origin": "https://LMS.example:8443"})
        assert allowed.headers["Access-Control-Allow-Origin"] == "https://LMS.example:8443"
        assert allowed.headers["Access-Control-Allow-Credentials"] == "true"
        assert "Origin" in allowed.headers["Vary"]
        other = xapi.get("/xapi/statements", headers={"Origin": "https://evil.example"})
        assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers
        preflight = xapi.client.options("/xapi/statements", headers={
            "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 204 and "Access-Control-Allow-Methods" not in preflight.headers
    finally:
        app.extensions["slrs"].close()


def test_cors_can_be_turned_off_and_a_bad_origin_setting_stops_the_app(tmp_path: Any) -> None:
    app = make_app(tmp_path, SLRS_CORS_ORIGINS="none")
    try:
        got = XAPIClient(app.test_client()).get("/xapi/statements", headers={"Origin": CONTENT})
        assert got.status_code == 200 and "Access-Control-Allow-Origin" not in got.headers
    finally:
        app.extensions["slrs"].close()
    with pytest.raises(ConfigurationError, match="SLRS_CORS_ORIGINS"):
        make_app(tmp_path, SLRS_CORS_ORIGINS="content.example/path")


# The alternate request syntax (Communication 1.3)

def test_a_statements_query_sent_as_a_form(xapi: XAPIClient) -> None:
    """XAPI-00148: a GET as a POST returns the StatementResult."""
    xapi.post("/xapi/statements", data=json.dumps([statement(), statement()]), content_type="application/json")
    response = alternate(xapi, "/xapi/statements", "GET", {"limit": "1", "Authorization": auth(), **VERSION})
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["statements"]) == 1 and body["more"]
    assert response.headers["X-Experience-API-Consistent-Through"]


def test_a_put_sent_as_a_form_stores_its_content(xapi: XAPIClient) -> None:
    sid = str(uuid.uuid4())
    fields = {"statementId": sid, "content": json.dumps(statement()), "Authorization": auth(), **VERSION}
    assert alternate(xapi, "/xapi/statements", "put", fields).status_code == 204
    assert xapi.get("/xapi/statements", query_string={"statementId": sid}).get_json()["id"] == sid


def test_form_headers_count_as_headers(xapi: XAPIClient) -> None:
    """Communication 1.3.s3.b7: the version and the credential in the form are checked as headers."""
    fields = {"statementId": str(uuid.uuid4()), "content": json.dumps(statement())}
    old = alternate(xapi, "/xapi/statements", "PUT", {**fields, "Authorization": auth(),
                                                      "X-Experience-API-Version": "0.8"})
    assert old.status_code == 400
    wrong = alternate(xapi, "/xapi/statements", "PUT", {**fields, **VERSION, "Authorization": basic("writer", "no")})
    assert wrong.status_code == 401
    reader = alternate(xapi, "/xapi/statements", "PUT", {**fields, **VERSION, "Authorization": auth("reader")})
    assert reader.status_code == 403
    assert stored_count(xapi) == 0


def test_misusing_the_syntax_is_400_and_stores_nothing(xapi: XAPIClient) -> None:
    sid = str(uuid.uuid4())
    fields = {"statementId": sid, "content": json.dumps(statement()), "Authorization": auth(), **VERSION}
    extra = alternate(xapi, "/xapi/statements", "PUT", fields, query=f"method=PUT&statementId={sid}")
    assert extra.status_code == 400 and "method" in extra.get_json()["error"]["message"]
    not_post = xapi.put("/xapi/statements?method=POST", data=urlencode(fields), content_type=FORM)
    assert not_post.status_code == 400
    unknown = alternate(xapi, "/xapi/statements", "PATCH", fields)
    assert unknown.status_code == 400
    as_json = xapi.post("/xapi/statements?method=PUT", data=json.dumps(fields), content_type=FORM)
    assert as_json.status_code == 400
    not_a_form = xapi.post("/xapi/statements?method=PUT", data=json.dumps(fields), content_type="application/json")
    assert not_a_form.status_code == 400 and FORM in not_a_form.get_json()["error"]["message"]
    not_utf8 = xapi.post("/xapi/statements?method=PUT", data=b"content=%FF%FE&statementId=" + sid.encode(),
                         content_type=FORM)
    assert not_utf8.status_code == 400
    assert alternate(xapi, "/xapi/statements", "PUT", {**VERSION, "Authorization": auth()}).status_code == 400
    assert stored_count(xapi) == 0


def test_a_form_larger_than_the_limit_is_413(tmp_path: Any) -> None:
    app = make_app(tmp_path, SLRS_MAX_REQUEST_BYTES="2000")
    try:
        xapi = XAPIClient(app.test_client())
        fields = {"content": json.dumps(statement(result={"response": "x" * 3000})), "Authorization": auth(),
                  **VERSION}
        assert alternate(xapi, "/xapi/statements", "POST", fields).status_code == 413
    finally:
        app.extensions["slrs"].close()


def test_a_head_sent_as_a_form_has_no_body(xapi: XAPIClient) -> None:
    response = alternate(xapi, "/xapi/statements", "HEAD", {"Authorization": auth(), **VERSION})
    assert response.status_code == 200 and response.data == b""
    assert response.headers["Content-Length"] == "0"


def test_every_resource_takes_the_syntax_documents_included(xapi: XAPIClient) -> None:
    """Communication 1.3: the LRS MUST support the syntax, so State documents work through it too."""
    agent = json.dumps({"mbox": "mailto:alice@example.org"})
    state = {"activityId": "https://lscp.example/courses/level-1", "agent": agent, "stateId": "bookmark"}
    headers = {"Authorization": auth(), **VERSION}
    put = alternate(xapi, "/xapi/activities/state", "PUT", {**state, **headers, "content": '{"slide": 7}',
                                                           "Content-Type": "application/json"})
    assert put.status_code == 204, put.get_json()
    got = alternate(xapi, "/xapi/activities/state", "GET", {**state, **headers})
    assert got.status_code == 200 and got.get_json() == {"slide": 7} and got.headers["ETag"]
    stale = alternate(xapi, "/xapi/activities/state", "PUT", {**state, **headers, "content": '{"slide": 8}',
                                                             "If-Match": '"0000"'})
    assert stale.status_code == 412
    activity = alternate(xapi, "/xapi/activities", "GET", {"activityId": state["activityId"], **headers})
    assert activity.get_json() == {"objectType": "Activity", "id": state["activityId"]}
    person = alternate(xapi, "/xapi/agents", "GET", {"agent": agent, **headers})
    assert person.get_json() == {"objectType": "Person", "mbox": ["mailto:alice@example.org"]}
    about = xapi.client.post("/xapi/about?method=GET", data="", content_type=FORM)
    assert about.status_code == 200 and "1.0.3" in about.get_json()["version"]
