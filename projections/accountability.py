"""Agency accountability (seed 000 s.3.4-3.6, 7.1): the report an agency's board pulls, and the partnership's comparison.

Per agency and target group: headcount (workers in post on `as_of`), how many
are compliant (every requirement in date or expiring, domain/progress.py
`is_compliant`) and how many are in date, expiring, expired, never trained or
not yet due (each worker counted once, by `overall_status`); over the period
(sessions dated `first` to `last`): places booked, attendance, the did-not-attend
rate, cancellations by notice band (under 14 days is the late band), substitutions;
and the charges raised and credited in the period (pence), as raised.

The partnership view compares every agency and lists what seed 000 asks the
Workforce Development subcommittee to see: the training gaps (agency and group
cells whose compliance is below the target percentage) and the shortfalls in
provision (per level, workers needing training in the next 90 days against the
places free on sessions then).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from domain.levels import LEVELS
from domain.progress import EXPIRED, EXPIRING, IN_DATE, NEVER_TRAINED, NOT_YET_DUE
from domain.timeline import Timeline
from kernel.tracking import TrackingStore
from projections.corrections import LateCorrection
from projections.delivery_report import session_corrections
from projections.delivery_tallies import session_tallies
from projections.delivery_view import DeliveryFacts, Tally
from projections.ledger_view import LedgerTotal, period_totals
from projections.progress_report import progress_corrections
from projections.progress_periods import StatusKey, status_counts
from projections.progress_view import ProgressFacts
from projections.timepoint import TimePoint

AHEAD = timedelta(days=90)


@dataclass(frozen=True)
class ComplianceRow:
    """One agency's workers of one target group (None: every group) on the day, by status; `compliant_pct` 0-100."""

    agency: str
    target_group: int | None
    headcount: int
    compliant: int
    compliant_pct: float | None
    in_date: int
    expiring: int
    expired: int
    never_trained: int
    not_yet_due: int


@dataclass(frozen=True)
class Stores:
    """The followers' stores a report reads: progress, delivery, ledger, and the audit trail for late corrections."""

    progress: TrackingStore
    delivery: TrackingStore
    ledger: TrackingStore
    audit: TrackingStore | None = None


@dataclass(frozen=True)
class AgencyAccountabilityView:
    """An agency's board report on `as_of` as known at `known_at`, bookings and charges over `first` to `last`."""

    agency: str
    name: str
    as_of: date
    known_at: datetime
    first: date
    last: date
    groups: list[ComplianceRow]
    total: ComplianceRow
    bookings: Tally
    charges: LedgerTotal
    late_corrections: list[LateCorrection]


@dataclass(frozen=True)
class AgencyComparison:
    """One agency beside the others: its compliance over all groups, its bookings and its charges (net, pence)."""

    agency: str
    name: str
    contributes: bool
    compliance: ComplianceRow
    bookings: Tally
    charges: LedgerTotal


@dataclass(frozen=True)
class ProvisionShortfall:
    """One level: workers whose requirement is never trained, expired or expiring, against places free on its
    sessions in the next 90 days (`places` None: an e-learning course offers it without limit)."""

    level: str
    workers_needing: int
    places: int | None
    shortfall: int


@dataclass(frozen=True)
class PartnershipView:
    """Every agency compared; `gaps` are the agency and group cells below `target_pct`; `shortfalls` per level."""

    as_of: date
    known_at: datetime
    first: date
    last: date
    target_pct: float
    agencies: list[AgencyComparison]
    cells: list[ComplianceRow]
    gaps: list[ComplianceRow]
    shortfalls: list[ProvisionShortfall]
    late_corrections: list[LateCorrection]


Counts = list[tuple[StatusKey, int]]


def compliance(agency: str, group: int | None, counts: Iterable[tuple[StatusKey, int]]) -> ComplianceRow:
    """The counts of a set of workers (each way they count, and how many count so)."""
    statuses: Counter[str] = Counter()
    compliant = headcount = 0
    for key, count in counts:
        headcount += count
        compliant += count if key.compliant else 0
        statuses[key.status] += count
    pct = round(100 * compliant / headcount, 1) if headcount else None
    return ComplianceRow(agency, group, headcount, compliant, pct, statuses[IN_DATE], statuses[EXPIRING],
                         statuses[EXPIRED], statuses[NEVER_TRAINED], statuses[NOT_YET_DUE])


def _by_group(agency: str, counts: Counts) -> list[ComplianceRow]:
    groups: dict[int, Counts] = {}
    for key, count in counts:
        groups.setdefault(key.target_group, []).append((key, count))
    return [compliance(agency, g, groups[g]) for g in sorted(groups)]


def agency_accountability(stores: Stores, tp: TimePoint, agency: str, first: date, last: date
                          ) -> AgencyAccountabilityView:
    """The board report of `agency`. Raises KeyError for an agency not registered by `known_at`."""
    name = ProgressFacts(stores.progress, tp.known_us).agencies()[agency]["name"]
    rows = list(status_counts(stores.progress, tp, agency).items())
    tallies = DeliveryFacts(stores.delivery, tp).tallies_by_agency(first, last, agency)
    totals = period_totals(stores.ledger, tp, first, last, agency)
    late: list[LateCorrection] = []
    if stores.audit is not None:
        late = progress_corrections(stores.progress, stores.audit, tp, agency) + \
            session_corrections(stores.delivery, stores.audit, tp, first, last, agency)
    return AgencyAccountabilityView(agency, name, tp.as_of, tp.known_at, first, last, _by_group(agency, rows),
                                    compliance(agency, None, rows), tallies.get(agency, Tally()),
                                    totals.get(agency, LedgerTotal(agency, "all", 0, 0, 0)), late)


def partnership(stores: Stores, tp: TimePoint, first: date, last: date, target_pct: float = 90.0) -> PartnershipView:
    """Every agency known by `known_at` compared, with the gaps below `target_pct` and the shortfalls in provision."""
    facts = ProgressFacts(stores.progress, tp.known_us)
    agencies = facts.agencies()
    counts = status_counts(stores.progress, tp)
    by_agency: dict[str, Counts] = {a: [] for a in agencies}
    for key, count in counts.items():
        by_agency.setdefault(key.agency, []).append((key, count))
    delivery = DeliveryFacts(stores.delivery, tp)
    tallies = delivery.tallies_by_agency(first, last)
    totals = period_totals(stores.ledger, tp, first, last)
    compared, cells = [], []
    for agency in sorted(by_agency):
        found = agencies.get(agency, {"name": "", "contribution": []})
        contribution = Timeline(tuple(sorted(found["contribution"], key=lambda c: c[0]))) if found["contribution"] \
            else Timeline.starting("0001-01-01", False)
        compared.append(AgencyComparison(agency, found["name"], bool(contribution.on(tp.as_of)),
                                         compliance(agency, None, by_agency[agency]),
                                         tallies.get(agency, Tally()),
                                         totals.get(agency, LedgerTotal(agency, "all", 0, 0, 0))))
        cells += _by_group(agency, by_agency[agency])
    gaps = sorted((c for c in cells if c.compliant_pct is not None and c.compliant_pct < target_pct),
                  key=lambda c: (c.compliant_pct or 0.0, -c.headcount, c.agency, c.target_group or 0))
    late: list[LateCorrection] = []
    if stores.audit is not None:
        late = progress_corrections(stores.progress, stores.audit, tp, None) + \
            session_corrections(stores.delivery, stores.audit, tp, first, last, None)
    return PartnershipView(tp.as_of, tp.known_at, first, last, target_pct, compared, cells, gaps,
                           shortfalls(counts, delivery, tp), late)


def shortfalls(counts: Counter[StatusKey], delivery: DeliveryFacts, tp: TimePoint) -> list[ProvisionShortfall]:
    """Per level, workers needing it against places free on sessions dated in the 90 days after `as_of`."""
    needing: Counter[str] = Counter()
    for key, count in counts.items():
        for level in key.needing:
            needing[level] += count
    sessions = delivery.sessions(tp.as_of + timedelta(days=1), tp.as_of + AHEAD)
    tallies = session_tallies(delivery, sessions)
    free: Counter[str] = Counter()
    for s in sessions:
        tally = tallies.get(s["session"])
        if tally is None or not tally.cancelled:
            taken = tally.total().booked if tally is not None else 0
            free[s["level"]] += max(int(s["capacity"]) - taken, 0)
    unlimited = delivery.e_learning_levels()
    found = []
    for level in LEVELS:
        places = None if level in unlimited else free[level]
        short = 0 if places is None else max(needing[level] - places, 0)
        found.append(ProvisionShortfall(level, needing[level], places, short))
    return found
