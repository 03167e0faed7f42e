"""A worker's progress as periods (domain/progress.py `progress_periods`): the same as `evaluate_progress` on every day.

The reports keep each worker's progress as periods rather than evaluating
every worker per request, so the periods must agree with the rule on every
single day a worker is in post, whatever their moves, completions and the
pathway revisions: checked here day by day over generated workers.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.levels import LEVELS
from domain.pathway import DEFAULT_PATHWAYS, PathwayVersion, Requirement
from domain.progress import evaluate_progress, progress_periods
from domain.timeline import Timeline
from domain.worker import Completion, Placement, Worker

START = date(2025, 1, 1)
days = st.integers(min_value=0, max_value=6 * 365).map(lambda n: START + timedelta(days=n))
completions = st.lists(st.tuples(days, st.sampled_from(LEVELS), st.booleans()), max_size=6)
moves = st.lists(st.tuples(days, st.integers(1, 8), st.booleans(), st.sampled_from(("police", "health"))), max_size=3)


def a_worker(started: date, left: date | None, moved: list[tuple[date, int, bool, str]],
             done: list[tuple[date, str, bool]]) -> Worker:
    worker = object.__new__(Worker)
    Worker.__init__(worker)
    worker.code, worker.started_on, worker.left_on = "w1", started, left
    worker.agency = Timeline.starting(started.isoformat(), "police")
    worker.placement = Timeline.starting(started.isoformat(), Placement(2, False))
    for day, group, with_group_4, agency in moved:
        worker.agency = worker.agency.with_change(day.isoformat(), agency)
        worker.placement = worker.placement.with_change(day.isoformat(), Placement(group, with_group_4))
    worker.completions = {f"s{n}": Completion(f"s{n}", "c-validated" if validated else "c-other", level,
                                              "single-agency", day)
                          for n, (day, level, validated) in enumerate(done)}
    return worker


REVISION = PathwayVersion(2, date(2027, 4, 1), (Requirement("basic", 6, 1), Requirement("2", 2, 2)), ())


def pathway_on(group: int, day: date) -> PathwayVersion:
    return REVISION if group == 2 and day >= REVISION.effective_from else DEFAULT_PATHWAYS[group]  # type: ignore[operator]


def pathway_changes(group: int) -> list[date]:
    return [REVISION.effective_from] if group == 2 else []  # type: ignore[list-item]


def counts(completion: Completion) -> bool:
    return completion.course == "c-validated"


@settings(max_examples=60, deadline=None)
@given(started=days, stays=st.one_of(st.none(), st.integers(1, 4 * 365)), moved=moves, done=completions)
def test_the_periods_agree_with_the_rule_on_every_day_in_post(started: date, stays: int | None,
                                                               moved: list[tuple[date, int, bool, str]],
                                                               done: list[tuple[date, str, bool]]) -> None:
    left = started + timedelta(days=stays) if stays is not None else None
    worker = a_worker(started, left, moved, done)
    periods = list(progress_periods(worker, pathway_on, pathway_changes, counts))
    assert periods[0].starts == started
    assert all(a.ends == b.starts for a, b in zip(periods, periods[1:]))
    assert periods[-1].ends == left
    for period in periods:
        day = period.starts
        while day < (period.ends or date(2032, 1, 1)):
            placement = worker.placement_on(day)
            expected = evaluate_progress(pathway_on(placement.target_group, day), placement.works_with_group_4,
                                         worker.joined_group_on(day), worker.completions.values(), day, counts)
            assert [(s.level, s.status, s.covered_by, s.due_on, s.expires_on) for s in expected] == \
                [(s.level, s.status, s.covered_by, s.due_on, s.expires_on) for s in period.statuses], day
            assert (period.agency, period.placement) == (worker.agency_on(day), placement), day
            day += timedelta(days=1)


def test_a_worker_who_left_on_the_day_they_started_has_no_period() -> None:
    worker = a_worker(date(2026, 1, 5), date(2026, 1, 5), [], [])
    assert list(progress_periods(worker, pathway_on, pathway_changes, counts)) == []


def test_training_in_date_then_expiring_then_expired_makes_three_periods_after_it() -> None:
    worker = a_worker(date(2026, 1, 5), None, [], [(date(2026, 2, 1), "1", False), (date(2026, 2, 1), "2", True)])
    worker.placement = Timeline.starting("2026-01-05", Placement(1, False))
    periods = [(p.starts, p.ends, [s.status for s in p.statuses])
               for p in progress_periods(worker, pathway_on, pathway_changes, counts)]
    assert periods == [
        (date(2026, 1, 5), date(2026, 2, 1), ["not yet due"]),
        (date(2026, 2, 1), date(2028, 11, 3), ["in date"]),
        (date(2028, 11, 3), date(2029, 2, 1), ["expiring"]),
        (date(2029, 2, 1), None, ["expired"]),
    ]
