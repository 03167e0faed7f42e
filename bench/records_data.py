"""Three years of a large partnership's training records, built as aggregates and saved in large batches.

    generate(records, workers=100_000, sessions=7_000)  # about 1,000,000 domain events

Aggregates are built with the domain's own classes and their methods (a
session's bookings through `CourseSession.book`, `cancel_booking`, ...; charges
through `BookingAccount`), each event stamped with an instant of the three years
from April 2024 rather than the clock; then every event is written in the order
it was recorded, as a real log holds them, 20,000 at a time through the
records' recorder: the commands' one-save-per-command path would take hours.
Some facts are recorded late (an e-learning completion weeks after it was
done, a register corrected days after it closed), as in life. Same seed, same data.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.account import BookingAccount
from domain.actor import Actor
from domain.agency import Agency
from domain.application import TrainingRecords
from domain.charges import account_id
from domain.charging import DEFAULT_CARD, attendance_charge, cancellation_charge, did_not_attend_charge
from domain.course import Course
from domain.ids import aggregate_id
from domain.pathway import Pathway
from domain.record import Record
from domain.session import BOOKED, CourseSession
from domain.worker import Worker
from kernel.clock import LONDON
from kernel.keys import Identifier

PARTNERSHIP = Actor("bench-partnership")
FIRST, LAST = date(2024, 4, 1), date(2027, 3, 31)
NOW = datetime(2027, 3, 31, 18, 0, tzinfo=LONDON)
GROUPS = (1, 2, 3, 4, 5, 6, 7, 8)
GROUP_WEIGHTS = (25, 25, 30, 8, 3, 5, 3, 1)
COURSES = {"basic": ("basic", "e-learning"), "l1": ("1", "inter-agency"), "l2": ("2", "inter-agency"),
           "l3": ("3", "inter-agency"), "found": ("1", "single-agency")}
OUTCOMES = ["Recognise abuse", "Respond to concerns", "Share information"]
BATCH = 5_000


@dataclass
class Person:
    """A worker as planned: agency, group, started, left (None), and the training they will have completed."""

    code: str
    agency: str
    group: int
    started: date
    left: date | None
    completions: list[tuple[str, str, date, datetime]]  # (source, course, completed on, recorded at)


def instant(day: date, rng: random.Random, hours: tuple[int, int] = (8, 17)) -> datetime:
    """An instant in working hours of an English day, in UTC."""
    return datetime(day.year, day.month, day.day, rng.randint(*hours), rng.randint(0, 59),
                    tzinfo=LONDON).astimezone(UTC)


def day_between(rng: random.Random, first: date, last: date) -> date:
    """A day from `first` to `last` (inclusive), uniformly."""
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


class Generator:
    """Plans and saves the records; `saved(n)` is told of each n events saved (a progress bar)."""

    def __init__(self, records: TrainingRecords, workers: int, sessions: int, seed: int = 2027,
                 saved: Callable[[int], None] | None = None) -> None:
        self.records, self.rng = records, random.Random(seed)
        self.workers, self.sessions = workers, sessions
        self.saved = saved or (lambda n: None)
        self.agencies = [f"agency-{n:02d}" for n in range(50)]
        weights = [1 / (n + 1) ** 0.8 for n in range(50)]  # a few large agencies, many small ones
        self.sizes = [w / sum(weights) for w in weights]
        self.contributes = {a: self.rng.random() < 0.7 for a in self.agencies}
        self.people: list[Person] = []
        self.by_code: dict[str, Person] = {}
        self.pending: list[Record] = []

    def run(self) -> None:
        """Everything: the programme and agencies, sessions and charges, workers; then saved in recorded order."""
        self._save(self._programme())
        self.people = self._plan_people()
        self.by_code = {p.code: p for p in self.people}
        self._sessions()
        self._workers()
        self._write_in_order()

    def _save(self, aggregates: list[Record]) -> None:
        """Keep the aggregates' events until every one is built (`_write_in_order`)."""
        self.pending.extend(aggregates)

    def _write_in_order(self) -> None:
        """The events of every aggregate in the order they were recorded, as a real log holds them, in batches.

        An aggregate's events keep their order (a late event sorts at the latest instant before it).
        """
        keyed = []
        for aggregate in self.pending:
            latest = None
            for event in aggregate.collect_events():
                latest = event.timestamp if latest is None else max(latest, event.timestamp)
                keyed.append((latest, event.originator_version, event))
        self.pending = []
        keyed.sort(key=lambda k: (k[0], k[1]))
        mapper, recorder = self.records.mapper, self.records.recorder
        for start in range(0, len(keyed), BATCH * 4):
            part = keyed[start:start + BATCH * 4]
            recorder.insert_events([mapper.to_stored_event(event) for _, _, event in part])
            self.saved(len(part))

    def _programme(self) -> list[Record]:
        at = instant(FIRST - timedelta(days=30), self.rng)
        found: list[Record] = []
        for code in self.agencies:
            found.append(Agency._begin(Agency.Registered, aggregate_id("agency", code), PARTNERSHIP, at,
                                       "2024-01-01", code=code, name=f"Agency {code}", sector="statutory",
                                       health=False, contributes=self.contributes[code]))
        for code, (level, delivery) in COURSES.items():
            course: Course = Course._begin(Course.Defined, aggregate_id("course", code), PARTNERSHIP, at,
                                           at.date().isoformat(), code=code, title=code, level=level,
                                           level_label=level, delivery=delivery, outcomes=OUTCOMES, topics=[],
                                           duration_minutes=180)
            if delivery == "single-agency":
                course._record(Course.Validated, PARTNERSHIP, at, "2020-01-01", valid_until="2029-12-31")
            found.append(course)
        pathway: Pathway = Pathway._begin(Pathway.Published, aggregate_id("pathway", "1"), PARTNERSHIP,
                                          instant(date(2025, 3, 1), self.rng), "2025-04-01", target_group=1,
                                          requirements=[{"level": "basic", "due_months": 1, "refresh_years": 2,
                                                         "group_4_only": False}], topics=[])
        return [*found, pathway]

    def _plan_people(self) -> list[Person]:
        rng, people = self.rng, []
        agencies = rng.choices(self.agencies, self.sizes, k=self.workers)
        groups = rng.choices(GROUPS, GROUP_WEIGHTS, k=self.workers)
        for n in range(self.workers):
            started = day_between(rng, date(2012, 1, 1), LAST - timedelta(days=20))
            left = day_between(rng, max(started, FIRST), LAST) if rng.random() < 0.04 else None
            person = Person(f"w{n:06d}", agencies[n], groups[n], started, left, [])
            for k in range(rng.choices((0, 1, 2, 3), (10, 30, 40, 20))[0]):
                done = day_between(rng, max(started, FIRST - timedelta(days=900)), LAST)
                late = rng.random() < 0.05
                recorded = instant(min(done + timedelta(days=rng.randint(20, 60) if late else rng.randint(0, 3)),
                                       LAST), rng)
                person.completions.append((f"moodle:{person.code}:{k}", "basic", done, recorded))
            if rng.random() < 0.15:
                done = day_between(rng, max(started, FIRST), LAST)
                person.completions.append((f"found:{person.code}", "found", done, instant(done, rng)))
            people.append(person)
        return people

    def _sessions(self) -> None:
        batch: list[Record] = []
        for n in range(self.sessions):
            level = self.rng.choices(("l1", "l2", "l3"), (50, 35, 15))[0]
            day = day_between(self.rng, FIRST, LAST + timedelta(days=90))
            batch += self._session(f"s{n:05d}", level, day)
            if len(batch) >= BATCH:
                self._save(batch)
                batch = []
        self._save(batch)

    def _session(self, code: str, course: str, day: date) -> list[Record]:
        rng = self.rng
        starts = datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON).astimezone(UTC)
        opened = starts - timedelta(days=rng.randint(40, 90))
        session: CourseSession = CourseSession._begin(
            CourseSession.Scheduled, aggregate_id("session", code), PARTNERSHIP, opened, starts.isoformat(),
            code=code, course=course, level=COURSES[course][0], starts_at=starts.isoformat(),
            ends_at=(starts + timedelta(hours=6)).isoformat(), venue="Council House", capacity=20,
            trainers=[f"trainer-{rng.randint(0, 40):02d}"])
        delegates = self._delegates(day, rng.randint(15, 23))
        accounts: dict[str, BookingAccount] = {}
        for index, person in enumerate(delegates):
            at = opened + timedelta(hours=6 * index + 1)
            session.book(PARTNERSHIP, at, f"{code}-b{index}", person.code, person.agency)
        clerk_day = opened + timedelta(days=20)
        for booking in list(session.bookings.values()):
            if rng.random() < 0.08:
                received = clerk_day + timedelta(days=rng.randint(0, 15))
                recorded = received + timedelta(days=rng.choice((0, 0, 0, 2)))
                was_held = booking.status == BOOKED
                session.cancel_booking(PARTNERSHIP, recorded, booking.booking_id, received)
                if was_held:
                    self._charge(accounts, session, booking, recorded, cancellation_charge(
                        DEFAULT_CARD, booking.notice_days or 0))
                for waiting in list(session.waiting):
                    if session.places_free > 0:
                        session.offer_place(PARTNERSHIP, recorded, waiting)
        self._substitute(session, clerk_day + timedelta(days=16))
        if starts < NOW.astimezone(UTC):
            self._register(session, starts, accounts)
        return [session, *accounts.values()]

    def _delegates(self, day: date, count: int) -> list[Person]:
        found: dict[str, Person] = {}
        while len(found) < count:
            person = self.people[self.rng.randrange(len(self.people))]
            if person.started <= day - timedelta(days=30) and (person.left is None or person.left > day):
                found[person.code] = person
        return list(found.values())

    def _substitute(self, session: CourseSession, at: datetime) -> None:
        live = [b for b in session.bookings.values() if b.status == BOOKED]
        for booking in live[:1] if self.rng.random() < 0.5 else []:
            taken = {b.worker for b in session.bookings.values() if b.live}
            same = [p for p in self.people[:2000] if p.agency == booking.agency and p.code not in taken]
            if same:
                session.substitute(PARTNERSHIP, at, booking.booking_id, same[0].code)

    def _register(self, session: CourseSession, starts: datetime, accounts: dict[str, BookingAccount]) -> None:
        rng = self.rng
        for booking in [b for b in session.bookings.values() if b.status == BOOKED]:
            session.record_attendance(PARTNERSHIP, starts + timedelta(minutes=30), booking.booking_id,
                                      rng.random() < 0.9)
        closed = starts + timedelta(days=rng.choice((0, 0, 1, 3)), hours=7)
        attended, absent = session.close_register(PARTNERSHIP, closed)
        for booking_id in attended:
            booking = session.bookings[booking_id]
            self.by_code[booking.worker].completions.append((f"session:{session.code}", session.course,
                                                        session.session_date, closed))
            self._charge(accounts, session, booking, closed, attendance_charge(
                DEFAULT_CARD, session.level, self.contributes[booking.agency]))
            if rng.random() < 0.5:
                rating = rng.randint(2, 5)
                session.record_evaluation(PARTNERSHIP, closed, booking.worker,
                                          [{"outcome": o, "rating": rating} for o in OUTCOMES[:2]], rating, "")
        for booking_id in absent:
            self._charge(accounts, session, session.bookings[booking_id], closed, did_not_attend_charge(DEFAULT_CARD))

    def _charge(self, accounts: dict[str, BookingAccount], session: CourseSession, booking: Any, at: datetime,
                due: Any) -> None:
        if due is None:
            return
        account = accounts.get(booking.booking_id)
        if account is None:
            account = accounts[booking.booking_id] = BookingAccount._begin(
                BookingAccount.Opened, account_id(booking.booking_id), Actor("system"), at, at.isoformat(),
                booking=booking.booking_id, session=session.code, agency=booking.agency)
        charge_id = f"{booking.booking_id}.{len(account.charges) + 1}"
        account.raise_charge(PARTNERSHIP, at, charge_id, due.rule, due.card, due.notice_days, due.amount_pence)
        if self.rng.random() < 0.05:
            account.credit(PARTNERSHIP, at + timedelta(days=9), BookingAccount.ChargeWaived, charge_id,
                           f"{charge_id}.credit", "first this year", approver="Chair")

    def _workers(self) -> None:
        keys = self.records.person_keys
        for start in range(0, len(self.people), BATCH):
            part = self.people[start:start + BATCH]
            persons = keys.ensure_persons([Identifier(f"worker:{p.code}") for p in part])
            self._save([self._worker(p, persons[Identifier(f"worker:{p.code}")]) for p in part])

    def _worker(self, person: Person, keys: Any) -> Worker:
        rng = self.rng
        registered = instant(max(person.started, FIRST - timedelta(days=20)), rng)
        sealed = self.records.sealing.seal(keys, b'{"email":null,"name":"A worker"}')
        worker: Worker = Worker._begin(
            Worker.Registered, aggregate_id("worker", person.code), PARTNERSHIP, registered,
            person.started.isoformat(), code=person.code, agency=person.agency, job_role="Practitioner",
            target_group=person.group, works_with_group_4=person.group in (5, 6) and rng.random() < 0.3,
            line_manager=None, pseudonym=keys.pseudonym, sealed=sealed)
        changes: list[tuple[datetime, type[Record.Event], str, dict[str, Any]]] = []
        for source, course, done, recorded in person.completions:
            level, delivery = COURSES[course]
            changes.append((recorded, Worker.CompletionRecorded, done.isoformat(),
                            {"source": source, "course": course, "level": level, "delivery": delivery}))
        if rng.random() < 0.1:
            moved = day_between(rng, max(person.started, FIRST), LAST)
            changes.append((instant(moved, rng), Worker.MovedGroup, moved.isoformat(),
                            {"target_group": rng.choice(GROUPS), "works_with_group_4": False}))
        if person.left is not None:
            changes.append((instant(person.left, rng), Worker.Left, person.left.isoformat(), {}))
        for at, event, effective, fields in sorted(changes, key=lambda c: c[0]):
            worker._record(event, PARTNERSHIP, max(at, registered), effective, **fields)
        return worker


def generate(records: TrainingRecords, workers: int, sessions: int,
             saved: Callable[[int], None] | None = None) -> int:
    """Save the records; the number of events the log then holds."""
    Generator(records, workers, sessions, saved=saved).run()
    return int(records.recorder.max_notification_id() or 0)


