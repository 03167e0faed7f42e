"""Two clerks, each with their own application on one store, booking the last place at once."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest

from domain.application import TrainingRecords
from kernel.clock import FixedClock
from tests.domain.conftest import POLICE, Partnership


@pytest.mark.parametrize("rounds", [5])
def test_two_clerks_booking_the_last_place_get_one_place_and_one_waiting_entry(
        given: Partnership, records: TrainingRecords, records_environ: dict[str, str], clock: FixedClock,
        rounds: int) -> None:
    if records_environ["PERSISTENCE_MODULE"] == "eventsourcing.popo":
        pytest.skip("two applications share a store only on SQLite and PostgreSQL")
    other = TrainingRecords(records_environ, clock=FixedClock(clock.now()))
    try:
        for round_ in range(rounds):
            session = given.session(capacity=1)
            workers = [given.worker(f"r{round_}a"), given.worker(f"r{round_}b")]
            start = threading.Barrier(2)
            results: list[str] = []

            def book(app: TrainingRecords, worker: str) -> None:
                start.wait()
                results.append(app.book_place(POLICE, session, worker).status)

            threads = [threading.Thread(target=book, args=(app, w)) for app, w in zip((records, other), workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(results) == ["booked", "waiting"]
            details = records.get_session(POLICE, session)
            assert (details.places_taken, details.waiting_list) == (1, 1)
    finally:
        other.close()


__all__ = ["datetime"]
