"""Each worker's progress kept as periods, so a report of 100,000 workers reads rows rather than evaluating each.

`domain/progress.py` `progress_periods` gives the days over which a worker's
progress stays the same; the progress follower keeps, per worker, those
periods summarised as the reports count them (agency, target group, status,
compliant, the levels needing training), as known at its position:

- `slrs_progress_periods`: (worker, starts, ends) with the summary; `ends` exclusive, NULL for good;
- `slrs_progress_stale`: workers whose facts changed since their periods were made (a page marks
  them, in the page's transaction); `settle` remakes their periods once the follower has caught up,
  so a rebuild evaluates each worker once, not once per page.

A report as of a day, as known at an instant (`status_counts`; `status_rows`
worker by worker), reads the period
holding the day for every worker whose facts are the same then as now, and
evaluates the rest (stale, or changed after `known_at`) from the facts known
then, as projections/progress_view.py does; when a pathway or a validation was
recorded after `known_at`, it evaluates every worker.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from domain.progress import EXPIRED, EXPIRING, NEVER_TRAINED, ProgressPeriod, is_compliant, overall_status, \
    progress_periods
from domain.worker import Worker
from kernel.tracking import InTransaction, TrackingStore
from projections.facts import chunks, delete_rows, insert, marks, settle_stale, tuples
from projections.progress import P
from projections.progress_view import ProgressFacts, WorkerProgressRow
from projections.timepoint import TimePoint

NEEDING = (NEVER_TRAINED, EXPIRED, EXPIRING)
EVERYTHING = 2 ** 62  # as `known_us`: every fact recorded so far
PERIOD_COLUMNS = ("worker", "starts", "ends", "agency", "target_group", "status", "compliant", "needing")

class StatusKey(NamedTuple):
    """What the reports count of a worker on a day: `needing` the levels never trained, expired or expiring."""

    agency: str
    target_group: int
    status: str
    compliant: bool
    needing: tuple[str, ...]


class StatusRow(NamedTuple):
    """A worker on a day as the reports count them: `needing` the levels never trained, expired or expiring."""

    worker: str
    agency: str
    target_group: int
    status: str
    compliant: bool
    needing: tuple[str, ...]

    @property
    def key(self) -> StatusKey:
        """The row without its worker, as counted."""
        return StatusKey(self.agency, self.target_group, self.status, self.compliant, self.needing)

    @classmethod
    def of(cls, row: WorkerProgressRow) -> StatusRow:
        """The counts' view of a full progress row."""
        return cls(row.worker, row.agency, row.target_group, row.status, row.compliant,
                   tuple(r.level for r in row.requirements if r.status in NEEDING))


def settle(store: TrackingStore) -> int:
    """Remake the periods of every stale worker (projections/facts.py `settle_stale`); the workers settled."""

    def remake(reader: InTransaction, cursor: Any, codes: list[str]) -> None:
        facts = ProgressFacts(reader, EVERYTHING)  # type: ignore[arg-type]
        workers = facts.workers(codes)
        delete_rows(store, cursor, P + "periods", "worker", codes)
        insert(store, cursor, P + "periods", PERIOD_COLUMNS,
               [row for code in codes if code in workers for row in period_rows(facts, workers[code])])

    return settle_stale(store, P, "worker", remake)


def period_rows(facts: ProgressFacts, worker: Worker) -> list[tuple[Any, ...]]:
    """The worker's periods as rows, neighbours that count the same merged into one."""
    rows: list[list[Any]] = []
    for period in progress_periods(worker, facts.pathway_on, facts.pathway_changes, facts.counts):
        summary = _summary(period)
        if rows and rows[-1][2] == period.starts.isoformat() and rows[-1][3:] == summary:
            rows[-1][2] = period.ends.isoformat() if period.ends else None
        else:
            rows.append([worker.code, period.starts.isoformat(), period.ends.isoformat() if period.ends else None,
                         *summary])
    return [tuple(row) for row in rows]


def _summary(period: ProgressPeriod) -> list[Any]:
    return [period.agency, period.placement.target_group, overall_status(period.statuses),
            int(is_compliant(period.statuses)), ",".join(s.level for s in period.statuses if s.status in NEEDING)]


def status_rows(store: TrackingStore, tp: TimePoint, agency: str | None = None) -> list[StatusRow]:
    """Every worker in post on `as_of` (of `agency` that day) as known at `known_at`, in no particular order."""
    changed = _changed(store, tp.known_us)
    if changed is None:
        return _evaluated(ProgressFacts(store, tp.known_us), None, tp, agency)
    where, params = _on_day(tp, agency)
    found = [StatusRow(w, a, int(g), s, bool(c), tuple(n.split(",")) if n else ())
             for w, a, g, s, c, n in tuples(store, f"SELECT worker, agency, target_group, status, compliant, needing "
                                                   f"FROM {P}periods WHERE {where}", params) if w not in changed]
    if changed:
        found += _evaluated(ProgressFacts(store, tp.known_us), sorted(changed), tp, agency)
    return found


def status_counts(store: TrackingStore, tp: TimePoint, agency: str | None = None) -> Counter[StatusKey]:
    """How many workers in post on `as_of` (of `agency` that day), as known at `known_at`, count each way.

    The periods are counted by the database; the workers changed since
    `known_at` are taken out of the count and evaluated from the facts known then.
    """
    changed = _changed(store, tp.known_us)
    if changed is None:
        return Counter(row.key for row in _evaluated(ProgressFacts(store, tp.known_us), None, tp, agency))
    where, params = _on_day(tp, agency)
    columns = "agency, target_group, status, compliant, needing"
    counts: Counter[StatusKey] = Counter()
    for *key, count in tuples(store, f"SELECT {columns}, COUNT(*) FROM {P}periods WHERE {where} GROUP BY {columns}",
                              params):
        counts[_key(*key)] += int(count)
    if changed:
        codes = sorted(changed)
        for part in chunks(codes):
            counts.subtract(_key(*key) for key in tuples(
                store, f"SELECT {columns} FROM {P}periods WHERE {where} AND worker IN ({marks(len(part))})",
                [*params, *part]))
        counts.update(row.key for row in _evaluated(ProgressFacts(store, tp.known_us), codes, tp, agency))
    return +counts


def _key(agency: str, group: Any, status: str, compliant: Any, needing: str) -> StatusKey:
    return StatusKey(agency, int(group), status, bool(compliant), tuple(needing.split(",")) if needing else ())


def _changed(store: TrackingStore, known: int) -> set[str] | None:
    """The workers whose periods do not hold as known at `known` (µs): stale, or with facts recorded since;
    None for every worker, when a pathway or a validation was recorded since."""
    if store.fetch(f"SELECT 1 AS later FROM {P}pathways WHERE recorded > ? UNION ALL "
                   f"SELECT 1 AS later FROM {P}validations WHERE recorded > ?", [known, known]):
        return None
    changed = {r[0] for r in tuples(store, f"SELECT worker FROM {P}stale")}
    for sql in (f"SELECT worker FROM {P}workers WHERE recorded > ?", f"SELECT worker FROM {P}completions "
                "WHERE recorded > ?", f"SELECT worker FROM {P}completions WHERE withdrawn > ?"):  # each by its index
        changed.update(r[0] for r in tuples(store, sql, [known]))
    return changed


def _on_day(tp: TimePoint, agency: str | None) -> tuple[str, list[Any]]:
    """The condition on periods holding `as_of` (of `agency`), and its parameters."""
    where, params = "(ends IS NULL OR ends > ?) AND starts <= ?", [tp.day, tp.day]
    return (where + " AND agency = ?", [*params, agency]) if agency is not None else (where, params)


def _evaluated(facts: ProgressFacts, codes: list[str] | None, tp: TimePoint, agency: str | None) -> list[StatusRow]:
    workers = facts.workers(codes, agency if codes is None else None)
    return [StatusRow.of(row) for row in facts.progress_rows(workers.values(), tp.as_of, agency)]
