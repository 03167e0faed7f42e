"""The one place where errors become HTTP statuses; every error body is JSON."""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from domain.errors import (ConcurrentChangeError, InvalidCommandError, NotPermittedError, RecordNotFoundError,
                           RowsRejectedError, RuleViolationError)
from lrs.credentials import CredentialError
from api.request_ids import server_error_details
from lrs.errors import (BadRequestError, BatchTooLargeError, ConflictError, NotFoundError, PreconditionFailedError,
                        StatementValidationError)

STATUSES: dict[type[Exception], int] = {
    StatementValidationError: 400,
    BadRequestError: 400,
    CredentialError: 400,
    ConflictError: 409,
    NotFoundError: 404,
    BatchTooLargeError: 413,
    PreconditionFailedError: 412,
    InvalidCommandError: 400,
    RecordNotFoundError: 404,
    NotPermittedError: 403,
    RuleViolationError: 409,
    ConcurrentChangeError: 409,
}


class PayloadError(Exception):
    """A request's body or query string failed its schema; `fields` maps each bad field to what was wrong."""

    def __init__(self, where: str, fields: dict[str, object]) -> None:
        super().__init__(f"bad request {where}")
        self.where = where
        self.fields = fields


def error_response(status: int, message: str, **details: object) -> Response:
    response = jsonify({"error": {"status": status, "message": message, **details}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    for error_type, status in STATUSES.items():
        app.register_error_handler(
            error_type, lambda error, status=status: _from_lrs_error(error, status)
        )
    app.register_error_handler(ValidationError, _from_schema_error)
    app.register_error_handler(PayloadError, _from_payload_error)
    app.register_error_handler(RequestEntityTooLarge, _from_too_large)
    app.register_error_handler(HTTPException, _from_http_exception)


def _from_lrs_error(error: Exception, status: int) -> Response:
    if isinstance(error, StatementValidationError):
        return error_response(status, error.message, path=error.path)
    if isinstance(error, RowsRejectedError):
        return error_response(status, str(error), rows=[{"row": n, "problem": p} for n, p in error.problems])
    return error_response(status, str(error))


def _from_schema_error(error: ValidationError) -> Response:
    messages = error.normalized_messages()
    parts = [f"{field}: {'; '.join(map(str, problems)) if isinstance(problems, list) else problems}"
             for field, problems in messages.items()]
    return error_response(400, "bad request parameters: " + ", ".join(parts), fields=messages)


def _from_payload_error(error: PayloadError) -> Response:
    parts = _problems(error.fields)
    return error_response(400, f"bad request {error.where}: " + ", ".join(parts), where=error.where,
                          fields=error.fields)


def _problems(messages: object, path: str = "") -> list[str]:
    """Each problem as `a.b.0.c: what was wrong` (a whole-payload problem without a path)."""
    if isinstance(messages, dict):
        return [p for key, value in messages.items()
                for p in _problems(value, path if key == "_schema" else f"{path}{'.' if path else ''}{key}")]
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [f"{path}: {'; '.join(messages)}" if path else "; ".join(messages)]
    if isinstance(messages, list):
        return [p for m in messages for p in _problems(m, path)]
    return [f"{path}: {messages}" if path else str(messages)]


def _from_too_large(error: RequestEntityTooLarge) -> Response:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    most = f" ({limit:,} bytes at most)" if limit else ""
    return error_response(413, f"the request body is larger than this LRS accepts{most}: "
                               "send fewer statements or smaller attachments per request")


def _from_http_exception(error: HTTPException) -> Response:
    if error.code == 500:  # an unhandled error, logged with this id by TracedFlask.log_exception
        return error_response(500, "the server failed to answer this request; quote its request_id to "
                                   "the LRS's operators", **server_error_details())
    response = error_response(error.code or 500, error.description or error.name)
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="xAPI"'
    allow = error.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response
