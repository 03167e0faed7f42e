"""The document index: one row per document, written in the transaction of the document's events.

A single document is read from its own events (its aggregate id is derived
from the request); the index answers what needs many: the ids of a context's
documents (with `since`) and the documents a multiple DELETE removes. It can
be rebuilt from the events: each row is what the document's last event says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kernel.sql import Dialect

DOCUMENTS_TABLE = "slrs_documents"

UPSERT = (
    f"INSERT INTO {DOCUMENTS_TABLE} (aggregate_id, kind, activity_id, person, registration, document_id, "
    "updated, deleted) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (aggregate_id) DO UPDATE SET "
    "updated = excluded.updated, deleted = excluded.deleted"
)


def create_document_tables(d: Dialect) -> list[str]:
    """DDL of the document index, safe to run again."""
    return [
        f"""CREATE TABLE IF NOT EXISTS {DOCUMENTS_TABLE} (
            aggregate_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            activity_id TEXT,
            person TEXT,
            registration TEXT,
            document_id TEXT NOT NULL,
            updated TEXT NOT NULL,
            deleted SMALLINT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {DOCUMENTS_TABLE}_context ON {DOCUMENTS_TABLE} "
        "(kind, activity_id, person, updated)",
    ]


@dataclass(frozen=True)
class DocumentRow:
    """A document's index row as its newest event leaves it."""

    aggregate_id: str
    kind: str
    activity_id: str | None
    person: str | None
    registration: str | None
    document_id: str
    updated: str
    deleted: bool


def write_document_rows(cursor: Any, dialect: Dialect, rows: Sequence[DocumentRow]) -> None:
    """Insert or bring up to date the rows of documents whose events this cursor's transaction inserts."""
    cursor.executemany(dialect.sql(UPSERT), [
        (r.aggregate_id, r.kind, r.activity_id, r.person, r.registration, r.document_id, r.updated, int(r.deleted))
        for r in rows
    ])


@dataclass(frozen=True)
class ListedDocument:
    """A live document of a context: its aggregate id, its id (stateId or profileId) and when it was updated."""

    aggregate_id: str
    document_id: str
    updated: str


class DocumentIndexReader:
    """Queries of the document index of one datastore."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect

    def list_documents(self, kind: str, activity_id: str | None, person: str | None,
                       registration: str | None = None, since: str | None = None) -> list[ListedDocument]:
        """The live documents of a context, oldest update first.

        `registration` None means any registration (Communication 2.3: the
        registration narrows the context only when given); `since` (index form)
        keeps those updated after it, exclusive.
        """
        sql = (f"SELECT aggregate_id, document_id, updated FROM {DOCUMENTS_TABLE} WHERE kind = ? AND deleted = 0 "
               f"AND {self._equal('activity_id', activity_id)} AND {self._equal('person', person)}")
        params: list[Any] = [kind, *(v for v in (activity_id, person) if v is not None)]
        if registration is not None:
            sql += " AND registration = ?"
            params.append(registration)
        if since is not None:
            sql += " AND updated > ?"
            params.append(since)
        rows = self.dialect.fetch(self.datastore, sql + " ORDER BY updated, document_id", params)
        return [ListedDocument(r["aggregate_id"], r["document_id"], r["updated"]) for r in rows]

    @staticmethod
    def _equal(column: str, value: str | None) -> str:
        return f"{column} IS NULL" if value is None else f"{column} = ?"
