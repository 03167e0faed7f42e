"""Hand-written validator of xAPI 1.0.3 and 2.0 statements (Data sections 2 and 4) with conformance-suite strictness."""

from __future__ import annotations

from lrs.errors import StatementValidationError
from lrs.validation.actors import IFI_KEYS, check_actor
from lrs.validation.primitives import fail, json_type, show
from lrs.validation.statement import check_statement
from lrs.versions import XAPI_1, XAPI_2

__all__ = ["StatementValidationError", "validate_agent_filter", "validate_statement", "validate_statements"]


def validate_statement(statement: object, *, path: str = "statement", version: str = XAPI_1) -> None:
    """Raise StatementValidationError (with a JSON-ish `path`) unless `statement` is a valid Statement of `version`.

    `statement` is the output of json.loads; it is never modified. id, timestamp, stored, authority and
    version may be absent (the LRS fills them in later) and are validated when present. `version` is the
    request's (`lrs.versions.XAPI_1` or `XAPI_2`): a 2.0 statement may also carry contextAgents and
    contextGroups (`lrs.validation.context2`) and a "2.0.x" version.
    """
    check_statement(statement, path, version == XAPI_2)


def validate_statements(statements: list[object], version: str = XAPI_1) -> None:
    """Validate a batch of `version`'s statements, reporting the first invalid statement as statements[i]...."""
    if not isinstance(statements, list):
        fail("statements", f"a statement batch must be a JSON array, got {json_type(statements)} {show(statements)}")
    xapi2 = version == XAPI_2
    for i, statement in enumerate(statements):
        check_statement(statement, f"statements[{i}]", xapi2)


def validate_agent_filter(agent: object, path: str = "agent") -> None:
    """The `agent` parameter of a statements query: an Agent or an identified Group (Communication 2.1.3).

    Held to the rules of an actor in a statement (Data 2.4.2): one inverse
    functional identifier, each well formed. Raises StatementValidationError
    whose path starts with `path`.
    """
    if check_actor(agent, path, "agent") == "Group" and not any(key in agent for key in IFI_KEYS):  # type: ignore[operator]
        fail(path, "agent must be an Agent or an identified Group: an anonymous Group (members only) "
                   "cannot be searched for; give the Group's mbox, mbox_sha1sum, openid or account")
