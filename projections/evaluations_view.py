"""Evaluation summaries per course, session and trainer (seed 000 s.10), with every cell under 5 responses suppressed.

A cell is a count of responses and the mean rating they give (overall, or of
one learning outcome). A cell of fewer than `MIN_RESPONSES` responses shows
neither its count nor its mean, so no delegate's rating can be read off a
small group. A course's row holds its sessions' evaluations and the course-level
ones (e-learning, possibly anonymous); a trainer's holds those of the sessions
they trained. An agency sees summaries of its own delegates' evaluations only
(anonymous ones belong to no agency).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.timeline import Timeline
from kernel.tracking import TrackingStore
from projections.evaluations import E
from projections.facts import chunks, marks
from projections.timepoint import TimePoint

MIN_RESPONSES = 5


@dataclass(frozen=True)
class RatingCell:
    """Responses rating one thing (`overall`, or a learning outcome) and their mean (1 to 5); None when suppressed."""

    outcome: str
    responses: int | None
    mean: float | None
    suppressed: bool


@dataclass(frozen=True)
class EvaluationSummaryRow:
    """The evaluations of one course, session or trainer (`by`): how many, overall, and per learning outcome."""

    by: str
    id: str
    course: str
    responses: int | None
    suppressed: bool
    overall: RatingCell
    outcomes: tuple[RatingCell, ...]


@dataclass(frozen=True)
class EvaluationSummaryView:
    """Summaries of evaluations recorded `first` to `last` (and by `as_of`), as known at `known_at`.

    Evaluations take effect when recorded, so `late_corrections` is always empty.
    """

    as_of: date
    known_at: datetime
    agency: str | None
    first: date
    last: date
    rows: list[EvaluationSummaryRow]
    late_corrections: list[Any]


def cell(outcome: str, ratings: list[int]) -> RatingCell:
    """A cell of `ratings`, suppressed under MIN_RESPONSES."""
    if len(ratings) < MIN_RESPONSES:
        return RatingCell(outcome, None, None, True)
    return RatingCell(outcome, len(ratings), round(sum(ratings) / len(ratings), 2), False)


def summary(by: str, code: str, course: str, responses: list[dict[str, Any]]) -> EvaluationSummaryRow:
    """The row of one course, session or trainer from its responses (`overall` and `ratings` of each)."""
    per_outcome: dict[str, list[int]] = defaultdict(list)
    for response in responses:
        for rating in response["ratings"]:
            per_outcome[rating["outcome"]].append(int(rating["rating"]))
    overall = cell("overall", [int(r["overall"]) for r in responses if r["overall"] is not None])
    few = len(responses) < MIN_RESPONSES
    return EvaluationSummaryRow(by, code, course, None if few else len(responses), few, overall,
                                tuple(cell(o, per_outcome[o]) for o in sorted(per_outcome)))


def evaluation_summaries(store: TrackingStore, tp: TimePoint, first: date, last: date, agency: str | None = None,
                         course: str | None = None) -> EvaluationSummaryView:
    """Rows by course, then by session, then by trainer, each sorted by id."""
    responses = _responses(store, tp, first, last, course)
    if agency is not None:
        responses = [r for r in responses if r["agency"] == agency]
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for response in responses:
        groups[("course", response["course"], response["course"])].append(response)
        if response["session"]:
            groups[("session", response["session"], response["course"])].append(response)
            for trainer in response["trainers"]:
                groups[("trainer", trainer, "")].append(response)
    order = {"course": 0, "session": 1, "trainer": 2}
    rows = [summary(by, code, course_, found) for (by, code, course_), found in
            sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))]
    return EvaluationSummaryView(tp.as_of, tp.known_at, agency, first, last, rows, [])


def _responses(store: TrackingStore, tp: TimePoint, first: date, last: date, course: str | None
               ) -> list[dict[str, Any]]:
    sql = (f"SELECT r.*, s.course AS session_course, s.trainers, b.agency AS booking_agency FROM {E}responses r "
           f"LEFT JOIN {E}sessions s ON s.session = r.session LEFT JOIN {E}bookings b ON b.booking = r.booking "
           "WHERE r.recorded <= ? AND r.effective_day <= ? AND r.effective_day >= ? AND r.effective_day <= ? "
           "AND (r.withdrawn IS NULL OR r.withdrawn > ?)")
    rows = store.fetch(sql, [tp.known_us, tp.day, first.isoformat(), last.isoformat(), tp.known_us])
    agencies = _worker_agencies(store, tp, {r["worker"] for r in rows if r["kind"] == "course" and r["worker"]})
    found = []
    for row in rows:
        code = row["session_course"] if row["kind"] == "session" else row["course"]
        if course not in (None, code):
            continue
        if row["kind"] == "session":
            agency = row["booking_agency"]
        else:
            timeline = agencies.get(row["worker"] or "")
            agency = timeline.on(date.fromisoformat(row["effective_day"])) if timeline else None
        found.append({"course": code, "session": row["session"], "agency": agency, "overall": row["overall"],
                      "ratings": json.loads(row["ratings"]), "trainers": json.loads(row["trainers"] or "[]")})
    return found


def _worker_agencies(store: TrackingStore, tp: TimePoint, workers: Iterable[str]) -> dict[str, Timeline[str]]:
    changes: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for part in chunks(sorted(workers)):
        for row in store.fetch(f"SELECT * FROM {E}workers WHERE recorded <= ? AND worker IN ({marks(len(part))})",
                               [tp.known_us, *part]):
            changes[row["worker"]].append((int(row["version"]), row["effective"], row["agency"]))
    return {w: Timeline(tuple(sorted(((e, a) for _, e, a in sorted(c)), key=lambda x: x[0])))
            for w, c in changes.items()}
