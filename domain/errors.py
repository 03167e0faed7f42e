"""Typed errors of the training records; `api/` maps each to an HTTP status once, by class."""

from __future__ import annotations


class RecordsError(Exception):
    """Base of every error the training records raise on purpose."""


class InvalidCommandError(RecordsError):
    """A command's values are malformed or out of range (maps to 400)."""


class RecordNotFoundError(RecordsError):
    """No record with that id, or none this actor may see (maps to 404: another agency's ids look absent)."""


class NotPermittedError(RecordsError):
    """The actor may see the record but not do this to it, e.g. an agency scheduling a session (maps to 403)."""


class RuleViolationError(RecordsError):
    """A business rule refuses the command; nothing changed (maps to 409)."""


class ConcurrentChangeError(RecordsError):
    """The record changed while the command ran and retrying did not settle it; safe to retry (maps to 409)."""


class RowsRejectedError(InvalidCommandError):
    """An import with bad rows: nothing was imported. `problems` lists (row number from 1, reason) (maps to 400)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(problems)} bad row(s); nothing was imported")
        self.problems = problems
