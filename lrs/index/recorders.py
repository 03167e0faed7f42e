"""Application recorders that write the statement index in the events' own transaction.

The `LearningRecordStore` inserts encoded events with `insert_events(...,
index_entries=...)`, which writes the index rows with the same cursor. The
library constructs the recorder from `RECORDER_TOPICS`; the application then
hands it its clock, by which `stored` is given.
"""

from __future__ import annotations

import contextlib
import fcntl
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import get_topic
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg.sql import SQL, Composed

from kernel.clock import Clock, SystemClock
from kernel.sql import POSTGRES, SQLITE
from lrs.documents.index import DocumentRow, write_document_rows
from lrs.index.canonical import backfill_canonical, mark_backfill
from lrs.index.entries import IndexEntry
from lrs.index.rebuild import backfill_chains
from lrs.index.schema import create_statements
from lrs.index.writer import write_entries
from lrs.statement import Statement
from lrs.timestamps import INDEX_FORMAT, now_stored
from lrs.transcoding import loads

MAX_STORED = "SELECT MAX(stored) AS m FROM slrs_statements"
WAL_AUTOCHECKPOINT = "PRAGMA wal_autocheckpoint = 10000"  # pages; SQLite's default is 1000
STORED_LOCK_KEY = 0x51_52_53  # the PostgreSQL advisory lock that orders `stored`
STORED_TOPIC = get_topic(Statement.Stored)  # type: ignore[attr-defined]  # made by the event decorator

StoredClock = Callable[[], str]
# The application recorder the LearningRecordStore needs on each engine (the library's APPLICATION_RECORDER_TOPIC).
RECORDER_TOPICS = {
    "sqlite": "lrs.index.recorders:SQLiteStatementRecorder",
    "postgres": "lrs.index.recorders:PostgresStatementRecorder",
}


def _just_before(stored: str | None) -> str:
    """A `stored` value one microsecond earlier (the index form has microseconds)."""
    if stored is None:
        return "0001-01-01T00:00:00.000000Z"
    moment = datetime.strptime(stored, INDEX_FORMAT).replace(tzinfo=UTC) - timedelta(microseconds=1)
    return moment.strftime(INDEX_FORMAT)


def _next_stored(clock: Clock, last: str | None) -> str:
    """Now by `clock`, but never earlier than the last stored value: `stored` follows the log's order."""
    now = now_stored(clock)
    return now if last is None or now > last else last


def _statement_of(notification: StoredEvent) -> dict[str, Any]:
    """The statement document of a `Statement.Stored` event written before the canonical tables existed.

    Those are all of the event's first shape, so plain JSON reads them.
    """
    return loads(notification.state)["document"]  # type: ignore[no-any-return]


def _column(row: dict[str, Any] | None, name: str) -> Any:
    """One column of a row that an aggregate query always returns."""
    assert row is not None, "an aggregate query returned no row"
    return row[name]


class SQLiteStatementRecorder(SQLiteApplicationRecorder):
    """Stores statement events and their index rows in one SQLite transaction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stored_lock = threading.Lock()
        self.clock: Clock = SystemClock()  # the application's own, once it has one

    @property
    def _lock_path(self) -> str | None:
        """The file whose lock orders writers of this database across processes (none in memory)."""
        pool = self.datastore.pool
        return None if pool.is_sqlite_memory_mode else pool.db_name + ".stored-lock"

    @contextmanager
    def writers_lock(self) -> Iterator[None]:
        """The lock that orders this database's writers, across threads and processes."""
        with self._stored_lock, contextlib.ExitStack() as held:
            if self._lock_path is not None:
                lock_file = held.enter_context(open(self._lock_path, "a"))
                fcntl.flock(lock_file, fcntl.LOCK_EX)  # released when the file closes
            yield

    @contextmanager
    def stored_clock(self) -> Iterator[StoredClock]:
        """Hold the writers' lock while `stored` is given and events inserted.

        So `stored` never decreases along the log, and since/until become ranges of `seq`.
        """
        with self.writers_lock():
            yield lambda: _next_stored(self.clock, self._max_stored())

    def create_table(self) -> None:
        """Make the tables, or bring them up to date, one process at a time (workers start together)."""
        with self.writers_lock():
            mark_backfill(self.datastore, SQLITE)
            super().create_table()
            with self.datastore.transaction(commit=True) as c:
                backfill_chains(c, SQLITE)
            backfill_canonical(self, self.datastore, SQLITE, STORED_TOPIC, _statement_of)

    def consistent_through(self) -> str:
        """Every statement stored at or before this instant is queryable (Communication 2.1.3).

        The instant is taken first; if no writer holds the lock, later writers
        stamp later values. If one does, its stamp is at least the newest
        committed one, so the answer is just before that.
        """
        now = now_stored(self.clock)
        if self._lock_path is None:
            return now
        with open(self._lock_path, "a") as lock_file:
            try:
                fcntl.flock(lock_file, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return _just_before(self._max_stored())
            fcntl.flock(lock_file, fcntl.LOCK_UN)
        return now

    def _max_stored(self) -> str | None:
        return SQLITE.fetch(self.datastore, MAX_STORED)[0]["m"]  # type: ignore[no-any-return]

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + create_statements(SQLITE)

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        *,
        index_entries: Mapping[UUID, IndexEntry] | None = None,
        document_rows: Sequence[DocumentRow] | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        # Checkpoint the WAL every ~40 MB rather than 4: index pages rewritten by
        # successive batches are copied back once (about a fifth less work per statement).
        c.execute(WAL_AUTOCHECKPOINT)
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        if index_entries and notification_ids:
            write_entries(c, SQLITE, stored_events, notification_ids, index_entries)
        if document_rows:
            write_document_rows(c, SQLITE, document_rows)
        return notification_ids


class PostgresStatementRecorder(PostgresApplicationRecorder):
    """Stores statement events and their index rows in one PostgreSQL transaction.

    Index rows are written after the events' table lock is taken, so their
    `seq` (the notification id) follows commit order, as the log's does.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.extend(Composed([SQL(s)]) for s in create_statements(POSTGRES))  # type: ignore[arg-type]
        self.clock: Clock = SystemClock()  # the application's own, once it has one

    @contextmanager
    def writers_lock(self) -> Iterator[Any]:
        """An advisory lock that orders writers across processes and hosts; yields the connection holding it."""
        with self.datastore.get_connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (STORED_LOCK_KEY,))
            try:
                yield conn
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (STORED_LOCK_KEY,))

    @contextmanager
    def stored_clock(self) -> Iterator[StoredClock]:
        """The writers' lock while `stored` is given and events inserted."""
        with self.writers_lock() as conn:
            yield lambda: _next_stored(self.clock, _column(conn.execute(MAX_STORED).fetchone(), "m"))

    def create_table(self) -> None:
        """Make the tables, or bring them up to date, one process at a time (concurrent DDL fails here)."""
        with self.writers_lock():
            mark_backfill(self.datastore, POSTGRES)
            super().create_table()
            with self.datastore.transaction(commit=True) as c:
                backfill_chains(c, POSTGRES)
            backfill_canonical(self, self.datastore, POSTGRES, STORED_TOPIC, _statement_of)

    def consistent_through(self) -> str:
        """As on SQLite: now, unless a writer holds the lock; then just before the newest stored."""
        now = now_stored(self.clock)
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT pg_try_advisory_xact_lock_shared(%s) AS free", (STORED_LOCK_KEY,))
            if _column(c.fetchone(), "free"):
                return now
            c.execute(MAX_STORED)
            return _just_before(_column(c.fetchone(), "m"))

    def _fetch_ids_after_insert_events(
        self,
        curs: Any,
        stored_events: Sequence[StoredEvent],
        *,
        index_entries: Mapping[UUID, IndexEntry] | None = None,
        document_rows: Sequence[DocumentRow] | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        notification_ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if index_entries and notification_ids:
            write_entries(curs, POSTGRES, stored_events, notification_ids, index_entries)
        if document_rows:
            write_document_rows(curs, POSTGRES, document_rows)
        return notification_ids


StatementRecorder = SQLiteStatementRecorder | PostgresStatementRecorder
