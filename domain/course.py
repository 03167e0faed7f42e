"""A course: level, learning outcomes, topics, delivery; the partnership's validation of single-agency courses.

Levels are on the partnership's scale (domain/levels.py); a course keeps the
label it was defined with (say `health-3-core`) beside its level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.record import Record


@dataclass(frozen=True)
class Validation:
    """The partnership's validation of a single-agency course, current from `valid_from` to `valid_until` inclusive."""

    valid_from: date
    valid_until: date


class Course(Record):
    """One course of the programme; its level and delivery never change once defined."""

    class Defined(Record.Created):
        code: str
        title: str
        level: str
        level_label: str
        delivery: str
        outcomes: list[str]
        topics: list[str]
        duration_minutes: int

        def apply(self, course: Course) -> None:
            course.code, course.level, course.level_label = self.code, self.level, self.level_label
            course.delivery = self.delivery
            course.revise(self.title, self.outcomes, self.topics, self.duration_minutes)

    class Revised(Record.Event):
        title: str
        outcomes: list[str]
        topics: list[str]
        duration_minutes: int

        def apply(self, course: Course) -> None:
            course.revise(self.title, self.outcomes, self.topics, self.duration_minutes)

    class Validated(Record.Event):
        valid_until: str

        def apply(self, course: Course) -> None:
            course.validations.append(Validation(date.fromisoformat(self.effective),
                                                 date.fromisoformat(self.valid_until)))

    class EvaluationRecorded(Record.Event):
        """A course-level evaluation, as e-learning platforms send them; `worker` None when anonymous."""

        source: str
        worker: str | None
        ratings: list[dict[str, Any]]
        overall: int | None
        comment: str

        def apply(self, course: Course) -> None:
            course.evaluation_sources.add(self.source)
            course.evaluation_workers[self.source] = self.worker

    class EvaluationWithdrawn(Record.Event):
        """A course-level evaluation withdrawn (its source was voided); it stays recorded, so a repeat adds nothing."""

        source: str
        worker: str | None
        reason: str

        def apply(self, course: Course) -> None:
            course.withdrawn_evaluations.add(self.source)

    def __init__(self) -> None:
        self.code = ""
        self.title = ""
        self.level = ""
        self.level_label = ""
        self.delivery = ""
        self.outcomes: list[str] = []
        self.topics: list[str] = []
        self.duration_minutes = 0
        self.validations: list[Validation] = []
        self.evaluation_sources: set[str] = set()
        self.evaluation_workers: dict[str, str | None] = {}
        self.withdrawn_evaluations: set[str] = set()

    def revise(self, title: str, outcomes: list[str], topics: list[str], duration_minutes: int) -> None:
        self.title, self.outcomes, self.topics = title, list(outcomes), list(topics)
        self.duration_minutes = duration_minutes

    def validation_current_on(self, day: date) -> bool:
        """Whether a validation of this course is current on an English date."""
        return any(v.valid_from <= day <= v.valid_until for v in self.validations)
