"""The reports' followers on each engine: events fed through `TrainingRecords` standing on a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest

from api.app import Services
from api.fanout import catch_up_together
from kernel.clock import FixedClock
from projections.accountability import Stores
from projections.timepoint import TimePoint
from tests.domain.conftest import PARTNERSHIP, Partnership, london

REPORT_FOLLOWERS = ("progress", "delivery", "ledger", "evaluations", "audit", "audit_statements")
TABLES = {
    "progress": ("slrs_progress_agencies", "slrs_progress_workers", "slrs_progress_completions",
                 "slrs_progress_validations", "slrs_progress_pathways", "slrs_progress_periods"),
    "delivery": ("slrs_delivery_courses", "slrs_delivery_sessions", "slrs_delivery_bookings", "slrs_delivery_facts",
                 "slrs_delivery_tallies", "slrs_delivery_settled"),
    "ledger": ("slrs_ledger_accounts", "slrs_ledger_lines", "slrs_ledger_invoices", "slrs_ledger_invoice_lines"),
    "evaluations": ("slrs_evaluation_responses", "slrs_evaluation_sessions", "slrs_evaluation_bookings",
                    "slrs_evaluation_workers"),
    "audit": ("slrs_audit_events", "slrs_audit_links", "slrs_audit_worker_agencies", "slrs_audit_bookings", "slrs_audit_delegates"),
    "audit_statements": ("slrs_audit_statements",),
}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(london(2027, 3, 1, 9, 0))


@pytest.fixture
def services(environ: dict[str, str], clock: FixedClock) -> Iterator[Services]:
    found = Services.from_env(environ, create_tables=True, clock=clock)
    yield found
    found.close()


@pytest.fixture
def given(services: Services, clock: FixedClock) -> Partnership:
    return Partnership(services.records, clock)


def follow(services: Services, *names: str) -> int:
    """Catch the named followers (default: every report follower) up with their logs."""
    return catch_up_together([services.follower(n) for n in names or REPORT_FOLLOWERS])


def rows(services: Services, follower: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a follower, sorted, as plain tuples: what a rebuild must give again."""
    store = services.tracking_store(follower)
    found = {}
    for table in TABLES[follower]:
        found[table] = sorted((tuple(r[k] for k in sorted(r.keys())) for r in store.fetch(f"SELECT * FROM {table}")),
                              key=repr)
    return found


def stores(services: Services) -> Stores:
    return Stores(services.tracking_store("progress"), services.tracking_store("delivery"),
                  services.tracking_store("ledger"), services.tracking_store("audit"))


def at(clock: FixedClock, as_of: date | None = None, known_at: datetime | None = None) -> TimePoint:
    """The time point of a report asked now (by `clock`), as of a day, as known at an instant."""
    return TimePoint.of(clock.now(), as_of, known_at)


__all__ = ["PARTNERSHIP", "london"]
