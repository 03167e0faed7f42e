"""Moodle's statements, posted with a real xAPI client (tincan) to `slrs serve`, change a worker's progress through
a `slrs follow moodle_bridge` process; sending them again, and killing the bridge midway, change nothing more.

The machine's clock rules here: completions are dated an hour ago, and the
face-to-face session starts a few seconds after it is scheduled, so the sign-up
is taken before its start and the attendance after it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tincan import RemoteLRS, Statement

from api.app import Services
from tests.bridge.moodle_data import needs_data
from tests.bridge.shapes import account, course_iri, module_iri, shaped
from tests.e2e.servers import SLRS, call, start_server, stop_server

pytestmark = [pytest.mark.e2e, needs_data]
F2F, BOOK, FEEDBACK = module_iri("facetoface", 7), module_iri("book", 3), module_iri("feedback", 9)
LEAD = timedelta(seconds=2.5)  # from scheduling the session to its start: the sign-up is taken before


def initialise(environ: dict[str, str]) -> None:
    """What `slrs init` and `slrs credentials create` do, in this process (two interpreters fewer to start)."""
    services = Services.from_env(environ, create_tables=True)
    try:
        for name in services.followers():
            services.tracking_store(name)
        services.credentials.create_credential("e2e", "e2e-secret", ["all"])
    finally:
        services.close()


class Deployment:
    """`slrs serve` and a `slrs follow moodle_bridge` process that can be killed and started again."""

    def __init__(self, environ: dict[str, str]) -> None:
        # The library keeps 5 connections open per PostgreSQL store (POSTGRES_POOL_SIZE); a server worker
        # answering /health opens every follower's store: two workers and the bridge would pass 100.
        self.environ = {**environ, "SLRS_PLUGINS": "moodle_bridge", "POSTGRES_POOL_SIZE": "1",
                        "POSTGRES_MAX_OVERFLOW": "4"}
        initialise(self.environ)
        self.server, xapi = start_server(self.environ, init=False)
        self.api = xapi.removesuffix("/xapi") + "/api/v1"
        self.lrs = RemoteLRS(endpoint=xapi + "/", version="1.0.3", username="e2e", password="e2e-secret")
        self.bridge: subprocess.Popen[bytes] | None = None
        self.start_bridge()

    def start_bridge(self) -> None:
        self.bridge = subprocess.Popen([SLRS, "follow", "moodle_bridge", "--interval", "0.2"],
                                       env={**os.environ, **self.environ}, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)

    def kill_bridge(self) -> None:
        assert self.bridge is not None
        self.bridge.send_signal(signal.SIGKILL)
        self.bridge.wait(timeout=10)

    def close(self) -> None:
        if self.bridge is not None and self.bridge.poll() is None:
            self.bridge.terminate()
            self.bridge.wait(timeout=20)
        stop_server(self.server)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = call(method, self.api + path, body)
        assert status < 300, (method, path, status, answer)
        return answer

    def send(self, statements: list[dict[str, Any]]) -> None:
        """POST them as Moodle does (no ids: each send is new statements to the LRS), with TinCanPython."""
        response = self.lrs.save_statements([Statement(s) for s in statements])
        assert response.success, response.data

    def until(self, what: str, found: Callable[[], bool], seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while not found():
            assert time.monotonic() < deadline, f"the bridge did not get there: {what}"
            time.sleep(0.1)

    def caught_up(self) -> bool:
        _, health = call("GET", self.api.removesuffix("/api/v1") + "/health")
        return bool(health["followers"]["moodle_bridge"]["lag"] == 0)

    def statuses(self) -> dict[str, str]:
        return {r["level"]: r["status"] for r in self.ok("GET", "/workers/ann/progress")["requirements"]}

    def histories(self) -> list[list[str]]:
        return [[e["event"] for e in self.ok("GET", f"/{kind}/history")]
                for kind in ("workers/ann", "sessions/s1", "courses/aware")]


@pytest.fixture
def deployment(environ: dict[str, str]) -> Iterator[Deployment]:
    found = Deployment(environ)
    yield found
    found.close()


def stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_moodle_statements_change_progress_once_whatever_is_sent_again_or_killed(deployment: Deployment) -> None:
    d = deployment
    d.ok("POST", "/agencies", {"id": "police", "name": "Constabulary", "sector": "statutory", "health": False,
                               "contributes": True, "effective_from": "2025-01-01"})
    for code, level, delivery in (("aware", "basic", "e-learning"), ("l1e", "1", "e-learning"),
                                  ("l2", "2", "inter-agency")):
        d.ok("POST", "/courses", {"id": code, "title": code, "level": level, "delivery": delivery,
                                  "outcomes": [], "topics": [], "duration_minutes": 60})
    d.ok("POST", "/workers", {"id": "ann", "agency": "police", "job_role": "Constable", "target_group": 3,
                              "started_on": "2025-01-06", "name": "Ann Example"})
    d.ok("POST", "/moodle/aliases", {"account": account(11)["account"], "worker": "ann"})
    d.ok("POST", "/moodle/activities", {"activity": course_iri(2), "course": "aware"})
    d.ok("POST", "/moodle/activities", {"activity": BOOK, "course": "l1e"})
    assert set(d.statuses().values()) == {"never trained"}

    starts = datetime.now(UTC) + LEAD
    d.ok("POST", "/sessions", {"id": "s1", "course": "l2", "starts_at": starts.isoformat(),
                               "ends_at": (starts + timedelta(hours=1)).isoformat(), "venue": "Town Hall",
                               "capacity": 10, "trainers": []})
    d.ok("POST", "/moodle/sessions", {"activity": F2F, "session": "s1"})

    an_hour_ago = stamp(datetime.now(UTC) - timedelta(hours=1))
    learning = [*shaped("course_completed", 11, course_iri(2), an_hour_ago),
                *shaped("module_completed", 11, BOOK, an_hour_ago),
                *shaped("feedback", 11, FEEDBACK, an_hour_ago)]
    signup = shaped("signup", 11, F2F, stamp(datetime.now(UTC)))
    d.send(learning + signup)  # level 1 is done before the sign-up to level 2 is taken: the log's order
    d.until("basic and level 1 in date", lambda: d.statuses() == {"basic": "in date", "1": "in date",
                                                                  "2": "never trained"})
    d.until("a place booked", lambda: [b["status"] for b in d.ok("GET", "/sessions/s1")["bookings"]] == ["booked"])

    time.sleep(max((starts - datetime.now(UTC)).total_seconds(), 0) + 0.2)
    attendance = shaped("attendance", 11, F2F, stamp(datetime.now(UTC)))
    d.send(attendance + learning + signup)  # Moodle sends again what it sent before, with new ids
    time.sleep(0.2)
    d.kill_bridge()  # somewhere in the middle of taking them, or just before
    d.send(learning + signup + attendance)  # and again, while the bridge is down
    d.start_bridge()
    d.until("attended", lambda: d.ok("GET", "/sessions/s1")["bookings"][0]["attended"] is True)
    d.until("caught up", d.caught_up)
    d.ok("POST", "/sessions/s1/register-closure", {})
    progress = d.ok("GET", "/workers/ann/progress")
    assert (progress["status"], progress["compliant"]) == ("in date", True)
    assert d.statuses() == {"basic": "in date", "1": "in date", "2": "in date"}
    history = d.histories()
    assert [history[0].count("CompletionRecorded"), history[2].count("EvaluationRecorded")] == [3, 1]
    assert history[1].count("PlaceBooked") == 1 and history[1].count("AttendanceRecorded") == 1

    d.send(learning + signup + attendance)  # after the register closed: still nothing more
    d.until("caught up again", d.caught_up)
    assert d.histories() == history
    assert d.ok("GET", "/workers/ann/progress") == progress
    assert d.ok("GET", "/moodle/pending") == []
