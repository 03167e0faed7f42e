"""Writers on several threads at once: nothing lost or duplicated, and `stored` follows the log."""

from __future__ import annotations

import threading

from api.app import Services
from lrs.query import StatementQuery
from tests.conftest import AUTHORITY, statement


def test_threads_writing_at_once_lose_nothing_and_stored_never_goes_back(services: Services) -> None:
    sent: list[str] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(10):
                sent.extend(services.lrs.store_statements([statement() for _ in range(5)], AUTHORITY))
        except BaseException as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    listed = services.lrs.list_statements(StatementQuery(ascending=True, limit=500)).statements
    assert sorted(s["id"] for s in listed) == sorted(sent) and len(sent) == 200
    stored = [s["stored"] for s in listed]
    assert stored == sorted(stored)


def test_client_stored_value_is_replaced(services: Services) -> None:
    [sid] = services.lrs.store_statements([statement(stored="2001-01-01T00:00:00Z")], AUTHORITY)
    assert services.lrs.get_statement(sid)["stored"] > "2026"


def test_consistent_through_never_passes_a_write_in_flight(services: Services) -> None:
    """Communication 2.1.3: statements stored at or before Consistent-Through are all queryable."""
    services.lrs.store_statements([statement()], AUTHORITY)
    idle = services.lrs.consistent_through()
    assert idle >= services.lrs.list_statements(StatementQuery(limit=1)).statements[0]["stored"]
    stamped: list[str] = []
    holding, release = threading.Event(), threading.Event()

    def writer_in_flight() -> None:
        with services.lrs.recorder.stored_clock() as clock:  # a writer between its stamp and its commit
            stamped.append(clock())
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer_in_flight)
    thread.start()
    holding.wait(10)
    try:
        assert services.lrs.consistent_through() < stamped[0]
    finally:
        release.set()
        thread.join()
    assert services.lrs.consistent_through() >= stamped[0]
