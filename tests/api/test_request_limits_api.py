"""Limits on one request (issue 9, item 3): a configurable body size (413) and batch size (413), clearly worded."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from api.limits import DEFAULT_MAX_REQUEST_BYTES
from lrs.service import DEFAULT_MAX_BATCH
from tests.conftest import CREDENTIALS, XAPIClient, statement


@pytest.fixture
def limited(environ: dict[str, str]) -> Iterator[XAPIClient]:
    """An LRS that takes at most 3 statements and 4,000 bytes a request."""
    app = create_app({"SLRS_ENV": {**environ, "SLRS_MAX_BATCH": "3", "SLRS_MAX_REQUEST_BYTES": "4000"},
                      "TESTING": True, "SLRS_CREATE_TABLES": True})
    secret, scopes = CREDENTIALS["writer"]
    app.extensions["slrs"].credentials.create_credential("writer", secret, scopes)
    yield XAPIClient(app.test_client())
    app.extensions["slrs"].close()


def post(xapi: XAPIClient, body: Any, **kwargs: Any) -> Any:
    return xapi.post("/xapi/statements", data=json.dumps(body), content_type="application/json", **kwargs)


def stored(xapi: XAPIClient) -> int:
    return len(xapi.get("/xapi/statements").get_json()["statements"])


def test_a_batch_above_the_limit_is_413_and_stores_nothing(limited: XAPIClient) -> None:
    response = post(limited, [statement() for _ in range(4)])
    assert response.status_code == 413
    message = response.get_json()["error"]["message"]
    assert "4 statements" in message and "at most 3" in message and "smaller batches" in message
    assert stored(limited) == 0
    assert post(limited, [statement() for _ in range(3)]).status_code == 200
    assert stored(limited) == 3


def test_a_body_above_the_limit_is_413_and_stores_nothing(limited: XAPIClient) -> None:
    big = statement(result={"response": "x" * 5000})
    response = post(limited, big)
    assert response.status_code == 413
    assert "4,000 bytes" in response.get_json()["error"]["message"]
    assert stored(limited) == 0


def test_a_chunked_body_above_the_limit_is_413_too(limited: XAPIClient) -> None:
    """No Content-Length to check up front (a server such as gunicorn decodes the chunks): refused as it is read."""
    body = json.dumps(statement(result={"response": "x" * 5000})).encode()
    response = limited.post("/xapi/statements", input_stream=io.BytesIO(body), content_type="application/json",
                            headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert stored(limited) == 0


def test_by_default_a_batch_of_fifty_thousand_is_refused_at_once(xapi: XAPIClient) -> None:
    """Before, 50,000 statements were accepted after 12.5 s and left the worker at 500 MB."""
    tiny = {"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://lscp.example/c"}}
    response = post(xapi, [tiny] * 50_000)
    assert response.status_code == 413
    assert f"at most {DEFAULT_MAX_BATCH:,}" in response.get_json()["error"]["message"]
    assert stored(xapi) == 0


def test_defaults_suit_moodle_batches(xapi: XAPIClient) -> None:
    """Tens of megabytes and thousands of statements: Moodle sends 30 events a batch by default."""
    assert 10 * 2**20 <= DEFAULT_MAX_REQUEST_BYTES <= 100 * 2**20
    assert 1_000 <= DEFAULT_MAX_BATCH <= 20_000
    assert post(xapi, [statement() for _ in range(300)]).status_code == 200


def test_a_bad_limit_setting_is_refused_at_start(environ: dict[str, str]) -> None:
    from kernel.persistence import ConfigurationError
    for bad in ({"SLRS_MAX_BATCH": "lots"}, {"SLRS_MAX_REQUEST_BYTES": "-1"}, {"SLRS_MAX_BATCH": "0"}):
        with pytest.raises(ConfigurationError, match=next(iter(bad))):
            create_app({"SLRS_ENV": {**environ, **bad}, "TESTING": True, "SLRS_CREATE_TABLES": True})
