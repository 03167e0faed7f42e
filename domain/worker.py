"""A worker of an agency: partnership-issued id, agency, role and target group over time, completed training.

Names and emails never appear in an event in clear: `pseudonym` and `sealed`
hold them sealed with the worker's own key (kernel/keys.py), which erasure deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.record import Record
from domain.timeline import Timeline


@dataclass(frozen=True)
class Completion:
    """Training a worker completed: a session attended, a validated single-agency course, an e-learning course.

    `source` names where it came from (`session:<id>`, `moodle:<digest>`, ...): the
    same source recorded twice is one completion.
    """

    source: str
    course: str
    level: str
    delivery: str
    completed_on: date


@dataclass(frozen=True)
class Placement:
    """A worker's target group (1 to 8) and whether they advise or supervise group 4 staff (groups 5, 6)."""

    target_group: int
    works_with_group_4: bool


class Worker(Record):
    """One worker; moves between agencies and target groups keep their history (effective dates)."""

    class Registered(Record.Created):
        code: str
        agency: str
        job_role: str
        target_group: int
        works_with_group_4: bool
        line_manager: str | None
        pseudonym: str
        sealed: str

        def apply(self, worker: Worker) -> None:
            worker.code = self.code
            worker.agency = Timeline.starting(self.effective, self.agency)
            worker.job_role = Timeline.starting(self.effective, self.job_role)
            worker.placement = Timeline.starting(self.effective, Placement(self.target_group, self.works_with_group_4))
            worker.line_manager = Timeline.starting(self.effective, self.line_manager)
            worker.started_on = date.fromisoformat(self.effective)
            worker.pseudonym, worker.sealed = self.pseudonym, self.sealed

    class MovedAgency(Record.Event):
        agency: str

        def apply(self, worker: Worker) -> None:
            worker.agency = worker.agency.with_change(self.effective, self.agency)

    class MovedGroup(Record.Event):
        target_group: int
        works_with_group_4: bool

        def apply(self, worker: Worker) -> None:
            placement = Placement(self.target_group, self.works_with_group_4)
            worker.placement = worker.placement.with_change(self.effective, placement)

    class JobRoleChanged(Record.Event):
        job_role: str

        def apply(self, worker: Worker) -> None:
            worker.job_role = worker.job_role.with_change(self.effective, self.job_role)

    class LineManagerChanged(Record.Event):
        line_manager: str | None

        def apply(self, worker: Worker) -> None:
            worker.line_manager = worker.line_manager.with_change(self.effective, self.line_manager)

    class PersonalDetailsChanged(Record.Event):
        pseudonym: str
        sealed: str

        def apply(self, worker: Worker) -> None:
            worker.pseudonym, worker.sealed, worker.erased = self.pseudonym, self.sealed, False

    class PersonalDataErased(Record.Event):
        """The worker's key was destroyed: their name and email are unreadable in every event, which stay as they were."""

        def apply(self, worker: Worker) -> None:
            worker.erased = True

    class Left(Record.Event):
        def apply(self, worker: Worker) -> None:
            worker.left_on = date.fromisoformat(self.effective)

    class CompletionRecorded(Record.Event):
        source: str
        course: str
        level: str
        delivery: str

        def apply(self, worker: Worker) -> None:
            completion = Completion(self.source, self.course, self.level, self.delivery,
                                    date.fromisoformat(self.effective))
            worker.completions[self.source] = completion

    class CompletionWithdrawn(Record.Event):
        source: str
        reason: str

        def apply(self, worker: Worker) -> None:
            worker.completions.pop(self.source, None)

    def __init__(self) -> None:
        self.code = ""
        self.agency: Timeline[str] = Timeline.starting("0001-01-01", "")
        self.job_role: Timeline[str] = Timeline.starting("0001-01-01", "")
        self.placement: Timeline[Placement] = Timeline.starting("0001-01-01", Placement(1, False))
        self.line_manager: Timeline[str | None] = Timeline.starting("0001-01-01", None)
        self.started_on = date.min
        self.left_on: date | None = None
        self.pseudonym = ""
        self.sealed = ""
        self.erased = False
        self.completions: dict[str, Completion] = {}

    def agency_on(self, day: date) -> str:
        """The agency the worker belongs to on an English date (their first agency before they started)."""
        return self.agency.on(day) or self.agency.changes[0][1]

    def placement_on(self, day: date) -> Placement:
        """The target group on an English date (their first group before they started)."""
        return self.placement.on(day) or self.placement.changes[0][1]

    def joined_group_on(self, day: date) -> date:
        """The date the worker joined the target group they are in on `day` (when its requirements start to run)."""
        current = self.placement_on(day).target_group
        joined = self.placement.changes[0][0]
        previous: int | None = None
        for effective, placement in self.placement.changes:
            if effective > day.isoformat():
                break
            if placement.target_group != previous:
                joined = effective
            previous = placement.target_group
        return date.fromisoformat(joined) if previous == current else self.started_on

    def has_left(self, day: date) -> bool:
        return self.left_on is not None and self.left_on <= day
