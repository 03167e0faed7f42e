"""Marshmallow schemas of the statements resource's query parameters (Communication 2.1.3).

Each parameter is held to the rules of the statement value it names (Data
2.2): `agent` is an Agent or identified Group as an actor would be, `verb` and
`activity` are IRIs, ids and `registration` are UUIDs, `since` and `until` are
ISO 8601 timestamps. A bad value is a 400 that names the parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from lrs.errors import BadRequestError, StatementValidationError
from lrs.json_input import parse_json
from lrs.query import FORMATS
from lrs.timestamps import to_index_form
from lrs.validation import validate_agent_filter
from lrs.validation.structures import check_iri, check_uuid

BOOLEAN_WORDS = {"true": True, "false": False}


def single_values(args: MultiDict[str, str]) -> dict[str, str]:
    """The query's parameters, each given once; raises ValidationError naming any given twice."""
    repeated = {name: ["given more than once; give it once"] for name, values in args.lists() if len(values) > 1}
    if repeated:
        raise ValidationError(repeated)
    return args.to_dict()


class BooleanWord(fields.Field):
    """The words `true` and `false`, in any case: tincan's RemoteLRS sends Python's `True` and `False`."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        word = BOOLEAN_WORDS.get(str(value).lower())
        if word is None:
            raise ValidationError(f"must be true or false, got {value!r}")
        return word


class Checked(fields.String):
    """A string held to one of the validator's checks (`check(value, path, name)`)."""

    def __init__(self, check: Callable[[object, str, str], None], what: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.what = what

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            self.check(text, attr or "", self.what)
        except StatementValidationError as error:
            raise ValidationError(error.message) from None
        return text


class AgentFilter(fields.Field):
    """A JSON Agent or identified Group, checked as an actor in a statement would be."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            agent = parse_json(str(value).encode(), "the agent parameter")
            validate_agent_filter(agent)
        except (BadRequestError, StatementValidationError) as error:
            raise ValidationError(str(error)) from None
        return agent  # type: ignore[no-any-return]


class IndexTimestamp(fields.String):
    """An ISO 8601 timestamp, loaded in the index's sortable UTC form."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        try:
            return to_index_form(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as error:
            raise ValidationError(str(error)) from None


def _uuid(what: str, **kwargs: Any) -> Checked:
    return Checked(check_uuid, what, **kwargs)


class StatementsQuerySchema(Schema):
    """GET /xapi/statements: one statement by id, or a filtered list."""

    class Meta:
        unknown = RAISE

    statement_id = _uuid("statementId", data_key="statementId")
    voided_statement_id = _uuid("voidedStatementId", data_key="voidedStatementId")
    agent = AgentFilter()
    verb = Checked(check_iri, "verb")
    activity = Checked(check_iri, "activity")
    registration = _uuid("registration")
    related_activities = BooleanWord()
    related_agents = BooleanWord()
    since = IndexTimestamp()
    until = IndexTimestamp()
    limit = fields.Integer(validate=validate.Range(min=0), strict=False)
    format = fields.String(validate=validate.OneOf(FORMATS))
    attachments = BooleanWord()
    ascending = BooleanWord()
    more = fields.String()

    @validates_schema
    def _single_or_list(self, data: dict[str, Any], **kwargs: Any) -> None:
        """2.1.3: with statementId or voidedStatementId only attachments and format may be given."""
        by_id = [k for k in ("statement_id", "voided_statement_id") if k in data]
        if len(by_id) > 1:
            raise ValidationError("give statementId or voidedStatementId, not both")
        if by_id:
            extra = set(data) - {*by_id, "attachments", "format"}
            if extra:
                raise ValidationError(f"only attachments and format may go with {by_id[0]}, not {sorted(extra)}")


class PutStatementSchema(Schema):
    """PUT /xapi/statements: the id of the statement in the body."""

    class Meta:
        unknown = RAISE

    statement_id = _uuid("statementId", data_key="statementId", required=True)
