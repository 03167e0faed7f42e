"""Each worker's progress kept as periods by the progress follower: the reports' counts read them, and agree with
the domain's rule evaluated from the facts, on any day, as known at any instant."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from api.app import Services
from kernel.clock import FixedClock
from projections.progress_periods import StatusRow, status_counts, status_rows
from projections.progress_view import ProgressFacts
from projections.timepoint import TimePoint
from tests.domain.conftest import PARTNERSHIP, Partnership, london
from tests.projections.conftest import follow
from tests.projections.scenario import busy_month

DAYS = [date(2026, 1, 4), date(2026, 1, 5), date(2026, 4, 5), date(2026, 6, 1), date(2027, 3, 29),
        date(2027, 4, 1), date(2027, 7, 1), date(2029, 3, 3), date(2029, 6, 1), date(2031, 1, 1)]


def evaluated(services: Services, tp: TimePoint, agency: str | None = None) -> list[StatusRow]:
    """The counts' rows as the domain's rule gives them, every worker evaluated from the facts known then."""
    facts = ProgressFacts(services.tracking_store("progress"), tp.known_us)
    return sorted(StatusRow.of(r) for r in facts.progress_rows(facts.workers().values(), tp.as_of, agency))


def a_year_of_changes(given: Partnership, clock: FixedClock) -> list[datetime]:
    """The busy month, then a group move, a leaver, a pathway revision and a validation: the instants between."""
    records = given.records
    instants = [london(2027, 3, 1, 9, 0)]
    busy_month(given)
    instants.append(clock.now())
    clock.set(london(2027, 4, 10, 9, 0))
    records.move_worker_to_group(PARTNERSHIP, "ann", 4, date(2027, 5, 1))
    records.record_leaving(PARTNERSHIP, "cid", date(2027, 6, 30))
    instants.append(clock.now())
    clock.set(london(2027, 4, 20, 9, 0))
    records.publish_pathway(PARTNERSHIP, 2, [{"level": "basic", "due_months": 1, "refresh_years": 1,
                                              "group_4_only": False}], [], date(2027, 6, 1))
    records.validate_course(PARTNERSHIP, "found", date(2026, 1, 1), date(2028, 1, 1))
    records.record_completion(PARTNERSHIP, "bob", "found", date(2027, 4, 15), "test:found")
    instants.append(clock.now())
    clock.set(london(2027, 5, 1, 9, 0))
    return instants


def test_the_counts_agree_with_the_rule_on_every_day_as_known_at_every_instant(services: Services,
                                                                                given: Partnership,
                                                                                clock: FixedClock) -> None:
    instants = a_year_of_changes(given, clock)
    follow(services, "progress")
    progress = services.tracking_store("progress")
    assert progress.fetch("SELECT COUNT(*) AS n FROM slrs_progress_stale")[0]["n"] == 0
    periods = progress.fetch("SELECT DISTINCT worker FROM slrs_progress_periods")
    assert {r["worker"] for r in periods} == {"ann", "bob", "cid", "cat", "dan", "eli"}
    for known in [*instants, clock.now()]:
        for day in DAYS:
            tp = TimePoint(day, known)
            assert sorted(status_rows(progress, tp)) == evaluated(services, tp), (day, known)
            assert sorted(status_rows(progress, tp, "charity")) == evaluated(services, tp, "charity"), (day, known)
            assert status_counts(progress, tp) == Counter(r.key for r in evaluated(services, tp)), (day, known)
            assert status_counts(progress, tp, "police") == Counter(r.key for r in evaluated(services, tp, "police"))


def test_a_worker_with_new_facts_is_evaluated_until_the_follower_settles(services: Services, given: Partnership,
                                                                        clock: FixedClock) -> None:
    given.worker("ann", group=1)
    follow(services, "progress")
    progress = services.tracking_store("progress")
    tp = TimePoint(date(2026, 6, 2), clock.now() + timedelta(days=1))
    assert [r.status for r in status_rows(progress, tp)] == ["never trained"]
    follower = services.follower("progress")
    given.records.record_completion(PARTNERSHIP, "ann", "basic", date(2026, 6, 1), "test:basic")
    follower.process_page()  # the page is applied; its worker's periods wait for the settling
    assert progress.fetch("SELECT worker FROM slrs_progress_stale")[0]["worker"] == "ann"
    assert [r.status for r in status_rows(progress, tp)] == ["in date"]
    assert [k.status for k in status_counts(progress, tp)] == ["in date"]
    follower.catch_up()
    assert progress.fetch("SELECT worker FROM slrs_progress_stale") == []
    assert [r.status for r in status_rows(progress, tp)] == ["in date"]
