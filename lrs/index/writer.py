"""Writes index entries with the cursor of the transaction that stores their events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from kernel.sql import Dialect
from lrs.index.canonical import write_canonical
from lrs.index.entries import IndexEntry

INSERT_STATEMENT = (
    "INSERT INTO slrs_statements{s} (seq, statement_id, stored, verb_id, activity_id, "
    "ref_target, registration, is_voiding) VALUES (?,?,?,?,?,?,?,?)"
)
INSERT_AGENT = "INSERT INTO slrs_statement_agents{s} (seq, person, role) VALUES (?,?,?)"
INSERT_ACTIVITY = "INSERT INTO slrs_statement_activities{s} (seq, activity_id, role) VALUES (?,?,?)"
# xAPI 1.0.3 Data 2.3.2: a voiding statement voids its target, unless the
# target is itself a voiding statement; a target that arrives after its
# voiding statement is voided on arrival.
VOID_TARGETS = (
    "UPDATE slrs_statements{s} SET voided = 1 WHERE is_voiding = 0 AND statement_id IN "
    "(SELECT ref_target FROM slrs_statements{s} WHERE seq BETWEEN ? AND ? AND is_voiding = 1)"
)
VOID_LATE_ARRIVALS = (
    "UPDATE slrs_statements{s} SET voided = 1 WHERE seq BETWEEN ? AND ? AND is_voiding = 0 "
    "AND EXISTS (SELECT 1 FROM slrs_statements{s} v "
    "WHERE v.ref_target = slrs_statements{s}.statement_id AND v.is_voiding = 1)"
)
# Communication 2.1.3 applies "recursively": a statement a -> b -> c meets a filter that c meets. So a
# referring statement's chain is its target and everything its target reaches; and whatever already
# reaches the statement now reaches all that too (its target may have arrived before or after it).
CHAIN_TARGET = "INSERT INTO slrs_statement_chains{s} (seq, target) VALUES (?, ?) ON CONFLICT DO NOTHING"
CHAIN_THROUGH_TARGET = (
    "INSERT INTO slrs_statement_chains{s} (seq, target) SELECT ?, c.target FROM slrs_statement_chains{s} c "
    "JOIN slrs_statements{s} t ON t.seq = c.seq WHERE t.statement_id = ? ON CONFLICT DO NOTHING"
)
CHAIN_TO_REFERRERS = (
    "INSERT INTO slrs_statement_chains{s} (seq, target) SELECT r.seq, c.target FROM slrs_statement_chains{s} r "
    "JOIN slrs_statement_chains{s} c ON c.seq = ? WHERE r.target = ? ON CONFLICT DO NOTHING"
)


def write_entries(
    cursor: Any,
    dialect: Dialect,
    stored_events: Sequence[StoredEvent],
    notification_ids: Sequence[int],
    entries: Mapping[UUID, IndexEntry],
    suffix: str = "",
) -> None:
    """Insert the entries of the statements whose events were just inserted (into the tables named with `suffix`)."""
    rows: list[tuple[Any, ...]] = []
    agents: list[tuple[int, str, str]] = []
    activities: list[tuple[int, str, str]] = []
    indexed: list[tuple[int, IndexEntry]] = []
    for stored_event, seq in zip(stored_events, notification_ids, strict=True):
        entry = entries.get(cast(UUID, stored_event.originator_id))  # the statement events' ids are UUIDs
        if entry is None:
            continue
        rows.append(
            (seq, entry.statement_id, entry.stored, entry.verb_id, entry.activity_id,
             entry.ref_target, entry.registration, int(entry.is_voiding))
        )
        agents.extend((seq, person, role) for person, role in entry.agents)
        indexed.append((seq, entry))
        activities.extend((seq, activity, role) for activity, role in entry.activities)
    if not rows:
        return

    def sql(statement: str) -> str:
        return dialect.sql(statement.format(s=suffix))

    cursor.executemany(sql(INSERT_STATEMENT), rows)
    if agents:
        cursor.executemany(sql(INSERT_AGENT), agents)
    if activities:
        cursor.executemany(sql(INSERT_ACTIVITY), activities)
    write_canonical(cursor, dialect, indexed, suffix)
    first, last = rows[0][0], rows[-1][0]
    if any(row[7] for row in rows):
        cursor.execute(sql(VOID_TARGETS), (first, last))
    cursor.execute(sql(VOID_LATE_ARRIVALS), (first, last))
    for seq, statement_id, _stored, _verb, _activity, target, _registration, _voiding in rows:
        if target is not None:
            link_chain(cursor, dialect, seq, statement_id, target, suffix)


def link_chain(cursor: Any, dialect: Dialect, seq: int, statement_id: str, target: str, suffix: str = "") -> None:
    """Record that statement `seq` (`statement_id`) refers to `target`, through every chain it joins."""
    for statement, params in ((CHAIN_TARGET, (seq, target)), (CHAIN_THROUGH_TARGET, (seq, target)),
                              (CHAIN_TO_REFERRERS, (seq, statement_id))):
        cursor.execute(dialect.sql(statement.format(s=suffix)), params)
