"""Statements stored per verb and per activity: the first follower of the statement log."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kernel.tracking import TrackingStore

UPSERT = (
    "INSERT INTO {table} ({key}, statements) VALUES (?, ?) "
    "ON CONFLICT ({key}) DO UPDATE SET statements = {table}.statements + excluded.statements"
)


class StatsProjection:
    """Counts each stored statement once under its verb and, if it has one, its object activity.

    Follows the statement log, whose values are statements as plain dicts
    (`LearningRecordStore.decode_statement`).
    """

    log = "lrs"
    tables: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS slrs_stats_verbs (verb_id TEXT PRIMARY KEY, statements BIGINT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS slrs_stats_activities (activity_id TEXT PRIMARY KEY, statements BIGINT NOT NULL)",
    )

    def reset(self, cursor: Any) -> None:
        """Forget every count."""
        cursor.execute("DELETE FROM slrs_stats_verbs")
        cursor.execute("DELETE FROM slrs_stats_activities")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Mapping[str, Any]]) -> None:
        """Add a page of statements to the counts, one upsert per verb and per activity."""
        verbs: Counter[str] = Counter()
        activities: Counter[str] = Counter()
        for document in values:
            verbs[document["verb"]["id"]] += 1
            obj = document["object"]
            if obj.get("objectType", "Activity") == "Activity":
                activities[obj["id"]] += 1
        for table, key, counts in (("slrs_stats_verbs", "verb_id", verbs),
                                   ("slrs_stats_activities", "activity_id", activities)):
            if counts:
                cursor.executemany(store.dialect.sql(UPSERT.format(table=table, key=key)), list(counts.items()))


@dataclass(frozen=True)
class StatsView:
    """What /api/v1/stats shows: counts per verb, the busiest activities, and how current they are."""

    verbs: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    position: int


def get_stats(store: TrackingStore, activity_limit: int = 100) -> StatsView:
    """The counts per verb, the `activity_limit` busiest activities, and the position they are as of."""
    verbs = store.fetch("SELECT verb_id, statements FROM slrs_stats_verbs ORDER BY statements DESC, verb_id")
    activities = store.fetch(
        "SELECT activity_id, statements FROM slrs_stats_activities ORDER BY statements DESC, activity_id LIMIT ?",
        [activity_limit],
    )
    return StatsView(
        verbs=[{"id": r["verb_id"], "statements": r["statements"]} for r in verbs],
        activities=[{"id": r["activity_id"], "statements": r["statements"]} for r in activities],
        position=store.position(),
    )
