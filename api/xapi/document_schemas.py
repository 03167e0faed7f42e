"""Marshmallow schemas of the document resources' query parameters (Communication 2.3, 2.6, 2.7).

`activityId` is an IRI, `agent` an Agent as a statement's actor would be (for
the State, an identified Group too; for the Agent Profile an Agent only, as
2.6 says), `registration` a UUID, `since` an ISO 8601 timestamp, and the
document's id a non-empty string. Unknown parameters are refused. A bad value
is a 400 that names the parameter.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from api.xapi.schemas import AgentFilter, Checked, IndexTimestamp
from lrs.errors import BadRequestError, StatementValidationError
from lrs.json_input import parse_json
from lrs.validation.actors import check_actor
from lrs.validation.structures import check_iri, check_uuid


class AgentOnly(fields.Field):
    """A JSON Agent (not a Group: Communication 2.6 says a Group's identifier goes in an Agent object)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            agent = parse_json(str(value).encode(), "the agent parameter")
            if check_actor(agent, "agent", "agent") != "Agent":
                raise ValidationError('must be an Agent, not a Group: put the Group\'s identifier in an Agent '
                                      'object ("objectType": "Agent"), Communication 2.6')
        except StatementValidationError as error:
            raise ValidationError(error.message) from None
        except BadRequestError as error:
            raise ValidationError(str(error)) from None
        return agent  # type: ignore[no-any-return]


def _document_id(name: str) -> fields.String:
    return fields.String(data_key=name, validate=validate.Length(min=1, error=f"{name} must not be empty"))


def _activity_id(**kwargs: Any) -> Checked:
    return Checked(check_iri, "activityId", data_key="activityId", **kwargs)


class _DocumentParameters(Schema):
    class Meta:
        unknown = RAISE

    since = IndexTimestamp()

    @post_load
    def _lower_registration(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if "registration" in data:
            data["registration"] = data["registration"].lower()
        return data


class StateParameters(_DocumentParameters):
    """/xapi/activities/state: activityId and agent, optional registration, stateId or (GET) since."""

    activity_id = _activity_id(required=True)
    agent = AgentFilter(required=True)
    registration = Checked(check_uuid, "registration")
    document_id = _document_id("stateId")


class ActivityProfileParameters(_DocumentParameters):
    """/xapi/activities/profile: activityId, profileId or (GET) since."""

    activity_id = _activity_id(required=True)
    document_id = _document_id("profileId")


class AgentProfileParameters(_DocumentParameters):
    """/xapi/agents/profile: agent, profileId or (GET) since."""

    agent = AgentOnly(required=True)
    document_id = _document_id("profileId")
