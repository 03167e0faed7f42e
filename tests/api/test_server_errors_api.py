"""Every answer carries a request id, and a 500, should one happen, names it and is logged with it (issue 9, item 7)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from api.app import create_app
from tests.conftest import basic


def test_every_500_is_logged_with_the_request_id_it_answers_with(environ: dict[str, str],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    """An unexpected failure answers a JSON 500 naming a request id, and the log has that id and the traceback."""
    app = create_app({"SLRS_ENV": environ, "SLRS_CREATE_TABLES": True})  # not TESTING: errors are answered
    try:
        app.extensions["slrs"].credentials.create_credential("writer", "writer-secret", ["all"])

        def broken(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("the disk caught fire")

        monkeypatch.setattr(app.extensions["slrs"].lrs, "list_statements", broken)
        headers = {"Authorization": basic("writer", "writer-secret"), "X-Experience-API-Version": "1.0.3"}
        with caplog.at_level(logging.ERROR):
            response = app.test_client().get("/xapi/statements", headers=headers)
            sent = app.test_client().get("/xapi/statements", headers={**headers, "X-Request-ID": "proxy-1234"})
        assert response.status_code == 500
        request_id = response.get_json()["error"]["request_id"]
        assert response.headers["X-Request-ID"] == request_id
        assert "the disk caught fire" not in response.get_data(as_text=True)
        [first, second] = [r for r in caplog.records if r.levelno == logging.ERROR]
        assert request_id in first.getMessage() and "GET /xapi/statements" in first.getMessage()
        assert first.exc_info is not None and "the disk caught fire" in str(first.exc_info[1])
        assert sent.get_json()["error"]["request_id"] == "proxy-1234" and "proxy-1234" in second.getMessage()
    finally:
        app.extensions["slrs"].close()


def test_every_answer_carries_a_request_id(xapi: Any) -> None:
    assert len(xapi.get("/xapi/statements").headers["X-Request-ID"]) >= 16
    assert xapi.client.get("/health", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    assert xapi.client.get("/health", headers={"X-Request-ID": "bad id; drop"}).headers["X-Request-ID"] != "bad id; drop"
