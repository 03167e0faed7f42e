"""The `Statement` aggregate: one immutable xAPI statement, stored once, never changed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event


class Statement(Aggregate):
    """An xAPI statement as the LRS stored it, personal identifiers sealed.

    The aggregate id is the statement id, so the event store's uniqueness of
    aggregate ids is the uniqueness of statement ids (xAPI 1.0.3 Data 2.4.1).
    Voiding does not change a statement: it is another statement (Data 2.3.2).
    """

    @event("Stored")
    def __init__(self, id: UUID, document: dict[str, Any]) -> None:  # noqa: A002
        self.document = document
