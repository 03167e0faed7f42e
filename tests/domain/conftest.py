"""The training records on each persistence: the library's in memory first, then SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from domain.actor import Actor
from domain.application import TrainingRecords
from domain.ids import aggregate_id
from kernel.clock import LONDON, FixedClock
from tests.conftest import environ_for

PARTNERSHIP = Actor("partnership-clerk")
POLICE = Actor("police-clerk", agency="police")
CHARITY = Actor("charity-clerk", agency="charity")


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given as a wall-clock time in Europe/London."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def records_environ(request: pytest.FixtureRequest, tmp_path: Any) -> dict[str, str]:
    if request.param == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    return environ_for(request.param, str(tmp_path / "var"))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(london(2027, 3, 1, 9, 0))


@pytest.fixture
def records(records_environ: dict[str, str], clock: FixedClock) -> Iterator[TrainingRecords]:
    app = TrainingRecords(records_environ, clock=clock)
    yield app
    app.close()


def events_of(records: TrainingRecords, kind: str, code: str, after: int = 0) -> list[Any]:
    """The events of one record after version `after`, oldest first."""
    return [e for e in records.events.get(aggregate_id(kind, code)) if e.originator_version > after]


def names(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


class Partnership:
    """Given: two agencies, a programme of courses at each level, and helpers to add workers and sessions."""

    def __init__(self, records: TrainingRecords, clock: FixedClock) -> None:
        self.records, self.clock = records, clock
        records.register_agency(PARTNERSHIP, "police", "Constabulary", "statutory", False, True, date(2026, 4, 1))
        records.register_agency(PARTNERSHIP, "charity", "Family Charity", "voluntary", False, False, date(2026, 4, 1))
        records.define_course(PARTNERSHIP, "basic", "Awareness", "basic", "e-learning", ["Recognise abuse"], [], 60)
        records.define_course(PARTNERSHIP, "l1", "Introduction to Safeguarding Children", "1", "inter-agency",
                              ["Recognise abuse", "Respond to concerns"], [], 180)
        records.define_course(PARTNERSHIP, "l2", "Working Together", "2", "inter-agency",
                              ["Share information", "Assess need"], [], 360)
        records.define_course(PARTNERSHIP, "l3", "Section 47 Enquiries", "3", "inter-agency", ["Plan enquiries"],
                              [], 360)
        records.define_course(PARTNERSHIP, "found", "Police foundation", "1", "single-agency", ["Procedures"], [],
                              120)
        self.sessions = 0

    def worker(self, code: str, agency: str = "police", group: int = 3, completed: tuple[str, ...] = ()) -> str:
        self.records.register_worker(PARTNERSHIP, code, agency, "Officer", group, date(2026, 1, 5),
                                     f"Name of {code}", f"{code}@example.org")
        for course in completed:
            self.records.record_completion(PARTNERSHIP, code, course, date(2026, 6, 1), f"test:{course}")
        return code

    def session(self, course: str = "l1", capacity: int = 2, on: datetime | None = None) -> str:
        self.sessions += 1
        starts = on or london(2027, 3, 27, 9, 30)
        return self.records.schedule_session(PARTNERSHIP, course, starts, starts + timedelta(hours=3),
                                             "Town Hall", capacity, [], code=f"s{self.sessions}").id

    def stand_at(self, instant: datetime) -> None:
        self.clock.set(instant)


@pytest.fixture
def given(records: TrainingRecords, clock: FixedClock) -> Partnership:
    return Partnership(records, clock)


__all__ = ["UTC"]
