"""Where a follower keeps its rows and its tracking position: one SQLite file, or PostgreSQL tables.

The position is written in the same transaction as the rows it accounts for,
so a restarted follower resumes exactly where it stopped and never applies a
notification twice. The library's own tracking table is keyed only by the
upstream application's name (NOTES.md), so two followers of one log in one
database would collide: positions live in `slrs_tracking`, keyed by the store's name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from kernel.sql import Dialect, dialect_of

TRACKING_TABLE = """CREATE TABLE IF NOT EXISTS slrs_tracking (
    projection TEXT PRIMARY KEY,
    position BIGINT NOT NULL)"""


class TrackingStore:
    """A follower's datastore, its SQL dialect and its tracking position (a notification id, 0 before any).

    `env` is a library environment (`Storage.app_env(name)`) on SQLite or
    PostgreSQL; the in-memory engine has no datastore and is refused with
    AttributeError by the library's factory.
    """

    def __init__(self, name: str, env: Mapping[str, str]) -> None:
        self.name = name
        self.factory = InfrastructureFactory.construct(Environment(name, dict(env)))
        self.datastore: Any = getattr(self.factory, "datastore")
        self.dialect: Dialect = dialect_of(self.datastore)

    def create_tables(self, statements: Sequence[str]) -> None:
        """The tracking table and the follower's own tables (DDL safe to run again), in one transaction."""
        with self.transaction() as c:
            for statement in (TRACKING_TABLE, *statements):
                c.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A cursor of one committed transaction (rolled back if the block raises)."""
        with self.datastore.transaction(commit=True) as c:
            yield c

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of one query written with `?` placeholders, as mappings by column name."""
        return self.dialect.fetch(self.datastore, sql, params)

    def position(self) -> int:
        """The id of the last notification applied, 0 if none."""
        rows = self.fetch("SELECT position FROM slrs_tracking WHERE projection = ?", [self.name])
        return int(rows[0]["position"]) if rows else 0

    def set_position(self, cursor: Any, position: int) -> None:
        """Record `position` with `cursor`, so it commits with the rows it accounts for."""
        cursor.execute(self.dialect.sql(
            "INSERT INTO slrs_tracking (projection, position) VALUES (?, ?) "
            "ON CONFLICT (projection) DO UPDATE SET position = excluded.position"
        ), (self.name, position))

    def close(self) -> None:
        """Close the datastore's connections."""
        self.factory.close()


class InTransaction:
    """Reads with the cursor of a transaction under way, so they see what it has written (`fetch` as TrackingStore's).

    A follower reads its own rows this way while it writes them: a projection
    remaking derived rows, a plugin's tables read before its commands.
    """

    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self.cursor, self.dialect = cursor, dialect

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of one query written with `?` placeholders."""
        self.cursor.execute(self.dialect.sql(sql), list(params))
        return list(self.cursor.fetchall())
