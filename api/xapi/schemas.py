"""Marshmallow schemas of the statements resource's query parameters (Communication 2.1.3)."""

from __future__ import annotations

import json
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema


class StrictBoolean(fields.Field):
    """Only the words `true` and `false`, as the spec's examples send them."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError(f"must be true or false, got {value!r}")


class JSONObject(fields.Field):
    """A query parameter that carries a JSON object (the agent filter)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            parsed = json.loads(value)
        except ValueError:
            raise ValidationError(f"must be a JSON object, got {value!r}") from None
        if not isinstance(parsed, dict):
            raise ValidationError("must be a JSON object")
        return parsed


class StatementsQuerySchema(Schema):
    """GET /xapi/statements: one statement by id, or a filtered list."""

    class Meta:
        unknown = RAISE

    statement_id = fields.String(data_key="statementId")
    voided_statement_id = fields.String(data_key="voidedStatementId")
    agent = JSONObject()
    verb = fields.String()
    activity = fields.String()
    registration = fields.UUID()
    related_activities = StrictBoolean()
    related_agents = StrictBoolean()
    since = fields.String()
    until = fields.String()
    limit = fields.Integer(validate=validate.Range(min=0), strict=False)
    format = fields.String(validate=validate.OneOf(["exact", "ids", "canonical"]))
    attachments = StrictBoolean()
    ascending = StrictBoolean()
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

    statement_id = fields.String(data_key="statementId", required=True)
