"""Every report follower: its tracking position, a crash in the middle of a page, a page applied twice, a rebuild."""

from __future__ import annotations

from typing import Any

import pytest

from api.app import Services
from api.fanout import catch_up_together, rebuild_together
from tests.domain.conftest import Partnership
from tests.projections.conftest import REPORT_FOLLOWERS, follow, rows
from tests.projections.scenario import busy_month

RECORDS_FOLLOWERS = ("progress", "delivery", "ledger", "evaluations", "audit")


def everything(services: Services) -> dict[str, Any]:
    return {name: rows(services, name) for name in REPORT_FOLLOWERS}


def test_each_follower_applies_the_log_to_its_end_resumes_from_its_position_and_agrees_when_read_together(
        services: Services, given: Partnership) -> None:
    busy_month(given)
    end = services.records.recorder.max_notification_id()
    for name in RECORDS_FOLLOWERS:
        assert services.follower(name).catch_up() == end, name  # each alone, through the kernel's own loop
    alone = everything(services)
    for name in RECORDS_FOLLOWERS:
        follower = services.follower(name)  # as a restarted process would build it
        assert (follower.store.position(), follower.lag(), follower.catch_up()) == (end, 0, 0), name
        with follower.store.transaction() as cursor:
            follower.processor.reset(cursor)
            follower.store.set_position(cursor, 0)
    assert catch_up_together([services.follower(n) for n in REPORT_FOLLOWERS], page_size=5) == end
    assert everything(services) == alone


def test_a_crash_in_the_middle_of_a_page_applies_nothing_twice_and_loses_nothing(
        services: Services, given: Partnership, monkeypatch: pytest.MonkeyPatch) -> None:
    busy_month(given)
    follow(services)
    expected = everything(services)
    for name in RECORDS_FOLLOWERS:
        follower = services.follower(name)
        follower.page_size = 7
        with follower.store.transaction() as cursor:
            follower.processor.reset(cursor)
            follower.store.set_position(cursor, 0)
        assert follower.process_page() == 7
        original = follower.processor.apply

        def crashing(*args: Any) -> None:
            original(*args)  # the rows are written, then the connection is lost before the page commits
            raise ConnectionError("lost the database")

        monkeypatch.setattr(follower.processor, "apply", crashing)
        with pytest.raises(ConnectionError):
            follower.process_page()
        assert follower.store.position() == 7, name
        monkeypatch.undo()
        follower.catch_up()
        assert rows(services, name) == expected[name], name


def test_a_page_applied_twice_changes_nothing(services: Services, given: Partnership) -> None:
    busy_month(given)
    follow(services)
    expected = everything(services)
    page = services.records.recorder.select_notifications(1, 10_000)
    values = [services.records.decode(n) for n in page]
    for name in RECORDS_FOLLOWERS:  # a report catching up while `slrs follow` does the same
        follower = services.follower(name)
        with follower.store.transaction() as cursor:
            follower.processor.apply(follower.store, cursor, values)
    assert everything(services) == expected


def test_a_rebuild_yields_the_same_rows(services: Services, given: Partnership) -> None:
    busy_month(given)
    follow(services)
    expected = everything(services)
    followers = [services.follower(n) for n in REPORT_FOLLOWERS]
    assert rebuild_together(followers, page_size=13) == services.records.recorder.max_notification_id()
    assert everything(services) == expected
    for name in REPORT_FOLLOWERS:
        follower = services.follower(name)
        follower.rebuild()  # one follower alone, through the kernel's own loop
        assert rows(services, name) == expected[name], name
