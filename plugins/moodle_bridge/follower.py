"""`MoodleBridgeProcessor`, the follower of the statement log that gives Moodle's statements to the training records.

Outcomes are written in the transaction that moves the follower's position;
the records' commands commit in their own store, so a crash between the two
gives the page again, and every command finds its effect already there
(plugins/moodle_bridge/execute.py). Links are made by clerks in other
processes: `MoodleBridgeFollower` looks at them before each page, and when
they changed (or a voiding unblocked a statement) tries the pending ones
again, oldest first, before anything newer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.application import TrainingRecords
from kernel.follow import Follower
from kernel.sql import Dialect
from kernel.tracking import TrackingStore
from lrs.service import LearningRecordStore
from plugins.moodle_bridge.bridge import Bridge
from plugins.moodle_bridge.execute import Executor
from plugins.moodle_bridge.links import LinkSet, count_links, read_links
from plugins.moodle_bridge.tables import Rows, tables


class MoodleBridgeProcessor:
    """Follows the statement log ("lrs"): statements from Moodle become `TrainingRecords` commands.

    Values are statements as `LearningRecordStore.decode_statement` gives them
    (personal values sealed); the bridge unseals each page once to find the
    worker behind each actor.
    """

    log = "lrs"

    def __init__(self, records: TrainingRecords, lrs: LearningRecordStore, dialect: Dialect) -> None:
        self.records, self.lrs, self.dialect = records, lrs, dialect
        self.tables = tables(dialect)
        self.links: LinkSet | None = None
        self.unblocked = True  # a new process tries its pending statements once

    def follower(self, store: TrackingStore, log: Any, page_size: int = 1000) -> MoodleBridgeFollower:
        """The follower that runs this processor (it retries pending statements when links change)."""
        return MoodleBridgeFollower(self, store, log, page_size)

    def reset(self, cursor: Any) -> None:
        """Forget every outcome (a rebuild gives the whole log again; its commands find their effects there)."""
        Rows(self.dialect, cursor).reset()
        self.unblocked = True

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Mapping[str, Any]]) -> None:
        """Take one page of statements in log order, after the pending ones if the links changed."""
        bridge = self._bridge(store, cursor)
        for sealed, statement in zip(values, self.lrs.unseal_statements(values), strict=True):
            bridge.take(sealed, statement)
        self.unblocked = self.unblocked or bridge.unblocked

    def retry_pending(self, store: TrackingStore) -> int:
        """If links changed (or a voiding unblocked one), try the pending statements again; how many resolved."""
        if self.links is not None and not self.unblocked and count_links(store.fetch) == self.links.size:
            return 0
        with store.transaction() as cursor:
            bridge = self._bridge(store, cursor, retry=False)
            self.unblocked = False
            return bridge.retry_pending()

    def _bridge(self, store: TrackingStore, cursor: Any, retry: bool = True) -> Bridge:
        rows = Rows(store.dialect, cursor)

        def fetch(sql: str, params: Sequence[Any]) -> list[Any]:
            cursor.execute(store.dialect.sql(sql), list(params))
            return list(cursor.fetchall())

        fresh = self.links is None or count_links(fetch) != self.links.size
        if fresh:
            self.links = read_links(fetch)
        assert self.links is not None
        bridge = Bridge(rows, self.links, Executor(self.records, rows), self.lrs.unseal_statements)
        if retry and (fresh or self.unblocked):
            self.unblocked = False
            bridge.retry_pending()
        return bridge


class MoodleBridgeFollower(Follower[Mapping[str, Any]]):
    """A follower of the statement log that first tries pending statements again when the links changed."""

    processor: MoodleBridgeProcessor

    def process_page(self) -> int:
        """Pending statements resolved by new links, plus the next page of the log: how many were taken."""
        return self.processor.retry_pending(self.store) + super().process_page()
