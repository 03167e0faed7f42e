"""The xAPI resources under /xapi: version header, authentication, and one blueprint each."""

from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify, request

from api.auth import authenticate
from lrs.errors import BadRequestError

XAPI_VERSION = "1.0.3"
# Communication 3.3: accept 1.0 and any 1.0.x; 1.1 and later are not spoken here yet.
ACCEPTED_VERSION = re.compile(r"^1\.0(\.\d+)?$")

xapi = Blueprint("xapi", __name__, url_prefix="/xapi")


@xapi.before_request
def check_version_and_credentials() -> None:
    if request.endpoint == "xapi.about":
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
from api.xapi import documents  # noqa: E402,F401  (the State, Activity Profile and Agent Profile resources)
