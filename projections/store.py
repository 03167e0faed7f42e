"""Where a projection keeps its rows and its tracking position: one SQLite file, or PostgreSQL tables.

The position is written in the same transaction as the rows it accounts for,
so a restarted follower resumes exactly where it stopped and never applies an
event twice (STYLE.md; NOTES.md explains why the tracking is keyed here).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from lrs.index.schema import Dialect, POSTGRES, SQLITE

TRACKING_TABLE = """CREATE TABLE IF NOT EXISTS slrs_tracking (
    projection TEXT PRIMARY KEY,
    position BIGINT NOT NULL)"""


class ProjectionStore:
    """A projection's datastore, dialect and tracking position."""

    def __init__(self, name: str, env: Mapping[str, str]) -> None:
        self.name = name
        self.factory = InfrastructureFactory.construct(Environment(name, dict(env)))
        self.datastore = self.factory.datastore  # type: ignore[attr-defined]
        self.dialect: Dialect = POSTGRES if "postgres" in type(self.factory).__module__ else SQLITE

    def create_tables(self, statements: Sequence[str]) -> None:
        with self.transaction() as c:
            for statement in (TRACKING_TABLE, *statements):
                c.execute(statement)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self.datastore.transaction(commit=True) as c:
            yield c

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return self.dialect.fetch(self.datastore, sql, params)

    def position(self) -> int:
        rows = self.fetch("SELECT position FROM slrs_tracking WHERE projection = ?", [self.name])
        return rows[0]["position"] if rows else 0

    def set_position(self, cursor: Any, position: int) -> None:
        cursor.execute(self.dialect.sql(
            "INSERT INTO slrs_tracking (projection, position) VALUES (?, ?) "
            "ON CONFLICT (projection) DO UPDATE SET position = excluded.position"
        ), (self.name, position))

    def close(self) -> None:
        self.factory.close()
