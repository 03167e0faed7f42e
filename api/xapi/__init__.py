"""The xAPI resources under /xapi: version header, authentication, and one blueprint each."""

from __future__ import annotations

from typing import cast

from flask import Blueprint, Flask, Response, jsonify, request
from flask.blueprints import BlueprintSetupState

from api.auth import authenticate
from api.xapi.alternate import MARK_KEY, AlternateSyntax, refuse_misused_syntax
from api.xapi.cors import CorsPolicy, register_cors, under_xapi
from lrs.errors import BadRequestError
from lrs.versions import ABOUT_VERSIONS, XAPI_1, XAPI_2, negotiate

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


def request_version() -> str:
    """The xAPI version this request speaks (`lrs.versions.XAPI_1` or `XAPI_2`), by its X-Experience-API-Version.

    A request that names no version this LRS speaks (or none) is answered as a
    1.0.3 request: its 400 says 1.0.3, as it always did, for the 1.0.x clients
    that are most of those in use. (The two ADL batteries disagree here: each
    wants its own version on that 400; see the README.)
    """
    try:
        return negotiate(request.headers.get("X-Experience-API-Version"))
    except BadRequestError:
        return XAPI_1


def check_version_and_credentials() -> None:
    """Communication 2.8 and 3.3: a request under /xapi but About needs a 1.0.x or 2.0.x version header (400),
    then a credential. An xAPI 2.0 request may not use the alternate request syntax (removed in 2.0): 400."""
    if not under_xapi(request.path):
        return
    if request.environ.get(MARK_KEY) and request_version() == XAPI_2:
        raise BadRequestError("xAPI 2.0 has no alternate request syntax (a POST with ?method=): send the request "
                              "itself, with its own method, headers and query, or speak 1.0.3")
    if request.endpoint == "xapi.about":
        return
    negotiate(request.headers.get("X-Experience-API-Version"))
    authenticate()


@xapi.get("/about")
def about() -> Response:
    """Communication 2.8: every xAPI version this LRS speaks, 1.0.0 to 1.0.3 and 2.0.0 (`lrs.versions`)."""
    return jsonify({"version": list(ABOUT_VERSIONS), "extensions": {}})


from api.xapi import statements  # noqa: E402,F401  (registers its routes on the blueprint)
from api.xapi import activities, agents  # noqa: E402,F401  (the Activities and Agents resources)
from api.xapi import documents  # noqa: E402,F401  (the State, Activity Profile and Agent Profile resources)
