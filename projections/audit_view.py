"""The audit trail as known at an instant: both logs' events, filtered, oldest first, a page at a time.

Filters: a worker, an agency, a session (what the event concerns), an event
name (`Worker.MovedAgency`, or a record kind's prefix `Worker.`; stored
statements are `Statement.Stored`), a period of recording (English dates) and
`as_of` (events effective by then). An agency sees only the events of the
records' log that concern it, and of a register's close only its own bookings;
stored statements belong to no agency, so only the partnership sees them.
Pages are cut by a cursor, `after`, the position of the last event of the
previous page: events recorded since never shift a page already read.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from kernel.clock import london_date, london_midnight
from kernel.tracking import TrackingStore
from projections.audit import A
from projections.facts import instant, micros
from projections.timepoint import TimePoint

STATEMENT_EVENT = "Statement.Stored"
Key = tuple[int, str, str, str, int]  # (recorded, log, kind, code, version): the trail's order
RECORDS, STATEMENTS = "records", "lrs"


@dataclass(frozen=True)
class AuditEntry:
    """One event: its log, record, name, when recorded (UTC) and effective, who recorded it, and its fields."""

    log: str
    kind: str
    record: str
    version: int
    event: str
    recorded_at: str
    effective: str
    by_credential: str
    by_agency: str | None
    by_person: str | None
    late: bool
    data: dict[str, Any]


@dataclass(frozen=True)
class AuditFilter:
    """What to list: None means any. `first`/`last` bound the English dates the events were recorded on."""

    worker: str | None = None
    agency: str | None = None
    session: str | None = None
    event: str | None = None
    first: date | None = None
    last: date | None = None
    as_of: date | None = None


def audit_page(records: TrackingStore, statements: TrackingStore | None, tp: TimePoint, wanted: AuditFilter,
               viewer_agency: str | None, limit: int, after: str | None = None) -> tuple[list[AuditEntry], str | None]:
    """Up to `limit` events after the cursor `after`, and the cursor of the next page (None on the last).

    `viewer_agency` is the agency of the credential asking (None: the partnership).
    Raises ValueError for a cursor this function did not give.
    """
    cursor = _decode(after) if after else None
    agency = viewer_agency or wanted.agency
    found = _records(records, tp, wanted, agency, viewer_agency, limit + 1, cursor)
    if statements is not None and viewer_agency is None and _statements_wanted(wanted):
        found += _statements(statements, tp, wanted, limit + 1, cursor)
    found.sort(key=lambda keyed: keyed[0])
    page = found[:limit]
    return [entry for _, entry in page], (_encode(page[-1][0]) if len(found) > limit else None)


def _statements_wanted(wanted: AuditFilter) -> bool:
    return wanted.worker is None and wanted.agency is None and wanted.session is None and \
        wanted.event in (None, STATEMENT_EVENT, "Statement.")


def _period(tp: TimePoint, wanted: AuditFilter, table: str = "") -> tuple[str, list[Any]]:
    sql, params = f" AND {table}recorded <= ?", list[Any]([tp.known_us])
    if wanted.first is not None:
        sql += f" AND {table}recorded >= ?"
        params.append(micros(london_midnight(wanted.first)))
    if wanted.last is not None:
        sql += f" AND {table}recorded < ?"
        params.append(micros(london_midnight(wanted.last + timedelta(days=1))))
    if wanted.as_of is not None:
        sql += f" AND {table}effective_day <= ?"
        params.append(wanted.as_of.isoformat())
    return sql, params


def _after(cursor: Key | None, log: str, columns: str, table: str = "") -> tuple[str, list[Any]]:
    if cursor is None:
        return "", []
    recorded, cursor_log, kind, code, version = cursor
    if cursor_log < log:
        return f" AND {table}recorded >= ?", [recorded]
    if cursor_log > log:
        return f" AND {table}recorded > ?", [recorded]
    return (f" AND ({table}recorded > ? OR ({table}recorded = ? AND ({columns}) > (?, ?, ?)))",
            [recorded, recorded, kind, code, version])


def _records(store: TrackingStore, tp: TimePoint, wanted: AuditFilter, agency: str | None, viewer: str | None,
             limit: int, cursor: Key | None) -> list[tuple[Key, AuditEntry]]:
    links = [(k, c) for k, c in (("agency", agency), ("worker", wanted.worker), ("session", wanted.session))
             if c is not None]
    sql, params = _linked(links)
    if wanted.event is not None:
        sql += " AND e.event LIKE ?" if wanted.event.endswith(".") else " AND e.event = ?"
        params.append(wanted.event + "%" if wanted.event.endswith(".") else wanted.event)
    period, more = _period(tp, wanted, "e.")
    after, after_params = _after(cursor, RECORDS, "e.kind, e.code, e.version", "e.")
    rows = store.fetch(sql + period + after + " ORDER BY e.recorded, e.kind, e.code, e.version LIMIT ?",
                       [*params, *more, *after_params, limit])
    own = _own_bookings(store, viewer, rows)
    return [((r["recorded"], RECORDS, r["kind"], r["code"], int(r["version"])), _entry(r, own)) for r in rows]


def _linked(links: list[tuple[str, str]]) -> tuple[str, list[Any]]:
    """The events concerning every one of `links`: all in one part of the event, or in its part 0 (all of it).

    Read from the first link's index range; the others are looked up beside it.
    """
    if not links:
        return f"SELECT e.* FROM {A}events e WHERE 1 = 1", []
    sql = (f"SELECT DISTINCT e.* FROM {A}links l0 JOIN {A}events e ON {_of_event('l0')} "
           "WHERE l0.link_kind = ? AND l0.link_code = ?")
    params: list[Any] = list(links[0])
    part = "l0.part"
    for n, link in enumerate(links[1:], start=1):
        sql += (f" AND EXISTS (SELECT 1 FROM {A}links l{n} WHERE l{n}.link_kind = ? AND l{n}.link_code = ? "
                f"AND {_of_event(f'l{n}')} AND (l{n}.part = 0 OR {part} = 0 OR l{n}.part = {part})")
        params += list(link)
        part = f"(CASE WHEN {part} > l{n}.part THEN {part} ELSE l{n}.part END)"
    return sql + ")" * (len(links) - 1), params


def _of_event(alias: str) -> str:
    return (f"{alias}.recorded = e.recorded AND {alias}.kind = e.kind AND {alias}.code = e.code "
            f"AND {alias}.version = e.version")


def _own_bookings(store: TrackingStore, viewer: str | None, rows: list[Any]) -> set[str] | None:
    """The viewer agency's bookings among the registers closed in `rows` (None: the partnership sees all)."""
    if viewer is None or not any(r["event"] == "CourseSession.RegisterClosed" for r in rows):
        return None
    found = store.fetch(f"SELECT booking FROM {A}bookings WHERE agency = ?", [viewer])
    return {r["booking"] for r in found}


def _entry(row: Any, own: set[str] | None) -> AuditEntry:
    """An event of the records' log; `late` when it was recorded after the English day it took effect."""
    data = json.loads(row["data"])
    if own is not None and row["event"] == "CourseSession.RegisterClosed":
        data = {k: [b for b in v if b in own] if k in ("attended", "did_not_attend") else v for k, v in data.items()}
    recorded = instant(row["recorded"])
    late = row["effective_day"] < london_date(recorded).isoformat()
    return AuditEntry(RECORDS, row["kind"], row["code"], int(row["version"]), row["event"], recorded.isoformat(),
                      row["effective"], row["by_credential"], row["by_agency"], row["by_person"], late, data)


def _statements(store: TrackingStore, tp: TimePoint, wanted: AuditFilter, limit: int,
                cursor: Key | None) -> list[tuple[Key, AuditEntry]]:
    period, params = _period(tp, wanted)
    after, after_params = _after(cursor, STATEMENTS, "'statement', id, 1")
    rows = store.fetch(f"SELECT * FROM {A}statements WHERE 1 = 1{period}{after} ORDER BY recorded, id LIMIT ?",
                       [*params, *after_params, limit])
    return [((r["recorded"], STATEMENTS, "statement", r["id"], 1),
             AuditEntry(STATEMENTS, "statement", r["id"], 1, STATEMENT_EVENT, instant(r["recorded"]).isoformat(),
                        r["effective"], r["by_credential"], None, None, False, json.loads(r["data"]))) for r in rows]


def _encode(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def _decode(token: str) -> Key:
    try:
        recorded, log, kind, code, version = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return int(recorded), str(log), str(kind), str(code), int(version)
    except (ValueError, TypeError) as error:
        raise ValueError(f"after={token!r} is not a cursor this audit trail gave") from error


@dataclass(frozen=True)
class AuditTrailView:
    """A page of the audit trail as known at `known_at`; `next_after` is the cursor of the next page (None: last)."""

    known_at: datetime
    filter: AuditFilter
    entries: list[AuditEntry]
    next_after: str | None


def audit_trail(records: TrackingStore, statements: TrackingStore | None, tp: TimePoint, wanted: AuditFilter,
                viewer_agency: str | None, limit: int = 100, after: str | None = None) -> AuditTrailView:
    """The events `wanted` selects that `viewer_agency` may see (None: the partnership), oldest first.

    Raises ValueError for a cursor `after` this trail did not give.
    """
    entries, next_after = audit_page(records, statements, tp, wanted, viewer_agency, limit, after)
    return AuditTrailView(tp.known_at, wanted, entries, next_after)
