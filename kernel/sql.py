"""The few ways the two SQL engines differ, and the one way to tell which one a datastore is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dialect:
    """SQL types and placeholders of one engine; our SQL is written with `?` placeholders."""

    name: str
    blob: str
    bigint: str
    clustered: str  # SQLite keeps a table with only a key in that key's own b-tree
    # The column of the library's events table that holds a notification's id (its log position):
    # the SQLite recorder numbers events by rowid, the PostgreSQL one has a column of that name.
    notification_column: str = "notification_id"

    def sql(self, statement: str) -> str:
        """Our SQL uses `?` placeholders; psycopg wants `%s`."""
        return statement if self.name == "sqlite" else statement.replace("?", "%s")

    def fetch(self, datastore: Any, statement: str, params: Iterable[Any] = ()) -> list[Any]:
        """All rows of one query, in a read-only transaction of the library's datastore."""
        with datastore.transaction(commit=False) as c:
            c.execute(self.sql(statement), list(params))
            return c.fetchall()  # type: ignore[no-any-return]


SQLITE = Dialect("sqlite", blob="BLOB", bigint="INTEGER", clustered=" WITHOUT ROWID", notification_column="rowid")
POSTGRES = Dialect("postgres", blob="BYTEA", bigint="BIGINT", clustered="")


def dialect_of(datastore: Any) -> Dialect:
    """The dialect of one of the library's datastores (SQLite or PostgreSQL)."""
    from eventsourcing.postgres import PostgresDatastore

    return POSTGRES if isinstance(datastore, PostgresDatastore) else SQLITE
