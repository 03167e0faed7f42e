"""Each LRS application is built from its own environment and clock, without api/."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from kernel.clock import LONDON, FixedClock
from kernel.persistence import ConfigurationError
from lrs.credentials import Credentials
from lrs.service import LearningRecordStore
from tests.conftest import AUTHORITY, statement


def test_a_store_given_a_fixed_clock_stamps_stored_with_that_instant(environ: dict[str, str]) -> None:
    """Data 2.4.8: `stored` is the LRS's time, here 00:30 on 1 July in London, which is 23:30 UTC the day before."""
    clock = FixedClock(datetime(2027, 7, 1, 0, 30, tzinfo=LONDON))
    lrs = LearningRecordStore(environ, clock=clock)
    try:
        [first] = lrs.store_statements([statement()], AUTHORITY)
        got = lrs.get_statement(first)
        assert got["stored"] == "2027-06-30T23:30:00.000000Z"
        assert got["timestamp"] == got["stored"]  # Data 2.4.7: when absent, the stored time
        clock.advance(timedelta(minutes=45))
        [second] = lrs.store_statements([statement()], AUTHORITY)
        assert lrs.get_statement(second)["stored"] == "2027-07-01T00:15:00.000000Z"
        assert lrs.consistent_through() == "2027-07-01T00:15:00.000000Z"
    finally:
        lrs.close()


def test_the_store_keeps_its_own_file_in_the_data_directory(tmp_path: Path) -> None:
    lrs = LearningRecordStore({"SLRS_DATA_DIR": str(tmp_path)})
    credentials = Credentials({"SLRS_DATA_DIR": str(tmp_path)})
    try:
        lrs.store_statements([statement()], AUTHORITY)
        credentials.create_credential("moodle", "secret", ["statements/write"])
    finally:
        lrs.close()
        credentials.close()
    assert sorted(p.name for p in tmp_path.glob("*.sqlite")) == ["credentials.sqlite", "lrs.sqlite"]


def test_credentials_run_on_the_librarys_memory_and_the_store_says_it_cannot() -> None:
    memory = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    credentials = Credentials(memory)
    credentials.create_credential("moodle", "secret", ["statements/write"])
    assert credentials.authenticate("moodle", "secret") is not None
    with pytest.raises(ConfigurationError, match="statement index in SQL"):
        LearningRecordStore(memory)


def test_an_unknown_engine_is_refused_by_name() -> None:
    with pytest.raises(ConfigurationError, match="eventsourcing.mysql"):
        LearningRecordStore({"PERSISTENCE_MODULE": "eventsourcing.mysql"})
