"""Followers: run a projection over the statement log in a process of its own.

A follower talks to the web processes only through the database: it reads
the log a page at a time, applies the page and moves its tracking position
in one transaction, then waits to be woken (LISTEN/NOTIFY on PostgreSQL) or
polls (SQLite). `supervise` restarts it after any failure; it resumes from
its tracking position.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import psycopg
from eventsourcing.persistence import Notification

from projections.store import ProjectionStore

log = logging.getLogger("slrs.follow")


class Projection(Protocol):
    name: str
    topics: tuple[str, ...]
    tables: tuple[str, ...]

    def reset(self, cursor: Any) -> None: ...

    def apply(self, store: ProjectionStore, cursor: Any, page: list[Notification],
              decode: Callable[[Notification], Any]) -> None: ...


class Follower:
    """One projection, its store, and the application whose log it follows."""

    def __init__(self, projection: Projection, store: ProjectionStore, upstream: Any, page_size: int = 1000) -> None:
        self.projection = projection
        self.store = store
        self.upstream = upstream
        self.page_size = page_size

    def process_page(self) -> int:
        """Apply the next page of the log; the number of notifications read (0 when caught up)."""
        start = self.store.position() + 1
        page = self.upstream.recorder.select_notifications(start, self.page_size)
        if not page:
            return 0
        wanted = [n for n in page if n.topic in self.projection.topics]
        with self.store.transaction() as cursor:
            if wanted:
                self.projection.apply(self.store, cursor, wanted, self.upstream.mapper.to_domain_event)
            self.store.set_position(cursor, page[-1].id)
        return len(page)

    def catch_up(self) -> int:
        total = 0
        while read := self.process_page():
            total += read
        return total

    def rebuild(self) -> int:
        """Forget everything and apply the whole log again."""
        with self.store.transaction() as cursor:
            self.projection.reset(cursor)
            self.store.set_position(cursor, 0)
        return self.catch_up()

    def lag(self) -> int:
        return (self.upstream.recorder.max_notification_id() or 0) - self.store.position()

    def run(self, stop: threading.Event, wait: Callable[[float], None], interval: float) -> None:
        while not stop.is_set():
            if self.catch_up() == 0:
                wait(interval)


def sleeper(stop: threading.Event) -> Callable[[float], None]:
    """SQLite has no notifications: poll."""
    return lambda seconds: stop.wait(seconds)


def listener(connect: dict[str, Any], channel: str) -> Callable[[float], None]:
    """PostgreSQL: wake on the NOTIFY that every insert of events sends, or after `seconds`."""
    conn = psycopg.connect(autocommit=True, **connect)
    conn.execute(f'LISTEN "{channel}"')

    def wait(seconds: float) -> None:
        for _ in conn.notifies(timeout=seconds, stop_after=1):
            pass

    return wait


def supervise(start: Callable[[threading.Event], None], stop: threading.Event, *, max_backoff: float = 30.0) -> None:
    """Run `start` until `stop`; after a failure log it, wait (doubling, capped) and start again."""
    backoff = 0.5
    while not stop.is_set():
        began = time.monotonic()
        try:
            start(stop)
        except Exception:  # noqa: BLE001  (a follower must outlive a lost connection)
            log.exception("follower failed; restarting in %.1f s", backoff)
            stop.wait(backoff)
            backoff = 0.5 if time.monotonic() - began > 60 else min(backoff * 2, max_backoff)
