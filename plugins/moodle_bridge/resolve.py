"""From a command's xAPI identity and activity IRIs to the worker, course and session it is about, by the links.

What cannot be found yet is `Waiting`, with what it waits on and why: the
statement is kept pending and tried again when the links change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plugins.moodle_bridge.commands import (BookPlace, CancelBooking, Command, RecordAttendance, RecordCompletion,
                                            RecordEvaluation, WithdrawCompletion)
from plugins.moodle_bridge.links import ACTIVITY, CHOICE, IDENTITY, SESSION, LinkSet

# The sessions (of those given) on which a worker holds a booking: for a cancellation or attendance
# of an activity linked to several sessions, the one the worker is booked on.
BookedOn = Callable[[str, list[str]], list[str]]


@dataclass(frozen=True)
class Waiting:
    """Not yet: `on` names what is missing (identity, activity, session or earlier), `reason` says it in words."""

    on: str
    reason: str


@dataclass(frozen=True)
class Target:
    """What a command is about: the worker (None for an anonymous evaluation), course and session it needs."""

    worker: str | None
    course: str | None = None
    session: str | None = None


def worker_of(links: LinkSet, person: str | None) -> str | Waiting:
    """The worker linked to the actor (by the LRS's pseudonym of their identity), or Waiting on it."""
    found = links.one(IDENTITY, person) if person is not None else None
    return found if found is not None else Waiting(IDENTITY, "no worker is linked to the actor's xAPI identity")


def course_of(links: LinkSet, activities: tuple[str, ...]) -> str | Waiting:
    """The course linked to the first of `activities` that is linked, or Waiting on them."""
    for activity in activities:
        found = links.one(ACTIVITY, activity)
        if found is not None:
            return found
    named = " nor ".join(activities)
    return Waiting(ACTIVITY, f"{'neither ' if len(activities) > 1 else ''}{named} is linked to a course")


def session_of(links: LinkSet, activity: str, digest: str, worker: str, booked_on: BookedOn | None) -> str | Waiting:
    """The session of a face-to-face activity: its one session, a clerk's choice, or the one the worker is booked on."""
    sessions = links.targets(SESSION, activity)
    if not sessions:
        return Waiting(SESSION, f"face-to-face activity {activity} is linked to no session")
    if len(sessions) == 1:
        return sessions[0]
    chosen = links.one(CHOICE, digest)
    if chosen is not None:
        return chosen
    booked = booked_on(worker, sessions) if booked_on is not None else []
    if len(booked) == 1:
        return booked[0]
    return Waiting(SESSION, f"face-to-face activity {activity} is linked to sessions {', '.join(sessions)}; "
                            "a clerk says which this statement is about")


def resolve(command: Command, links: LinkSet, digest: str, booked_on: BookedOn, person: str | None) -> Target | Waiting:
    """The worker, course and session `command` is about, or what it waits on.

    `digest` is the statement's content, `person` the LRS's pseudonym of its actor.
    """
    if isinstance(command, RecordEvaluation):
        worker = worker_of(links, person) if command.identity is not None else None
        if isinstance(worker, Waiting):
            return worker
        course = course_of(links, command.activities)
        return course if isinstance(course, Waiting) else Target(worker, course=course)
    worker = worker_of(links, person)
    if isinstance(worker, Waiting):
        return worker
    if isinstance(command, RecordCompletion):
        course = course_of(links, (command.activity,))
        return course if isinstance(course, Waiting) else Target(worker, course=course)
    if isinstance(command, WithdrawCompletion):
        return Target(worker)
    looks_for_booking = isinstance(command, CancelBooking | RecordAttendance)
    assert isinstance(command, BookPlace | CancelBooking | RecordAttendance)
    session = session_of(links, command.activity, digest, worker, booked_on if looks_for_booking else None)
    return session if isinstance(session, Waiting) else Target(worker, session=session)
