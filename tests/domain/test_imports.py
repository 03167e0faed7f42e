"""Imports: every row checked, and nothing imported unless every row is good."""

from __future__ import annotations

import pytest

from domain.application import TrainingRecords
from domain.errors import RowsRejectedError
from tests.domain.conftest import PARTNERSHIP, Partnership


def worker_row(code: str, **change: str) -> dict[str, str]:
    row = {"id": code, "agency": "police", "job_role": "Officer", "target_group": "3", "started_on": "2026-09-01",
           "name": f"Worker {code}", "email": f"{code}@example.org", "works_with_group_4": "no", "line_manager": ""}
    row.update(change)
    return row


def test_bad_rows_are_all_reported_by_number_and_nothing_is_imported(given: Partnership,
                                                                    records: TrainingRecords) -> None:
    rows = [worker_row("w1"), worker_row("w2", target_group="nine"), worker_row("w3", agency="nowhere"),
            worker_row("w1"), worker_row("w5", started_on="1 May")]
    with pytest.raises(RowsRejectedError) as rejected:
        records.import_rows(PARTNERSHIP, "workers", rows)
    assert [number for number, _ in rejected.value.problems] == [2, 3, 4, 5]
    assert "also on row 1" in rejected.value.problems[2][1]
    assert records.list_workers(PARTNERSHIP) == []


def test_good_rows_are_imported_together_and_may_name_a_line_manager_from_the_same_file(
        given: Partnership, records: TrainingRecords) -> None:
    rows = [worker_row("boss"), worker_row("w1", line_manager="boss")]
    assert records.import_rows(PARTNERSHIP, "workers", rows) == 2
    assert records.get_worker(PARTNERSHIP, "w1").line_manager == "boss"


def test_importing_an_id_that_exists_is_a_bad_row(given: Partnership, records: TrainingRecords) -> None:
    given.worker("ann")
    with pytest.raises(RowsRejectedError, match="1 bad row"):
        records.import_rows(PARTNERSHIP, "workers", [worker_row("ann")])


def test_sessions_import_with_offsets_and_courses(given: Partnership, records: TrainingRecords) -> None:
    rows = [{"id": "spring-1", "course": "l1", "starts_at": "2027-04-01T09:30:00+01:00",
             "ends_at": "2027-04-01T12:30:00+01:00", "venue": "Hall", "capacity": "20", "trainers": ""}]
    assert records.import_rows(PARTNERSHIP, "sessions", rows) == 1
    assert records.get_session(PARTNERSHIP, "spring-1").starts_at.isoformat() == "2027-04-01T08:30:00+00:00"


def test_completions_import_together_once_per_source_and_all_or_none(given: Partnership,
                                                                     records: TrainingRecords) -> None:
    given.worker("ann")
    rows = [{"worker": "ann", "course": "l1", "completed_on": "2025-05-01", "source": "archive:1"},
            {"worker": "ann", "course": "l2", "completed_on": "2025-09-01", "source": "archive:2"},
            {"worker": "ann", "course": "l2", "completed_on": "2025-09-01", "source": "archive:2"}]
    assert records.import_rows(PARTNERSHIP, "completions", rows) == 2
    assert [c.course for c in records.get_worker(PARTNERSHIP, "ann").completions] == ["l1", "l2"]
    bad = [{"worker": "ann", "course": "basic", "completed_on": "2025-01-01", "source": "archive:3"},
           {"worker": "nobody", "course": "l1", "completed_on": "2025-01-01", "source": "archive:4"},
           {"worker": "ann", "course": "l1", "completed_on": "2031-01-01", "source": "archive:5"}]
    with pytest.raises(RowsRejectedError) as rejected:
        records.import_rows(PARTNERSHIP, "completions", bad)
    assert [number for number, _ in rejected.value.problems] == [2, 3]
    assert len(records.get_worker(PARTNERSHIP, "ann").completions) == 2
