"""What the index keeps for the Activities and Agents resources, written with the statements that tell it.

`slrs_activities` holds each activity's canonical definition (`lrs.activities`),
merged as statements are stored, in the transaction that stores them; the
writers' lock orders writers, so the read, merge and write see every earlier
statement. `slrs_agent_forms` holds each distinct sealed form of an identified
agent (`lrs.agents`): ciphertext under the person's key, never a name in clear.
Both are index tables: `slrs rebuild-index` rebuilds them from the event log,
and a store written before they existed gets them filled from its log when it
is opened (`mark_backfill`, `backfill_canonical`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification

from kernel.sql import Dialect
from lrs.activities import Definition, merge_definition
from lrs.index.entries import IndexEntry, index_entry
from lrs.settings import SETTINGS_TABLE, create_settings_table
from lrs.transcoding import dumps, loads

CANONICAL_TABLES = ("slrs_activities", "slrs_agent_forms")
BACKFILL = "canonical-backfill"  # the setting present while a store's canonical tables wait to be filled
SELECT_CHUNK = 500

INSERT_FORM = "INSERT INTO slrs_agent_forms{s} (person, sealed, seq) VALUES (?,?,?) ON CONFLICT DO NOTHING"
UPSERT_DEFINITION = (
    "INSERT INTO slrs_activities{s} (activity_id, definition, seq) VALUES (?,?,?) "
    "ON CONFLICT (activity_id) DO UPDATE SET definition = excluded.definition, seq = excluded.seq"
)


def create_canonical_tables(d: Dialect, suffix: str = "") -> list[str]:
    """DDL of the canonical tables (named with `suffix`), safe to run again."""
    return [
        f"""CREATE TABLE IF NOT EXISTS slrs_activities{suffix} (
            activity_id TEXT PRIMARY KEY,
            definition TEXT NOT NULL,
            seq {d.bigint} NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS slrs_agent_forms{suffix} (
            person TEXT NOT NULL,
            sealed TEXT NOT NULL,
            seq {d.bigint} NOT NULL,
            PRIMARY KEY (person, sealed)){d.clustered}""",
    ]


def write_canonical(cursor: Any, dialect: Dialect, indexed: Sequence[tuple[int, IndexEntry]], suffix: str = "") -> None:
    """Record the agent forms and merge the activity definitions of statements `indexed` as (seq, entry), in log order."""
    forms: dict[tuple[str, str], int] = {}
    carried: list[tuple[int, str, Definition]] = []
    for seq, entry in indexed:
        for form in entry.agent_forms:
            forms.setdefault(form, seq)
        carried.extend((seq, activity_id, definition) for activity_id, definition in entry.definitions)
    if forms:
        cursor.executemany(dialect.sql(INSERT_FORM.format(s=suffix)),
                           [(person, sealed, seq) for (person, sealed), seq in forms.items()])
    if carried:
        _merge_definitions(cursor, dialect, carried, suffix)


def _merge_definitions(cursor: Any, dialect: Dialect, carried: list[tuple[int, str, Definition]], suffix: str) -> None:
    current = _definitions(cursor, dialect, sorted({activity_id for _, activity_id, _ in carried}), suffix)
    changed: dict[str, int] = {}
    last: dict[str, Definition] = {}
    for seq, activity_id, definition in carried:
        if last.get(activity_id) == definition:  # merging is idempotent: the same definition again adds nothing
            continue
        last[activity_id] = definition
        before = current.get(activity_id)
        merged = merge_definition(before or {}, definition)
        if merged != before:  # a definition that adds nothing new (most statements of a course) writes nothing
            current[activity_id], changed[activity_id] = merged, seq
    if changed:
        cursor.executemany(dialect.sql(UPSERT_DEFINITION.format(s=suffix)),
                           [(a, dumps(current[a]).decode(), seq) for a, seq in changed.items()])


def _definitions(cursor: Any, dialect: Dialect, activity_ids: list[str], suffix: str = "") -> dict[str, Definition]:
    found: dict[str, Definition] = {}
    for start in range(0, len(activity_ids), SELECT_CHUNK):
        chunk = activity_ids[start:start + SELECT_CHUNK]
        cursor.execute(dialect.sql(f"SELECT activity_id, definition FROM slrs_activities{suffix} "
                                   f"WHERE activity_id IN ({','.join('?' * len(chunk))})"), chunk)
        found.update((row["activity_id"], loads(row["definition"])) for row in cursor.fetchall())
    return found


class CanonicalReader:
    """Reads the canonical tables of one datastore of the `eventsourcing` library."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect

    def definition(self, activity_id: str) -> Definition | None:
        """The canonical definition of an activity, None if no stored statement defined it."""
        with self.datastore.transaction(commit=False) as c:
            return _definitions(c, self.dialect, [activity_id]).get(activity_id)

    def definitions(self, activity_ids: Iterable[str]) -> dict[str, Definition]:
        """The canonical definitions of those of `activity_ids` that a stored statement defined."""
        wanted = sorted(set(activity_ids))
        if not wanted:
            return {}
        with self.datastore.transaction(commit=False) as c:
            return _definitions(c, self.dialect, wanted)

    def agent_forms(self, pseudonym: str) -> list[str]:
        """The sealed forms of a person's agent, in the order the log first holds them."""
        rows = self.dialect.fetch(self.datastore, "SELECT sealed FROM slrs_agent_forms WHERE person = ? "
                                                  "ORDER BY seq, sealed", [pseudonym])
        return [row["sealed"] for row in rows]


def _table_exists(cursor: Any, dialect: Dialect, table: str) -> bool:
    catalog = ("SELECT 1 AS found FROM information_schema.tables WHERE table_schema = current_schema() "
               "AND table_name = ?" if dialect.name == "postgres"
               else "SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?")
    cursor.execute(dialect.sql(catalog), [table])
    return cursor.fetchone() is not None


def mark_backfill(datastore: Any, dialect: Dialect) -> bool:
    """Before tables are made: note that statements exist without canonical tables (an upgrade); True if so.

    Noted in the settings table, so a process stopped before `backfill_canonical`
    finished leaves the note for the next one to act on.
    """
    with datastore.transaction(commit=True) as c:
        if not _table_exists(c, dialect, "slrs_statements") or _table_exists(c, dialect, "slrs_activities"):
            return False
        c.execute(create_settings_table(dialect))
        c.execute(dialect.sql(f"INSERT INTO {SETTINGS_TABLE} (name, value) VALUES (?, ?) "
                              "ON CONFLICT (name) DO NOTHING"), (BACKFILL, "pending"))
    return True


def backfill_canonical(recorder: ApplicationRecorder, datastore: Any, dialect: Dialect, topic: str,
                       decode: Callable[[Notification], dict[str, Any]], page_size: int = 5000) -> int:
    """Fill the canonical tables from the log if `mark_backfill` noted they need it; the statements read.

    Run holding the writers' lock (no statement is stored meanwhile): the tables
    are emptied, filled a page per transaction, and the note removed last.
    """
    with datastore.transaction(commit=False) as c:
        c.execute(dialect.sql(f"SELECT value FROM {SETTINGS_TABLE} WHERE name = ?"), [BACKFILL])
        if c.fetchone() is None:
            return 0
    with datastore.transaction(commit=True) as c:
        for table in CANONICAL_TABLES:
            c.execute(f"DELETE FROM {table}")
    count = 0
    for page in _pages(recorder, topic, page_size):
        with datastore.transaction(commit=True) as c:
            write_canonical(c, dialect, [(n.id, index_entry(decode(n))) for n in page])
        count += len(page)
    with datastore.transaction(commit=True) as c:
        c.execute(dialect.sql(f"DELETE FROM {SETTINGS_TABLE} WHERE name = ?"), [BACKFILL])
    return count


def _pages(recorder: ApplicationRecorder, topic: str, page_size: int) -> Iterator[list[Notification]]:
    start = 1
    while page := list(recorder.select_notifications(start, page_size, topics=[topic])):
        yield page
        start = page[-1].id + 1
