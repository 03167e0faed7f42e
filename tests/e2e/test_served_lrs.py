"""End to end: `slrs serve` in a subprocess, a real xAPI client (tincan) and plain HTTP."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from tincan import Activity, Agent, RemoteLRS, Statement, Verb

from tests.e2e.servers import call, start_server, stop_server


@pytest.fixture
def server(environ: dict[str, str]) -> Iterator[str]:
    process, url = start_server(environ, init=True)
    yield url
    stop_server(process)


pytestmark = pytest.mark.e2e


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


def test_the_server_binds_no_control_socket_another_server_would_take(environ: dict[str, str], tmp_path: Any) -> None:
    """gunicorn 27 binds $HOME/.gunicorn/gunicorn.ctl for every server of a user, each taking it from the last.

    Engine-independent: run on SQLite only.
    """
    if environ["PERSISTENCE_MODULE"] != "eventsourcing.sqlite":
        pytest.skip("the control socket is gunicorn's, whatever the engine")
    home = tmp_path / "home"
    home.mkdir()
    server, url = start_server({**environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home)}, init=True)
    try:
        assert call("GET", url + "/about")[0] == 200
        for _ in range(30):  # gunicorn binds it about when the first worker answers: give it the time
            assert list(home.rglob("*.ctl")) == []
            time.sleep(0.1)
    finally:
        stop_server(server)
