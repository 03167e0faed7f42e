"""What a Moodle statement asks of the training records, before its links are looked up.

A command names the actor by their xAPI identity and the Moodle activity by its
IRI; the bridge's links turn them into a worker, a course or a session
(plugins/moodle_bridge/resolve.py). `Ignored` is a statement that changes no
record, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Ignored:
    """No command: the statement changes no record, for `reason`."""

    reason: str
    name = "none"


@dataclass(frozen=True)
class RecordCompletion:
    """`TrainingRecords.record_completion`: the actor completed the course linked to `activity` on `completed_on`."""

    identity: str
    activity: str
    completed_on: date
    name = "record_completion"


@dataclass(frozen=True)
class WithdrawCompletion:
    """`TrainingRecords.withdraw_completion`: Moodle marked `activity` not complete again; what it recorded goes."""

    identity: str
    activity: str
    name = "withdraw_completion"


@dataclass(frozen=True)
class BookPlace:
    """`TrainingRecords.book_place`: the actor signed up to the face-to-face `activity` (one of its sessions)."""

    identity: str
    activity: str
    name = "book_place"


@dataclass(frozen=True)
class CancelBooking:
    """`TrainingRecords.cancel_booking`: the actor cancelled, received at `received_at` (the statement's timestamp)."""

    identity: str
    activity: str
    received_at: datetime
    name = "cancel_booking"


@dataclass(frozen=True)
class RecordAttendance:
    """`TrainingRecords.record_attendance`: the register of the actor's session of `activity` marks them attended."""

    identity: str
    activity: str
    name = "record_attendance"


@dataclass(frozen=True)
class RecordEvaluation:
    """`TrainingRecords.record_course_evaluation`: a course-level evaluation, anonymous when `identity` is None.

    `activities` are where to find the course, first linked wins: the feedback
    (questionnaire, survey) activity itself, then the Moodle course it is in.
    """

    identity: str | None
    activities: tuple[str, ...]
    name = "record_course_evaluation"


Command = RecordCompletion | WithdrawCompletion | BookPlace | CancelBooking | RecordAttendance | RecordEvaluation
Translation = Command | Ignored
