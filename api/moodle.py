"""/api/v1/moodle: the Moodle bridge's links, and what became of each Moodle statement.

Served when the deployment enables the bridge (SLRS_PLUGINS=moodle_bridge).
Links are records of their own, agency-scoped like the rest: an agency links
its own workers' xAPI identities (aliases); the partnership links Moodle
courses and activities to courses, face-to-face activities to sessions, and
says which session a pending statement is about when its activity has several.
Linking again what is linked answers 200 and changes nothing; statements that
waited for a link are applied by the bridge's follower, in log order.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from marshmallow import Schema, fields, validate

from api.auth import RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.fields import Code, Plain, Text
from api.records.routing import Answer, StrictSchema, operation
from domain.actor import Actor
from plugins.moodle_bridge.links import ACTIVITY, IDENTITY, SESSION
from plugins.moodle_bridge.service import MoodleLinks
from plugins.moodle_bridge.tables import PENDING, STATUSES

moodle = Blueprint("moodle", __name__, url_prefix="/api/v1/moodle")
IRI_LENGTH = 2000


def links() -> MoodleLinks:
    """The bridge's links and outcomes, in its own store, checked against this process's records."""
    services = current_app.extensions["slrs"]
    return MoodleLinks(services.tracking_store("moodle_bridge"), services.records, services.lrs)


class AccountSchema(StrictSchema):
    """An xAPI account: the system's home page and the learner's name there (Moodle: its user id)."""

    home_page = Text(required=True, max_length=IRI_LENGTH, data_key="homePage")
    name = Text(required=True, max_length=500)


class AliasSchema(StrictSchema):
    """An xAPI identity of `worker`: exactly one of account, mbox, mbox_sha1sum, openid (xAPI Data 2.4.2.3)."""

    worker = Code(required=True)
    account = fields.Nested(AccountSchema)
    mbox = Text(max_length=320)
    mbox_sha1sum = Text(max_length=40)
    openid = Text(max_length=IRI_LENGTH)


class ActivityLinkSchema(StrictSchema):
    """A Moodle course or activity IRI (as its statements name it) and the course its completions count for."""

    activity = Text(required=True, max_length=IRI_LENGTH)
    course = Code(required=True)


class SessionLinkSchema(StrictSchema):
    """A Moodle face-to-face activity IRI and one of its dated sessions."""

    activity = Text(required=True, max_length=IRI_LENGTH)
    session = Code(required=True)


class ChoiceSchema(StrictSchema):
    """The session a pending face-to-face statement is about (one its activity is linked to)."""

    session = Code(required=True)


class AliasQuerySchema(StrictSchema):
    """Aliases of one worker only."""

    worker = Code()


class StatusQuerySchema(StrictSchema):
    """Statements of one status (default pending), oldest first."""

    status = Text(load_default=PENDING, validate=validate.OneOf(STATUSES), metadata={"enum": list(STATUSES)})


class LinkSchema(Schema):
    """A standing link: `key` (an identity's pseudonym, an IRI, a statement's digest) to `target` (worker, course,
    session); `identity` is an alias's xAPI identity."""

    id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": ["identity", "activity", "session", "choice"]})
    key = fields.String(required=True)
    target = fields.String(required=True)
    identity = Plain(required=True, allow_none=True)
    made_by = fields.String(required=True)
    made_at = fields.String(required=True)


class StatementOutcomeSchema(Schema):
    """What the bridge did with one Moodle statement, and why; `identity` while it is pending."""

    statement_id = fields.String(required=True)
    event = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    reason = fields.String(required=True)
    waiting_on = fields.String(required=True, allow_none=True)
    occurred = fields.String(required=True, allow_none=True)
    worker = fields.String(required=True, allow_none=True)
    command = Plain(required=True, allow_none=True)
    identity = Plain(required=True, allow_none=True)


def made(found: tuple[Any, bool]) -> Answer:
    """201 for a new link, 200 for one that stood already."""
    return Answer(found[0], 201 if found[1] else 200)


@operation(moodle, "POST", "/aliases", summary="Link an xAPI identity to a worker", scopes=RECORDS_WRITE_SCOPES,
           body=AliasSchema, answer=LinkSchema, status=201, errors=(404, 409), repeatable=True)
def link_identity(actor: Actor, body: dict[str, Any]) -> Any:
    """Statements of this identity count for the worker (an agency: its own workers only; anonymous never)."""
    worker = body.pop("worker")
    if "account" in body:
        body["account"] = {"homePage": body["account"]["home_page"], "name": body["account"]["name"]}
    return made(links().link_identity(actor, body, worker))


@operation(moodle, "GET", "/aliases", summary="List aliases", scopes=RECORDS_READ_SCOPES, query=AliasQuerySchema,
           answer=LinkSchema, many=True)
def list_aliases(actor: Actor, query: dict[str, Any]) -> Any:
    """Standing aliases, oldest first (an agency: its own workers')."""
    return links().list_links(actor, IDENTITY, query.get("worker"))


@operation(moodle, "DELETE", "/aliases/<link>", summary="Remove an alias", scopes=RECORDS_WRITE_SCOPES,
           answer=LinkSchema, errors=(404,))
def remove_alias(actor: Actor, link: str) -> Any:
    """Later statements of the identity wait again; what earlier ones recorded stays."""
    return links().remove_link(actor, IDENTITY, link)


@operation(moodle, "POST", "/activities", summary="Link a Moodle course or activity to a course",
           scopes=RECORDS_WRITE_SCOPES, body=ActivityLinkSchema, answer=LinkSchema, status=201,
           errors=(404, 409), repeatable=True)
def link_activity(actor: Actor, body: dict[str, Any]) -> Any:
    """Completions of the activity (and evaluations in it) count for the course (the partnership only)."""
    return made(links().link_activity(actor, body["activity"], body["course"]))


@operation(moodle, "GET", "/activities", summary="List activity links", scopes=RECORDS_READ_SCOPES,
           answer=LinkSchema, many=True)
def list_activities(actor: Actor) -> Any:
    """Standing links of Moodle activities to courses, oldest first."""
    return links().list_links(actor, ACTIVITY)


@operation(moodle, "DELETE", "/activities/<link>", summary="Remove an activity link", scopes=RECORDS_WRITE_SCOPES,
           answer=LinkSchema, errors=(404,))
def remove_activity(actor: Actor, link: str) -> Any:
    """Later statements of the activity wait again (the partnership only)."""
    return links().remove_link(actor, ACTIVITY, link)


@operation(moodle, "POST", "/sessions", summary="Link a face-to-face activity to a session",
           scopes=RECORDS_WRITE_SCOPES, body=SessionLinkSchema, answer=LinkSchema, status=201,
           errors=(404, 409), repeatable=True)
def link_session(actor: Actor, body: dict[str, Any]) -> Any:
    """Sign-ups, cancellations and attendance of the activity are about this session (the partnership only).

    An activity linked to several sessions keeps its sign-ups pending until a clerk says which.
    """
    return made(links().link_session(actor, body["activity"], body["session"]))


@operation(moodle, "GET", "/sessions", summary="List session links", scopes=RECORDS_READ_SCOPES,
           answer=LinkSchema, many=True)
def list_sessions(actor: Actor) -> Any:
    """Standing links of face-to-face activities to sessions, oldest first."""
    return links().list_links(actor, SESSION)


@operation(moodle, "DELETE", "/sessions/<link>", summary="Remove a session link", scopes=RECORDS_WRITE_SCOPES,
           answer=LinkSchema, errors=(404,))
def remove_session(actor: Actor, link: str) -> Any:
    """The partnership only."""
    return links().remove_link(actor, SESSION, link)


@operation(moodle, "GET", "/pending", summary="List pending Moodle statements", scopes=RECORDS_READ_SCOPES,
           answer=StatementOutcomeSchema, many=True)
def list_pending(actor: Actor) -> Any:
    """Statements waiting for a link, oldest first, with what each waits on, why, and the actor's identity.

    An agency sees those of its own workers (waiting for a course or session); an unknown identity's,
    only the partnership.
    """
    return links().list_statements(actor, PENDING)


@operation(moodle, "GET", "/statements", summary="List Moodle statements by outcome", scopes=RECORDS_READ_SCOPES,
           query=StatusQuerySchema, answer=StatementOutcomeSchema, many=True)
def list_statements(actor: Actor, query: dict[str, Any]) -> Any:
    """Statements the bridge took, of one status: applied, none, pending, refused, voided or reverted."""
    return links().list_statements(actor, query["status"])


@operation(moodle, "GET", "/statements/<statement_id>", summary="What became of a Moodle statement",
           scopes=RECORDS_READ_SCOPES, answer=StatementOutcomeSchema, errors=(404,))
def get_statement(actor: Actor, statement_id: str) -> Any:
    """By the LRS id of the statement or of any copy Moodle sent again."""
    return links().get_statement(actor, statement_id)


@operation(moodle, "POST", "/statements/<statement_id>/session", summary="Say which session a statement is about",
           scopes=RECORDS_WRITE_SCOPES, body=ChoiceSchema, answer=LinkSchema, status=201, errors=(404, 409),
           repeatable=True)
def choose_session(actor: Actor, statement_id: str, body: dict[str, Any]) -> Any:
    """For a pending face-to-face statement whose activity is linked to several sessions (the partnership only)."""
    return made(links().choose_session(actor, statement_id, body["session"]))
