"""Session delivery as of a day, as known at an instant: each session's places, cancellations, register and rates.

A session's facts recorded by `known_at` and effective by the end of `as_of`
are replayed in order, as `CourseSession` applies its events (domain/session.py):
a place is booked or offered from the waiting list, a cancellation frees it
(its notice band from domain/charging.py `notice_rule`), a substitution keeps
it, the register's close and corrections give each place its outcome.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import add, attrgetter
from datetime import date
from typing import Any

from domain.charging import NOTICE_14_TO_27, NOTICE_28_PLUS, NOTICE_UNDER_14, notice_rule
from kernel.tracking import TrackingStore
from projections.delivery import (BOOKED, CANCELLED, CLOSED, CORRECTED, D, MARKED, OFFERED, SESSION_CANCELLED,
                                  SUBSTITUTED, WAITING)
from projections.facts import chunks, marks, tuples
from projections.timepoint import TimePoint

ONE_BY_ONE = 2000  # up to this many sessions, their facts are read by their ids; more, by their dates
BANDS = {NOTICE_28_PLUS: "cancelled_28_plus", NOTICE_14_TO_27: "cancelled_14_to_27",
         NOTICE_UNDER_14: "cancelled_under_14"}


@dataclass(frozen=True)
class Tally:
    """What happened to the places of one session (or of one agency's bookings over many).

    `places_booked` counts bookings that held a place (booked, or offered from the
    waiting list); cancellations are of held places, by notice band (DESIGN.md: 28
    days or more free, 14 to 27, under 14 the late band) or by the partnership.
    """

    places_booked: int = 0
    booked: int = 0
    waiting: int = 0
    cancelled_28_plus: int = 0
    cancelled_14_to_27: int = 0
    cancelled_under_14: int = 0
    cancelled_by_partnership: int = 0
    substitutions: int = 0
    attended: int = 0
    did_not_attend: int = 0

    @property
    def did_not_attend_rate(self) -> float | None:
        """Did not attend / (attended + did not attend), once registers have closed."""
        outcomes = self.attended + self.did_not_attend
        return round(self.did_not_attend / outcomes, 4) if outcomes else None

    @property
    def attendance_rate(self) -> float | None:
        """Attended / (attended + did not attend), once registers have closed."""
        outcomes = self.attended + self.did_not_attend
        return round(self.attended / outcomes, 4) if outcomes else None

    def plus(self, other: Tally) -> Tally:
        """The two tallies added up."""
        return Tally(*map(add, _counts(self), _counts(other)))


_counts = attrgetter(*Tally.__dataclass_fields__)


@dataclass(frozen=True)
class SessionDeliveryRow:
    """One session as of the day: capacity and what became of its places; `fill_rate` is booked / capacity."""

    session: str
    course: str
    level: str
    session_date: date
    venue: str
    trainers: tuple[str, ...]
    capacity: int
    cancelled: bool
    register_closed: bool
    tally: Tally
    fill_rate: float
    attendance_rate: float | None


@dataclass
class _Replay:
    """The places of one session while its facts are replayed; counts kept per agency that made the booking."""

    status: dict[str, str] = field(default_factory=dict)
    outcome: dict[str, bool] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)
    counts: dict[str | None, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    agency_of: dict[str, str | None] = field(default_factory=dict)
    cancelled: bool = False
    closed: bool = False

    def step(self, fact: str, booking: str, notice_days: int | None, attended: int | None, agency: str | None) -> None:
        """Apply one fact of the session, as `CourseSession` applies the event it came from."""
        counts = self.counts[agency]
        if fact in (BOOKED, OFFERED):
            self.status[booking] = BOOKED
            counts["places_booked"] += 1
            if booking in self.waiting:
                self.waiting.remove(booking)
        elif fact == WAITING:
            self.status[booking] = WAITING
            self.waiting.append(booking)
        elif fact == CANCELLED and booking in self.status:
            if self.status[booking] == BOOKED:
                counts[BANDS[notice_rule(notice_days or 0)]] += 1
            elif booking in self.waiting:
                self.waiting.remove(booking)
            self.status[booking] = CANCELLED
        elif fact == SUBSTITUTED:
            counts["substitutions"] += 1
        elif fact in (CLOSED, CORRECTED):
            self.closed = True
            if booking:
                self.outcome[booking] = bool(attended)
        elif fact == SESSION_CANCELLED:
            self.cancelled = True
            self.waiting.clear()
            for held, status in self.status.items():
                if status in (BOOKED, WAITING):
                    self.status[held] = CANCELLED
                    if status == BOOKED:
                        self.counts[self.agency_of.get(held)]["cancelled_by_partnership"] += 1
        elif fact != MARKED:
            raise ValueError(f"unknown session fact {fact!r}")

    def tally(self, agency: str | None) -> Tally:
        """The tally of `agency`'s bookings (None: every booking)."""
        if agency is not None:
            return self.tallies().get(agency, Tally())
        total = Tally()
        for found in self.tallies().values():
            total = total.plus(found)
        return total

    def tallies(self) -> dict[str | None, Tally]:
        """The tally of each agency's bookings, in one pass over the places."""
        held: dict[str | None, Counter[str]] = defaultdict(Counter)
        waiting = set(self.waiting)
        for booking, status in self.status.items():
            mine = held[self.agency_of.get(booking)]
            if status == BOOKED:
                mine["booked"] += 1
                outcome = self.outcome.get(booking)
                if outcome is not None:
                    mine["attended" if outcome else "absent"] += 1
            elif booking in waiting:
                mine["waiting"] += 1
        found = {}
        for agency in {*held, *self.counts}:
            places, counts = held.get(agency, Counter()), self.counts.get(agency, Counter())
            found[agency] = Tally(counts["places_booked"], places["booked"], places["waiting"],
                                  counts["cancelled_28_plus"], counts["cancelled_14_to_27"],
                                  counts["cancelled_under_14"], counts["cancelled_by_partnership"],
                                  counts["substitutions"], places["attended"], places["absent"])
        return found


class DeliveryFacts:
    """The delivery facts of one report: as of `tp.as_of`, as known at `tp.known_at`, from the delivery store."""

    def __init__(self, store: TrackingStore, tp: TimePoint) -> None:
        self.store, self.tp = store, tp

    def sessions(self, first: date, last: date, agency: str | None = None, course: str | None = None,
                 codes: Iterable[str] | None = None) -> list[Any]:
        """Sessions dated `first` to `last` known then (with a booking of `agency`, of `course`), by date."""
        sql = f"SELECT * FROM {D}sessions WHERE session_date >= ? AND session_date <= ? AND recorded <= ?"
        params: list[Any] = [first.isoformat(), last.isoformat(), self.tp.known_us]
        if agency is not None:
            sql += f" AND session IN (SELECT session FROM {D}bookings WHERE agency = ? AND recorded <= ?)"
            params += [agency, self.tp.known_us]
        if course is not None:
            sql += " AND course = ?"
            params.append(course)
        rows = self.store.fetch(sql + " ORDER BY session_date, starts_at, session", params)
        if codes is not None:
            wanted = set(codes)
            rows = [r for r in rows if r["session"] in wanted]
        return rows

    def replays(self, sessions: list[Any], agency: str | None = None) -> dict[str, _Replay]:
        """Each session's places after replaying its facts recorded by `known_at` and effective by `as_of`.

        With `agency`, only its bookings' facts and the sessions' own are replayed: enough for its tally.
        """
        if not sessions:
            return {}
        known = [self.tp.known_us, self.tp.day]
        codes = [s["session"] for s in sessions]
        first, last = min(s["session_date"] for s in sessions), max(s["session_date"] for s in sessions)
        select = ("SELECT f.session, f.version, f.booking, f.fact, f.notice_days, f.attended, b.agency "
                  f"FROM {D}facts f LEFT JOIN {D}bookings b ON b.booking = f.booking "
                  "WHERE f.recorded <= ? AND f.effective_day <= ? AND ")
        if agency is not None:  # from the agency's own bookings, and the sessions' own facts
            rows = tuples(self.store, (
                "SELECT f.session, f.version, f.booking, f.fact, f.notice_days, f.attended, b.agency "
                f"FROM {D}bookings b JOIN {D}facts f ON f.booking = b.booking "
                f"JOIN {D}sessions s ON s.session = b.session AND s.session_date >= ? AND s.session_date <= ? "
                "WHERE b.agency = ? AND f.recorded <= ? AND f.effective_day <= ? UNION ALL "
                f"SELECT f.session, f.version, f.booking, f.fact, f.notice_days, f.attended, NULL FROM {D}facts f "
                "WHERE f.booking = '' AND f.recorded <= ? AND f.effective_day <= ? ORDER BY 1, 2"),
                [first, last, agency, *known, *known])
        elif len(codes) <= ONE_BY_ONE:
            rows = [row for part in chunks(codes) for row in tuples(
                self.store, f"{select}f.session IN ({marks(len(part))}) ORDER BY f.session, f.version",
                [*known, *part])]
        else:
            rows = tuples(self.store, f"{select}f.session IN (SELECT session FROM {D}sessions WHERE session_date >= ? "
                                      "AND session_date <= ?) ORDER BY f.session, f.version", [*known, first, last])
        wanted = set(codes)
        replays: dict[str, _Replay] = {}
        for row in rows:
            if row[0] not in wanted:
                continue
            replay = replays.setdefault(row[0], _Replay())
            if row[2] and row[6] is not None:
                replay.agency_of[row[2]] = row[6]
            replay.step(row[3], row[2], row[4], row[5], row[6])
        return replays

    def rows(self, sessions: list[Any], agency: str | None = None) -> list[SessionDeliveryRow]:
        """A delivery row per session; with `agency`, only that agency's bookings are counted."""
        replays = self.replays(sessions, agency)
        found = []
        for s in sessions:
            replay = replays.get(s["session"], _Replay())
            tally = replay.tally(agency)
            found.append(SessionDeliveryRow(
                s["session"], s["course"], s["level"], date.fromisoformat(s["session_date"]), s["venue"],
                tuple(json.loads(s["trainers"])), int(s["capacity"]), replay.cancelled, replay.closed, tally,
                round(tally.booked / int(s["capacity"]), 4), tally.attendance_rate if replay.closed else None))
        return found

    def tallies_by_agency(self, first: date, last: date, agency: str | None = None) -> dict[str, Tally]:
        """Each agency's bookings on sessions dated `first` to `last`, summed (only `agency`'s when given)."""
        from projections.delivery_tallies import agency_totals  # it builds on this module

        return agency_totals(self, first, last, agency)

    def e_learning_levels(self) -> set[str]:
        """Levels with an e-learning course known then: places there are not limited by sessions."""
        rows = self.store.fetch(f"SELECT DISTINCT level FROM {D}courses WHERE delivery = ? AND recorded <= ?",
                                ["e-learning", self.tp.known_us])
        return {r["level"] for r in rows}
