"""The facts a worker's progress is derived from: agencies, workers' placements over time, completions, validations, pathways.

Follows the training records' log. The facts are kept as they were recorded;
compliance is derived from them with the domain's own rules, as known at an
instant (projections/progress_view.py), and, for the reports' counts, kept as
each worker's periods of unchanged progress, remade when their facts change.

Tables (every row carries `recorded`, the microsecond it was recorded):

- `slrs_progress_agencies`: an agency's registration, details and contribution changes, with effective dates;
- `slrs_progress_workers`: a worker's registration (agency, group, role, started_on), agency and group moves,
  role changes and leaving, with effective dates;
- `slrs_progress_completions`: completed training, `withdrawn` set (an instant) when it is withdrawn;
- `slrs_progress_validations`: the partnership's validations of single-agency courses;
- `slrs_progress_pathways`: each published pathway version of a target group;
- `slrs_progress_periods` and `slrs_progress_stale`: each worker's progress as periods, derived from the
  facts above, and the workers whose periods wait to be remade (projections/progress_periods.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from domain.agency import Agency
from domain.course import Course
from domain.pathway import Pathway
from domain.record import Record
from domain.worker import Worker
from kernel.tracking import TrackingStore
from projections.facts import Codes, dumps, insert, kind_of, mark_stale, micros, stale_ddl

P = "slrs_progress_"
AGENCY_COLUMNS = ("agency", "version", "fact", "effective", "name", "sector", "health", "contributes", "recorded")
WORKER_COLUMNS = ("worker", "version", "fact", "effective", "agency", "target_group", "works_with_group_4",
                  "job_role", "recorded")
COMPLETION_COLUMNS = ("worker", "version", "source", "course", "level", "delivery", "completed_on", "recorded")
VALIDATION_COLUMNS = ("course", "version", "valid_from", "valid_until", "recorded")
PATHWAY_COLUMNS = ("target_group", "version", "effective", "requirements", "topics", "recorded")


class ProgressProjection:
    """The people and programme facts of the training records, as known over time."""

    log = "records"
    tables: tuple[str, ...] = (
        Codes.ddl(P + "ids"),
        f"""CREATE TABLE IF NOT EXISTS {P}agencies (agency TEXT NOT NULL, version INTEGER NOT NULL,
            fact TEXT NOT NULL, effective TEXT NOT NULL, name TEXT, sector TEXT, health INTEGER, contributes INTEGER,
            recorded BIGINT NOT NULL, PRIMARY KEY (agency, version))""",
        f"""CREATE TABLE IF NOT EXISTS {P}workers (worker TEXT NOT NULL, version INTEGER NOT NULL,
            fact TEXT NOT NULL, effective TEXT NOT NULL, agency TEXT, target_group INTEGER,
            works_with_group_4 INTEGER, job_role TEXT, recorded BIGINT NOT NULL, PRIMARY KEY (worker, version))""",
        f"CREATE INDEX IF NOT EXISTS {P}workers_by_agency ON {P}workers (agency, worker)",
        f"""CREATE TABLE IF NOT EXISTS {P}completions (worker TEXT NOT NULL, version INTEGER NOT NULL,
            source TEXT NOT NULL, course TEXT NOT NULL, level TEXT NOT NULL, delivery TEXT NOT NULL,
            completed_on TEXT NOT NULL, recorded BIGINT NOT NULL, withdrawn BIGINT, withdrawn_version INTEGER,
            PRIMARY KEY (worker, version))""",
        f"""CREATE TABLE IF NOT EXISTS {P}validations (course TEXT NOT NULL, version INTEGER NOT NULL,
            valid_from TEXT NOT NULL, valid_until TEXT NOT NULL, recorded BIGINT NOT NULL,
            PRIMARY KEY (course, version))""",
        f"""CREATE TABLE IF NOT EXISTS {P}pathways (target_group INTEGER NOT NULL, version INTEGER NOT NULL,
            effective TEXT NOT NULL, requirements TEXT NOT NULL, topics TEXT NOT NULL, recorded BIGINT NOT NULL,
            PRIMARY KEY (target_group, version))""",
        # Each worker's progress as periods (projections/progress_periods.py), and who needs theirs remade.
        f"""CREATE TABLE IF NOT EXISTS {P}periods (worker TEXT NOT NULL, starts TEXT NOT NULL, ends TEXT,
            agency TEXT NOT NULL, target_group INTEGER NOT NULL, status TEXT NOT NULL, compliant INTEGER NOT NULL,
            needing TEXT NOT NULL, PRIMARY KEY (worker, starts))""",
        f"CREATE INDEX IF NOT EXISTS {P}periods_by_agency ON {P}periods (agency)",
        # The periods holding a day are found by their end (most ended long ago), and counted from the index alone.
        f"""CREATE INDEX IF NOT EXISTS {P}periods_by_end ON {P}periods
            (ends, starts, agency, target_group, status, compliant, needing)""",
        *stale_ddl(P, "worker"),
        f"CREATE INDEX IF NOT EXISTS {P}workers_by_recorded ON {P}workers (recorded)",
        f"CREATE INDEX IF NOT EXISTS {P}completions_by_recorded ON {P}completions (recorded)",
        f"CREATE INDEX IF NOT EXISTS {P}completions_by_withdrawn ON {P}completions (withdrawn)",
    )

    def __init__(self) -> None:
        self.codes = Codes(P + "ids", ("agency", "worker", "course", "pathway"))

    def reset(self, cursor: Any) -> None:
        """Forget every fact (before a rebuild); the codes stay, being true of the log itself."""
        for table in ("agencies", "workers", "completions", "validations", "pathways", "periods", "stale"):
            cursor.execute(f"DELETE FROM {P}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events as fact rows, in log order."""
        wanted = [e for e in values if type(e) in HANDLERS]
        codes = self.codes.resolve(store, cursor, values, wanted)
        rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        withdrawals: list[tuple[Any, ...]] = []
        for event in wanted:
            HANDLERS[type(event)](event, codes[event.originator_id], rows, withdrawals)
        for table, columns in (("agencies", AGENCY_COLUMNS), ("workers", WORKER_COLUMNS),
                               ("completions", COMPLETION_COLUMNS), ("validations", VALIDATION_COLUMNS),
                               ("pathways", PATHWAY_COLUMNS)):
            insert(store, cursor, P + table, columns, rows[table])
        if withdrawals:
            cursor.executemany(store.dialect.sql(
                f"UPDATE {P}completions SET withdrawn = ?, withdrawn_version = ? "
                "WHERE worker = ? AND source = ? AND version < ? AND withdrawn IS NULL"), withdrawals)
        mark_stale(store, cursor, P, "worker", self._touched(store, cursor, wanted, codes))

    def settle(self, store: TrackingStore) -> int:
        """Once caught up: remake the periods of the workers whose facts changed (projections/progress_periods.py)."""
        from projections.progress_periods import settle  # it reads through progress_view, which imports this module

        return settle(store)

    @staticmethod
    def _touched(store: TrackingStore, cursor: Any, events: Sequence[Record.Event], codes: dict[Any, str]) -> set[str]:
        """The workers whose progress the page may change: their own events, a validated course's, a group's pathway."""
        touched = {codes[e.originator_id] for e in events if kind_of(e) == "worker"}
        for event in events:
            param: Any
            if isinstance(event, Course.Validated):
                sql, param = f"SELECT DISTINCT worker FROM {P}completions WHERE course = ?", codes[event.originator_id]
            elif isinstance(event, Pathway.Published | Pathway.Revised):
                sql, param = f"SELECT DISTINCT worker FROM {P}workers WHERE target_group = ?", \
                    int(codes[event.originator_id])
            else:
                continue
            cursor.execute(store.dialect.sql(sql), [param])
            touched.update(str(r[0] if not isinstance(r, dict) else r["worker"]) for r in cursor.fetchall())
        return touched


Rows = dict[str, list[tuple[Any, ...]]]
Handler = Callable[[Any, str, Rows, list[tuple[Any, ...]]], None]


def _agency(fact: str) -> Handler:
    def handle(e: Any, code: str, rows: Rows, _: list[tuple[Any, ...]]) -> None:
        rows["agencies"].append((code, e.originator_version, fact, e.effective, getattr(e, "name", None),
                                 getattr(e, "sector", None), _flag(getattr(e, "health", None)),
                                 _flag(getattr(e, "contributes", None)), micros(e.timestamp)))
    return handle


def _worker(fact: str) -> Handler:
    def handle(e: Any, code: str, rows: Rows, _: list[tuple[Any, ...]]) -> None:
        rows["workers"].append((code, e.originator_version, fact, e.effective, getattr(e, "agency", None),
                                getattr(e, "target_group", None), _flag(getattr(e, "works_with_group_4", None)),
                                getattr(e, "job_role", None), micros(e.timestamp)))
    return handle


def _completed(e: Any, code: str, rows: Rows, _: list[tuple[Any, ...]]) -> None:
    rows["completions"].append((code, e.originator_version, e.source, e.course, e.level, e.delivery, e.effective,
                                micros(e.timestamp)))


def _withdrawn(e: Any, code: str, rows: Rows, withdrawals: list[tuple[Any, ...]]) -> None:
    withdrawals.append((micros(e.timestamp), e.originator_version, code, e.source, e.originator_version))


def _validated(e: Any, code: str, rows: Rows, _: list[tuple[Any, ...]]) -> None:
    rows["validations"].append((code, e.originator_version, e.effective, e.valid_until, micros(e.timestamp)))


def _pathway(e: Any, code: str, rows: Rows, _: list[tuple[Any, ...]]) -> None:
    rows["pathways"].append((int(code), e.originator_version, e.effective, dumps(e.requirements), dumps(e.topics),
                             micros(e.timestamp)))


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


HANDLERS: dict[type, Handler] = {
    Agency.Registered: _agency("registered"),
    Agency.DetailsChanged: _agency("details"),
    Agency.ContributionChanged: _agency("contribution"),
    Worker.Registered: _worker("registered"),
    Worker.MovedAgency: _worker("agency"),
    Worker.MovedGroup: _worker("group"),
    Worker.JobRoleChanged: _worker("role"),
    Worker.Left: _worker("left"),
    Worker.CompletionRecorded: _completed,
    Worker.CompletionWithdrawn: _withdrawn,
    Course.Validated: _validated,
    Pathway.Published: _pathway,
    Pathway.Revised: _pathway,
}
