"""Imports of many records at once: every row checked, then all saved in one transaction, or none.

Rows are dicts of strings, as a CSV file gives them (columns in the README,
"Importing records"). Booleans are yes/no/true/false/1/0, lists are `;`-separated,
dates `YYYY-MM-DD`, instants ISO 8601 with an offset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.bookings import BookingCommands
from domain.errors import ConcurrentChangeError, InvalidCommandError, RecordsError, RowsRejectedError, RuleViolationError
from domain.people import AgencyCommands, WorkerCommands
from domain.record import Record
from domain.worker import Worker

KINDS = {"agencies": "agency", "workers": "worker", "courses": "course", "sessions": "session"}
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # (required, optional)
    "agencies": (("id", "name", "sector", "health", "contributes", "effective_from"), ()),
    "workers": (("id", "agency", "job_role", "target_group", "started_on", "name"),
                ("email", "works_with_group_4", "line_manager")),
    "courses": (("id", "title", "level", "delivery", "duration_minutes"), ("outcomes", "topics")),
    "sessions": (("id", "course", "starts_at", "ends_at", "venue", "capacity"), ("trainers",)),
    "completions": (("worker", "course", "completed_on", "source"), ()),
}
TRUE, FALSE = ("yes", "true", "1", "y"), ("no", "false", "0", "n", "")


def _flag(row: Mapping[str, str], name: str) -> bool:
    value = (row.get(name) or "").strip().lower()
    if value not in TRUE + FALSE:
        raise InvalidCommandError(f"{name} must be yes or no, not {value!r}")
    return value in TRUE


def _whole(row: Mapping[str, str], name: str) -> int:
    try:
        return int(row[name])
    except ValueError:
        raise InvalidCommandError(f"{name} must be a whole number, not {row[name]!r}") from None


def _day(row: Mapping[str, str], name: str) -> date:
    try:
        return date.fromisoformat(row[name].strip())
    except ValueError:
        raise InvalidCommandError(f"{name} must be a date YYYY-MM-DD, not {row[name]!r}") from None


def _instant(row: Mapping[str, str], name: str) -> datetime:
    try:
        value = datetime.fromisoformat(row[name].strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise InvalidCommandError(f"{name} must be an ISO 8601 date and time with an offset, not {row[name]!r}")
    return value


def _items(row: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in (row.get(name) or "").split(";") if item.strip()]


def _optional(row: Mapping[str, str], name: str) -> str | None:
    return (row.get(name) or "").strip() or None


class ImportCommands(AgencyCommands, WorkerCommands, BookingCommands):
    """`import_rows`: all rows or none."""

    def import_rows(self, actor: Actor, kind: str, rows: Sequence[Mapping[str, str]],
                    progress: Callable[[int], None] | None = None) -> int:
        """Check every row, then save them all in one transaction; returns how many were imported.

        Raises RowsRejectedError listing every bad row (numbered from 1) when any
        row is bad (nothing is saved), NotPermittedError for an agency credential
        importing what only the partnership may create. `progress(n)` is told of
        each n rows checked.
        """
        if kind == "completions":
            return self._import_completions(actor, rows, progress)
        if kind not in KINDS:
            raise InvalidCommandError(f"import one of {[*KINDS, 'completions']}, not {kind!r}")
        build = {"agencies": self._agency_row, "workers": self._worker_row, "courses": self._course_row,
                 "sessions": self._session_row}[kind]
        records: list[Record] = []
        problems: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for number, row in enumerate(rows, start=1):
            try:
                self._check_columns(kind, row)
                code = row["id"].strip()
                if code in seen:
                    raise RuleViolationError(f"id {code} is also on row {seen[code]}")
                seen[code] = number
                record = build(actor, row, set(seen))
                if self._exists(KINDS[kind], code):
                    raise RuleViolationError(f"{KINDS[kind]} {code} exists already")
                records.append(record)
            except RecordsError as error:
                problems.append((number, str(error)))
            if progress is not None:
                progress(1)
        if problems:
            raise RowsRejectedError(problems)
        try:
            self.save(*records)
        except IntegrityError:
            raise RuleViolationError("some of these records were created meanwhile; nothing was imported") from None
        return len(records)

    def _import_completions(self, actor: Actor, rows: Sequence[Mapping[str, str]],
                            progress: Callable[[int], None] | None) -> int:
        """Training completed before (or outside) these records, by the rules of `record_completion`.

        A source recorded before, or twice in the file, is one completion; returns how many were new.
        """
        workers: dict[str, Worker] = {}
        problems: list[tuple[int, str]] = []
        new = 0
        for number, row in enumerate(rows, start=1):
            try:
                self._check_columns("completions", row)
                code = row["worker"].strip()
                worker = workers.get(code) or self._visible_worker(actor, code)
                workers[code] = worker
                new += self._complete(actor, worker, row["course"].strip(), _day(row, "completed_on"),
                                      self._own_source(row["source"]))
            except RecordsError as error:
                problems.append((number, str(error)))
            if progress is not None:
                progress(1)
        if problems:
            raise RowsRejectedError(problems)
        try:
            self.save(*workers.values())
        except IntegrityError:
            raise ConcurrentChangeError("some of these workers changed meanwhile; nothing was imported") from None
        return new

    @staticmethod
    def _check_columns(kind: str, row: Mapping[str, str]) -> None:
        required, optional = COLUMNS[kind]
        missing = [c for c in required if not (row.get(c) or "").strip()]
        unknown = sorted(set(row) - set(required) - set(optional))
        if unknown:
            raise InvalidCommandError(f"unknown column(s) {unknown}; {kind} have {list(required + optional)}")
        if missing:
            raise InvalidCommandError(f"missing value(s) for {missing}")

    def _agency_row(self, actor: Actor, row: Mapping[str, str], known: set[str]) -> Record:
        return self._new_agency(actor, row["id"].strip(), row["name"], row["sector"].strip(), _flag(row, "health"),
                                _flag(row, "contributes"), _day(row, "effective_from"))

    def _worker_row(self, actor: Actor, row: Mapping[str, str], known: set[str]) -> Record:
        return self._new_worker(actor, row["id"].strip(), row["agency"].strip(), row["job_role"],
                                _whole(row, "target_group"), _day(row, "started_on"), row["name"],
                                _optional(row, "email"), _flag(row, "works_with_group_4"),
                                _optional(row, "line_manager"), known)

    def _course_row(self, actor: Actor, row: Mapping[str, str], known: set[str]) -> Record:
        return self._new_course(actor, row["id"].strip(), row["title"], row["level"].strip(),
                                row["delivery"].strip(), _items(row, "outcomes"), _items(row, "topics"),
                                _whole(row, "duration_minutes"))

    def _session_row(self, actor: Actor, row: Mapping[str, str], known: set[str]) -> Record:
        return self._new_session(actor, row["course"].strip(), _instant(row, "starts_at"), _instant(row, "ends_at"),
                                 row["venue"], _whole(row, "capacity"), _items(row, "trainers"), row["id"].strip())


def row_values(row: Mapping[str, Any]) -> dict[str, str]:
    """A CSV row with None (short rows) as empty strings."""
    return {str(k): "" if v is None else str(v) for k, v in row.items() if k is not None}
