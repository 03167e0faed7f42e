"""The stats follower on each engine: counts, resuming, rebuilding, and atomic pages."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import MapperDeserialisationError

from api.app import Services
from projections.stats import get_stats
from tests.conftest import AUTHORITY, statement

ATTENDED = {"id": "http://adlnet.gov/expapi/verbs/attended"}
COMPLETED = statement()["verb"]


def counts(services: Services) -> tuple[dict[str, int], dict[str, int]]:
    view = get_stats(services.tracking_store("stats"))
    return {v["id"]: v["statements"] for v in view.verbs}, {a["id"]: a["statements"] for a in view.activities}


def test_follower_counts_each_statement_once_across_restarts(services: Services) -> None:
    services.lrs.store_statements([statement(), statement(verb=ATTENDED), statement(verb=ATTENDED)], AUTHORITY)
    assert services.follower("stats").catch_up() == 3
    services.lrs.store_statements([statement(verb=ATTENDED, object={"id": "https://lscp.example/x"})], AUTHORITY)
    restarted = services.follower("stats")  # a new process would start from the stored position
    assert restarted.catch_up() == 1
    assert restarted.catch_up() == 0
    verbs, activities = counts(services)
    assert verbs == {ATTENDED["id"]: 3, COMPLETED["id"]: 1}
    assert activities == {"https://lscp.example/courses/level-1": 3, "https://lscp.example/x": 1}
    assert restarted.lag() == 0


def test_rebuild_gives_the_same_counts(services: Services) -> None:
    services.lrs.store_statements([statement(verb=ATTENDED) for _ in range(5)], AUTHORITY)
    follower = services.follower("stats")
    follower.catch_up()
    before = counts(services)
    assert follower.rebuild() == 5
    assert counts(services) == before


def test_a_page_that_fails_moves_neither_rows_nor_position(services: Services, monkeypatch: Any) -> None:
    services.lrs.store_statements([statement() for _ in range(3)], AUTHORITY)
    follower = services.follower("stats")
    follower.page_size = 2
    assert follower.process_page() == 2
    original = follower.processor.apply

    def failing(*args: Any) -> None:
        original(*args)  # the rows are written, then the page fails before it commits
        raise RuntimeError("connection lost")

    monkeypatch.setattr(follower.processor, "apply", failing)
    with pytest.raises(RuntimeError):
        follower.process_page()
    assert follower.store.position() == 2
    assert counts(services)[0] == {COMPLETED["id"]: 2}
    monkeypatch.undo()
    assert follower.catch_up() == 1
    assert counts(services)[0] == {COMPLETED["id"]: 3}


def test_a_statement_holding_the_librarys_marker_reads_back_and_is_counted(services: Services) -> None:
    """An extension's value may be any JSON (Data 2.4.6.4), even one shaped like the library's `_type_` marker.

    The library's mapper cannot decode such a statement; the LRS's own decoder,
    which every follower of the statement log uses, reads it as plain JSON.
    """
    marked = statement(result={"extensions": {"https://lscp.example/ext/marker": {"_type_": "x", "_data_": 1}}})
    [sid] = services.lrs.store_statements([marked], AUTHORITY)
    services.lrs.store_statements([statement(verb=ATTENDED)], AUTHORITY)
    got = services.lrs.get_statement(sid)
    assert {k: v for k, v in got.items() if k in marked} == marked
    [notification, _] = services.lrs.recorder.select_notifications(1, 10)
    with pytest.raises(MapperDeserialisationError, match="not deserializable"):
        services.lrs.mapper.to_domain_event(notification)
    follower = services.follower("stats")
    assert follower.catch_up() == 2
    assert counts(services)[0] == {COMPLETED["id"]: 1, ATTENDED["id"]: 1}
    assert follower.lag() == 0
