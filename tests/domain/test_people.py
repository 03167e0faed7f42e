"""Agencies and workers: contribution and group over time, moves keep history, personal data sealed and erasable."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import TrainingRecords
from domain.errors import InvalidCommandError, NotPermittedError, RecordNotFoundError, RuleViolationError
from tests.domain.conftest import CHARITY, PARTNERSHIP, POLICE, Partnership, events_of, names


def test_contribution_status_changes_on_its_effective_date(given: Partnership, records: TrainingRecords) -> None:
    records.change_contribution(PARTNERSHIP, "charity", True, date(2027, 4, 1))
    assert not records.get_agency(PARTNERSHIP, "charity", on=date(2027, 3, 31)).contributes
    assert records.get_agency(PARTNERSHIP, "charity", on=date(2027, 4, 1)).contributes
    event = events_of(records, "agency", "charity")[-1]
    assert names([event]) == ["ContributionChanged"] and event.effective == "2027-04-01"


def test_a_back_dated_contribution_change_takes_its_place_in_date_order(given: Partnership,
                                                                       records: TrainingRecords) -> None:
    records.change_contribution(PARTNERSHIP, "charity", True, date(2027, 1, 1))
    records.change_contribution(PARTNERSHIP, "charity", False, date(2026, 12, 1))  # recorded later, earlier date
    assert records.get_agency(PARTNERSHIP, "charity", on=date(2027, 2, 1)).contributes


def test_a_worker_moving_group_on_a_date_has_the_old_group_before_and_the_new_from_it(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann", group=3)
    records.move_worker_to_group(POLICE, "ann", 4, date(2027, 5, 1))
    before = records.get_worker(POLICE, "ann", on=date(2027, 4, 30))
    after = records.get_worker(POLICE, "ann", on=date(2027, 5, 1))
    assert (before.target_group, before.joined_group_on) == (3, date(2026, 1, 5))
    assert (after.target_group, after.joined_group_on) == (4, date(2027, 5, 1))
    assert [g["target_group"] for g in after.target_groups] == [3, 4]


def test_moving_agency_keeps_the_history_and_hands_the_worker_to_the_new_agency(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    records.move_worker_to_agency(PARTNERSHIP, "ann", "charity", date(2027, 2, 1))
    assert records.get_worker(CHARITY, "ann").agencies == [
        {"effective_from": "2026-01-05", "agency": "police"}, {"effective_from": "2027-02-01", "agency": "charity"}]
    with pytest.raises(RecordNotFoundError):
        records.get_worker(POLICE, "ann")


def test_names_and_emails_are_never_in_an_event_in_clear_and_erasure_makes_them_unreadable(
        given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    records.change_personal_details(POLICE, "ann", "Ann Jones", "ann.jones@example.org")
    stored = b"".join(n.state for n in records.recorder.select_notifications(1, 1000))
    assert b"Name of ann" not in stored and b"Ann Jones" not in stored and b"example.org" not in stored
    assert records.get_worker(POLICE, "ann").name == "Ann Jones"
    records.erase_personal_data(PARTNERSHIP, "ann")
    erased = records.get_worker(POLICE, "ann")
    assert (erased.name, erased.email, erased.target_group) == (None, None, 3)
    events = events_of(records, "worker", "ann")
    assert names(events) == ["Registered", "PersonalDetailsChanged", "PersonalDataErased"]
    assert events[-1].by["credential"] == "partnership-clerk"  # the audit trail says who erased, and when


def test_only_the_partnership_moves_a_worker_between_agencies(given: Partnership,
                                                              records: TrainingRecords) -> None:
    given.worker("ann")
    with pytest.raises(NotPermittedError):
        records.move_worker_to_agency(POLICE, "ann", "charity", date(2027, 2, 1))
    assert records.get_worker(POLICE, "ann").agency == "police"


def test_an_agency_credential_registers_only_its_own_workers(given: Partnership, records: TrainingRecords) -> None:
    with pytest.raises(RecordNotFoundError):
        records.register_worker(POLICE, "x1", "charity", "Volunteer", 1, date(2027, 1, 1), "X")
    registered = records.register_worker(POLICE, "p1", "police", "Officer", 4, date(2027, 1, 1), "P")
    assert registered.agency == "police"
    assert [w.id for w in records.list_workers(CHARITY)] == []
    assert [w.id for w in records.list_workers(POLICE)] == ["p1"]


def test_only_the_partnership_registers_agencies_and_a_taken_id_is_refused(given: Partnership,
                                                                         records: TrainingRecords) -> None:
    with pytest.raises(NotPermittedError):
        records.register_agency(POLICE, "school", "School", "statutory", False, True, date(2027, 1, 1))
    with pytest.raises(RuleViolationError, match="already"):
        records.register_agency(PARTNERSHIP, "police", "Police again", "statutory", False, True, date(2027, 1, 1))
    assert [a.id for a in records.list_agencies(POLICE)] == ["police"]


@pytest.mark.parametrize("change", [
    {"code": "bad id!"}, {"target_group": 9}, {"email": "no-at-sign"}, {"name": ""}, {"agency": "nowhere"},
])
def test_a_worker_with_bad_values_is_refused_and_nothing_is_recorded(
        given: Partnership, records: TrainingRecords, change: dict[str, object]) -> None:
    values: dict[str, object] = {"code": "w9", "agency": "police", "job_role": "Officer", "target_group": 2,
                                 "started_on": date(2027, 1, 1), "name": "W", "email": "w@example.org"}
    values.update(change)
    with pytest.raises((InvalidCommandError, RecordNotFoundError)):
        records.register_worker(PARTNERSHIP, **values)  # type: ignore[arg-type]
    assert records.list_workers(PARTNERSHIP) == []


def test_history_says_who_did_what_when_recorded_and_when_effective(given: Partnership,
                                                                    records: TrainingRecords) -> None:
    given.worker("ann")
    records.move_worker_to_group(POLICE, "ann", 5, date(2027, 6, 1), works_with_group_4=True)
    registered, moved = records.get_history(POLICE, "worker", "ann")[:2]
    assert registered.event == "Registered" and "sealed" not in registered.data
    assert (moved.event, moved.effective, moved.by["credential"]) == ("MovedGroup", "2027-06-01", "police-clerk")
    assert moved.recorded_at.isoformat() == "2027-03-01T09:00:00+00:00"
    assert moved.data == {"target_group": 5, "works_with_group_4": True}
