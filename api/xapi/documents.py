"""The document resources: State, Activity Profile and Agent Profile (Communication 2.2, 2.3, 2.6, 2.7, 3.1).

Each resource answers GET (HEAD too), PUT, POST and DELETE. A GET with the
document's id returns the document as stored, with its Content-Type, a quoted
SHA-1 ETag and Last-Modified; without it, the JSON array of the context's ids
(`since` narrowing it). Writes honour If-Match and If-None-Match. Each view is
a plain Flask view: parse, call one `DocumentStore` method, render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from flask import Response, current_app, request
from marshmallow import Schema

from api.auth import require
from api.xapi import request_version, xapi
from api.xapi.document_schemas import ActivityProfileParameters, AgentProfileParameters, StateParameters
from api.xapi.schemas import single_values
from api.xapi.statements import _raw_body
from lrs.documents.model import ACTIVITY_PROFILE, AGENT_PROFILE, ID_NAMES, STATE, DocumentKey, DocumentScope
from lrs.documents.preconditions import Preconditions, etag_of
from lrs.documents.service import DocumentStore
from lrs.errors import BadRequestError
from lrs.timestamps import INDEX_FORMAT
from lrs.transcoding import dumps

# Communication 4.2: `state` reads and writes State documents, `profile` the Activity and Agent Profiles.
STATE_READ_SCOPES = ("state", "all/read", "all")
STATE_WRITE_SCOPES = ("state", "all")
PROFILE_READ_SCOPES = ("profile", "all/read", "all")
PROFILE_WRITE_SCOPES = ("profile", "all")


@dataclass(frozen=True)
class DocumentResource:
    """One of the three resources: its kind, its parameters' schema and the scopes that read and write it."""

    kind: str
    schema: type[Schema]
    read_scopes: tuple[str, ...]
    write_scopes: tuple[str, ...]

    @property
    def id_name(self) -> str:
        return ID_NAMES[self.kind]

    def parameters(self) -> dict[str, Any]:
        """The request's query parameters, validated (400 naming any bad one); `since` on a GET only."""
        params: dict[str, Any] = self.schema().load(single_values(request.args))
        if "since" in params and request.method not in ("GET", "HEAD"):
            raise BadRequestError(f"since goes only with a GET of the ids of many documents, not with {request.method}")
        return params

    def scope(self, params: dict[str, Any]) -> DocumentScope:
        return DocumentScope(self.kind, params.get("activity_id"), params.get("agent"), params.get("registration"))

    def key(self, params: dict[str, Any], method: str) -> DocumentKey:
        """The document a single-document request means; 400 without its id, or with `since`."""
        if "document_id" not in params:
            raise BadRequestError(f"{method} needs the {self.id_name} parameter: the id of the document")
        if "since" in params:
            raise BadRequestError(f"since goes with a GET of the ids of many documents, not with {self.id_name}")
        return self.scope(params).key(params["document_id"])


STATE_RESOURCE = DocumentResource(STATE, StateParameters, STATE_READ_SCOPES, STATE_WRITE_SCOPES)
ACTIVITY_PROFILE_RESOURCE = DocumentResource(ACTIVITY_PROFILE, ActivityProfileParameters, PROFILE_READ_SCOPES,
                                             PROFILE_WRITE_SCOPES)
AGENT_PROFILE_RESOURCE = DocumentResource(AGENT_PROFILE, AgentProfileParameters, PROFILE_READ_SCOPES,
                                          PROFILE_WRITE_SCOPES)


def _documents() -> DocumentStore:
    return current_app.extensions["slrs"].lrs.documents  # type: ignore[no-any-return]


def _preconditions() -> Preconditions:
    return Preconditions(request.headers.get("If-Match"), request.headers.get("If-None-Match"))


def _http_date(updated: str) -> str:
    return format_datetime(datetime.strptime(updated, INDEX_FORMAT).replace(tzinfo=UTC), usegmt=True)


def get_documents(resource: DocumentResource) -> Response:
    """GET or HEAD: one document, or the ids of the context's documents (with `since`)."""
    require(*resource.read_scopes)
    params = resource.parameters()
    if "document_id" not in params:
        found = _documents().list_document_ids(resource.scope(params), params.get("since"))
        body = dumps(found.ids)
        response = Response(body, mimetype="application/json")
        response.headers["ETag"] = f'"{etag_of(body)}"'
        if found.last_updated is not None:
            response.headers["Last-Modified"] = _http_date(found.last_updated)
        return response
    document = _documents().get_document(resource.key(params, "GET"))
    response = Response(document.content, content_type=document.content_type)
    response.headers["ETag"] = f'"{document.etag}"'
    response.headers["Last-Modified"] = _http_date(document.updated)
    return response


def put_document(resource: DocumentResource) -> Response:
    """PUT: store the body byte for byte as the document."""
    require(*resource.write_scopes)
    key = resource.key(resource.parameters(), "PUT")
    _documents().put_document(key, _raw_body(), request.headers.get("Content-Type"), _preconditions(),
                              request_version())
    return Response(status=204)


def post_document(resource: DocumentResource) -> Response:
    """POST: store a new document, or merge a JSON object into the stored one."""
    require(*resource.write_scopes)
    key = resource.key(resource.parameters(), "POST")
    _documents().post_document(key, _raw_body(), request.headers.get("Content-Type"), _preconditions())
    return Response(status=204)


def delete_documents(resource: DocumentResource) -> Response:
    """DELETE: one document; for the State without stateId, every document of the context (2.3)."""
    require(*resource.write_scopes)
    params = resource.parameters()
    if "document_id" not in params and resource.kind == STATE:
        _documents().delete_documents(resource.scope(params))
    else:
        _documents().delete_document(resource.key(params, "DELETE"), _preconditions())
    return Response(status=204)


@xapi.get("/activities/state")
def get_state() -> Response:
    return get_documents(STATE_RESOURCE)


@xapi.put("/activities/state")
def put_state() -> Response:
    return put_document(STATE_RESOURCE)


@xapi.post("/activities/state")
def post_state() -> Response:
    return post_document(STATE_RESOURCE)


@xapi.delete("/activities/state")
def delete_state() -> Response:
    return delete_documents(STATE_RESOURCE)


@xapi.get("/activities/profile")
def get_activity_profile() -> Response:
    return get_documents(ACTIVITY_PROFILE_RESOURCE)


@xapi.put("/activities/profile")
def put_activity_profile() -> Response:
    return put_document(ACTIVITY_PROFILE_RESOURCE)


@xapi.post("/activities/profile")
def post_activity_profile() -> Response:
    return post_document(ACTIVITY_PROFILE_RESOURCE)


@xapi.delete("/activities/profile")
def delete_activity_profile() -> Response:
    return delete_documents(ACTIVITY_PROFILE_RESOURCE)


@xapi.get("/agents/profile")
def get_agent_profile() -> Response:
    return get_documents(AGENT_PROFILE_RESOURCE)


@xapi.put("/agents/profile")
def put_agent_profile() -> Response:
    return put_document(AGENT_PROFILE_RESOURCE)


@xapi.post("/agents/profile")
def post_agent_profile() -> Response:
    return post_document(AGENT_PROFILE_RESOURCE)


@xapi.delete("/agents/profile")
def delete_agent_profile() -> Response:
    return delete_documents(AGENT_PROFILE_RESOURCE)
