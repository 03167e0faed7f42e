"""The Statements resource: PUT, POST, GET and HEAD of /xapi/statements (Communication 2.1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from flask import Response, current_app, request, url_for
from gunicorn.http.errors import ParseException
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from api.auth import READ_SCOPES, WRITE_SCOPES, require
from api.xapi import multipart, request_version, xapi
from api.xapi.schemas import PutStatementSchema, StatementsQuerySchema, single_values
from lrs.attachments import AttachmentPart
from lrs.errors import BadRequestError, NotFoundError
from lrs.json_input import parse_json
from lrs.query import StatementQuery
from lrs.service import LearningRecordStore
from lrs.transcoding import dumps


def _lrs() -> LearningRecordStore:
    return current_app.extensions["slrs"].lrs


def _raw_body() -> bytes:
    """The body as sent; 400 if it cannot be read (a malformed chunked encoding), 413 beyond MAX_CONTENT_LENGTH.

    A chunked body has no Content-Length to refuse up front, and Werkzeug stops
    reading it at the limit: one byte more in the stream means it was too large.
    """
    try:
        data = request.get_data(cache=False)
        limit = request.max_content_length
        if limit is not None and request.content_length is None and len(data) >= limit \
                and request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    except (OSError, ValueError, ClientDisconnected, ParseException):  # a broken chunked body, as servers report it
        raise BadRequestError("the request body could not be read as sent (is its chunked transfer "
                              "encoding malformed?)") from None
    return data


def _body() -> tuple[Any, list[AttachmentPart]]:
    """The statements of the request and any attachment parts, or 400 saying why not (1.4, 1.5, 3.2)."""
    mimetype = request.mimetype
    if mimetype == "multipart/mixed":
        return multipart.parse(_raw_body(), request.content_type or "")
    if mimetype != "application/json":
        raise BadRequestError(
            f"statements must be sent as application/json or multipart/mixed, not {mimetype or 'no Content-Type'}"
        )
    return parse_json(_raw_body()), []


def _json(document: Any) -> Response:
    """A JSON answer of statements, written as they were stored (`lrs.transcoding.dumps`)."""
    return Response(dumps(document), mimetype="application/json")


@xapi.put("/statements")
def put_statement() -> Response:
    credential = require(*WRITE_SCOPES)
    params = PutStatementSchema().load(single_values(request.args))
    statement, parts = _body()
    if not isinstance(statement, dict):
        raise BadRequestError("PUT takes one statement object; POST an array instead")
    statement_id = params["statement_id"]
    if "id" in statement and str(statement["id"]).lower() != statement_id.lower():
        raise BadRequestError(f"the statement's id {statement['id']} differs from statementId {statement_id}")
    _lrs().store_statements([{**statement, "id": statement_id}], credential.authority, parts, request_version())
    return Response(status=204)


@xapi.post("/statements")
def post_statements() -> Response:
    credential = require(*WRITE_SCOPES)
    if request.args:
        raise BadRequestError(f"POST /statements takes no query parameters, got {sorted(request.args)}")
    body, parts = _body()
    statements = body if isinstance(body, list) else [body]
    if not statements:
        raise BadRequestError("the batch is empty")
    return _json(_lrs().store_statements(statements, credential.authority, parts, request_version()))


@xapi.get("/statements")
def get_statements() -> Response:
    credential = require(*READ_SCOPES)
    mine_only = not credential.allows("statements/read", "all/read", "all")
    params = StatementsQuerySchema().load(single_values(request.args))
    languages = [language for language, _ in request.accept_languages]
    fmt = params.get("format", "exact")
    if "statement_id" in params or "voided_statement_id" in params:
        voided = "voided_statement_id" in params
        statement = _lrs().get_statement(
            params["voided_statement_id" if voided else "statement_id"], voided=voided, fmt=fmt, languages=languages,
            reader=request_version(),
        )
        if mine_only and statement["authority"] != credential.authority:
            raise NotFoundError("this credential may read only the statements it stored (statements/read/mine)")
        response = _render(statement, [statement], params.get("attachments", False))
        response.headers["Last-Modified"] = _http_date(statement["stored"])
    else:
        query = _lrs().query_of_token(params["more"]) if "more" in params else _query(params)
        if query is not None and mine_only:
            mine = _lrs().find_person(credential.authority)
            query = replace(query, authority=mine) if mine else None
        page = _lrs().list_statements(query, languages, request_version()) if query is not None else None
        statements = page.statements if page else []
        more = url_for("xapi.get_statements", more=_lrs().more_token(page.more)) if page and page.more else ""
        response = _render({"statements": statements, "more": more}, statements, params.get("attachments", False))
        if statements:
            response.headers["Last-Modified"] = _http_date(max(s["stored"] for s in statements))
    return response


def _render(document: Any, statements: list[dict[str, Any]], with_attachments: bool) -> Response:
    """JSON, or multipart/mixed with the attachments' content when attachments=true (2.1.3)."""
    if not with_attachments:
        return _json(document)
    body, content_type = multipart.build(document, _lrs().get_attachments(statements))
    return Response(body, content_type=content_type)


@xapi.after_request
def consistent_through(response: Response) -> Response:
    """Communication 2.1.3: on every GET of statements, whatever the status."""
    if request.endpoint == "xapi.get_statements":
        response.headers["X-Experience-API-Consistent-Through"] = _lrs().consistent_through()
    return response


def _query(params: dict[str, Any]) -> StatementQuery | None:
    """The query of the parameters; None when the agent asked for is unknown (no match)."""
    person = None
    if "agent" in params:
        person = _lrs().find_person(params["agent"])
        if person is None:
            return None
    return StatementQuery(
        agent=person,
        verb=params.get("verb"),
        activity=params.get("activity"),
        registration=str(params["registration"]) if "registration" in params else None,
        related_activities=params.get("related_activities", False),
        related_agents=params.get("related_agents", False),
        since=params.get("since"),
        until=params.get("until"),
        limit=params.get("limit", 0),
        ascending=params.get("ascending", False),
        format=params.get("format", "exact"),
        attachments=params.get("attachments", False),
    )


def _http_date(stored: str) -> str:
    return format_datetime(datetime.fromisoformat(stored), usegmt=True)
