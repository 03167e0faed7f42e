"""Writes index entries with the cursor of the transaction that stores their events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from kernel.sql import Dialect
from lrs.index.entries import IndexEntry

INSERT_STATEMENT = (
    "INSERT INTO slrs_statements (seq, statement_id, stored, verb_id, activity_id, "
    "ref_target, registration, is_voiding) VALUES (?,?,?,?,?,?,?,?)"
)
INSERT_AGENT = "INSERT INTO slrs_statement_agents (seq, person, role) VALUES (?,?,?)"
INSERT_ACTIVITY = "INSERT INTO slrs_statement_activities (seq, activity_id, role) VALUES (?,?,?)"
# xAPI 1.0.3 Data 2.3.2: a voiding statement voids its target, unless the
# target is itself a voiding statement; a target that arrives after its
# voiding statement is voided on arrival.
VOID_TARGETS = (
    "UPDATE slrs_statements SET voided = 1 WHERE is_voiding = 0 AND statement_id IN "
    "(SELECT ref_target FROM slrs_statements WHERE seq BETWEEN ? AND ? AND is_voiding = 1)"
)
VOID_LATE_ARRIVALS = (
    "UPDATE slrs_statements SET voided = 1 WHERE seq BETWEEN ? AND ? AND is_voiding = 0 "
    "AND EXISTS (SELECT 1 FROM slrs_statements v "
    "WHERE v.ref_target = slrs_statements.statement_id AND v.is_voiding = 1)"
)


def write_entries(
    cursor: Any,
    dialect: Dialect,
    stored_events: Sequence[StoredEvent],
    notification_ids: Sequence[int],
    entries: Mapping[UUID, IndexEntry],
) -> None:
    """Insert the entries of the statements whose events were just inserted."""
    rows: list[tuple[Any, ...]] = []
    agents: list[tuple[int, str, str]] = []
    activities: list[tuple[int, str, str]] = []
    for stored_event, seq in zip(stored_events, notification_ids, strict=True):
        entry = entries.get(cast(UUID, stored_event.originator_id))  # the statement events' ids are UUIDs
        if entry is None:
            continue
        rows.append(
            (seq, entry.statement_id, entry.stored, entry.verb_id, entry.activity_id,
             entry.ref_target, entry.registration, int(entry.is_voiding))
        )
        agents.extend((seq, person, role) for person, role in entry.agents)
        activities.extend((seq, activity, role) for activity, role in entry.activities)
    if not rows:
        return
    cursor.executemany(dialect.sql(INSERT_STATEMENT), rows)
    if agents:
        cursor.executemany(dialect.sql(INSERT_AGENT), agents)
    if activities:
        cursor.executemany(dialect.sql(INSERT_ACTIVITY), activities)
    first, last = rows[0][0], rows[-1][0]
    if any(row[7] for row in rows):
        cursor.execute(dialect.sql(VOID_TARGETS), (first, last))
    cursor.execute(dialect.sql(VOID_LATE_ARRIVALS), (first, last))
