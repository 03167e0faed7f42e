"""What every follower of the training records' log shares: instants as numbers, record codes, idempotent writes.

The projections of the records keep *facts*: one row per event, with the
instant it was recorded (`recorded`, microseconds since 1970 UTC) and the
date or instant it took effect, never "current state" alone, so a report can
be computed as known at any instant (projections/timepoint.py).

A page may be applied twice (a report request catching a follower up while a
`slrs follow` process does the same, on SQLite): every row is keyed by its
event (record code and version) and written with ON CONFLICT DO NOTHING, and
every update sets what the event says, so a second application changes nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import orjson

from domain.account import BookingAccount
from domain.agency import Agency
from domain.course import Course
from domain.invoice import Invoice
from domain.pathway import Pathway
from domain.ratecard import RateCards
from domain.record import Record
from domain.session import CourseSession
from domain.worker import Worker
from kernel.clock import london_date
from kernel.tracking import InTransaction, TrackingStore

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
CHUNK = 500  # ids per IN (...) list: well below either engine's limit on parameters

# The kind of record each aggregate is, as the audit trail and the reports name it.
KINDS: dict[type[Record], str] = {
    Agency: "agency", Worker: "worker", Course: "course", CourseSession: "session", Pathway: "pathway",
    RateCards: "rate-cards", BookingAccount: "account", Invoice: "invoice",
}


def micros(instant: datetime) -> int:
    """An aware instant as whole microseconds since 1970-01-01 UTC (exact, unlike `timestamp()`)."""
    return (instant - EPOCH) // MICROSECOND


def instant(us: int) -> datetime:
    """Microseconds since 1970 UTC back as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=us)


def effective_day(effective: str) -> str:
    """The English date (YYYY-MM-DD) of an event's `effective`: a date as it is, an instant in Europe/London."""
    if len(effective) == 10:
        return effective
    return london_date(datetime.fromisoformat(effective)).isoformat()


def event_name(event: Record.Event) -> str:
    """An event's name as the audit trail shows it: `Worker.MovedAgency`."""
    return type(event).__qualname__


_KIND_BY_NAME = {cls.__name__: kind for cls, kind in KINDS.items()}


def kind_of(event: Record.Event) -> str:
    """The kind of record an event belongs to (`worker`, `session`, ...), from the class it is nested in."""
    return _KIND_BY_NAME[type(event).__qualname__.split(".")[0]]


def created_code(event: Record.Created) -> str:
    """The code of the record a creation event starts, as the partnership knows it."""
    if isinstance(event, Pathway.Published):
        return str(event.target_group)
    if isinstance(event, RateCards.Opened):
        return "partnership"
    if isinstance(event, BookingAccount.Opened):
        return str(event.booking)
    if isinstance(event, Invoice.Issued):
        return f"{event.agency}:{event.month}"
    return str(getattr(event, "code"))


def dumps(value: Any) -> str:
    """JSON text of a fact's structured field (requirements, ratings, an event's data), keys sorted.

    Dates and instants are written ISO 8601, ids as strings, sets as sorted lists.
    """
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=_plain).decode()


def _plain(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """`values` in slices of at most `size`, for IN lists."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def marks(count: int) -> str:
    """`?, ?, ?` for an IN list of `count` values."""
    return ", ".join("?" * count)


class Codes:
    """Each record's code by its aggregate id, learned from creation events and kept in the follower's own table.

    `kinds` are the kinds of record (`worker`, `session`, ...) whose codes the
    follower needs. An aggregate id never changes its code, so what is learned
    is kept in memory too, even from a page that is later rolled back.
    """

    def __init__(self, table: str, kinds: Iterable[str]) -> None:
        self.table = table
        self.kinds = frozenset(kinds)
        self.known: dict[UUID, str] = {}

    @staticmethod
    def ddl(table: str) -> str:
        """The table of codes by aggregate id."""
        return f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, code TEXT NOT NULL)"

    def resolve(self, store: TrackingStore, cursor: Any, page: Sequence[Record.Event],
                needed: Sequence[Record.Event]) -> dict[UUID, str]:
        """Learn the codes created in `page`; the codes of the records of `needed` are then in the answer."""
        created = [(e.originator_id, created_code(e)) for e in page
                   if isinstance(e, Record.Created) and kind_of(e) in self.kinds]
        self.known.update(created)
        insert(store, cursor, self.table, ("id", "code"), [(str(i), code) for i, code in created])
        missing = sorted({str(e.originator_id) for e in needed if e.originator_id not in self.known})
        for part in chunks(missing):
            cursor.execute(store.dialect.sql(f"SELECT id, code FROM {self.table} WHERE id IN ({marks(len(part))})"),
                           list(part))
            self.known.update((UUID(str(row[0] if not isinstance(row, dict) else row["id"])),
                               str(row[1] if not isinstance(row, dict) else row["code"]))
                              for row in cursor.fetchall())
        return self.known


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a report or a page builds many objects, then on again.

    Reading 100,000 workers' facts makes millions of small objects that live
    to the end of the report; each collection would walk them all again.
    Nothing here makes reference cycles, so nothing waits to be collected.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def tuples(store: TrackingStore, sql: str, params: Sequence[Any] = ()) -> list[Sequence[Any]]:
    """All rows of one query as sequences by column position (SQLite's rows as they are, PostgreSQL's dicts as tuples).

    For the reads of many rows, where looking each value up by name costs more than the query.
    """
    rows: list[Sequence[Any]] = store.fetch(sql, params)
    if rows and isinstance(rows[0], dict):
        return [tuple(row.values()) for row in rows]  # type: ignore[attr-defined]
    return rows


def insert(store: TrackingStore, cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows`, passing over any whose key is there already (a page applied again changes nothing)."""
    if rows:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(len(columns))}) ON CONFLICT DO NOTHING"
        cursor.executemany(store.dialect.sql(sql), list(rows))


def by_fields(event: Record.Event) -> tuple[str, str | None, str | None]:
    """Who recorded an event: (credential, agency or None for the partnership, person or None)."""
    by = event.by or {}
    return str(by.get("credential", "")), by.get("agency"), by.get("person")


def stale_ddl(prefix: str, key: str) -> tuple[str, ...]:
    """The tables of derived rows waiting to be remade: `{prefix}stale` (its `key`s, each with its mark) and the
    one-row `{prefix}settling` that serialises settling."""
    return (f"CREATE TABLE IF NOT EXISTS {prefix}stale ({key} TEXT PRIMARY KEY, marked TEXT NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {prefix}settling (id INTEGER PRIMARY KEY, turns BIGINT NOT NULL)",
            f"INSERT INTO {prefix}settling (id, turns) VALUES (1, 0) ON CONFLICT DO NOTHING")


def mark_stale(store: TrackingStore, cursor: Any, prefix: str, key: str, codes: Iterable[str]) -> None:
    """Mark `codes` as having new facts, in the transaction that writes them; a new mark replaces an old one."""
    token = uuid4().hex
    rows = [(code, token) for code in sorted(set(codes))]
    if rows:
        cursor.executemany(store.dialect.sql(
            f"INSERT INTO {prefix}stale ({key}, marked) VALUES (?, ?) "
            f"ON CONFLICT ({key}) DO UPDATE SET marked = excluded.marked"), rows)


Remake = Callable[[InTransaction, Any, list[str]], None]


def settle_stale(store: TrackingStore, prefix: str, key: str, remake: Remake, chunk: int = 2000) -> int:
    """Remake the derived rows of every stale code, `chunk` a transaction; the number of codes settled.

    `remake(reader, cursor, codes)` replaces the rows of `codes` from the facts
    `reader` sees. Each transaction first takes the settling row, so two
    processes settle one after the other; a code marked again meanwhile stays
    stale (its mark changed), and is remade by the next settling.
    """
    if not store.fetch(f"SELECT {key} FROM {prefix}stale LIMIT 1"):
        return 0
    total = 0
    while True:
        with store.transaction() as cursor:
            cursor.execute(store.dialect.sql(f"UPDATE {prefix}settling SET turns = turns + 1 WHERE id = 1"))
            reader = InTransaction(cursor, store.dialect)
            stale = [(str(r[0]), str(r[1])) if not isinstance(r, dict) else (str(r[key]), str(r["marked"]))
                     for r in reader.fetch(f"SELECT {key}, marked FROM {prefix}stale ORDER BY {key} LIMIT {chunk}")]
            if not stale:
                return total
            remake(reader, cursor, [code for code, _ in stale])
            cursor.executemany(store.dialect.sql(f"DELETE FROM {prefix}stale WHERE {key} = ? AND marked = ?"), stale)
        total += len(stale)


def delete_rows(store: TrackingStore, cursor: Any, table: str, key: str, codes: Sequence[str]) -> None:
    """Delete the rows of `table` whose `key` is one of `codes`."""
    for part in chunks(codes):
        cursor.execute(store.dialect.sql(f"DELETE FROM {table} WHERE {key} IN ({marks(len(part))})"), list(part))
