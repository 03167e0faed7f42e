"""The Agents resource: GET and HEAD of /xapi/agents?agent=... (xAPI 1.0.3 Communication 2.4)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request
from marshmallow import RAISE, Schema, ValidationError, fields

from api.auth import require
from api.xapi import xapi
from api.xapi.activities import json_with_etag
from api.xapi.schemas import single_values
from lrs.agents import check_agent_parameter
from lrs.errors import BadRequestError, StatementValidationError
from lrs.json_input import parse_json
from lrs.service import LearningRecordStore

# Names are personal data: a Person is for credentials that may read every statement (Communication 2.4:
# "SHOULD reject insufficiently privileged requests with 403"); statements/read/mine reads only its own.
AGENT_SCOPES = ("statements/read", "all/read", "all")


class AgentParameter(fields.Field):
    """A JSON Agent with one inverse functional identifier; a Group, or anything else, is a ValidationError."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            agent = parse_json(str(value).encode(), "the agent parameter")
            check_agent_parameter(agent)
        except (BadRequestError, StatementValidationError) as error:
            raise ValidationError(str(error)) from None
        return agent  # type: ignore[no-any-return]


class AgentQuerySchema(Schema):
    """GET /xapi/agents: `agent` and nothing else (a missing or bad one is 400)."""

    class Meta:
        unknown = RAISE

    agent = AgentParameter(required=True)


@xapi.get("/agents")
def get_person() -> Response:
    """200 and the Person object of the agent: its identifier and the names stored statements gave it.

    Raises (as 400) a ValidationError for a missing, repeated or invalid agent
    or any other parameter; 403 for a credential that may not read every statement.
    """
    require(*AGENT_SCOPES)
    params = AgentQuerySchema().load(single_values(request.args))
    lrs: LearningRecordStore = current_app.extensions["slrs"].lrs
    return json_with_etag(lrs.get_person(params["agent"]))
