"""Each session's tally kept with all its facts replayed, so a report over a year of sessions reads rows.

The delivery follower marks the sessions a page touches as stale and, once
caught up, replays each (projections/delivery_view.py, as `CourseSession`
applies its events) and keeps its tally per agency, whether it was cancelled
or its register closed, and the last day any of its facts took effect.

A report as of a day, as known at an instant (`session_tallies` per session,
`agency_totals` summed per agency by the database), takes the kept tally of
every session whose facts all took effect by `as_of` and none was recorded
after `known_at` (`_holding`), and replays the others from the facts known then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kernel.tracking import InTransaction, TrackingStore
from projections.delivery import D, TALLY_FIELDS
from projections.delivery_view import DeliveryFacts, Tally
from projections.facts import chunks, delete_rows, insert, marks, settle_stale, tuples
from projections.timepoint import TimePoint

EVERYTHING = TimePoint(date.max, datetime.max.replace(tzinfo=UTC))  # every fact, whenever effective or recorded
SETTLED_COLUMNS = ("session", "last_effective", "cancelled", "closed")


@dataclass(frozen=True)
class SessionTally:
    """A session's places on the day: cancelled by the partnership or not, and the tally of each agency's bookings
    (None: bookings of no known agency)."""

    cancelled: bool
    by_agency: dict[str | None, Tally]

    def total(self) -> Tally:
        """Every booking's tally added up."""
        found = Tally()
        for tally in self.by_agency.values():
            found = found.plus(tally)
        return found


def settle(store: TrackingStore) -> int:
    """Replay every stale session and keep its tallies (projections/facts.py `settle_stale`); the sessions settled."""

    def remake(reader: InTransaction, cursor: Any, codes: list[str]) -> None:
        sessions = [row for part in chunks(codes) for row in reader.fetch(
            f"SELECT * FROM {D}sessions WHERE session IN ({marks(len(part))})", part)]
        replays = DeliveryFacts(reader, EVERYTHING).replays(sessions)  # type: ignore[arg-type]
        last = {str(r[0]): str(r[1]) for part in chunks(codes) for r in tuples(reader, (  # type: ignore[arg-type]
            f"SELECT session, MAX(effective_day) FROM {D}facts WHERE session IN ({marks(len(part))}) GROUP BY session"),
            part)}
        tallies, settled = [], []
        for code, replay in replays.items():
            settled.append((code, last.get(code, ""), int(replay.cancelled), int(replay.closed)))
            tallies += [(code, agency or "", *(getattr(t, f) for f in TALLY_FIELDS))
                        for agency, t in replay.tallies().items()]
        settled += [(s["session"], last.get(s["session"], ""), 0, 0) for s in sessions if s["session"] not in replays]
        delete_rows(store, cursor, D + "tallies", "session", codes)
        delete_rows(store, cursor, D + "settled", "session", codes)
        insert(store, cursor, D + "tallies", ("session", "agency", *TALLY_FIELDS), tallies)
        insert(store, cursor, D + "settled", SETTLED_COLUMNS, settled)

    return settle_stale(store, D, "session", remake)


def session_tallies(facts: DeliveryFacts, sessions: list[Any], agency: str | None = None) -> dict[str, SessionTally]:
    """Each of `sessions` (rows of the sessions table) on `as_of` as known at `known_at` (only `agency`'s bookings)."""
    store = facts.store
    holding, params = _holding(facts.tp)
    found: dict[str, SessionTally] = {}
    for part in chunks([str(s["session"]) for s in sessions]):
        for session, cancelled in tuples(store, f"SELECT s.session, st.cancelled FROM {D}sessions s JOIN {D}settled st "
                                                f"ON st.session = s.session WHERE {holding} "
                                                f"AND s.session IN ({marks(len(part))})", [*params, *part]):
            found[str(session)] = SessionTally(bool(cancelled), {})
    mine = " AND agency = ?" if agency is not None else ""
    for part in chunks(list(found)):
        for session, who, *counts in tuples(store, f"SELECT session, agency, {', '.join(TALLY_FIELDS)} FROM {D}tallies "
                                                   f"WHERE session IN ({marks(len(part))}){mine}",
                                            [*part, *([agency] if agency is not None else [])]):
            found[session].by_agency[who or None] = Tally(*counts)
    rest = [s for s in sessions if s["session"] not in found]
    for code, replay in facts.replays(rest, agency).items():
        found[code] = SessionTally(replay.cancelled, _of(replay.tallies(), agency))
    return found


def agency_totals(facts: DeliveryFacts, first: date, last: date, agency: str | None = None) -> dict[str, Tally]:
    """Each agency's bookings on sessions dated `first` to `last`, summed (only `agency`'s when given).

    The kept tallies of the sessions that hold are summed by the database; the others are replayed.
    """
    store = facts.store
    holding, held_params = _holding(facts.tp)
    holds = f"s.session_date >= ? AND s.session_date <= ? AND {holding}"
    params: list[Any] = [first.isoformat(), last.isoformat(), *held_params]
    mine, also = (" AND t.agency = ?", [agency]) if agency is not None else ("", [])
    totals: dict[str, Tally] = {}
    for who, *counts in tuples(store, (
            f"SELECT t.agency, {', '.join(f'SUM(t.{f}) AS {f}' for f in TALLY_FIELDS)} FROM {D}tallies t "
            f"JOIN {D}sessions s ON s.session = t.session JOIN {D}settled st ON st.session = t.session "
            f"WHERE {holds} AND t.agency <> ''{mine} GROUP BY t.agency"), [*params, *also]):
        totals[str(who)] = Tally(*(int(c) for c in counts))
    held = {str(r[0]) for r in tuples(store, f"SELECT s.session FROM {D}sessions s JOIN {D}settled st "
                                             f"ON st.session = s.session WHERE {holds}", params)}
    rest = [s for s in facts.sessions(first, last, agency) if s["session"] not in held]
    for replay in facts.replays(rest, agency).values():
        for who, tally in _of(replay.tallies(), agency).items():
            if who is not None:
                totals[who] = totals[who].plus(tally) if who in totals else tally
    return totals


def _holding(tp: TimePoint) -> tuple[str, list[Any]]:
    """Where a session's kept tally (`s` its sessions row, `st` its settled row) holds on `as_of` as known at
    `known_at`: known then, every fact effective by `as_of`, none recorded after `known_at`, not stale."""
    return (f"s.recorded <= ? AND st.last_effective <= ? AND s.session NOT IN (SELECT session FROM {D}stale) "
            f"AND s.session NOT IN (SELECT session FROM {D}facts WHERE recorded > ?)",
            [tp.known_us, tp.day, tp.known_us])


def _of(tallies: dict[str | None, Tally], agency: str | None) -> dict[str | None, Tally]:
    """A replay's tallies by agency, only `agency`'s when given."""
    return tallies if agency is None else {who: t for who, t in tallies.items() if who == agency}
