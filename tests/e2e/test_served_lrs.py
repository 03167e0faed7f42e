"""End to end: `slrs serve` in a subprocess, a real xAPI client (tincan) and plain HTTP."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tincan import Activity, Agent, RemoteLRS, Statement, Verb

SLRS = str(Path(sys.executable).with_name("slrs"))
pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(environ: dict[str, str]) -> Iterator[str]:
    env = {**os.environ, **environ}
    subprocess.run([SLRS, "init"], env=env, check=True, capture_output=True)
    subprocess.run([SLRS, "credentials", "create", "--key", "e2e", "--secret", "e2e-secret", "--scope", "all"],
                   env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen([SLRS, "serve", "--port", str(port), "--workers", "2"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/xapi"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/about", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("slrs serve did not start: " + process.stderr.read1().decode())  # type: ignore[union-attr]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def call(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "X-Experience-API-Version": "1.0.3",
        "Content-Type": "application/json",
        "Authorization": "Basic " + base64.b64encode(b"e2e:e2e-secret").decode(),
    })
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_tincan_client_saves_and_retrieves_a_statement(server: str) -> None:
    lrs = RemoteLRS(version="1.0.3", endpoint=server + "/", username="e2e", password="e2e-secret")
    sent = Statement(
        id=uuid.uuid4(),
        actor=Agent(name="Alice Example", mbox="mailto:alice@example.org"),
        verb=Verb(id="http://adlnet.gov/expapi/verbs/attended", display={"en-GB": "attended"}),
        object=Activity(id="https://lscp.example/sessions/2026-03-27-level-2"),
    )
    saved = lrs.save_statement(sent)
    assert saved.success, saved.data
    got = lrs.retrieve_statement(str(sent.id))
    assert got.success, got.data
    assert got.content.actor.mbox == "mailto:alice@example.org"
    assert got.content.verb.id == "http://adlnet.gov/expapi/verbs/attended"


def test_batch_posted_over_http_reads_back_and_bad_batch_stores_nothing(server: str) -> None:
    batch = [{"actor": {"account": {"homePage": "https://moodle.example", "name": str(n)}},
              "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
              "object": {"id": f"https://lscp.example/courses/{n}"}} for n in range(20)]
    status, ids = call("POST", f"{server}/statements", batch)
    assert status == 200 and len(ids) == 20
    status, one = call("GET", f"{server}/statements?statementId={ids[7]}")
    assert status == 200 and one["object"]["id"] == "https://lscp.example/courses/7"
    status, error = call("POST", f"{server}/statements", [batch[0], {"verb": {"id": "http://x.example/v"}}])
    assert status == 400 and error["error"]["path"].startswith("statements[1]")
    status, page = call("GET", f"{server}/statements?limit=100")
    assert status == 200 and sorted(s["id"] for s in page["statements"]) == sorted(ids)
