"""The base of every training-record aggregate: each event says who did it, when it was recorded and took effect.

An event's `timestamp` is the instant it was recorded (from the application's
injected clock); `effective` is when it took effect in the world, an English
date (`YYYY-MM-DD`) or an instant (ISO 8601 with offset); `by` is the actor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate

from domain.actor import Actor

R = TypeVar("R", bound="Record")


class Record(Aggregate):
    """An aggregate of the training records."""

    class Event(Aggregate.Event):
        """Every event of the training records."""

        by: dict[str, Any]
        effective: str

    class Created(Event, Aggregate.Created):
        """The first event of a record."""

    @classmethod
    def _begin(cls: type[R], event_class: type[Record.Created], aggregate_id: Any, actor: Actor,
               at: datetime, effective: str, **fields: Any) -> R:
        return cls._create(event_class, id=aggregate_id, timestamp=at, by=actor.as_event_field(),
                           effective=effective, **fields)

    def _record(self, event_class: type[Record.Event], actor: Actor, at: datetime, effective: str,
                **fields: Any) -> None:
        self.trigger_event(event_class, timestamp=at, by=actor.as_event_field(), effective=effective, **fields)
