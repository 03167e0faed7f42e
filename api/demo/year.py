"""A year of a partnership's training, as timed commands: sessions, bookings, cancellations, registers, charges.

`plan(rng)` lays out every command with the instant it happens; `Demo.run`
stands the records' clock at each instant in turn and gives the command, so
events are recorded in the order and at the times a real year would give
them. Everything is drawn from one seeded random generator: the same seed
gives the same partnership.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from datetime import date, datetime, timedelta
from typing import Any

from api.demo.cast import COURSES, FIRST, GROUP_WEIGHTS, LAST, ROLES, SECTOR_AGENCIES, VALIDATIONS
from domain.actor import Actor
from domain.application import TrainingRecords
from domain.errors import RecordsError, RuleViolationError
from kernel.clock import LONDON, FixedClock

PARTNERSHIP = Actor("demo-loader")
START = date(2025, 12, 1)  # the demo year runs from here to END
END = date(2026, 11, 27)
LEVEL_COURSES = {"1": ["intro"], "2": ["working-together"], "3": ["section-47", "neglect"]}
CARD_2026 = {"attendance": "130", "notice_28_plus": "0", "notice_14_to_27": "80", "notice_under_14": "130",
             "did_not_attend": "130", "partnership_cancelled": "0"}
RATED = {c.id: c.outcomes for c in COURSES}


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@dataclass
class Demo:
    """The commands of the demo year, in time order, and what they need to remember of each other."""

    records: TrainingRecords
    clock: FixedClock
    rng: random.Random
    workers: dict[str, tuple[str, int]] = field(default_factory=dict)  # id -> (agency, group)
    level: dict[str, int] = field(default_factory=dict)  # id -> highest level completed (0 for basic only)
    actions: list[tuple[datetime, int, Callable[[], Any]]] = field(default_factory=list)
    bookings: dict[tuple[str, str], str] = field(default_factory=dict)  # (session, worker) -> booking id
    bookings_of_substitutes: dict[tuple[str, str], str] = field(default_factory=dict)  # (session, sub) -> original
    ready_on: dict[str, date] = field(default_factory=dict)  # a worker's e-learning is done by then
    refusals: list[str] = field(default_factory=list)

    def at(self, instant: datetime, action: Callable[[], Any]) -> None:
        self.actions.append((instant, len(self.actions), action))

    def run(self, progress: Callable[[int], None] | None = None) -> int:
        """Give every command at its instant; returns how many were given (why any was refused is in `refusals`)."""
        self.actions.sort(key=lambda a: (a[0], a[1]))
        for index, (instant, _, action) in enumerate(self.actions):
            self.clock.set(instant)
            try:
                action()
            except RecordsError as error:
                self.refusals.append(str(error))  # a rule refused it, as it would a clerk (e.g. a substitute who lacks a course)
            if progress is not None and index % 100 == 0:
                progress(min(100, len(self.actions) - index))
        return len(self.actions)

    def plan(self, workers: int) -> None:
        self.clock.set(at(START - timedelta(days=30)))
        self._programme()
        self._workforce(workers)
        self._history()
        month = START
        while month <= date(2027, 2, 1):
            self._month(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        self._changes()

    def _programme(self) -> None:
        for code, name, sector, health, contributes in SECTOR_AGENCIES:
            self.records.register_agency(PARTNERSHIP, code, name, sector, health, contributes, date(2025, 4, 1))
        for course in COURSES:
            self.records.define_course(PARTNERSHIP, course.id, course.title, course.level, course.delivery,
                                       list(course.outcomes), [], course.minutes)
        for course_id, (valid_from, valid_until) in VALIDATIONS.items():
            self.records.validate_course(PARTNERSHIP, course_id, date.fromisoformat(valid_from),
                                         date.fromisoformat(valid_until))

    def _workforce(self, count: int) -> None:
        groups = [g for g, weight in GROUP_WEIGHTS.items() for _ in range(weight)]
        rows = []
        for n in range(count):
            agency = SECTOR_AGENCIES[n % len(SECTOR_AGENCIES)][0]
            group = self.rng.choice(groups)
            code = f"w{n + 1:05d}"
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            started = START - timedelta(days=self.rng.randint(60, 3000))
            rows.append({"id": code, "agency": agency, "job_role": ROLES[group], "target_group": str(group),
                         "started_on": started.isoformat(), "name": f"{first} {last}",
                         "email": f"{first}.{last}.{n}@{agency}.example".lower().replace("'", ""),
                         "works_with_group_4": "yes" if group in (5, 6) and self.rng.random() < 0.5 else "no"})
            self.workers[code] = (agency, group)
        self.records.import_rows(PARTNERSHIP, "workers", rows)

    def _history(self) -> None:
        """Training before the demo year: most have what their group needs, some of it now old, some gaps."""
        rows = []
        for code, (agency, group) in self.workers.items():
            top = {1: 0, 2: 1, 3: 2, 4: 3}.get(group, 2)
            if self.rng.random() < 0.2:
                top -= 1  # a gap the year's sessions may fill
            self.level[code] = max(top, 0)
            for level in range(0, top + 1):
                course = "awareness" if level == 0 else self._history_course(agency, level)
                done = START - timedelta(days=self.rng.randint(40, 1250))
                rows.append({"worker": code, "course": course, "completed_on": done.isoformat(),
                             "source": f"archive:{code}:{level}"})
        self.records.import_rows(PARTNERSHIP, "completions", rows)

    def _history_course(self, agency: str, level: int) -> str:
        if level == 1 and agency == "police" and self.rng.random() < 0.5:
            return "police-foundation"
        if level == 2 and agency in ("hospital-trust", "community-health") and self.rng.random() < 0.5:
            return "health-level-3"
        return self.rng.choice(LEVEL_COURSES[str(level)])

    def _month(self, first: date) -> None:
        for n, level in enumerate(("1", "2", "1", "2", "3")):
            day = first + timedelta(days=3 + 5 * n + self.rng.randint(0, 3))
            if day.weekday() >= 5:
                day += timedelta(days=7 - day.weekday())
            course = self.rng.choice(LEVEL_COURSES[level])
            self._session(f"{course}-{day.isoformat()}", course, level, day)
        if first <= END:
            self._elearning(first)
            invoice_day = at(first + timedelta(days=2), 10)
            if first > START:
                previous = (first - timedelta(days=1)).strftime("%Y-%m")
                self.at(invoice_day, lambda: self.records.issue_invoices(PARTNERSHIP, previous))

    def _session(self, code: str, course: str, level: str, day: date) -> None:
        capacity = self.rng.choice((12, 16, 20))
        starts = at(day, 9, 30)
        self.at(at(day - timedelta(days=60)), lambda: self.records.schedule_session(
            PARTNERSHIP, course, starts, starts + timedelta(hours=6), "Partnership Training Centre", capacity, [],
            code=code))
        wanted = int(level) - 1
        booking_opens = day - timedelta(days=56)
        candidates = [w for w, lv in self.level.items() if lv == wanted and self._needs(w, level)
                      and self.ready_on.get(w, START) <= booking_opens]
        self.rng.shuffle(candidates)
        delegates = candidates[:capacity + self.rng.randint(-3, 3)]
        for worker in delegates:
            self.level[worker] = int(level)  # booked: not a candidate for another session of the level
            booked = starts - timedelta(days=self.rng.randint(30, 55), hours=self.rng.randint(0, 8))
            self.at(booked, self._book(code, worker))
            self._fate(code, worker, starts)
        if day <= END:
            self.at(starts + timedelta(hours=7), lambda: self.records.close_register(PARTNERSHIP, code))

    def _needs(self, worker: str, level: str) -> bool:
        group = self.workers[worker][1]
        return group >= 2 and (level != "3" or group in (4, 5, 6))

    def _book(self, session: str, worker: str) -> Callable[[], Any]:
        agency = Actor(f"demo-{self.workers[worker][0]}", agency=self.workers[worker][0])

        def book() -> None:
            self.bookings[(session, worker)] = self.records.book_place(agency, session, worker).id
        return book

    def _fate(self, session: str, worker: str, starts: datetime) -> None:
        agency = Actor(f"demo-{self.workers[worker][0]}", agency=self.workers[worker][0])
        roll = self.rng.random()
        if roll < 0.12:
            notice = self.rng.choice((35, 29, 28, 27, 20, 14, 13, 6, 1, 0))
            received = at((starts - timedelta(days=notice)).date(), self.rng.randint(8, 17))
            received = min(received, starts - timedelta(minutes=30))
            self.at(received, self._with_booking(session, worker, lambda booking: self.records.cancel_booking(
                agency, session, booking, received)))
            self.level[worker] -= 1  # free to book again
            return
        if roll < 0.16:
            mates = [w for w, (a, _) in self.workers.items() if a == agency.agency and w != worker
                     and self.level.get(w) == self.level[worker] - 1]
            if mates:
                mate = self.rng.choice(mates)
                self.level[mate] = self.level[worker]
                self.level[worker] -= 1
                self.at(starts - timedelta(days=2), self._with_booking(
                    session, worker, lambda booking: self.records.substitute(agency, session, booking, mate)))
                self.bookings_of_substitutes[(session, mate)] = worker
                worker = mate
        if starts.date() > END:
            return
        if self.rng.random() < 0.9:
            self.at(starts + timedelta(hours=6), self._with_booking(
                session, worker, lambda booking: self.records.record_attendance(PARTNERSHIP, session, booking, True)))
            if self.rng.random() < 0.6:
                self.at(starts + timedelta(days=self.rng.randint(1, 5)), self._evaluate(session, worker, agency))
        else:
            self.level[worker] -= 1  # did not attend: still needs the level

    def _with_booking(self, session: str, worker: str, command: Callable[[str], Any]) -> Callable[[], Any]:
        """A command on the booking a worker holds (through a substitution too); refused if there is none."""

        def given() -> Any:
            original = self.bookings_of_substitutes.get((session, worker), worker)
            booking = self.bookings.get((session, original))
            if booking is None:
                raise RuleViolationError(f"{worker} holds no booking on {session}")
            return command(booking)
        return given

    def _evaluate(self, session: str, worker: str, agency: Actor) -> Callable[[], Any]:
        course = session.rsplit("-", 3)[0]
        ratings = [{"outcome": o, "rating": self.rng.choice((3, 4, 4, 5, 5))} for o in RATED[course]]
        overall = self.rng.choice((3, 4, 4, 5, 5, 2))
        return lambda: self.records.record_session_evaluation(agency, session, worker, ratings, overall,
                                                              self.rng.choice(("", "", "Very useful", "Too long")))

    def _elearning(self, first: date) -> None:
        newcomers = [w for w, lv in self.level.items() if lv == 0 and self.workers[w][1] >= 2]
        for worker in self.rng.sample(newcomers, min(12, len(newcomers))):
            done = first + timedelta(days=self.rng.randint(0, 27))
            self.level[worker] = 1
            self.ready_on[worker] = done + timedelta(days=1)
            agency = Actor("moodle", agency=self.workers[worker][0])
            self.at(at(done, 14), partial(self.records.record_completion, agency, worker, "intro-online", done,
                                          f"moodle:{worker}:{done}"))
            anonymous = self.rng.random() < 0.5
            overall = self.rng.choice((3, 4, 5))
            ratings: list[dict[str, Any]] = [{"outcome": o, "rating": self.rng.choice((3, 4, 5))}
                                             for o in RATED["intro-online"]]
            self.at(at(done, 15), partial(self.records.record_course_evaluation, PARTNERSHIP, "intro-online",
                                          f"moodle:feedback:{worker}:{done}", ratings, overall, "",
                                          None if anonymous else worker))

    def _changes(self) -> None:
        """A rate card for 2026-27, contribution changes, group moves, a leaver, disputes and a late correction."""
        self.at(at(date(2026, 3, 10)), lambda: self.records.publish_rate_card(
            PARTNERSHIP, "2026-27", date(2026, 4, 1), CARD_2026))
        self.at(at(date(2026, 3, 20)), lambda: self.records.change_contribution(
            PARTNERSHIP, "riverside-academy", False, date(2026, 4, 1)))
        self.at(at(date(2026, 3, 20)), lambda: self.records.change_contribution(
            PARTNERSHIP, "youth-trust", True, date(2026, 4, 1)))
        movers = self.rng.sample(sorted(w for w, (_, g) in self.workers.items() if g == 3), 15)
        for worker in movers:
            self.at(at(date(2026, 6, 1)), partial(self.records.move_worker_to_group, PARTNERSHIP, worker, 4,
                                                  date(2026, 7, 1)))
        leaver = movers[0]
        self.at(at(date(2026, 9, 30)), lambda: self.records.record_leaving(PARTNERSHIP, leaver, date(2026, 9, 30)))
        self.at(at(date(2026, 10, 15)), self._disputes)
        self.at(at(date(2026, 11, 2)), self._late_correction)

    def _disputes(self) -> None:
        holder = {booking: worker for (_, worker), booking in self.bookings.items()}
        absent = sorted((c for c in self.records.list_charges(PARTNERSHIP) if c.rule == "did not attend"
                         and c.status == "raised"), key=lambda c: (c.raised_at, c.session, holder[c.booking]))
        if len(absent) < 4:
            return
        first, second, third, fourth = absent[:4]
        for charge in (first, second, third):
            self.records.dispute_charge(Actor(f"demo-{charge.agency}", agency=charge.agency), charge.id,
                                        "Our delegate was ill and we telephoned the training team that morning")
        self.records.uphold_dispute(PARTNERSHIP, first.id, "The call is in the training team's log")
        self.records.reject_dispute(PARTNERSHIP, second.id, "No call or email was received")
        self.records.waive_charge(PARTNERSHIP, fourth.id, "Delegate redeployed to an emergency response",
                                  "Partnership business manager")

    def _late_correction(self) -> None:
        for session in self.records.list_sessions(PARTNERSHIP):
            absent = [b for b in session.bookings if b.outcome == "did not attend"]
            if session.register_closed and absent and session.session_date >= date(2026, 10, 1):
                self.records.correct_register(PARTNERSHIP, session.id, absent[0].id, True,
                                              "Paper register found: the delegate signed in late")
                return
