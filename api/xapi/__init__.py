"""The xAPI resources under /xapi: version header, authentication, and one blueprint each."""

from __future__ import annotations

import re
from typing import cast

from flask import Blueprint, Flask, Response, jsonify, request
from flask.blueprints import BlueprintSetupState

from api.auth import authenticate
from api.xapi.alternate import AlternateSyntax, refuse_misused_syntax
from api.xapi.cors import CorsPolicy, register_cors, under_xapi
from lrs.errors import BadRequestError

XAPI_VERSION = "1.0.3"
# Communication 3.3: accept 1.0 and any 1.0.x; 1.1 and later are not spoken here yet.
ACCEPTED_VERSION = re.compile(r"^1\.0(\.\d+)?$")

xapi = Blueprint("xapi", __name__, url_prefix="/xapi")


@xapi.record_once
def install_gates(state: BlueprintSetupState) -> None:
    """Before routing, in this order: CORS preflights answered (`api.xapi.cors`), a misused alternate request
    syntax refused (`api.xapi.alternate`, whose middleware rewrites the syntax first), then the version
    header and the credential checked on every path under /xapi, routed or not."""
    app = cast(Flask, state.app)
    register_cors(app, CorsPolicy.from_env(app.extensions["slrs"].storage.environ))
    refuse_misused_syntax(app)
    app.before_request(check_version_and_credentials)
    app.wsgi_app = AlternateSyntax(app.wsgi_app, app.config.get("MAX_CONTENT_LENGTH"))  # type: ignore[method-assign]


def check_version_and_credentials() -> None:
    """Communication 2.8 and 3.3: a request under /xapi but About needs a 1.0.x version header (400), then a credential."""
    if not under_xapi(request.path) or request.endpoint == "xapi.about":
        return
    version = request.headers.get("X-Experience-API-Version")
    if version is None:
        raise BadRequestError("the X-Experience-API-Version header is required (this LRS speaks 1.0.3)")
    if not ACCEPTED_VERSION.match(version.strip()):
        raise BadRequestError(f"X-Experience-API-Version {version!r} is not supported; send 1.0.0 to 1.0.3")
    authenticate()


@xapi.get("/about")
def about() -> Response:
    return jsonify({"version": ["1.0.0", "1.0.1", "1.0.2", "1.0.3"], "extensions": {}})


from api.xapi import statements  # noqa: E402,F401  (registers its routes on the blueprint)
from api.xapi import activities, agents  # noqa: E402,F401  (the Activities and Agents resources)
from api.xapi import documents  # noqa: E402,F401  (the State, Activity Profile and Agent Profile resources)
