"""Commands and queries on courses, their validation, pathways, and completions recorded from elsewhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.base import RecordsBase
from domain.course import Course
from domain.errors import InvalidCommandError, NotPermittedError, RecordNotFoundError, RuleViolationError
from domain.ids import aggregate_id, check_code
from domain.levels import DELIVERIES, LEVELS, check_choice, check_target_group, parse_level
from domain.pathway import DEFAULT_PATHWAYS, Pathway, PathwayVersion, Requirement
from domain.people import _text
from domain.views import CourseDetails
from domain.worker import Worker

MAX_RATING = 5


def check_ratings(course: Course, ratings: list[dict[str, Any]], overall: int | None) -> list[dict[str, Any]]:
    """Ratings 1 to 5, one per learning outcome of the course at most. Raises InvalidCommandError."""
    seen: set[str] = set()
    checked = []
    for entry in ratings:
        outcome, rating = entry.get("outcome"), entry.get("rating")
        if outcome not in course.outcomes:
            raise InvalidCommandError(f"{outcome!r} is not a learning outcome of course {course.code}: "
                                      f"{course.outcomes}")
        if outcome in seen:
            raise InvalidCommandError(f"learning outcome {outcome!r} is rated twice")
        seen.add(outcome)
        checked.append({"outcome": outcome, "rating": _rating(f"rating of {outcome!r}", rating)})
    if overall is not None:
        _rating("overall rating", overall)
    return checked


def _rating(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RATING:
        raise InvalidCommandError(f"{name} must be a whole number from 1 to {MAX_RATING}, not {value!r}")
    return value


class ProgrammeCommands(RecordsBase):
    """Courses, pathways and completions: the partnership defines the programme; agencies record completions."""

    def define_course(self, actor: Actor, code: str, title: str, level: str, delivery: str,
                      outcomes: list[str], topics: list[str], duration_minutes: int) -> CourseDetails:
        """Define a course; `level` may be a health intercollegiate level (mapped, DESIGN.md).

        Raises NotPermittedError for an agency, RuleViolationError if the id is taken.
        """
        course = self._new_course(actor, code, title, level, delivery, outcomes, topics, duration_minutes)
        try:
            self.save(course)
        except IntegrityError:
            raise RuleViolationError(f"course {code} is defined already") from None
        return CourseDetails.of(course, self.today())

    def _new_course(self, actor: Actor, code: str, title: str, level: str, delivery: str,
                    outcomes: list[str], topics: list[str], duration_minutes: int) -> Course:
        actor.require_partnership("define courses")
        check_code("course", code)
        course: Course = Course._begin(
            Course.Defined, aggregate_id("course", code), actor, self.clock.now(), self.today().isoformat(),
            code=code, title=_text("title", title), level=parse_level(level), level_label=level,
            delivery=check_choice("delivery", delivery, DELIVERIES), outcomes=self._list("outcome", outcomes),
            topics=self._list("topic", topics), duration_minutes=self._duration(duration_minutes),
        )
        return course

    @staticmethod
    def _list(name: str, values: list[str]) -> list[str]:
        cleaned = [_text(name, v) for v in values]
        if len(set(cleaned)) != len(cleaned):
            raise InvalidCommandError(f"each {name} must be given once")
        return cleaned

    @staticmethod
    def _duration(minutes: int) -> int:
        if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 60 * 24 * 5:
            raise InvalidCommandError(f"duration must be 1 to 7200 minutes, not {minutes!r}")
        return minutes

    def revise_course(self, actor: Actor, code: str, title: str, outcomes: list[str], topics: list[str],
                      duration_minutes: int) -> CourseDetails:
        """Revise what a course teaches; its level and delivery never change."""
        actor.require_partnership("revise courses")

        def command() -> Course:
            course = self._load("course", code, Course)
            course._record(Course.Revised, actor, self.clock.now(), self.today().isoformat(),
                           title=_text("title", title), outcomes=self._list("outcome", outcomes),
                           topics=self._list("topic", topics), duration_minutes=self._duration(duration_minutes))
            self.save(course)
            return course

        return CourseDetails.of(self._retrying(command), self.today())

    def validate_course(self, actor: Actor, code: str, valid_from: date, valid_until: date) -> CourseDetails:
        """The partnership validates a single-agency course for a period (seed 004); it counts while current."""
        actor.require_partnership("validate single-agency courses")
        if valid_until < valid_from:
            raise InvalidCommandError("a validation must end on or after the day it starts")

        def command() -> Course:
            course = self._load("course", code, Course)
            if course.delivery != "single-agency":
                raise RuleViolationError(f"course {code} is {course.delivery}; only single-agency courses "
                                         "are validated")
            course._record(Course.Validated, actor, self.clock.now(), valid_from.isoformat(),
                           valid_until=valid_until.isoformat())
            self.save(course)
            return course

        return CourseDetails.of(self._retrying(command), self.today())

    def get_course(self, code: str, on: date | None = None) -> CourseDetails:
        return CourseDetails.of(self._load("course", code, Course), on or self.today())

    def list_courses(self, on: date | None = None) -> list[CourseDetails]:
        return [self.get_course(c, on) for c in self._codes(Course, Course.Defined)]

    def record_course_evaluation(self, actor: Actor, course: str, source: str, ratings: list[dict[str, Any]],
                                 overall: int | None, comment: str = "", worker: str | None = None) -> bool:
        """A course-level evaluation (from an e-learning platform), possibly anonymous (`worker` None).

        Returns False, changing nothing, when `source` was recorded before.
        """
        if worker is not None:
            self._visible_worker(actor, worker)
        source = _text("source", source, limit=500)

        def command() -> bool:
            found = self._load("course", course, Course)
            if source in found.evaluation_sources:
                return False
            found._record(Course.EvaluationRecorded, actor, self.clock.now(), self.today().isoformat(),
                          source=source, worker=worker, ratings=check_ratings(found, ratings, overall),
                          overall=overall, comment=_text("comment", comment, required=False, limit=5000))
            self.save(found)
            return True

        return self._retrying(command)

    def withdraw_course_evaluation(self, actor: Actor, course: str, source: str, reason: str) -> bool:
        """Withdraw the course-level evaluation recorded from `source` (say, a voided xAPI statement).

        Returns False, changing nothing, when none was recorded from `source` or it
        was withdrawn before. The source stays known: recording it again adds nothing.
        """
        actor.require_partnership("withdraw course evaluations")
        source = _text("source", source, limit=500)

        def command() -> bool:
            found = self._load("course", course, Course)
            if source not in found.evaluation_sources or source in found.withdrawn_evaluations:
                return False
            found._record(Course.EvaluationWithdrawn, actor, self.clock.now(), self.today().isoformat(),
                          source=source, worker=found.evaluation_workers.get(source),
                          reason=_text("reason", reason, limit=1000))
            self.save(found)
            return True

        return self._retrying(command)

    def publish_pathway(self, actor: Actor, target_group: int, requirements: list[dict[str, Any]],
                        topics: list[str], effective_from: date) -> PathwayVersion:
        """Revise what `target_group` requires from `effective_from` on.

        Each requirement: {"level", "due_months" (default 3), "refresh_years" (default 3), "group_4_only"}.
        """
        actor.require_partnership("publish pathways")
        check_target_group(target_group)
        checked = [self._requirement(r) for r in requirements]
        if len({r.level for r in checked}) != len(checked):
            raise InvalidCommandError("each level may be required once")

        def command() -> PathwayVersion:
            pathway_id = aggregate_id("pathway", str(target_group))
            fields = {"requirements": [r.as_dict() for r in checked], "topics": self._list("topic", topics)}
            pathway: Pathway
            if self._exists_id(pathway_id):
                pathway = self.repository.get(pathway_id)
                pathway._record(Pathway.Revised, actor, self.clock.now(), effective_from.isoformat(), **fields)
            else:
                pathway = Pathway._begin(Pathway.Published, pathway_id, actor, self.clock.now(),
                                         effective_from.isoformat(), target_group=target_group, **fields)
            self.save(pathway)
            return pathway.in_force_on(effective_from)

        return self._retrying(command)

    def _exists_id(self, aggregate: Any) -> bool:
        return bool(self.recorder.select_events(aggregate, limit=1))

    @staticmethod
    def _requirement(value: dict[str, Any]) -> Requirement:
        level = value.get("level")
        if level not in LEVELS:
            raise InvalidCommandError(f"a requirement's level must be one of {list(LEVELS)}, not {level!r}")
        due, refresh = value.get("due_months", 3), value.get("refresh_years", 3)
        for name, number, top in (("due_months", due, 60), ("refresh_years", refresh, 20)):
            if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= top:
                raise InvalidCommandError(f"{name} must be a whole number from 0 to {top}, not {number!r}")
        return Requirement(level, due, refresh, bool(value.get("group_4_only", False)))

    def get_pathway(self, target_group: int, on: date | None = None) -> PathwayVersion:
        """The pathway of a target group in force on an English date (default today)."""
        check_target_group(target_group)
        day = on or self.today()
        pathway_id = aggregate_id("pathway", str(target_group))
        if not self._exists_id(pathway_id):
            return DEFAULT_PATHWAYS[target_group]
        found: Pathway = self.repository.get(pathway_id)
        return found.in_force_on(day)

    def list_pathways(self, on: date | None = None) -> list[PathwayVersion]:
        """The pathway of each of the eight target groups in force on `on` (default today)."""
        return [self.get_pathway(group, on) for group in range(1, 9)]

    def record_completion(self, actor: Actor, worker: str, course: str, completed_on: date, source: str) -> bool:
        """Training completed elsewhere (single-agency, e-learning). Returns False when `source` was recorded before.

        Raises RecordNotFoundError for an unknown course or a worker the actor may not see.
        """
        source = self._own_source(source)

        def command() -> bool:
            record = self._visible_worker(actor, worker)  # another agency's worker looks absent first
            if not self._complete(actor, record, course, completed_on, source):
                return False
            self.save(record)
            return True

        return self._retrying(command)

    def _complete(self, actor: Actor, worker: Worker, course: str, completed_on: date, source: str) -> bool:
        """Record a completion on `worker` (not saved); False when its source was recorded before."""
        if completed_on > self.today():
            raise InvalidCommandError("a completion cannot be dated in the future")
        found = self._load("course", course, Course)
        if found.delivery == "inter-agency" and not actor.is_partnership:
            raise NotPermittedError(f"course {course} is inter-agency: its completions come from session registers "
                                    "(or from the partnership)")
        if source in worker.completions:
            return False
        worker._record(Worker.CompletionRecorded, actor, self.clock.now(), completed_on.isoformat(),
                       source=source, course=course, level=found.level, delivery=found.delivery)
        return True

    def withdraw_completion(self, actor: Actor, worker: str, source: str, reason: str) -> bool:
        """Withdraw a completion recorded from `source`. Returns False when there is none.

        A session's completion follows its register: correct the register instead.
        """
        source = self._own_source(source)

        def command() -> bool:
            record = self._visible_worker(actor, worker)
            if source not in record.completions:
                return False
            record._record(Worker.CompletionWithdrawn, actor, self.clock.now(), self.today().isoformat(),
                           source=source, reason=_text("reason", reason, limit=1000))
            self.save(record)
            return True

        return self._retrying(command)

    @staticmethod
    def _own_source(source: str) -> str:
        source = _text("source", source, limit=500)
        if source.startswith("session:"):
            raise InvalidCommandError("sources beginning 'session:' belong to session registers")
        return source

    def _validation_current(self, course: str, on: date) -> bool:
        try:
            return self._load("course", course, Course).validation_current_on(on)
        except RecordNotFoundError:
            return False
