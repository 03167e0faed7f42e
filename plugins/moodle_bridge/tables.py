"""The bridge's own tables, in its tracking store, and the SQL it runs on them within one transaction.

- `slrs_moodle_links`: every change of a link, appended in order (`seq`), never updated: an alias
  (xAPI identity → worker), an activity (IRI → course), a session (face-to-face
  activity IRI → one of its dated sessions) or a clerk's choice (one statement,
  by digest → session). A link stands when its latest row is active. An alias
  is keyed by the LRS's pseudonym of the identity, the identity itself sealed
  with that person's key (`sealed`): erasing the person in the LRS erases it here too.
- `slrs_moodle_statements`: one row per distinct Moodle statement content
  (digest): what the bridge did with it (status, reason, command), written in
  the transaction that moves the follower's position. Pending ones keep the
  statement (personal values sealed, as the LRS stores them) until applied.
- `slrs_moodle_copies`: every LRS id of each content (Moodle resends get new ids).
- `slrs_moodle_voided`: ids voided by a voiding statement, even before they arrive.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kernel.sql import Dialect
from kernel.tracking import InTransaction

APPLIED, NONE, PENDING, REFUSED, VOIDED, REVERTED = "applied", "none", "pending", "refused", "voided", "reverted"
STATUSES = (APPLIED, NONE, PENDING, REFUSED, VOIDED, REVERTED)
OUTCOME_COLUMNS = ("digest", "statement_id", "seq", "event", "status", "reason", "command", "actor", "activity",
                   "worker", "session", "booking", "source", "waiting_on", "document", "occurred")


def tables(dialect: Dialect) -> tuple[str, ...]:
    """The DDL of the bridge's tables, safe to run again."""
    return (
        f"CREATE TABLE IF NOT EXISTS slrs_moodle_links (seq {dialect.bigint} PRIMARY KEY, link TEXT NOT NULL, "
        "kind TEXT NOT NULL, link_key TEXT NOT NULL, target TEXT NOT NULL, active INTEGER NOT NULL, "
        "made_by TEXT NOT NULL, agency TEXT, made_at TEXT NOT NULL, sealed TEXT)",
        f"CREATE TABLE IF NOT EXISTS slrs_moodle_statements (digest TEXT PRIMARY KEY, statement_id TEXT NOT NULL, "
        f"seq {dialect.bigint} NOT NULL, event TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, "
        "command TEXT, actor TEXT, activity TEXT, worker TEXT, session TEXT, booking TEXT, source TEXT, "
        "waiting_on TEXT, document TEXT, occurred TEXT)",
        "CREATE INDEX IF NOT EXISTS slrs_moodle_statements_by_status ON slrs_moodle_statements (status, seq)",
        "CREATE INDEX IF NOT EXISTS slrs_moodle_statements_by_seq ON slrs_moodle_statements (seq)",
        "CREATE INDEX IF NOT EXISTS slrs_moodle_statements_by_worker ON slrs_moodle_statements (worker, activity)",
        f"CREATE TABLE IF NOT EXISTS slrs_moodle_copies (statement_id TEXT PRIMARY KEY, digest TEXT NOT NULL)"
        f"{dialect.clustered}",
        f"CREATE TABLE IF NOT EXISTS slrs_moodle_voided (statement_id TEXT PRIMARY KEY, voided_by TEXT NOT NULL)"
        f"{dialect.clustered}",
    )


@dataclass
class Outcome:
    """What the bridge did with one statement content; `command` holds the values it gave the records."""

    digest: str
    statement_id: str
    seq: int
    event: str
    status: str
    reason: str
    command: dict[str, Any] | None = None
    actor: str | None = None  # the LRS's pseudonym of the actor: no personal value in clear
    activity: str | None = None
    worker: str | None = None
    session: str | None = None
    booking: str | None = None
    source: str | None = None
    waiting_on: str | None = None
    document: dict[str, Any] | None = None  # the sealed statement, while pending
    occurred: str | None = None

    def values(self) -> list[Any]:
        """The row's values in OUTCOME_COLUMNS order (JSON text for command and document)."""
        row = [getattr(self, c) for c in OUTCOME_COLUMNS]
        for name in ("command", "document"):
            index = OUTCOME_COLUMNS.index(name)
            row[index] = None if row[index] is None else json.dumps(row[index], separators=(",", ":"))
        return row

    @classmethod
    def of(cls, row: Any) -> Outcome:
        """An outcome from a fetched row (a mapping by column name)."""
        values = {c: row[c] for c in OUTCOME_COLUMNS}
        for name in ("command", "document"):
            values[name] = None if values[name] is None else json.loads(values[name])
        values["seq"] = int(values["seq"])
        return cls(**values)


class Rows(InTransaction):
    """The bridge's rows through one cursor: reads see what this transaction wrote."""

    def __init__(self, dialect: Dialect, cursor: Any) -> None:
        super().__init__(cursor, dialect)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self.dialect.sql(sql), list(params))

    def outcome(self, digest: str) -> Outcome | None:
        """The outcome of one content, None if never seen."""
        found = self.fetch("SELECT * FROM slrs_moodle_statements WHERE digest = ?", [digest])
        return Outcome.of(found[0]) if found else None

    def save(self, outcome: Outcome) -> None:
        """Insert or replace the outcome of its content."""
        self._run("DELETE FROM slrs_moodle_statements WHERE digest = ?", [outcome.digest])
        marks = ", ".join("?" for _ in OUTCOME_COLUMNS)
        self._run(f"INSERT INTO slrs_moodle_statements ({', '.join(OUTCOME_COLUMNS)}) VALUES ({marks})",
                  outcome.values())

    def next_seq(self) -> int:
        """The order of the next content seen (1 for the first)."""
        found = self.fetch("SELECT COALESCE(MAX(seq), 0) AS seq FROM slrs_moodle_statements")
        return int(found[0]["seq"]) + 1

    def add_copy(self, statement_id: str, digest: str) -> None:
        """Remember that LRS id `statement_id` holds this content."""
        self._run("INSERT INTO slrs_moodle_copies (statement_id, digest) VALUES (?, ?) ON CONFLICT DO NOTHING",
                  [statement_id, digest])

    def digest_of(self, statement_id: str) -> str | None:
        found = self.fetch("SELECT digest FROM slrs_moodle_copies WHERE statement_id = ?", [statement_id])
        return str(found[0]["digest"]) if found else None

    def add_voided(self, statement_id: str, voided_by: str) -> None:
        self._run("INSERT INTO slrs_moodle_voided (statement_id, voided_by) VALUES (?, ?) ON CONFLICT DO NOTHING",
                  [statement_id, voided_by])

    def voided_by(self, statement_id: str) -> str | None:
        """The id of the statement that voided `statement_id`, None if it is not voided."""
        found = self.fetch("SELECT voided_by FROM slrs_moodle_voided WHERE statement_id = ?", [statement_id])
        return str(found[0]["voided_by"]) if found else None

    def pending(self) -> list[Outcome]:
        """Every pending outcome, oldest first."""
        return [Outcome.of(r) for r in self.fetch(
            "SELECT * FROM slrs_moodle_statements WHERE status = ? ORDER BY seq", [PENDING])]

    def earlier_pending(self, actor: str, activity: str, seq: int) -> bool:
        """Whether an earlier statement of this actor about this activity is pending (they apply in order)."""
        return bool(self.fetch("SELECT 1 FROM slrs_moodle_statements WHERE status = ? AND actor = ? AND activity = ? "
                              "AND seq < ? LIMIT 1", [PENDING, actor, activity, seq]))

    def applied(self, command: str, worker: str, **match: str) -> list[Outcome]:
        """Applied outcomes of one command for one worker, newest first, whose columns equal `match`."""
        where = "".join(f" AND {column} = ?" for column in match)
        rows = self.fetch(f"SELECT * FROM slrs_moodle_statements WHERE status = ? AND worker = ?{where} "
                         "ORDER BY seq DESC", [APPLIED, worker, *match.values()])
        return [o for o in map(Outcome.of, rows) if (o.command or {}).get("name") == command]

    def reset(self) -> None:
        """Forget every outcome, copy and voiding (a rebuild); links stay, they are the clerks' records."""
        for table in ("slrs_moodle_statements", "slrs_moodle_copies", "slrs_moodle_voided"):
            self._run(f"DELETE FROM {table}")
