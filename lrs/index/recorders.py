"""Application recorders that write the statement index in the events' own transaction.

`LearningRecordStore.save(..., index_entries=...)` passes the entries down
through the event store to `insert_events`, as the library passes tracking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from psycopg.sql import SQL

from lrs.index.entries import IndexEntry
from lrs.index.schema import POSTGRES, SQLITE, create_statements
from lrs.index.writer import write_entries


class SQLiteStatementRecorder(SQLiteApplicationRecorder):
    """Stores statement events and their index rows in one SQLite transaction."""

    dialect = SQLITE

    def construct_create_table_statements(self) -> list[str]:
        return super().construct_create_table_statements() + create_statements(SQLITE)

    def _insert_events(
        self,
        c: SQLiteCursor,
        stored_events: Sequence[StoredEvent],
        *,
        index_entries: Mapping[UUID, IndexEntry] | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        notification_ids = super()._insert_events(c, stored_events, **kwargs)
        if index_entries and notification_ids:
            write_entries(c, SQLITE, stored_events, notification_ids, index_entries)
        return notification_ids


class PostgresStatementRecorder(PostgresApplicationRecorder):
    """Stores statement events and their index rows in one PostgreSQL transaction.

    Index rows are written after the events' table lock is taken, so their
    `seq` (the notification id) follows commit order, as the log's does.
    """

    dialect = POSTGRES

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        self.sql_create_statements.extend(SQL(s) for s in create_statements(POSTGRES))  # type: ignore[arg-type]

    def _fetch_ids_after_insert_events(
        self,
        curs: Any,
        stored_events: Sequence[StoredEvent],
        *,
        index_entries: Mapping[UUID, IndexEntry] | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        notification_ids = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if index_entries and notification_ids:
            write_entries(curs, POSTGRES, stored_events, notification_ids, index_entries)
        return notification_ids
