"""Rebuilding the statement index from the event log, crash-safe; and how complete the index is.

A rebuild writes new index tables beside the live ones, a page of the log per
transaction, then, holding the writers' lock, indexes what arrived meanwhile
and swaps the new tables in, in one transaction. Stopped at any point, it
leaves the live index as it was (and its own half-built tables, which the next
rebuild drops). `index_status` says whether the live index covers the log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, cast

from eventsourcing.persistence import ApplicationRecorder, Notification

from kernel.sql import Dialect
from lrs.index.entries import index_entry
from lrs.index.schema import INDEX_TABLES, LOOKUP_INDEXES, WRITE_INDEXES, create_indexes, create_statements, create_tables
from lrs.index.writer import link_chain, write_entries

SUFFIX = "_rebuild"
Decode = Callable[[Notification], dict[str, Any]]


@dataclass(frozen=True)
class IndexStatus:
    """Whether the statement index answers for every stored statement, and if not, what is missing.

    `indexed_through` is the last log position indexed; `missing_from` the
    first position of a statement not indexed (None if none is missing), as an
    interrupted rebuild of an earlier version left it; `missing_indexes` the
    lookup indexes that rebuild had dropped.
    """

    indexed_through: int
    missing_from: int | None
    missing_indexes: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.missing_from is None and not self.missing_indexes

    @property
    def problem(self) -> str | None:
        """What is wrong, and what to do, in an operator's words (None when complete)."""
        if self.complete:
            return None
        parts = []
        if self.missing_from is not None:
            parts.append(f"statements from log position {self.missing_from} on are not indexed "
                         f"(indexed through {self.indexed_through})")
        if self.missing_indexes:
            parts.append(f"lookup indexes {', '.join(self.missing_indexes)} are missing")
        return ("the statement index is incomplete: " + "; ".join(parts)
                + ": queries miss statements until `slrs rebuild-index` runs")


class IndexRebuild:
    """The rebuild of one LRS's index: its recorder, datastore, dialect and statement decoder.

    `writers_lock` is the recorder's lock that orders writers (no statement is
    stored while it is held); `topic` the topic of statement events.
    """

    def __init__(self, recorder: ApplicationRecorder, datastore: Any, dialect: Dialect, decode: Decode, topic: str,
                 writers_lock: Callable[[], AbstractContextManager[Any]]) -> None:
        self.recorder = recorder
        self.datastore = datastore
        self.dialect = dialect
        self.decode = decode
        self.topic = topic
        self.writers_lock = writers_lock

    def run(self, page_size: int = 5000) -> int:
        """Rebuild beside, then swap in; returns the number of statements indexed."""
        with self.datastore.transaction(commit=True) as c:
            for table in INDEX_TABLES:
                c.execute(f"DROP TABLE IF EXISTS {table}{SUFFIX}")
            for statement in (*create_tables(self.dialect, SUFFIX), *create_indexes(WRITE_INDEXES, SUFFIX)):
                c.execute(statement)
        count, start = 0, 1
        for page in self._pages(start, page_size):
            with self.datastore.transaction(commit=True) as c:
                self._write(c, page)
            count, start = count + len(page), page[-1].id + 1
        with self.writers_lock(), self.datastore.transaction(commit=True) as c:
            for page in self._pages(start, page_size):
                self._write(c, page)
                count += len(page)
            self._swap(c)
        return count

    def _pages(self, start: int, page_size: int) -> Iterator[list[Notification]]:
        while page := list(self.recorder.select_notifications(start, page_size, topics=[self.topic])):
            yield page
            start = page[-1].id + 1

    def _write(self, cursor: Any, page: list[Notification]) -> None:
        entries = {cast(uuid.UUID, n.originator_id): index_entry(self.decode(n)) for n in page}
        write_entries(cursor, self.dialect, page, [n.id for n in page], entries, SUFFIX)

    def _swap(self, cursor: Any) -> None:
        """Drop the live tables, rename the new ones in, and make their indexes under the live names."""
        for table in INDEX_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        for table in INDEX_TABLES:
            cursor.execute(f"ALTER TABLE {table}{SUFFIX} RENAME TO {table}")
        for name in WRITE_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}{SUFFIX}")
        if self.dialect.name == "postgres":  # SQLite renames a table's own key indexes with it
            marks = ",".join(["%s"] * len(INDEX_TABLES))
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                           f"AND tablename IN ({marks})", INDEX_TABLES)
            for name in [row["indexname"] for row in cursor.fetchall() if SUFFIX in row["indexname"]]:
                cursor.execute(f"ALTER INDEX {name} RENAME TO {name.replace(SUFFIX, '')}")
        for statement in create_statements(self.dialect):
            cursor.execute(statement)


def backfill_chains(cursor: Any, dialect: Dialect) -> int:
    """Record the chains of referring statements indexed before chains were kept (in log order); how many."""
    cursor.execute(
        "SELECT seq, statement_id, ref_target FROM slrs_statements s WHERE ref_target IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM slrs_statement_chains c WHERE c.seq = s.seq) ORDER BY seq"
    )
    rows = cursor.fetchall()
    for row in rows:
        link_chain(cursor, dialect, row["seq"], row["statement_id"], row["ref_target"])
    return len(rows)


def index_status(recorder: ApplicationRecorder, datastore: Any, dialect: Dialect, topic: str) -> IndexStatus:
    """How complete the live index is: cheap enough for every /health call."""
    through = int(dialect.fetch(datastore, "SELECT MAX(seq) AS m FROM slrs_statements")[0]["m"] or 0)
    later = recorder.select_notifications(through + 1, 1, topics=[topic])
    return IndexStatus(through, later[0].id if later else None, _missing_indexes(datastore, dialect))


def _missing_indexes(datastore: Any, dialect: Dialect) -> tuple[str, ...]:
    names = list(LOOKUP_INDEXES)
    marks = ",".join("?" * len(names))
    catalog = ("SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() "
               f"AND indexname IN ({marks})" if dialect.name == "postgres"
               else f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({marks})")
    found = {row["name"] for row in dialect.fetch(datastore, catalog, names)}
    return tuple(name for name in names if name not in found)
