"""Late corrections: events recorded after the end of a report's `as_of` day that changed what the day shows.

A back-dated event (a completion recorded late, a register corrected, a
cancellation received earlier than it was recorded, a validation or pathway
published with an earlier effective date) is found in the audit trail:
recorded after the end of the `as_of` day and by `known_at`, effective on or
before `as_of`. Each report then computes the rows such an event touches as
known at the end of that day and as known at `known_at`; the event is listed,
with who recorded it and why (its reason, where it gives one), only if a row
differs, and each difference is listed as a `Change`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from kernel.tracking import TrackingStore
from projections.audit import A
from projections.facts import instant, marks
from projections.timepoint import TimePoint

R = TypeVar("R")


@dataclass(frozen=True)
class Change:
    """One value of one row of the report (a worker's status, a session's attendance) before and after."""

    record: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class LateCorrection:
    """A back-dated event that changed the report: what, when recorded and effective, who, why, and the changes."""

    event: str
    kind: str
    record: str
    recorded_at: str
    effective: str
    by_credential: str
    by_agency: str | None
    reason: str | None
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class LateEvent:
    """An event of the audit trail recorded after the day it took effect."""

    event: str
    kind: str
    record: str
    version: int
    recorded: int
    effective: str
    by_credential: str
    by_agency: str | None
    data: dict[str, Any]

    def linked(self, kind: str) -> set[str]:
        """The record of `kind` whose progress or delivery this event changes: its own (a worker's, a session's)."""
        return {self.record} if kind == self.kind else set()

    def correction(self, changes: Iterable[Change]) -> LateCorrection:
        """This event as a late correction of the report, with the changes it made."""
        reason = self.data.get("reason")
        return LateCorrection(self.event, self.kind, self.record, instant(self.recorded).isoformat(), self.effective,
                              self.by_credential, self.by_agency, reason if isinstance(reason, str) else None,
                              tuple(changes))


def late_events(audit: TrackingStore, tp: TimePoint, names: Iterable[str],
                agency: str | None = None, unlinked: Iterable[str] = ()) -> list[LateEvent]:
    """Events named `names` recorded after the end of `tp.as_of` and by `tp.known_at`, effective by `tp.as_of`.

    With `agency`, only those that concern it, and those of the kinds `unlinked`
    (validations, pathways: they concern every agency). Empty when `known_at`
    is not later than the end of the day.
    """
    baseline = tp.as_known_then()
    wanted = sorted(names)
    if baseline is None or not wanted:
        return []
    sql = (f"SELECT * FROM {A}events e WHERE recorded > ? AND recorded <= ? AND effective_day <= ? "
           f"AND event IN ({marks(len(wanted))})")
    params: list[Any] = [baseline.known_us, tp.known_us, tp.day, *wanted]
    if agency is not None:
        kinds = sorted(unlinked)
        sql += (f" AND (EXISTS (SELECT 1 FROM {A}links l WHERE l.link_kind = 'agency' AND l.link_code = ? "
                "AND l.recorded = e.recorded AND l.kind = e.kind AND l.code = e.code AND l.version = e.version)"
                + (f" OR e.kind IN ({marks(len(kinds))})" if kinds else "") + ")")
        params += [agency, *kinds]
    rows = audit.fetch(sql + " ORDER BY recorded, kind, code, version", params)
    return [LateEvent(row["event"], row["kind"], row["code"], int(row["version"]), int(row["recorded"]),
                      row["effective"], row["by_credential"], row["by_agency"], json.loads(row["data"]))
            for row in rows]


def differences(record: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """Each value of a row's summary that differs; a row in only one of them is `in the report` False/True."""
    if before is None and after is None:
        return []
    if before is None or after is None:
        return [Change(record, "in the report", before is not None, after is not None)]
    return [Change(record, key, before.get(key), after.get(key)) for key in sorted({*before, *after})
            if before.get(key) != after.get(key)]


def attribute(events: list[LateEvent], affected: Callable[[LateEvent], set[str]],
              then: Mapping[str, R | None], now: Mapping[str, R | None],
              summary: Callable[[R], dict[str, Any]]) -> list[LateCorrection]:
    """Each event that changed a row it affects (`then`: as known at the end of the day, `now`: at `known_at`).

    Rows are compared by `summary`, the values of a row a reader of the report would notice.
    """
    def summarised(row: R | None) -> dict[str, Any] | None:
        return None if row is None else summary(row)

    found = []
    for event in events:
        changes = [c for record in sorted(affected(event))
                   for c in differences(record, summarised(then.get(record)), summarised(now.get(record)))]
        if changes:
            found.append(event.correction(changes))
    return found
