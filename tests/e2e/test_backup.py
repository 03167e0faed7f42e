"""`slrs backup PATH` while a server writes: the copy opens as a working store."""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from api.app import Services
from lrs.query import StatementQuery
from tests.e2e.servers import call, slrs, start_server, stop_server

pytestmark = pytest.mark.e2e


def test_backup_taken_during_writes_is_consistent(tmp_path: Path) -> None:
    environ = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SLRS_DATA_DIR": str(tmp_path / "var")}
    server, url = start_server(environ, init=True)
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            call("POST", f"{url}/statements", [{"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:b@example.org"},
                                                "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"},
                                                "object": {"id": "https://lscp.example/c"}} for _ in range(20)])

    writer = threading.Thread(target=write)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(call("GET", f"{url}/statements?limit=100")[1]["statements"]) < 100:
            assert time.monotonic() < deadline, "the writer stored nothing"  # let some batches land first
        slrs(environ, "follow", "stats", "--once")
        out = slrs(environ, "backup", str(tmp_path / "copy"))
    finally:
        stop.set()
        writer.join()
        stop_server(server)
    assert "lrs.sqlite" in out and "credentials.sqlite" in out
    restored = Services.from_env({"SLRS_DATA_DIR": str(tmp_path / "copy")})
    try:
        statements: list[dict[str, Any]] = []
        query: StatementQuery | None = StatementQuery(limit=500)
        while query is not None:
            page = restored.lrs.list_statements(query)
            statements.extend(page.statements)
            query = page.more
        assert len(statements) >= 100 and len(statements) % 20 == 0  # whole batches: each was one transaction
        assert restored.tracking_store("stats").position() <= (restored.lrs.recorder.max_notification_id() or 0)
        assert restored.credentials.authenticate("e2e", "e2e-secret") is not None
    finally:
        restored.close()


def test_backup_refuses_postgres_with_a_pointer_to_pg_dump(tmp_path: Path) -> None:
    environ = {"PERSISTENCE_MODULE": "eventsourcing.postgres", "SLRS_DATA_DIR": str(tmp_path)}
    with pytest.raises(Exception) as raised:
        slrs(environ, "backup", str(tmp_path / "copy"))
    assert "pg_dump" in raised.value.stderr  # type: ignore[attr-defined]
