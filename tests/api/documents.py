"""What the document resource tests share: an app on a fixed clock, and a client that speaks one resource."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from werkzeug.test import TestResponse

from api.app import create_app
from kernel.clock import FixedClock
from tests.conftest import CREDENTIALS, XAPIClient, basic

ALICE = {"objectType": "Agent", "mbox": "mailto:alice@example.org", "name": "Alice Example"}
BOB = {"objectType": "Agent", "account": {"homePage": "https://lms.example", "name": "bob"}}
COURSE = "https://lscp.example/courses/level-1"
REGISTRATION = "6f1c0b6e-3c1a-4d4e-9a55-0e2f6b7c8d90"
STATE = "/xapi/activities/state"
ACTIVITY_PROFILE = "/xapi/activities/profile"
AGENT_PROFILE = "/xapi/agents/profile"


def query(**params: Any) -> str:
    """A query string; dict values (agents) go as JSON, None values are left out."""
    return urlencode({k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items() if v is not None})


@pytest.fixture(name="clock")
def clock_fixture() -> FixedClock:
    """The clock of the documents' app: 1 March 2027, 09:00 UTC, until a test moves it."""
    return FixedClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture(name="app")
def app_fixture(environ: dict[str, str], clock: FixedClock) -> Iterator[Any]:
    """The app on a fixed clock, with tests/conftest.py's credentials and one per document scope."""
    app = create_app({"SLRS_ENV": environ, "TESTING": True, "SLRS_CREATE_TABLES": True, "SLRS_CLOCK": clock})
    credentials = app.extensions["slrs"].credentials
    for key, (secret, scopes) in CREDENTIALS.items():
        credentials.create_credential(key, secret, scopes)
    for scope in ("state", "profile", "all/read"):
        credentials.create_credential(scope, f"{scope}-secret", [scope])
    yield app
    app.extensions["slrs"].close()


class Documents:
    """One document resource through the Flask test client, as one credential."""

    def __init__(self, xapi: XAPIClient, path: str, **context: Any) -> None:
        self.xapi, self.path, self.context = xapi, path, context

    def url(self, **params: Any) -> str:
        return f"{self.path}?{query(**{**self.context, **params})}"

    def put(self, body: bytes | str, content_type: str = "application/json", headers: dict[str, str] | None = None,
            **params: Any) -> TestResponse:
        return self.xapi.put(self.url(**params), data=body, headers={"Content-Type": content_type, **(headers or {})})

    def post(self, body: bytes | str, content_type: str = "application/json", headers: dict[str, str] | None = None,
             **params: Any) -> TestResponse:
        return self.xapi.post(self.url(**params), data=body, headers={"Content-Type": content_type, **(headers or {})})

    def get(self, **params: Any) -> TestResponse:
        return self.xapi.get(self.url(**params))

    def head(self, **params: Any) -> TestResponse:
        return self.xapi.request("HEAD", self.url(**params))

    def delete(self, headers: dict[str, str] | None = None, **params: Any) -> TestResponse:
        return self.xapi.request("DELETE", self.url(**params), headers=headers)

    def ids(self, **params: Any) -> list[str]:
        """The ids a multiple-document GET lists (asserting it succeeds)."""
        response = self.get(**params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()  # type: ignore[no-any-return]


def auth(key: str) -> dict[str, str]:
    """The Authorization header of one of the app fixture's per-scope credentials (state, profile, all/read)."""
    return {"Authorization": basic(key, f"{key}-secret")}


def later(clock: FixedClock, seconds: int = 60) -> str:
    """Move the clock on and give the instant before the move, as a `since` value."""
    before = clock.now()
    clock.advance(timedelta(seconds=seconds))
    return before.isoformat().replace("+00:00", "Z")


def stored_event_bytes(app: Any) -> bytes:
    """Every event the LRS holds, as stored: to show what is, and is not, in clear."""
    recorder = app.extensions["slrs"].lrs.recorder
    return b"".join(n.state for n in recorder.select_notifications(1, 10_000))
