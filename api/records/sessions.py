"""/api/v1/sessions: schedule and cancel course sessions, close their registers, delegates' evaluations, history.

Bookings on a session are in api/records/bookings.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields, validate

from api.auth import HISTORY_SCOPES, RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.answers import HistoryEntrySchema, SessionSchema
from api.records.courses import ratings
from api.records.fields import Code, Instant, StrictInteger, Text
from api.records.routing import Answer, StrictSchema, operation, records
from domain.actor import Actor

sessions = Blueprint("sessions", __name__, url_prefix="/api/v1")


class ScheduleSessionSchema(StrictSchema):
    """A session of a face-to-face course; `id` is made up when absent; trainers are workers of the pool."""

    id = Code()
    course = Code(required=True)
    starts_at = Instant(required=True)
    ends_at = Instant(required=True)
    venue = Text(required=True)
    capacity = StrictInteger(required=True, metadata={"minimum": 1, "maximum": 1000})
    trainers = fields.List(Code(), load_default=list, validate=validate.Length(max=50))


class SessionsQuerySchema(StrictSchema):
    """Sessions of one course only."""

    course = Code()


class CancelSessionSchema(StrictSchema):
    """Why the partnership cancels the session (every place is freed without charge)."""

    reason = Text(required=True)


class CloseRegisterSchema(StrictSchema):
    """Nothing: send `{}`."""


class SessionEvaluationSchema(StrictSchema):
    """A delegate's evaluation of a session they attended: ratings per learning outcome, overall, comment."""

    worker = Code(required=True)
    ratings = ratings()
    overall = StrictInteger(required=True, metadata={"minimum": 1, "maximum": 5})
    comment = Text(max_length=5000, load_default="")


@operation(sessions, "POST", "/sessions", summary="Schedule a session", scopes=RECORDS_WRITE_SCOPES,
           body=ScheduleSessionSchema, answer=SessionSchema, status=201, errors=(404, 409))
def schedule_session(actor: Actor, body: dict[str, Any]) -> Any:
    """The partnership schedules a session of an inter-agency or single-agency course."""
    code = body.pop("id", None)
    found = records().schedule_session(actor, code=code, **body)
    return Answer(found, 201, {"Location": f"/api/v1/sessions/{found.id}"})


@operation(sessions, "GET", "/sessions", summary="List sessions", scopes=RECORDS_READ_SCOPES,
           query=SessionsQuerySchema, answer=SessionSchema, many=True)
def list_sessions(actor: Actor, query: dict[str, Any]) -> Any:
    """Every session (of `course` if given); an agency credential sees its own bookings only."""
    return records().list_sessions(actor, query.get("course"))


@operation(sessions, "GET", "/sessions/<code>", summary="Read a session", scopes=RECORDS_READ_SCOPES,
           answer=SessionSchema, errors=(404,))
def get_session(actor: Actor, code: str) -> Any:
    """A session with its places; an agency credential sees its own bookings only."""
    return records().get_session(actor, code)


@operation(sessions, "POST", "/sessions/<code>/cancellation", summary="Cancel a session",
           scopes=RECORDS_WRITE_SCOPES, body=CancelSessionSchema, answer=SessionSchema, errors=(404, 409))
def cancel_session(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The partnership cancels the session before its register closes; every place is freed without charge."""
    return records().cancel_session(actor, code, body["reason"])


@operation(sessions, "POST", "/sessions/<code>/register-closure", summary="Close a session's register",
           scopes=RECORDS_WRITE_SCOPES, body=CloseRegisterSchema, answer=SessionSchema, errors=(404, 409))
def close_register(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """From the session's start: booked and not marked attended becomes did not attend; attendees complete it."""
    return records().close_register(actor, code)


@operation(sessions, "POST", "/sessions/<code>/evaluations", summary="Record a delegate's evaluation",
           scopes=RECORDS_WRITE_SCOPES, body=SessionEvaluationSchema, answer=SessionSchema, status=201,
           errors=(404, 409))
def record_session_evaluation(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """An attending delegate evaluates the session, once (a second evaluation is 409)."""
    return records().record_session_evaluation(actor, code, **body)


@operation(sessions, "GET", "/sessions/<code>/history", summary="A session's history", scopes=HISTORY_SCOPES,
           answer=HistoryEntrySchema, many=True, errors=(404,))
def session_history(actor: Actor, code: str) -> Any:
    """Every event of the session, oldest first; an agency credential sees only its own bookings' events."""
    return records().get_history(actor, "session", code)
