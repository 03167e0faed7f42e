"""/api/v1/openapi.json, generated with apispec from the operations' schemas, and /api/v1/docs to browse it.

The browsable page is Swagger UI, served from the `swagger-ui-bundle` package's
files by this app: it needs no internet.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, Response, current_app, send_from_directory, url_for
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]  # ships no type information
from werkzeug.exceptions import NotFound

from api.records.answers import ErrorSchema
from api.records.routing import OPERATIONS, NoQuery, Operation, operation
from api.v1.stats import StatsQuerySchema

TITLE = "Safeguarding LRS API"
VERSION = "1"
STATUS_WORDS = {200: "OK", 201: "Created", 400: "Bad request: the message and `fields` say what and where",
                401: "No valid credential (HTTP Basic)", 403: "The credential's scopes or agency do not allow this",
                404: "No such record, or one of another agency", 409: "A business rule refuses this; nothing changed",
                415: "The body is not sent as application/json"}
SWAGGER_FILES = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                 "favicon-32x32.png", "favicon-16x16.png"}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
PATH_WORDS = {"code": "the id of the agency, worker, course or session",
              "booking": "the booking's id, as booking answered", "target_group": "a target group, 1 to 8",
              "filename": "a file of the page", "agency": "the agency's id"}
INTRODUCTION = """The training records of the partnership, and the statistics of the xAPI store.

Every call but this document and its page needs HTTP Basic credentials. Reads need
`records/read`, commands `records/write`, a record's history `records/read` or
`audit/read`, the reports `reports/read` and the audit trail `audit/read` (`all/read`
grants the reads but the audit trail, `all` everything). A credential bound
to an agency sees and changes its own agency's records only: another agency's ids
answer 404. Dates are `YYYY-MM-DD` (English dates), instants ISO 8601 with an offset.
Errors are JSON: `{"error": {"status", "message", "where", "fields"}}`.
"""

docs = Blueprint("docs", __name__, url_prefix="/api/v1")

# Routes of /api/v1 declared elsewhere, documented here.
EXTERNAL = [
    Operation("GET", "/api/v1/stats", "stats.get_stats", "stats", "Statements per verb and per activity",
              "Counts from the stats follower, with its lag behind the statement log (any xAPI read scope).",
              ("statements/read", "statements/read/mine", "all/read", "all"), None, StatsQuerySchema, None, False,
              200, ()),
]


@operation(docs, "GET", "/openapi.json", summary="This OpenAPI document", scopes=None)
def openapi_document(actor: None) -> Any:
    """The OpenAPI 3 document of /api/v1, generated from the same schemas that parse and render each call."""
    if "slrs_openapi" not in current_app.extensions:
        current_app.extensions["slrs_openapi"] = build_document(current_app)
    return current_app.extensions["slrs_openapi"]


@operation(docs, "GET", "/docs", summary="Browse this API (Swagger UI)", scopes=None)
def docs_page(actor: None) -> Any:
    """An HTML page that shows the OpenAPI document with Swagger UI, from files this app serves."""
    page = PAGE.format(css=url_for("docs.docs_file", filename="swagger-ui.css"),
                       bundle=url_for("docs.docs_file", filename="swagger-ui-bundle.js"),
                       preset=url_for("docs.docs_file", filename="swagger-ui-standalone-preset.js"),
                       init=url_for("docs.docs_file", filename="slrs-docs.js"))
    return Response(page, mimetype="text/html")


@operation(docs, "GET", "/docs/<path:filename>", summary="A file of the Swagger UI page", scopes=None,
           errors=(404,))
def docs_file(actor: None, filename: str) -> Any:
    """Swagger UI's own files (from the swagger-ui-bundle package) and this page's start-up script."""
    if filename == "slrs-docs.js":
        return Response(INITIALIZER.replace("{url}", url_for("docs.openapi_document")),
                        mimetype="text/javascript")
    if filename not in SWAGGER_FILES:
        raise NotFound(f"no file {filename} in the API documentation")
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.0 document of every documented operation that `app` serves."""
    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": INTRODUCTION})
    spec.components.security_scheme("basicAuth", {"type": "http", "scheme": "basic"})
    spec.components.schema("Error", schema=ErrorSchema)
    served = {rule.endpoint for rule in app.url_map.iter_rules()}
    for op in [*OPERATIONS, *EXTERNAL]:
        if op.endpoint in served:
            path, parameters = openapi_path(op.rule)
            spec.path(path=path, operations={op.method.lower(): operation_object(op, parameters)})
    return spec.to_dict()


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """An OpenAPI path template and its path parameters from a Flask rule (`<int:target_group>`)."""
    parameters = []
    for converter, name in CONVERTER.findall(rule):
        kind = {"type": "integer"} if converter == "int" else {"type": "string"}
        parameters.append({"in": "path", "name": name, "required": True, "schema": kind,
                           "description": PATH_WORDS.get(name, name)})
    return CONVERTER.sub(lambda m: "{" + m.group(2) + "}", rule), parameters


def operation_object(op: Operation, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    """The OpenAPI operation of `op`: parameters, body, answers, security."""
    found: dict[str, Any] = {"tags": [op.tag], "summary": op.summary, "operationId": op.endpoint.replace(".", "_"),
                             "description": op.description + scope_sentence(op.scopes)}
    if op.query is not NoQuery:
        parameters = [*parameters, {"in": "query", "schema": op.query}]
    if parameters:
        found["parameters"] = parameters
    if op.body is not None:
        found["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    found["responses"] = responses(op)
    found["security"] = [{"basicAuth": []}] if op.scopes is not None else []
    return found


def responses(op: Operation) -> dict[str, Any]:
    """The success answer and every error status `op` may give."""
    content: dict[str, Any]
    if op.answer is not None:
        content = {"application/json": {"schema": op.answer(many=op.many)}}
    elif op.endpoint.startswith("docs.docs"):
        content = {"text/html": {"schema": {"type": "string"}}} if op.rule.endswith("/docs") else \
            {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    else:
        content = {"application/json": {"schema": {"type": "object"}}}
    if op.csv:
        content["text/csv"] = {"schema": {"type": "string"}}
    found: dict[str, Any] = {str(op.status): {"description": STATUS_WORDS[op.status], "content": content}}
    if op.repeatable:
        found["200"] = {"description": "Recorded before: nothing changed", "content": content}
    errors = set(op.errors)
    if op.scopes is not None:
        errors |= {400, 401, 403}
    if op.body is not None:
        errors |= {400, 415}
    if op.query is not NoQuery:
        errors.add(400)
    for status in sorted(errors):
        found[str(status)] = {"description": STATUS_WORDS[status],
                              "content": {"application/json": {"schema": "Error"}}}
    return found


def scope_sentence(scopes: tuple[str, ...] | None) -> str:
    """The sentence of an operation's description that says which scopes may call it."""
    if scopes is None:
        return "\n\nNo credential needed."
    return "\n\nScopes: any of " + ", ".join(f"`{s}`" for s in scopes) + "."


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Safeguarding LRS API</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script src="{init}"></script>
</body>
</html>
"""

INITIALIZER = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "{url}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
};
"""
