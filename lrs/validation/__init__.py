"""Hand-written validator of xAPI 1.0.3 statements (Data sections 2 and 4) with conformance-suite strictness."""

from __future__ import annotations

from lrs.errors import StatementValidationError
from lrs.validation.primitives import fail, json_type, show
from lrs.validation.statement import check_statement

__all__ = ["StatementValidationError", "validate_statement", "validate_statements"]


def validate_statement(statement: object, *, path: str = "statement") -> None:
    """Raise StatementValidationError (with a JSON-ish `path`) unless `statement` is a valid xAPI 1.0.3 Statement.

    `statement` is the output of json.loads; it is never modified. id, timestamp, stored, authority and
    version may be absent (the LRS fills them in later) and are validated when present.
    """
    check_statement(statement, path)


def validate_statements(statements: list[object]) -> None:
    """Validate a batch, reporting the first invalid statement as statements[i]...."""
    if not isinstance(statements, list):
        fail("statements", f"a statement batch must be a JSON array, got {json_type(statements)} {show(statements)}")
    for i, statement in enumerate(statements):
        check_statement(statement, f"statements[{i}]")
