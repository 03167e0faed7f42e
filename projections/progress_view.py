"""Worker progress as of a day, as known at an instant: the progress facts rebuilt into domain values, then the domain's rules.

The facts known at `known_at` become the very values the domain evaluates
(`Worker` timelines, `Completion`s, `Pathway` versions, `Course` validations),
and each worker's progress is `evaluate_progress`, `overall_status` and
`is_compliant` of domain/progress.py, exactly as `TrainingRecords.get_progress`
calls them. Workers count on a day when they have started and not left.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.course import Course, Validation
from domain.pathway import DEFAULT_PATHWAYS, Pathway, PathwayVersion
from domain.progress import evaluate_progress, is_compliant, overall_status
from domain.timeline import Timeline
from domain.worker import Completion, Placement, Worker
from kernel.tracking import TrackingStore
from projections.facts import chunks, marks, tuples
from projections.progress import P


@dataclass(frozen=True)
class RequirementRow:
    """One requirement of a worker's pathway on the day: its status and the training that covers it, if any."""

    level: str
    status: str
    due_on: date
    expires_on: date | None
    covered_by: str | None
    course: str | None
    delivery: str | None
    completed_on: date | None


@dataclass(frozen=True)
class WorkerProgressRow:
    """A worker on the day: agency, role, group, the pathway in force (its `effective_from`, None: the default), status."""

    worker: str
    agency: str
    job_role: str
    target_group: int
    works_with_group_4: bool
    joined_group_on: date
    pathway_effective_from: date | None
    status: str
    compliant: bool
    requirements: tuple[RequirementRow, ...]


class ProgressFacts:
    """The progress facts known at `known_us` (microseconds since 1970), read from the `progress` follower's store."""

    def __init__(self, store: TrackingStore, known_us: int) -> None:
        self.store, self.known_us = store, known_us
        self.pathways = self._pathways()
        self.courses = self._validated_courses()

    def agencies(self) -> dict[str, dict[str, Any]]:
        """Each agency known: its latest name and sector, and its contribution timeline as (effective, contributes)."""
        found: dict[str, dict[str, Any]] = {}
        for row in self.store.fetch(f"SELECT * FROM {P}agencies WHERE recorded <= ? ORDER BY agency, version",
                                    [self.known_us]):
            agency = found.setdefault(row["agency"], {"name": "", "sector": "", "contribution": []})
            if row["name"] is not None:
                agency["name"], agency["sector"] = row["name"], row["sector"]
            if row["contributes"] is not None:
                agency["contribution"].append((row["effective"], bool(row["contributes"])))
        return found

    def worker_codes(self, agency: str | None = None) -> list[str]:
        """Every worker ever placed with `agency` (None: every worker) by `known_us`, sorted."""
        if agency is None:
            rows = self.store.fetch(f"SELECT DISTINCT worker FROM {P}workers WHERE recorded <= ? AND fact = ?",
                                    [self.known_us, "registered"])
        else:
            rows = self.store.fetch(f"SELECT DISTINCT worker FROM {P}workers WHERE agency = ? AND recorded <= ?",
                                    [agency, self.known_us])
        return sorted(row["worker"] for row in rows)

    def workers(self, codes: list[str] | None = None, agency: str | None = None) -> dict[str, Worker]:
        """The workers `codes` (or all ever with `agency`, or all), as `Worker` values of the facts known then."""
        facts = self._rows("worker, version, fact, effective, agency, target_group, works_with_group_4, job_role",
                           "workers", codes, agency, order=" ORDER BY worker, version")
        completions = self._rows("worker, source, course, level, delivery, completed_on", "completions", codes,
                                 agency, " AND (withdrawn IS NULL OR withdrawn > ?)", [self.known_us])
        return build_workers(facts, completions)

    def _rows(self, columns: str, table: str, codes: list[str] | None, agency: str | None, condition: str = "",
              params: Sequence[Any] = (), order: str = "") -> list[Sequence[Any]]:
        """Rows of a workers' table known then: of the workers `codes`, of those ever with `agency`, or all."""
        base = f"SELECT {columns} FROM {P}{table} WHERE recorded <= ?{condition}"
        if codes is not None:
            return [row for part in chunks(codes) for row in tuples(
                self.store, f"{base} AND worker IN ({marks(len(part))}){order}", [self.known_us, *params, *part])]
        if agency is not None:
            return tuples(self.store, f"{base} AND worker IN (SELECT worker FROM {P}workers WHERE agency = ? "
                                      f"AND recorded <= ?){order}", [self.known_us, *params, agency, self.known_us])
        return tuples(self.store, base + order, [self.known_us, *params])

    def _pathways(self) -> dict[int, Pathway]:
        found: dict[int, Pathway] = {}
        for row in self.store.fetch(f"SELECT * FROM {P}pathways WHERE recorded <= ? ORDER BY target_group, version",
                                    [self.known_us]):
            pathway = found.get(row["target_group"])
            if pathway is None:
                pathway = found[row["target_group"]] = object.__new__(Pathway)
                pathway.target_group, pathway.versions = int(row["target_group"]), []
            pathway.add(row["effective"], json.loads(row["requirements"]), json.loads(row["topics"]))
        return found

    def _validated_courses(self) -> dict[str, Course]:
        found: dict[str, Course] = {}
        for row in self.store.fetch(f"SELECT * FROM {P}validations WHERE recorded <= ? ORDER BY course, version",
                                    [self.known_us]):
            course = found.get(row["course"])
            if course is None:
                course = found[row["course"]] = object.__new__(Course)
                course.code, course.validations = row["course"], []
            course.validations.append(Validation(date.fromisoformat(row["valid_from"]),
                                                 date.fromisoformat(row["valid_until"])))
        return found

    def pathway_on(self, group: int, day: date) -> PathwayVersion:
        """The pathway of `group` in force on `day` as known then (as `TrainingRecords.get_pathway`)."""
        pathway = self.pathways.get(group)
        return DEFAULT_PATHWAYS[group] if pathway is None else pathway.in_force_on(day)

    def pathway_changes(self, group: int) -> list[date]:
        """The dates the revisions of `group`'s pathway known then take effect."""
        pathway = self.pathways.get(group)
        return [] if pathway is None else [v.effective_from for v in pathway.versions if v.effective_from is not None]

    def counts(self, completion: Completion) -> bool:
        """Whether training counts toward a pathway: single-agency training only when validated on the day completed.

        The same test as `TrainingRecords.get_progress` makes (seed 004; domain/application.py).
        """
        if completion.delivery != "single-agency":
            return True
        course = self.courses.get(completion.course)
        return course is not None and course.validation_current_on(completion.completed_on)

    def progress(self, worker: Worker, day: date) -> WorkerProgressRow | None:
        """The worker's progress on `day` with the rules then in force; None when not in post that day."""
        if worker.started_on > day or worker.has_left(day):
            return None
        placement = worker.placement_on(day)
        pathway = self.pathway_on(placement.target_group, day)
        joined = worker.joined_group_on(day)
        statuses = evaluate_progress(pathway, placement.works_with_group_4, joined, worker.completions.values(), day,
                                     self.counts)
        requirements = tuple(RequirementRow(
            s.level, s.status, s.due_on, s.expires_on, *((s.covered_by.source, s.covered_by.course,
                                                            s.covered_by.delivery, s.covered_by.completed_on)
                                                           if s.covered_by else (None, None, None, None)))
            for s in statuses)
        return WorkerProgressRow(worker.code, worker.agency_on(day), worker.job_role.on(day) or worker.job_role.changes[0][1],
                                 placement.target_group, placement.works_with_group_4, joined, pathway.effective_from,
                                 overall_status(statuses), is_compliant(statuses), requirements)

    def progress_rows(self, workers: Iterable[Worker], day: date, agency: str | None = None) -> Iterator[WorkerProgressRow]:
        """The progress of each worker in post on `day` (of `agency` on that day, when given), in the given order."""
        for worker in workers:
            row = self.progress(worker, day)
            if row is not None and agency in (None, row.agency):
                yield row


def build_workers(facts: Iterable[Sequence[Any]], completions: Iterable[Sequence[Any]]) -> dict[str, Worker]:
    """`Worker` values from fact rows in (worker, version) order; workers with no registration among them are dropped.

    Rows are (worker, version, fact, effective, agency, target_group, works_with_group_4,
    job_role) and (worker, source, course, level, delivery, completed_on). Changes
    are applied in version order, so a later change of the same effective date
    wins, as `Timeline.with_change` keeps them.
    """
    built: dict[str, Worker] = {}
    changes: tuple[list[tuple[str, Any]], ...] = ([], [], [])
    code, started, left = None, None, None
    for worker, _, fact, effective, agency, group, with_group_4, role in facts:
        if worker != code:
            if code is not None and started is not None:
                built[code] = _worker(code, started, left, changes)
            code, started, left, changes = worker, None, None, ([], [], [])
        if fact == "registered":
            started = effective
        elif fact == "left":
            left = effective
        if agency is not None:
            changes[0].append((effective, agency))
        if group is not None:
            changes[1].append((effective, _placement(int(group), bool(with_group_4))))
        if role is not None:
            changes[2].append((effective, role))
    if code is not None and started is not None:
        built[code] = _worker(code, started, left, changes)
    for worker, source, course, level, delivery, completed_on in completions:
        found = built.get(worker)  # by `known_at` at most one of a source stands: re-recording needs a withdrawal
        if found is not None:
            found.completions[source] = Completion(source, course, level, delivery, date.fromisoformat(completed_on))
    return built


@functools.cache
def _placement(group: int, with_group_4: bool) -> Placement:
    return Placement(group, with_group_4)


def _worker(code: str, started: str, left: str | None, changes: tuple[list[tuple[str, Any]], ...]) -> Worker:
    worker = object.__new__(Worker)  # a value of the domain's own class, built from facts rather than by events
    worker.code = code
    worker.agency, worker.placement, worker.job_role = (_timeline(c) for c in changes)
    worker.started_on = date.fromisoformat(started)
    worker.left_on = date.fromisoformat(left) if left else None
    worker.completions = {}
    return worker


def _timeline(changes: list[tuple[str, Any]]) -> Timeline[Any]:
    """Changes in recording order, ordered by effective date (a stable sort: a later change wins a tie)."""
    return Timeline(tuple(changes) if len(changes) == 1 else tuple(sorted(changes, key=lambda c: c[0])))
