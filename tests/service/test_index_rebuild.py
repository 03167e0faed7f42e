"""`slrs rebuild-index` is crash-safe, and an incomplete index says so (issue 9, item 12), on each engine.

Before: the rebuild emptied the live index and dropped its lookup indexes
first, so an interruption left 15,000 of 59,150 statements listed while
/health said "ok", and servers started afterwards raced to rebuild the indexes.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.app import Services
from lrs.index import writer
from lrs.index.schema import LOOKUP_INDEXES
from lrs.query import StatementQuery
from tests.conftest import AUTHORITY, statement


def listed(services: Services) -> int:
    return len(services.lrs.list_statements(StatementQuery(verb=statement()["verb"]["id"])).statements)


def fill(services: Services, batches: int = 3, size: int = 40) -> None:
    for _ in range(batches):
        services.lrs.store_statements([statement() for _ in range(size)], AUTHORITY)


def test_an_interrupted_rebuild_leaves_the_live_index_whole(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(services)
    written: list[int] = []
    original = writer.write_entries

    def fail_on_second_page(*args: Any, **kwargs: Any) -> None:
        if written:
            raise KeyboardInterrupt("the operator pressed Ctrl-C")
        written.append(1)
        original(*args, **kwargs)

    monkeypatch.setattr("lrs.index.rebuild.write_entries", fail_on_second_page)
    with pytest.raises(KeyboardInterrupt):
        services.lrs.rebuild_index(page_size=40)
    assert listed(services) == 120
    assert services.lrs.index_status().complete
    monkeypatch.undo()
    assert services.lrs.rebuild_index(page_size=40) == 120  # the half-built tables are dropped and built again
    assert listed(services) == 120 and services.lrs.index_status().complete


def test_a_rebuild_while_statements_arrive_misses_none(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """What is stored between the last page and the swap is indexed under the writers' lock."""
    fill(services)
    recorder = services.lrs.recorder
    original_lock = recorder.writers_lock
    arrived: list[str] = []

    def one_arrives_first() -> Any:
        if not arrived:  # the rebuild's own call: a server stores a statement just before it
            arrived.append("storing")
            arrived[:] = services.lrs.store_statements([statement()], AUTHORITY)
        return original_lock()

    monkeypatch.setattr(recorder, "writers_lock", one_arrives_first)
    services.lrs.rebuild_index(page_size=200)
    assert listed(services) == 121
    assert services.lrs.get_statement(arrived[0])["id"] == arrived[0]


def old_interrupted_rebuild(services: Services, keep: int) -> None:
    """What an interrupted rebuild of an earlier version left: the first rows only, the lookup indexes dropped."""
    with services.lrs.recorder.datastore.transaction(commit=True) as c:
        for table in ("slrs_statement_agents", "slrs_statement_activities", "slrs_statements"):
            c.execute(services.lrs.dialect.sql(f"DELETE FROM {table} WHERE seq > ?"), (keep,))
        for name in LOOKUP_INDEXES:
            c.execute(f"DROP INDEX IF EXISTS {name}")


def test_an_incomplete_index_says_what_is_missing_and_what_to_do(services: Services) -> None:
    fill(services)
    old_interrupted_rebuild(services, keep=50)
    status = services.lrs.index_status()
    assert not status.complete
    assert status.indexed_through == 50 and status.missing_from == 51
    assert set(status.missing_indexes) == set(LOOKUP_INDEXES)
    assert status.problem is not None
    assert "from log position 51" in status.problem and "slrs rebuild-index" in status.problem
    services.lrs.rebuild_index()
    assert services.lrs.index_status().complete and listed(services) == 120


def test_health_is_503_while_the_index_is_incomplete(app: Any, xapi: Any) -> None:
    services = app.extensions["slrs"]
    fill(services, batches=2, size=10)
    assert xapi.client.get("/health").status_code == 200
    old_interrupted_rebuild(services, keep=5)
    response = xapi.client.get("/health")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "index incomplete"
    assert body["statement_index"]["complete"] is False and body["statement_index"]["indexed_through"] == 5
    assert "slrs rebuild-index" in body["statement_index"]["problem"]
    services.lrs.rebuild_index()
    assert xapi.client.get("/health").get_json()["status"] == "ok"
