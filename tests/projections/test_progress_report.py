"""Worker progress and agency accountability from the progress follower's facts, against the domain's own answer."""

from __future__ import annotations

from datetime import date

from api.app import Services
from domain.actor import Actor
from kernel.clock import FixedClock
from projections.accountability import agency_accountability, partnership
from projections.progress_report import worker_progress
from tests.domain.conftest import PARTNERSHIP, Partnership, london
from tests.projections.conftest import at, follow, stores

POLICE = Actor("police-clerk", agency="police")


def people(given: Partnership) -> None:
    """ann (police, group 3) trained at levels basic and 1; bob (police, group 2) nothing; cat (charity, group 1)
    with basic; dan (police) moves to charity; single-agency foundation training validated for eve."""
    records = given.records
    given.worker("ann", completed=("basic", "l1"))
    given.worker("bob", group=2)
    given.worker("cat", agency="charity", group=1, completed=("basic",))
    given.worker("dan", group=1, completed=("basic",))
    given.worker("eve", group=2, completed=("basic", "found"))
    records.validate_course(PARTNERSHIP, "found", date(2026, 1, 1), date(2027, 12, 31))
    records.move_worker_to_agency(PARTNERSHIP, "dan", "charity", date(2027, 2, 1))
    records.move_worker_to_group(PARTNERSHIP, "bob", 3, date(2026, 12, 1))


def test_the_follower_keeps_each_fact_with_its_effective_date_and_the_instant_it_was_recorded(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    given.worker("ann", completed=("basic",))
    clock.set(london(2027, 3, 2, 10, 0))
    services.records.move_worker_to_group(PARTNERSHIP, "ann", 4, date(2027, 2, 1), works_with_group_4=True)
    services.records.withdraw_completion(PARTNERSHIP, "ann", "test:basic", "recorded against the wrong person")
    assert follow(services, "progress") == services.records.recorder.max_notification_id()
    store = services.tracking_store("progress")
    moves = store.fetch("SELECT fact, effective, target_group, works_with_group_4 FROM slrs_progress_workers "
                        "WHERE worker = ? ORDER BY version", ["ann"])
    assert [(m["fact"], m["effective"], m["target_group"], m["works_with_group_4"]) for m in moves] == [
        ("registered", "2026-01-05", 3, 0), ("group", "2027-02-01", 4, 1)]
    [completion] = store.fetch("SELECT * FROM slrs_progress_completions WHERE worker = ?", ["ann"])
    assert completion["completed_on"] == "2026-06-01" and completion["withdrawn"] is not None
    assert completion["withdrawn"] > completion["recorded"]
    assert store.position() == services.records.recorder.max_notification_id()


def test_each_workers_progress_is_what_training_records_get_progress_says(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    people(given)
    follow(services, "progress", "audit")
    for day in (date(2026, 3, 1), date(2026, 7, 1), date(2027, 3, 1), date(2029, 5, 1)):
        view = worker_progress(services.tracking_store("progress"), None, at(clock, day))
        for row in view.rows:
            expected = services.records.get_progress(PARTNERSHIP, row.worker, day)
            assert (row.agency, row.target_group, row.status, row.compliant) == (
                expected.agency, expected.target_group, expected.status, expected.compliant), (row.worker, day)
            assert [(r.level, r.status, r.due_on, r.expires_on, r.covered_by) for r in row.requirements] == [
                (s.level, s.status, s.due_on, s.expires_on, s.covered_by and s.covered_by.source)
                for s in expected.requirements], (row.worker, day)
        assert {r.worker for r in view.rows} == {"ann", "bob", "cat", "dan", "eve"}


def test_a_worker_counts_for_the_agency_they_belong_to_on_the_day(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    people(given)
    follow(services, "progress")
    store = services.tracking_store("progress")
    january = worker_progress(store, None, at(clock, date(2027, 1, 15)), agency="police")
    march = worker_progress(store, None, at(clock, date(2027, 3, 1)), agency="police")
    assert [r.worker for r in january.rows] == ["ann", "bob", "dan", "eve"]
    assert [r.worker for r in march.rows] == ["ann", "bob", "eve"]


def test_the_agency_report_counts_each_group_by_status(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    people(given)
    follow(services)
    view = agency_accountability(stores(services), at(clock, date(2027, 3, 1)), "police", date(2026, 4, 1),
                                 date(2027, 3, 31))
    by_group = {g.target_group: g for g in view.groups}
    assert set(by_group) == {2, 3}
    assert (by_group[2].headcount, by_group[2].compliant, by_group[2].in_date) == (1, 1, 1)  # eve: validated training
    assert (by_group[3].headcount, by_group[3].never_trained) == (2, 2)  # ann lacks level 2, bob everything
    assert (view.total.headcount, view.total.compliant, view.total.compliant_pct) == (3, 1, 33.3)


def test_the_partnership_report_compares_agencies_and_lists_the_gaps_below_target(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    people(given)
    follow(services)
    view = partnership(stores(services), at(clock, date(2027, 3, 1)), date(2026, 4, 1), date(2027, 3, 31), 50.0)
    assert [(a.agency, a.contributes, a.compliance.headcount, a.compliance.compliant) for a in view.agencies] == [
        ("charity", False, 2, 2), ("police", True, 3, 1)]
    assert [(g.agency, g.target_group) for g in view.gaps] == [("police", 3)]
    level_2 = next(s for s in view.shortfalls if s.level == "2")
    assert (level_2.workers_needing, level_2.places, level_2.shortfall) == (2, 0, 2)
