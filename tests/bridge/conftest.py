"""The app with the Moodle bridge enabled, on each engine, on a fixed clock; statements posted over /xapi.

The bridge's follower runs in the test's process (`Moodle.run`), as `slrs follow
moodle_bridge --once` would; tests/e2e runs it as a process of its own.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from kernel.clock import FixedClock
from tests.api.conftest import Given, RecordsAPI, london


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(london(2027, 3, 1, 9, 0))


@pytest.fixture
def bridge_app(environ: dict[str, str], clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setattr("lrs.credentials.SCRYPT_N", 2**4)
    app = create_app({"SLRS_ENV": {**environ, "SLRS_PLUGINS": "moodle_bridge"}, "TESTING": True,
                      "SLRS_CREATE_TABLES": True, "SLRS_CLOCK": clock})
    app.extensions["slrs"].credentials.create_credential("moodle", "moodle-secret", ["statements/write"])
    yield app
    app.extensions["slrs"].close()


class Moodle:
    """Moodle posting statements to the LRS, and the bridge taking them."""

    def __init__(self, app: Any) -> None:
        self.app, self.client = app, app.test_client()
        self.auth = "Basic " + base64.b64encode(b"moodle:moodle-secret").decode()

    def post(self, statements: list[dict[str, Any]]) -> list[str]:
        """POST /xapi/statements as Moodle does (no ids); the ids the LRS gave."""
        response = self.client.post("/xapi/statements", data=json.dumps(statements), content_type="application/json",
                                    headers={"Authorization": self.auth, "X-Experience-API-Version": "1.0.3"})
        assert response.status_code == 200, response.get_json()
        ids: list[str] = response.get_json()
        return ids

    def run(self) -> int:
        """The bridge catches up with the statement log (and what new links unblocked)."""
        return int(self.app.extensions["slrs"].follower("moodle_bridge").catch_up())

    def send(self, statements: list[dict[str, Any]]) -> list[str]:
        """Post, then let the bridge take them."""
        ids = self.post(statements)
        self.run()
        return ids


@pytest.fixture
def api(bridge_app: Any) -> RecordsAPI:
    return RecordsAPI(bridge_app)


@pytest.fixture
def given(api: RecordsAPI) -> Given:
    return Given(api)


@pytest.fixture
def moodle(bridge_app: Any) -> Moodle:
    return Moodle(bridge_app)
