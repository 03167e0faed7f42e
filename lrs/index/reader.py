"""Reads the statement index: by id, by filters, and what is already stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from kernel.sql import Dialect
from lrs.index.entries import AUTHORITY, DIRECT
from lrs.query import StatementQuery


@dataclass(frozen=True)
class IndexedStatement:
    """A stored statement's event, index position and voided flag."""

    seq: int
    event: StoredEvent
    voided: bool


class StatementIndexReader:
    """Queries over the `slrs_statements` tables; documents come from the events themselves."""

    def __init__(self, datastore: Any, dialect: Dialect, events_table: str) -> None:
        self.datastore = datastore
        self.dialect = dialect
        # The index holds no copy of the statement: it joins the event at its log position.
        self.event_columns = "e.originator_id, e.originator_version, e.topic, e.state"
        self.join_events = f"JOIN {events_table} e ON e.{dialect.notification_column} = s.seq"

    def _fetch(self, sql: str, params: Iterable[Any]) -> list[Any]:
        return self.dialect.fetch(self.datastore, sql, params)

    @staticmethod
    def _indexed(row: Any) -> IndexedStatement:
        originator_id = row["originator_id"]
        event = StoredEvent(
            originator_id=originator_id if isinstance(originator_id, UUID) else UUID(originator_id),
            originator_version=row["originator_version"], topic=row["topic"], state=bytes(row["state"]),
        )
        return IndexedStatement(row["seq"], event, bool(row["voided"]))

    def get(self, statement_id: str) -> IndexedStatement | None:
        rows = self._fetch(
            f"SELECT s.seq, s.voided, {self.event_columns} FROM slrs_statements s {self.join_events} "
            "WHERE s.statement_id = ?", [statement_id]
        )
        return self._indexed(rows[0]) if rows else None

    def get_many(self, statement_ids: list[str]) -> dict[str, IndexedStatement]:
        """Those of these ids already stored."""
        if not statement_ids:
            return {}
        marks = ",".join("?" * len(statement_ids))
        rows = self._fetch(
            f"SELECT s.statement_id, s.seq, s.voided, {self.event_columns} FROM slrs_statements s "
            f"{self.join_events} WHERE s.statement_id IN ({marks})", statement_ids
        )
        return {r["statement_id"]: self._indexed(r) for r in rows}

    def last_seq(self) -> int:
        rows = self._fetch("SELECT MAX(seq) AS m FROM slrs_statements", [])
        return rows[0]["m"] or 0

    def seq_stored_by(self, stored: str) -> int | None:
        """The last index position stored at or before `stored` (stored never decreases along seq)."""
        rows = self._fetch(
            "SELECT seq FROM slrs_statements WHERE stored <= ? ORDER BY stored DESC, seq DESC LIMIT 1", [stored]
        )
        return rows[0]["seq"] if rows else None

    def query(self, q: StatementQuery, limit: int) -> list[IndexedStatement]:
        """One page of non-voided statements matching `q`, in the order asked for."""
        order = "ASC" if q.ascending else "DESC"
        after = self.seq_stored_by(q.since) if q.since is not None else None
        upto = self.seq_stored_by(q.until) if q.until is not None else None
        if q.until is not None and upto is None:
            return []  # nothing was stored by then
        outer, outer_params = self._window(q, after, upto)
        base, base_params = self._match("s", q)
        arms = [
            (f"SELECT s.seq FROM slrs_statements s WHERE s.voided = 0 {outer} {base} "
             f"ORDER BY s.seq {order} LIMIT ?", [*outer_params, *base_params, limit])
        ]
        if q.has_match_filters:
            # Communication 2.1.3: a statement targeting another (StatementRef) meets a filter when
            # its target does, "recursively": when any statement of its chain does (voided or not).
            target, target_params = self._match("t", q)
            arms.append(
                (f"SELECT s.seq FROM slrs_statements s WHERE s.voided = 0 {outer} "
                 f"AND s.ref_target IS NOT NULL AND EXISTS (SELECT 1 FROM slrs_statement_chains c "
                 f"JOIN slrs_statements t ON t.statement_id = c.target WHERE c.seq = s.seq {target}) "
                 f"ORDER BY s.seq {order} LIMIT ?",
                 [*outer_params, *target_params, limit])
            )
        union = " UNION ".join(f"SELECT * FROM ({arm}) AS a{i}" for i, (arm, _) in enumerate(arms))
        params = [p for _, arm_params in arms for p in arm_params]
        rows = self._fetch(
            f"SELECT s.seq, 0 AS voided, {self.event_columns} FROM ({union}) AS s {self.join_events} "
            f"ORDER BY s.seq {order} LIMIT ?", [*params, limit]
        )
        return [self._indexed(r) for r in rows]

    @staticmethod
    def _window(q: StatementQuery, after: int | None, upto: int | None) -> tuple[str, list[Any]]:
        """since (exclusive) and until (inclusive) of `stored` as a range of `seq`, and the paging cursor."""
        clauses: list[str] = []
        params: list[Any] = []
        if after is not None:
            clauses.append("AND s.seq > ?")
            params.append(after)
        if upto is not None:
            clauses.append("AND s.seq <= ?")
            params.append(upto)
        if q.cursor is not None:
            clauses.append("AND s.seq > ?" if q.ascending else "AND s.seq < ?")
            params.append(q.cursor)
        if q.ceiling is not None:
            clauses.append("AND s.seq <= ?")
            params.append(q.ceiling)
        if q.authority is not None:
            clauses.append(f"AND s.seq IN (SELECT seq FROM slrs_statement_agents WHERE person = ? AND role = '{AUTHORITY}')")
            params.append(q.authority)
        return " ".join(clauses), params

    @staticmethod
    def _match(alias: str, q: StatementQuery) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if q.verb is not None:
            clauses.append(f"AND {alias}.verb_id = ?")
            params.append(q.verb)
        if q.registration is not None:
            clauses.append(f"AND {alias}.registration = ?")
            params.append(q.registration)
        if q.activity is not None:
            if q.related_activities:
                clauses.append(f"AND {alias}.seq IN (SELECT seq FROM slrs_statement_activities WHERE activity_id = ?)")
            else:
                clauses.append(f"AND {alias}.activity_id = ?")
            params.append(q.activity)
        if q.agent is not None:
            role = "" if q.related_agents else f"AND role = '{DIRECT}'"
            clauses.append(f"AND {alias}.seq IN (SELECT seq FROM slrs_statement_agents WHERE person = ? {role})")
            params.append(q.agent)
        return " ".join(clauses), params
