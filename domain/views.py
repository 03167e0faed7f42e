"""What the application service returns: frozen dataclasses of plain values, never aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.agency import Agency
from domain.course import Course
from domain.progress import RequirementStatus
from domain.session import Booking, CourseSession
from domain.worker import Completion, Worker


@dataclass(frozen=True)
class AgencyDetails:
    """An agency as it stands; `contributes` on the date asked about, `contribution` every change."""

    id: str
    name: str
    sector: str
    health: bool
    contributes: bool
    contribution: list[dict[str, Any]]
    version: int

    @classmethod
    def of(cls, agency: Agency, on: date) -> AgencyDetails:
        return cls(agency.code, agency.name, agency.sector, agency.health, agency.contributes_on(on),
                   [{"effective_from": e, "contributes": c} for e, c in agency.contribution.changes], agency.version)


@dataclass(frozen=True)
class WorkerDetails:
    """A worker as on the date asked about, with their history of agencies and groups and their completions.

    `name` and `email` are None once the worker's personal data is erased.
    """

    id: str
    agency: str
    job_role: str
    target_group: int
    works_with_group_4: bool
    line_manager: str | None
    started_on: date
    left_on: date | None
    joined_group_on: date
    name: str | None
    email: str | None
    agencies: list[dict[str, Any]]
    target_groups: list[dict[str, Any]]
    completions: list[Completion]
    version: int

    @classmethod
    def of(cls, worker: Worker, on: date, personal: dict[str, Any] | None) -> WorkerDetails:
        placement = worker.placement_on(on)
        return cls(
            worker.code, worker.agency_on(on), worker.job_role.on(on) or worker.job_role.changes[0][1],
            placement.target_group, placement.works_with_group_4, worker.line_manager.on(on),
            worker.started_on, worker.left_on, worker.joined_group_on(on),
            (personal or {}).get("name"), (personal or {}).get("email"),
            [{"effective_from": e, "agency": a} for e, a in worker.agency.changes],
            [{"effective_from": e, "target_group": p.target_group, "works_with_group_4": p.works_with_group_4}
             for e, p in worker.placement.changes],
            sorted(worker.completions.values(), key=lambda c: (c.completed_on, c.source)), worker.version,
        )


@dataclass(frozen=True)
class CourseDetails:
    """A course with its validations (single-agency courses) and whether one is current on the date asked about."""

    id: str
    title: str
    level: str
    level_label: str
    delivery: str
    outcomes: list[str]
    topics: list[str]
    duration_minutes: int
    validations: list[dict[str, date]]
    validated: bool
    version: int

    @classmethod
    def of(cls, course: Course, on: date) -> CourseDetails:
        return cls(course.code, course.title, course.level, course.level_label, course.delivery,
                   list(course.outcomes), list(course.topics), course.duration_minutes,
                   [{"valid_from": v.valid_from, "valid_until": v.valid_until} for v in course.validations],
                   course.validation_current_on(on), course.version)


@dataclass(frozen=True)
class BookingDetails:
    """One booking or waiting-list entry; `position` on the waiting list counts from 1."""

    id: str
    session: str
    worker: str
    agency: str
    status: str
    booked_at: str
    position: int | None
    attended: bool | None
    outcome: str | None
    cancelled_at: str | None
    notice_days: int | None
    cancelled_by_partnership: bool
    substitutions: list[dict[str, str]]

    @classmethod
    def of(cls, session: CourseSession, booking: Booking) -> BookingDetails:
        position = session.waiting.index(booking.booking_id) + 1 if booking.booking_id in session.waiting else None
        return cls(booking.booking_id, session.code, booking.worker, booking.agency, booking.status,
                   booking.booked_at, position, booking.attended, booking.outcome, booking.cancelled_at,
                   booking.notice_days, booking.by_partnership, list(booking.substitutions))


@dataclass(frozen=True)
class SessionDetails:
    """A session with its places; `bookings` lists only those the asking actor may see."""

    id: str
    course: str
    level: str
    starts_at: datetime
    ends_at: datetime
    session_date: date
    venue: str
    capacity: int
    trainers: list[str]
    places_taken: int
    places_free: int
    waiting_list: int
    cancelled: bool
    register_closed: bool
    bookings: list[BookingDetails]
    version: int

    @classmethod
    def of(cls, session: CourseSession, agency: str | None) -> SessionDetails:
        visible = [BookingDetails.of(session, b) for b in session.bookings.values()
                   if agency is None or b.agency == agency]
        return cls(session.code, session.course, session.level, session.starts_at, session.ends_at,
                   session.session_date, session.venue, session.capacity, list(session.trainers),
                   session.places_taken, session.places_free, len(session.waiting), session.cancelled,
                   session.register_closed, visible, session.version)


@dataclass(frozen=True)
class ProgressDetails:
    """A worker's progress on `as_of`: their group, the pathway in force, each requirement's status, overall."""

    worker: str
    agency: str
    as_of: date
    target_group: int
    pathway_effective_from: date | None
    requirements: list[RequirementStatus]
    status: str
    compliant: bool


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a record: what happened, when recorded (UTC), when effective, who, and what it said."""

    version: int
    event: str
    recorded_at: datetime
    effective: str
    by: dict[str, Any]
    data: dict[str, Any]
