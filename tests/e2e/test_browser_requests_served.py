"""End to end: what browser-hosted content sends, through `slrs serve` (gunicorn) rather than the test client.

A preflight, and the alternate request syntax (Communication 1.3) as a plain
and as a chunked form; a HEAD sent as a POST must end its answer at once
(gunicorn sends the body a POST's Content-Length promises).
"""

from __future__ import annotations

import http.client
import json
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import environ_for, statement
from tests.e2e.servers import AUTH, start_server, stop_server

pytestmark = pytest.mark.e2e
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def server(tmp_path: Any) -> Iterator[str]:
    process, url = start_server(environ_for("sqlite", str(tmp_path / "var")), init=True, workers=1)
    yield url
    stop_server(process)


def send(url: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
         ) -> tuple[http.client.HTTPResponse, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    connection.request(method, parts.path + path, body=body, headers=headers or {},
                       encode_chunked=body is not None and not isinstance(body, (bytes, str)))
    response = connection.getresponse()
    data = response.read()  # times out rather than hangs if the answer promises more than it sends
    connection.close()
    return response, data


def test_content_from_another_origin_through_the_served_lrs(server: str) -> None:
    preflight, body = send(server, "OPTIONS", "/statements", headers={
        "Origin": "https://content.example", "Access-Control-Request-Method": "PUT",
        "Access-Control-Request-Headers": "authorization,content-type,x-experience-api-version"})
    assert preflight.status == 204 and body == b""
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"

    form = {"Authorization": AUTH, "X-Experience-API-Version": "1.0.3"}
    sid = str(uuid.uuid4())
    chunks = iter([urlencode({**form, "statementId": sid}).encode(), b"&content=",
                   urlencode({"c": json.dumps(statement())}).encode()[2:]])
    put, _ = send(server, "POST", "/statements?method=PUT", chunks, {"Content-Type": FORM})
    assert put.status == 204

    head, body = send(server, "POST", "/statements?method=HEAD", urlencode({**form, "statementId": sid}),
                      {"Content-Type": FORM})
    assert head.status == 200 and body == b"" and head.headers["Content-Length"] == "0"
    got, body = send(server, "POST", "/statements?method=GET", urlencode({**form, "statementId": sid}),
                     {"Content-Type": FORM, "Origin": "https://content.example"})
    assert got.status == 200 and json.loads(body)["id"] == sid
    assert got.headers["Access-Control-Allow-Origin"] == "*"
