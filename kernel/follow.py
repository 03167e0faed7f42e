"""Followers: apply a log, a page per transaction, to a projection's rows or a plugin's commands.

A follower talks to the web processes only through the database. It reads the
log it follows a page at a time, decodes each notification with the decoder
the log's owner provides (never the library's mapper: a log's owner knows its
payloads), applies the page and moves its tracking position in one
transaction, then waits to be woken (LISTEN/NOTIFY on PostgreSQL) or polls
(SQLite). `supervise` restarts it after any failure; it resumes from its position.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import psycopg
from eventsourcing.persistence import ApplicationRecorder, Notification

from kernel.persistence import Storage
from kernel.tracking import TrackingStore

logger = logging.getLogger("slrs.follow")

T = TypeVar("T")
T_contra = TypeVar("T_contra", contravariant=True)
Wait = Callable[[float], None]


@dataclass(frozen=True)
class Log(Generic[T]):
    """A log a follower can follow: its name, the recorder that holds it, and its owner's decoder.

    `decode` turns one notification into the value its owner publishes (for
    "lrs", a statement as a plain dict); `topics` are the notifications it
    decodes, None for every one. Others are passed over, but a follower's
    position still moves past them.
    """

    name: str
    recorder: ApplicationRecorder
    decode: Callable[[Notification], T]
    topics: frozenset[str] | None = None

    def reads(self, notification: Notification) -> bool:
        """Whether `decode` reads this notification."""
        return self.topics is None or notification.topic in self.topics

    def position(self) -> int:
        """The id of the newest notification in the log, 0 if it is empty."""
        return self.recorder.max_notification_id() or 0


class Processor(Protocol[T_contra]):
    """What a follower runs over the values of its log: a projection's rows, or a plugin's commands.

    `log` names the log it follows; `tables` is DDL safe to run again. `apply`
    writes with `cursor` (the transaction that also moves the position); a
    processor that acts elsewhere (a plugin calling a service) must issue only
    commands that are safe to repeat, since a failed page is applied again.
    A processor may also have `settle(store) -> int`, run after catching up, for
    work a page leaves to be done once for many (see `settle`).
    """

    log: str
    tables: tuple[str, ...]

    def reset(self, cursor: Any) -> None:
        """Forget everything applied so far (before a rebuild)."""
        ...

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[T_contra]) -> None:
        """Apply one page of decoded values, in log order."""
        ...


class Follower(Generic[T]):
    """One processor, its tracking store, and the log it follows.

    Raises ValueError if the processor names another log than the one given.
    """

    def __init__(self, processor: Processor[T], store: TrackingStore, log: Log[T], page_size: int = 1000) -> None:
        if processor.log != log.name:
            raise ValueError(f"{type(processor).__name__} follows the log {processor.log!r}, not {log.name!r}")
        self.processor = processor
        self.store = store
        self.log = log
        self.page_size = page_size

    def process_page(self) -> int:
        """Apply the next page of the log; the number of notifications read (0 when caught up)."""
        start = self.store.position() + 1
        page = self.log.recorder.select_notifications(start, self.page_size)
        if not page:
            return 0
        values = [self.log.decode(n) for n in page if self.log.reads(n)]
        with self.store.transaction() as cursor:
            if values:
                self.processor.apply(self.store, cursor, values)
            self.store.set_position(cursor, page[-1].id)
        return len(page)

    def catch_up(self) -> int:
        """Apply pages until none is left, then settle; the number of notifications read."""
        total = 0
        while read := self.process_page():
            total += read
        settle(self.processor, self.store)
        return total

    def rebuild(self) -> int:
        """Forget everything and apply the whole log again; the number of notifications read."""
        with self.store.transaction() as cursor:
            self.processor.reset(cursor)
            self.store.set_position(cursor, 0)
        return self.catch_up()

    def lag(self) -> int:
        """Notifications in the log not yet applied."""
        return self.log.position() - self.store.position()

    def run(self, stop: threading.Event, wait: Wait, interval: float) -> None:
        """Catch up, then wait at most `interval` seconds for more, until `stop` is set."""
        while not stop.is_set():
            if self.catch_up() == 0:
                wait(interval)


def settle(processor: Processor[Any], store: TrackingStore) -> int:
    """Run the processor's `settle(store)` if it has one (work deferred from its pages); what it reports, else 0."""
    settling = getattr(processor, "settle", None)
    return int(settling(store)) if settling is not None else 0


def sleeper(stop: threading.Event) -> Wait:
    """SQLite has no notifications: poll, waking early when `stop` is set."""

    def wait(seconds: float) -> None:
        stop.wait(seconds)

    return wait


def listener(connect: dict[str, Any], channel: str) -> Wait:
    """PostgreSQL: wake on the NOTIFY that every insert of events sends, or after `seconds`.

    `connect` is psycopg's connection arguments; raises psycopg.OperationalError
    if the server cannot be reached.
    """
    conn = psycopg.connect(autocommit=True, **connect)
    conn.execute(f'LISTEN "{channel}"')

    def wait(seconds: float) -> None:
        for _ in conn.notifies(timeout=seconds, stop_after=1):
            pass

    return wait


def waiter(storage: Storage, followed: Log[Any], stop: threading.Event) -> Wait:
    """How a follower of `followed` waits for more: LISTEN on PostgreSQL, polling elsewhere."""
    if storage.engine == "postgres":
        return listener(storage.postgres_connect(), str(getattr(followed.recorder, "channel_name")))
    return sleeper(stop)


def supervise(start: Callable[[threading.Event], None], stop: threading.Event, *, max_backoff: float = 30.0) -> None:
    """Run `start` until `stop`; after a failure log it, wait (doubling, capped) and start again."""
    backoff = 0.5
    while not stop.is_set():
        began = time.monotonic()
        try:
            start(stop)
        except Exception:  # noqa: BLE001  (a follower must outlive a lost connection)
            logger.exception("follower failed; restarting in %.1f s", backoff)
            stop.wait(backoff)
            backoff = 0.5 if time.monotonic() - began > 60 else min(backoff * 2, max_backoff)
