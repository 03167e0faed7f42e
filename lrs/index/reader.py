"""Reads the statement index: by id, by filters, and what is already stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lrs.index.entries import AUTHORITY, DIRECT
from lrs.index.schema import Dialect
from lrs.query import StatementQuery


@dataclass(frozen=True)
class IndexedStatement:
    """A stored statement's sealed document, index position and voided flag."""

    seq: int
    document: str
    voided: bool


class StatementIndexReader:
    """Queries over the `slrs_statements` tables."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect

    def _fetch(self, sql: str, params: Iterable[Any]) -> list[Any]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(self.dialect.sql(sql), list(params))
            return c.fetchall()

    def get(self, statement_id: str) -> IndexedStatement | None:
        rows = self._fetch(
            "SELECT seq, document, voided FROM slrs_statements WHERE statement_id = ?", [statement_id]
        )
        return IndexedStatement(rows[0]["seq"], rows[0]["document"], bool(rows[0]["voided"])) if rows else None

    def get_many(self, statement_ids: list[str]) -> dict[str, str]:
        """Sealed documents of those of these ids already stored."""
        if not statement_ids:
            return {}
        marks = ",".join("?" * len(statement_ids))
        rows = self._fetch(
            f"SELECT statement_id, document FROM slrs_statements WHERE statement_id IN ({marks})", statement_ids
        )
        return {r["statement_id"]: r["document"] for r in rows}

    def last_seq(self) -> int:
        rows = self._fetch("SELECT MAX(seq) AS m FROM slrs_statements", [])
        return rows[0]["m"] or 0

    def query(self, q: StatementQuery, limit: int) -> list[IndexedStatement]:
        """One page of non-voided statements matching `q`, in the order asked for."""
        order = "ASC" if q.ascending else "DESC"
        outer, outer_params = self._window(q)
        base, base_params = self._match("s", q)
        arms = [
            (f"SELECT s.seq, s.document FROM slrs_statements s WHERE s.voided = 0 {outer} {base} "
             f"ORDER BY s.seq {order} LIMIT ?", [*outer_params, *base_params, limit])
        ]
        if q.has_match_filters:
            # Communication 2.1.3: a statement targeting another (StatementRef)
            # meets a filter when its target does.
            target, target_params = self._match("t", q)
            arms.append(
                (f"SELECT s.seq, s.document FROM slrs_statements s WHERE s.voided = 0 {outer} "
                 f"AND s.ref_target IS NOT NULL AND EXISTS (SELECT 1 FROM slrs_statements t "
                 f"WHERE t.statement_id = s.ref_target {target}) ORDER BY s.seq {order} LIMIT ?",
                 [*outer_params, *target_params, limit])
            )
        sql = " UNION ".join(f"SELECT * FROM ({arm}) AS a{i}" for i, (arm, _) in enumerate(arms))
        params = [p for _, arm_params in arms for p in arm_params]
        rows = self._fetch(f"{sql} ORDER BY seq {order} LIMIT ?", [*params, limit])
        return [IndexedStatement(r["seq"], r["document"], False) for r in rows]

    @staticmethod
    def _window(q: StatementQuery) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if q.since is not None:
            clauses.append("AND s.stored > ?")
            params.append(q.since)
        if q.until is not None:
            clauses.append("AND s.stored <= ?")
            params.append(q.until)
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
