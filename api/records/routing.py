"""How a records view is declared: its route, scope, payload schemas and answer, once, for Flask and OpenAPI.

    @operation(agencies, "POST", "/agencies", scopes=RECORDS_WRITE_SCOPES, body=RegisterAgencySchema,
               answer=AgencySchema, status=201, summary="Register an agency")
    def register_agency(actor: Actor, body: dict[str, Any]) -> Any:
        return records().register_agency(actor, **body)

The wrapper authenticates, checks the scope, parses the body and query with
their schemas (unknown keys refused), calls the view (one service method) and
renders its answer with the answer schema. `OPERATIONS` is what the OpenAPI
document is generated from.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import RAISE, Schema, ValidationError
from werkzeug.exceptions import UnsupportedMediaType

from api.auth import authenticate, require
from api.errors import PayloadError
from api.records.fields import EnglishDate
from domain.actor import Actor
from domain.application import TrainingRecords

JSON_TYPES = ("application/json",)


class StrictSchema(Schema):
    """A payload schema: unknown keys are an error, never ignored."""

    class Meta:
        unknown = RAISE


class NoQuery(StrictSchema):
    """No query parameters (any given is an error)."""


class OnDateSchema(StrictSchema):
    """The English date to read the record as on (default today)."""

    on = EnglishDate()


@dataclass(frozen=True)
class Answer:
    """A view's result with a status other than the operation's default, and headers (Location)."""

    value: Any
    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """One documented route: what it takes, who may call it, what it answers."""

    method: str
    rule: str
    endpoint: str
    tag: str
    summary: str
    description: str
    scopes: tuple[str, ...] | None
    body: type[Schema] | None
    query: type[Schema]
    answer: type[Schema] | None
    many: bool
    status: int
    errors: tuple[int, ...]
    repeatable: bool = False
    csv: bool = False


OPERATIONS: list[Operation] = []


def records() -> TrainingRecords:
    """The process's one TrainingRecords service."""
    service: TrainingRecords = current_app.extensions["slrs"].records
    return service


def operation(blueprint: Blueprint, method: str, rule: str, *, summary: str, scopes: tuple[str, ...] | None,
              body: type[Schema] | None = None, query: type[Schema] = NoQuery,
              answer: type[Schema] | None = None, many: bool = False, status: int = 200,
              errors: tuple[int, ...] = (), repeatable: bool = False, csv: bool = False,
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `view` on `blueprint` at `rule` (relative to /api/v1) and in OPERATIONS.

    The view is called as view(actor, **path_values, [body=dict], [query=dict]) and
    returns a value for `answer` (or an `Answer`). `scopes` None means no credential is
    needed. `errors` are the 4xx statuses documented beside 400/401/403 of every call;
    `repeatable` says a repeat answers 200 instead of `status` (201), recording nothing;
    `csv` that the view may answer `text/csv` too (a report).
    """
    path = (blueprint.url_prefix or "") + rule

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def handler(**values: Any) -> Response:
            actor = None
            if scopes is not None:
                credential = authenticate()
                require(*scopes)
                actor = Actor(credential=credential.key, agency=credential.agency)
            kwargs: dict[str, Any] = dict(values)
            if body is not None:
                kwargs["body"] = load("body", body, json_body())
            parsed_query = load("query", query, query_args())
            if query is not NoQuery:
                kwargs["query"] = parsed_query
            result = view(actor, **kwargs)
            return render(result, answer, many, status)

        blueprint.add_url_rule(rule, endpoint=view.__name__, view_func=handler, methods=[method])
        OPERATIONS.append(Operation(method, path, f"{blueprint.name}.{view.__name__}", blueprint.name, summary,
                                    inspect.cleandoc(view.__doc__ or ""), scopes, body, query, answer, many, status, errors,
                                    repeatable, csv))
        return handler

    return decorate


def load(where: str, schema: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """`data` parsed by `schema`. Raises PayloadError naming `where` (body or query) and each bad field."""
    try:
        loaded: dict[str, Any] = schema().load(data)
    except ValidationError as error:
        raise PayloadError(where, error.normalized_messages()) from None
    return loaded


def json_body() -> dict[str, Any]:
    """The request body as a JSON object. Raises 415 for another media type, PayloadError for other JSON."""
    if request.mimetype not in JSON_TYPES:
        raise UnsupportedMediaType(f"send the body as Content-Type: application/json, not {request.mimetype or 'none'}")
    raw = request.get_data(cache=True)
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise PayloadError("body", {"_schema": [f"is not JSON: {error}"]}) from None
    if not isinstance(parsed, dict):
        raise PayloadError("body", {"_schema": ["must be a JSON object"]})
    return parsed


def query_args() -> dict[str, str]:
    """The query string as a dict. Raises PayloadError for a parameter given twice."""
    repeated = sorted(k for k in request.args if len(request.args.getlist(k)) > 1)
    if repeated:
        raise PayloadError("query", {k: ["give this parameter once"] for k in repeated})
    return request.args.to_dict()


def render(result: Any, answer: type[Schema] | None, many: bool, status: int) -> Response:
    """The JSON answer: `result` dumped by `answer` (dates as ISO 8601, never Flask's HTTP dates)."""
    headers: dict[str, str] = {}
    if isinstance(result, Answer):
        result, status, headers = result.value, result.status, result.headers
    if isinstance(result, Response):
        return result
    payload = answer(many=many).dump(result) if answer is not None else result
    response = jsonify(payload)
    response.status_code = status
    response.headers.update(headers)
    if response.headers.get("Location", "").startswith("/"):  # behind a proxy's path prefix (api.proxy)
        response.headers["Location"] = request.script_root + response.headers["Location"]
    return response
