"""A worker's progress along their pathway on a date: due periods, refresh intervals, group moves, validation."""

from __future__ import annotations

from datetime import date

from domain.application import TrainingRecords
from domain.pathway import Requirement
from domain.progress import add_months, requirement_status
from domain.worker import Completion
from tests.domain.conftest import PARTNERSHIP, POLICE, Partnership


def statuses(records: TrainingRecords, worker: str, on: date) -> dict[str, str]:
    return {r.level: r.status for r in records.get_progress(POLICE, worker, on).requirements}


def test_a_new_joiner_is_not_yet_due_for_three_months_then_never_trained(given: Partnership,
                                                                         records: TrainingRecords) -> None:
    given.worker("ann", group=2)  # joined 5 January 2026
    assert statuses(records, "ann", date(2026, 4, 4)) == {"basic": "not yet due", "1": "not yet due"}
    assert statuses(records, "ann", date(2026, 4, 5)) == {"basic": "never trained", "1": "never trained"}


def test_training_lasts_three_years_and_is_expiring_in_its_last_90_days(given: Partnership,
                                                                        records: TrainingRecords) -> None:
    given.worker("ann", group=1, completed=("basic",))  # completed 1 June 2026
    assert statuses(records, "ann", date(2029, 3, 2)) == {"basic": "in date"}
    assert statuses(records, "ann", date(2029, 3, 3)) == {"basic": "expiring"}
    assert statuses(records, "ann", date(2029, 6, 1)) == {"basic": "expired"}
    progress = records.get_progress(POLICE, "ann", date(2029, 6, 1))
    assert (progress.status, progress.compliant) == ("expired", False)


def test_a_higher_level_covers_a_lower_requirement(given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann", group=2, completed=("basic", "l2"))
    assert statuses(records, "ann", date(2026, 7, 1)) == {"basic": "in date", "1": "in date"}
    assert records.get_progress(POLICE, "ann", date(2026, 7, 1)).compliant


def test_moving_to_group_4_on_a_date_adds_level_3_not_yet_due_for_three_months(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann", group=3, completed=("basic", "l2"))
    records.move_worker_to_group(POLICE, "ann", 4, date(2027, 5, 1))
    assert "3" not in statuses(records, "ann", date(2027, 4, 30))
    assert statuses(records, "ann", date(2027, 5, 1))["3"] == "not yet due"
    assert statuses(records, "ann", date(2027, 8, 1))["3"] == "never trained"


def test_single_agency_training_counts_when_validated_on_the_day_it_was_completed(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann", group=2, completed=("basic", "found"))  # found completed 1 June 2026
    assert statuses(records, "ann", date(2026, 7, 1))["1"] == "never trained"
    records.validate_course(PARTNERSHIP, "found", date(2026, 1, 1), date(2026, 12, 31))
    assert statuses(records, "ann", date(2027, 2, 1))["1"] == "in date"  # the validation has since lapsed


def test_a_pathway_revision_applies_from_its_effective_date(given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann", group=1, completed=("basic",))
    records.publish_pathway(PARTNERSHIP, 1, [{"level": "basic", "refresh_years": 1}], [], date(2027, 7, 1))
    assert statuses(records, "ann", date(2027, 6, 30)) == {"basic": "in date"}  # three years on the default
    assert statuses(records, "ann", date(2027, 7, 1)) == {"basic": "expired"}  # one year from 1 June 2026


def test_refresh_counts_calendar_months_from_the_end_of_a_month() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    done = Completion("x", "c", "1", "inter-agency", date(2024, 2, 29))
    status = requirement_status(Requirement("1"), date(2024, 1, 1), [done], date(2027, 2, 28), lambda c: True)
    assert (status.status, status.expires_on) == ("expired", date(2027, 2, 28))
