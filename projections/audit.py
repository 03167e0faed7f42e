"""The audit trail: every event of the training records and every stored statement, with who, when and what.

Two followers, one per log. `AuditProjection` (the records' log) keeps
`slrs_audit_events` (each event: recorded instant, effective date or instant,
who, and its fields without sealed personal data; in the order of the trail)
and `slrs_audit_links` (the workers, agencies and sessions it concerns, so it
can be found by any of them and an agency sees only what concerns it; drawn by
projections/audit_links.py, with the tables that needs).
`StatementAuditProjection` (the statement log) keeps `slrs_audit_statements`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from domain.application import HIDDEN
from domain.record import Record
from kernel.sql import SQLITE, Dialect
from kernel.tracking import TrackingStore
from projections.audit_links import STATE_TABLES, Links
from projections.audit_links import TABLES as LINK_TABLES
from projections.facts import KINDS, Codes, by_fields, dumps, effective_day, event_name, insert, kind_of, micros

A = "slrs_audit_"
EVENT_COLUMNS = ("recorded", "kind", "code", "version", "event", "effective", "effective_day", "by_credential",
                 "by_agency", "by_person", "data")
LINK_COLUMNS = ("link_kind", "link_code", "recorded", "kind", "code", "version", "part")


class AuditProjection:
    """Every event of the training records, and what each concerns.

    Both tables are kept in the trail's order (`recorded`, then the event), the
    links under each worker, agency and session, so a page of one worker's or
    one agency's events is a range of one index. `clustered` is the dialect's
    way to keep a table in its key's order (kernel/sql.py: SQLite's WITHOUT ROWID).
    """

    log = "records"

    def __init__(self, dialect: Dialect = SQLITE) -> None:
        self.codes = Codes(A + "ids", KINDS.values())
        self.tables: tuple[str, ...] = (
            Codes.ddl(A + "ids"),
            f"""CREATE TABLE IF NOT EXISTS {A}events (recorded BIGINT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL,
                version INTEGER NOT NULL, event TEXT NOT NULL, effective TEXT NOT NULL, effective_day TEXT NOT NULL,
                by_credential TEXT NOT NULL, by_agency TEXT, by_person TEXT, data TEXT NOT NULL,
                PRIMARY KEY (recorded, kind, code, version)){dialect.clustered}""",
            f"""CREATE TABLE IF NOT EXISTS {A}links (link_kind TEXT NOT NULL, link_code TEXT NOT NULL,
                recorded BIGINT NOT NULL, kind TEXT NOT NULL, code TEXT NOT NULL, version INTEGER NOT NULL,
                part INTEGER NOT NULL, PRIMARY KEY (link_kind, link_code, recorded, kind, code, version, part))"""
            f"{dialect.clustered}",
            *LINK_TABLES,
        )

    def reset(self, cursor: Any) -> None:
        """Forget every event (before a rebuild)."""
        for table in ("events", "links", *STATE_TABLES):
            cursor.execute(f"DELETE FROM {A}{table}")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Record.Event]) -> None:
        """Write a page of events, and the links of each, in log order."""
        codes = self.codes.resolve(store, cursor, values, values)
        state = Links.load(store, cursor, values, codes)
        events: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        for event in values:
            kind, code, recorded = kind_of(event), codes[event.originator_id], micros(event.timestamp)
            credential, agency, person = by_fields(event)
            data = {k: v for k, v in event.__dict__.items() if k not in HIDDEN}
            events.append((recorded, kind, code, event.originator_version, event_name(event), event.effective,
                           effective_day(event.effective), credential, agency, person, dumps(data)))
            links.extend((link_kind, link_code, recorded, kind, code, event.originator_version, part)
                         for link_kind, link_code, part in state.links(event, kind, code))
        insert(store, cursor, A + "events", EVENT_COLUMNS, sorted(events))
        insert(store, cursor, A + "links", LINK_COLUMNS, sorted(links))  # in key order: neighbours share pages
        state.save(store, cursor)


class StatementAuditProjection:
    """Every stored statement: when stored, its timestamp, the credential that sent it, its verb and object.

    Follows the statement log (statements as plain dicts, personal values sealed);
    the actor is not kept here: it reaches a worker only through the bridge's aliases.
    """

    log = "lrs"
    tables: tuple[str, ...] = (
        f"""CREATE TABLE IF NOT EXISTS {A}statements (id TEXT PRIMARY KEY, recorded BIGINT NOT NULL,
            effective TEXT NOT NULL, effective_day TEXT NOT NULL, by_credential TEXT NOT NULL, verb TEXT NOT NULL,
            object TEXT NOT NULL, data TEXT NOT NULL)""",
        f"CREATE INDEX IF NOT EXISTS {A}statements_by_time ON {A}statements (recorded, id)",
    )

    def reset(self, cursor: Any) -> None:
        """Forget every statement (before a rebuild)."""
        cursor.execute(f"DELETE FROM {A}statements")

    def apply(self, store: TrackingStore, cursor: Any, values: Sequence[Mapping[str, Any]]) -> None:
        """Write a page of statements."""
        rows = []
        for s in values:
            stored = datetime.fromisoformat(s["stored"])
            timestamp = s.get("timestamp") or s["stored"]
            authority = s.get("authority", {})
            who = (authority.get("account") or {}).get("name") or authority.get("name") or ""
            target = s["object"].get("id", s["object"].get("objectType", ""))
            data = {"verb": s["verb"]["id"], "object": target, "registration": s.get("context", {}).get("registration")}
            rows.append((s["id"], micros(stored), timestamp, effective_day(timestamp), str(who), s["verb"]["id"],
                         str(target), dumps(data)))
        insert(store, cursor, A + "statements", ("id", "recorded", "effective", "effective_day", "by_credential",
                                                 "verb", "object", "data"), rows)
