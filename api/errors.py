"""The one place where errors become HTTP statuses; every error body is JSON."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from lrs.credentials import CredentialError
from lrs.errors import BadRequestError, ConflictError, NotFoundError, StatementValidationError

STATUSES: dict[type[Exception], int] = {
    StatementValidationError: 400,
    BadRequestError: 400,
    CredentialError: 400,
    ConflictError: 409,
    NotFoundError: 404,
}


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
    app.register_error_handler(HTTPException, _from_http_exception)


def _from_lrs_error(error: Exception, status: int) -> Response:
    if isinstance(error, StatementValidationError):
        return error_response(status, error.message, path=error.path)
    return error_response(status, str(error))


def _from_schema_error(error: ValidationError) -> Response:
    messages = error.normalized_messages()
    parts = [f"{field}: {'; '.join(map(str, problems)) if isinstance(problems, list) else problems}"
             for field, problems in messages.items()]
    return error_response(400, "bad request parameters: " + ", ".join(parts), fields=messages)


def _from_http_exception(error: HTTPException) -> Response:
    response = error_response(error.code or 500, error.description or error.name)
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="xAPI"'
    allow = error.get_response().headers.get("Allow")
    if allow:
        response.headers["Allow"] = allow
    return response
