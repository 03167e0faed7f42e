"""`slrs follow stats` in a process of its own beside `slrs serve`, talking only through the database."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from tests.conftest import postgres_environ
from tests.e2e.servers import SLRS, call, start_server, stop_server

pytestmark = pytest.mark.e2e
VERB = "http://adlnet.gov/expapi/verbs/attended"


@pytest.fixture
def served_and_followed(environ: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
    server, url = start_server(environ, init=True)
    follower = subprocess.Popen([SLRS, "follow", "stats", "--interval", "0.2"], env={**os.environ, **environ},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield url, environ
    follower.terminate()
    follower.wait(timeout=20)
    stop_server(server)


def post(url: str, count: int) -> None:
    batch = [{"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": VERB},
              "object": {"id": "https://lscp.example/courses/level-3"}} for _ in range(count)]
    status, _ = call("POST", f"{url}/statements", batch)
    assert status == 200


def wait_for_count(url: str, expected: int, seconds: float = 30) -> dict[str, Any]:
    base = url.removesuffix("/xapi")
    deadline = time.monotonic() + seconds
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status, body = call("GET", f"{base}/api/v1/stats")
        if status == 200 and body["verbs"] == [{"id": VERB, "statements": expected}]:
            return body
        time.sleep(0.1)
    raise AssertionError(f"the follower did not reach {expected} statements: {body}")


def test_follower_process_keeps_stats_current_and_health_shows_no_lag(
        served_and_followed: tuple[str, dict[str, str]]) -> None:
    url, environ = served_and_followed
    post(url, 30)
    assert wait_for_count(url, 30)["lag"] == 0
    post(url, 12)
    wait_for_count(url, 42)
    _, health = call("GET", url.removesuffix("/xapi") + "/health")
    assert health["followers"]["stats"]["lag"] == 0
    if environ.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        # a lost LISTEN connection: the supervising loop restarts the follower, which resumes
        pg = postgres_environ()
        with psycopg.connect(host=pg["POSTGRES_HOST"], port=pg["POSTGRES_PORT"], user=pg["POSTGRES_USER"],
                             password=pg["POSTGRES_PASSWORD"], dbname=pg["POSTGRES_DBNAME"], autocommit=True) as c:
            killed = c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()").fetchall()
        assert killed
        post(url, 8)
        wait_for_count(url, 50)
