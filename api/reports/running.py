"""Running a report for a credential: its followers caught up, its times and period, its agency scope.

A report is computed from its followers' stores. Unless SLRS_REPORTS_CATCH_UP
is `no` (for deployments whose `slrs follow` processes keep up), a report first
catches up the followers it reads, which costs one query of each position when
they are caught up: a report always reflects the records, even on SQLite with
no follower process running (`make run`). Pages are applied idempotently
(projections/facts.py), so a follower process doing the same meanwhile is
harmless; within one process, and on SQLite across processes, catch-ups take
turns on a lock.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from api.fanout import catch_up_together
from domain.errors import NotPermittedError, RecordNotFoundError
from kernel.tracking import TrackingStore
from projections.accountability import AgencyAccountabilityView, PartnershipView, Stores, agency_accountability, \
    partnership
from projections.audit_view import AuditFilter, AuditTrailView, audit_trail
from projections.delivery_report import SessionDeliveryView, session_delivery
from projections.evaluations_view import EvaluationSummaryView, evaluation_summaries
from projections.facts import collector_paused
from projections.ledger_view import ChargesLedgerView, charges_ledger
from projections.progress_report import WorkerProgressView, worker_progress
from projections.timepoint import TimePoint, financial_year_start

if TYPE_CHECKING:
    from api.app import Services

# The followers each report reads.
NEEDS: dict[str, tuple[str, ...]] = {
    "progress": ("progress", "audit"),
    "agency": ("progress", "delivery", "ledger", "audit"),
    "partnership": ("progress", "delivery", "ledger", "audit"),
    "sessions": ("delivery", "audit"),
    "charges": ("ledger",),
    "evaluations": ("evaluations",),
    "audit": ("audit", "audit_statements"),
}
NO = ("n", "no", "false", "0", "off")
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Asked:
    """What a report is asked for: the times and period, as the query gave them (None: the default)."""

    as_of: date | None = None
    known_at: datetime | None = None
    first: date | None = None
    last: date | None = None


class ReportRunner:
    """The reports of one process, over its `Services` (their followers' stores and the records' clock)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.catching_up = services.storage.environ.get("SLRS_REPORTS_CATCH_UP", "yes").lower() not in NO

    def stores(self, report: str) -> dict[str, TrackingStore]:
        """The stores `report` reads, their followers caught up first (unless SLRS_REPORTS_CATCH_UP=no)."""
        names = NEEDS[report]
        if self.catching_up:
            with _LOCK, self._file_lock(), collector_paused():
                catch_up_together([self.services.follower(n) for n in names])
        return {n: self.services.tracking_store(n) for n in names}

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        if self.services.storage.engine != "sqlite":
            yield
            return
        path = self.services.storage.data_dir / "projection_reports.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(held, fcntl.LOCK_UN)

    def time_point(self, asked: Asked) -> TimePoint:
        """`as_of` default today and `known_at` default now, by the records' clock."""
        return TimePoint.of(self.services.records.clock.now(), asked.as_of, asked.known_at)

    @staticmethod
    def period(tp: TimePoint, asked: Asked) -> tuple[date, date]:
        """The period asked, by default the financial year (1 April to 31 March) holding `as_of`."""
        return asked.first or financial_year_start(tp.as_of), asked.last or end_of_financial_year(tp.as_of)

    def progress(self, viewer: str | None, asked: Asked, **filters: Any) -> WorkerProgressView:
        """Workers' progress; `viewer` is the credential's agency (None: the partnership)."""
        stores = self.stores("progress")
        agency = scope(viewer, filters.pop("agency", None))
        with collector_paused():
            return worker_progress(stores["progress"], stores["audit"], self.time_point(asked), agency=agency,
                                   **filters)

    def agency(self, viewer: str | None, agency: str, asked: Asked) -> AgencyAccountabilityView:
        """An agency's board report. Raises RecordNotFoundError for another agency's or an unknown one."""
        scope(viewer, agency)
        stores = self.stores("agency")
        tp = self.time_point(asked)
        try:
            with collector_paused():
                return agency_accountability(self._stores(stores), tp, agency, *self.period(tp, asked))
        except KeyError:
            raise RecordNotFoundError(f"no agency {agency}") from None

    def partnership(self, viewer: str | None, asked: Asked, target_pct: float = 90.0) -> PartnershipView:
        """Every agency compared. Raises NotPermittedError for an agency's credential."""
        if viewer is not None:
            raise NotPermittedError("the partnership report compares every agency; an agency's credential reads "
                                    f"its own at /api/v1/reports/agencies/{viewer}")
        stores = self.stores("partnership")
        tp = self.time_point(asked)
        with collector_paused():
            return partnership(self._stores(stores), tp, *self.period(tp, asked), target_pct)

    @staticmethod
    def _stores(stores: dict[str, TrackingStore]) -> Stores:
        return Stores(stores["progress"], stores["delivery"], stores["ledger"], stores["audit"])

    def sessions(self, viewer: str | None, asked: Asked, agency: str | None = None,
                 course: str | None = None) -> SessionDeliveryView:
        """Session delivery; an agency's credential counts its own bookings only."""
        stores = self.stores("sessions")
        tp = self.time_point(asked)
        return session_delivery(stores["delivery"], stores["audit"], tp, *self.period(tp, asked),
                                scope(viewer, agency), course)

    def charges(self, viewer: str | None, asked: Asked, agency: str | None = None) -> ChargesLedgerView:
        """The charges ledger; an agency's credential sees its own."""
        stores = self.stores("charges")
        tp = self.time_point(asked)
        return charges_ledger(stores["ledger"], tp, *self.period(tp, asked), scope(viewer, agency))

    def evaluations(self, viewer: str | None, asked: Asked, agency: str | None = None,
                    course: str | None = None) -> EvaluationSummaryView:
        """Evaluation summaries; an agency's credential sees its own delegates' evaluations."""
        stores = self.stores("evaluations")
        tp = self.time_point(asked)
        return evaluation_summaries(stores["evaluations"], tp, *self.period(tp, asked), scope(viewer, agency), course)

    def audit(self, viewer: str | None, asked: Asked, wanted: AuditFilter, limit: int,
              after: str | None) -> AuditTrailView:
        """A page of the audit trail. Raises ValueError for a cursor it did not give."""
        scope(viewer, wanted.agency)
        stores = self.stores("audit")
        tp = self.time_point(Asked(None, asked.known_at))
        return audit_trail(stores["audit"], stores["audit_statements"], tp, wanted, viewer, limit, after)


def scope(viewer: str | None, agency: str | None) -> str | None:
    """The agency a report covers: an agency's credential its own (another's looks absent: RecordNotFoundError)."""
    if viewer is None:
        return agency
    if agency not in (None, viewer):
        raise RecordNotFoundError(f"no agency {agency}")
    return viewer


def end_of_financial_year(day: date) -> date:
    """31 March ending the financial year holding `day`."""
    return date(financial_year_start(day).year + 1, 4, 1) - timedelta(days=1)
