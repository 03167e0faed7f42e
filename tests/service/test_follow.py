"""kernel.follow over a log of any owner: its decoder, its topics, the processor's own tables."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from kernel.follow import Follower, Log
from kernel.persistence import Storage
from kernel.tracking import TrackingStore


class Note(Aggregate):
    """A note written once and then crossed out."""

    @event("Written")
    def __init__(self, text: str) -> None:
        self.text = text

    @event("CrossedOut")
    def cross_out(self) -> None:
        self.crossed = True


WRITTEN = get_topic(Note.Written)  # type: ignore[attr-defined]


class Notes(Application[UUID]):
    """The owner of the log "notes", and of its decoder."""

    def write(self, *texts: str) -> list[Note]:
        notes = [Note(text) for text in texts]
        self.save(*notes)
        return notes

    def decode(self, notification: Notification) -> str:
        return str(json.loads(notification.state)["text"])


class LengthsProjection:
    """Sums the lengths of the notes written."""

    log = "notes"
    tables: tuple[str, ...] = ("CREATE TABLE IF NOT EXISTS lengths (total BIGINT NOT NULL)",)

    def reset(self, cursor: Any) -> None:
        cursor.execute("DELETE FROM lengths")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[str]) -> None:
        cursor.execute("DELETE FROM lengths")
        cursor.execute(store.dialect.sql("INSERT INTO lengths (total) VALUES (?)"), [total(store) + sum(map(len, values))])


def total(store: TrackingStore) -> int:
    rows = store.fetch("SELECT total FROM lengths")
    return int(rows[0]["total"]) if rows else 0


@pytest.fixture
def notes() -> Iterator[Notes]:
    app = Notes({"PERSISTENCE_MODULE": "eventsourcing.popo"})
    yield app
    app.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[TrackingStore]:
    store = TrackingStore("projection_lengths", Storage.from_env({"SLRS_DATA_DIR": str(tmp_path)}).app_env("lengths"))
    store.create_tables(LengthsProjection.tables)
    yield store
    store.close()


def test_a_follower_applies_its_owners_decoding_and_passes_over_other_topics(notes: Notes, store: TrackingStore) -> None:
    log = Log("notes", notes.recorder, notes.decode, frozenset({WRITTEN}))
    [first, _] = notes.write("abc", "de")
    first.cross_out()
    notes.save(first)  # a CrossedOut notification, which the decoder does not read
    follower = Follower(LengthsProjection(), store, log)
    assert follower.catch_up() == 3
    assert total(store) == 5 and store.position() == 3 and follower.lag() == 0
    notes.write("fghi")
    assert Follower(LengthsProjection(), store, log).catch_up() == 1  # a restart resumes from the position
    assert total(store) == 9


def test_a_follower_refuses_a_log_other_than_the_one_its_processor_names(notes: Notes, store: TrackingStore) -> None:
    with pytest.raises(ValueError, match="follows the log 'notes', not 'lrs'"):
        Follower(LengthsProjection(), store, Log("lrs", notes.recorder, notes.decode))
