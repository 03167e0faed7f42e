"""Rebuilding the document index from the documents' events.

The index is derived: a document's row is what its `Created` event says of its
context and what its newest event says of its state. A rebuild reads every
document event, replaces the index in one transaction, then reads again what
arrived meanwhile (those writes wrote their own rows, which the replacement
may have removed) and writes their rows once more.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import get_topic

from kernel.sql import Dialect
from lrs.documents.index import DOCUMENTS_TABLE, DocumentRow, write_document_rows
from lrs.documents.model import Document
from lrs.personal import PERSON

CREATED: Any = Document.Created  # type: ignore[attr-defined]  # made by the event decorator
WRITTEN: Any = Document.Written  # type: ignore[attr-defined]
DELETED: Any = Document.Deleted  # type: ignore[attr-defined]
TOPICS = [get_topic(CREATED), get_topic(WRITTEN), get_topic(DELETED)]


class DocumentIndexRebuild:
    """The rebuild of one LRS's document index: its recorder, mapper, datastore and dialect."""

    def __init__(self, recorder: Any, mapper: Mapper[Any], datastore: Any, dialect: Dialect) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.datastore = datastore
        self.dialect = dialect

    def run(self, page_size: int = 5000) -> int:
        """Replace the index with what the events say; returns the number of documents indexed (live or deleted)."""
        rows: dict[str, DocumentRow] = {}
        last = self._read(1, page_size, rows)
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DELETE FROM {DOCUMENTS_TABLE}")
            write_document_rows(cursor, self.dialect, list(rows.values()))
        arrived: dict[str, DocumentRow] = {}
        self._read(last + 1, page_size, arrived, known=rows)
        if arrived:
            with self.datastore.transaction(commit=True) as cursor:
                write_document_rows(cursor, self.dialect, list(arrived.values()))
        return len(rows) + len(arrived.keys() - rows.keys())

    def _read(self, start: int, page_size: int, rows: dict[str, DocumentRow],
              known: dict[str, DocumentRow] | None = None) -> int:
        """Fold the document events from log position `start` into `rows`; the last position read."""
        last = start - 1
        for page in self._pages(start, page_size):
            for notification in page:
                self._fold(notification, rows, known or {})
            last = page[-1].id
        return last

    def _pages(self, start: int, page_size: int) -> Iterator[Sequence[Notification]]:
        while page := self.recorder.select_notifications(start, page_size, topics=TOPICS):
            yield page
            start = page[-1].id + 1

    def _fold(self, notification: Notification, rows: dict[str, DocumentRow], known: dict[str, DocumentRow]) -> None:
        event: Any = self.mapper.to_domain_event(notification)
        key = str(event.originator_id)
        if isinstance(event, CREATED):
            agent = event.agent or {}
            rows[key] = DocumentRow(key, event.kind, event.activity_id, agent.get(PERSON), event.registration,
                                    event.document_id, "", True)
            return
        row = rows.get(key) or known.get(key)
        if row is not None:
            rows[key] = DocumentRow(row.aggregate_id, row.kind, row.activity_id, row.person, row.registration,
                                    row.document_id, event.updated, isinstance(event, DELETED))
