"""Who is reading a board page: HTTP Basic as for the API, or the browser session a sign-in form starts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.exceptions import Forbidden
from werkzeug.wrappers import Response

from api.auth import REPORTS_READ_SCOPES, authenticate
from domain.actor import Actor
from lrs.credentials import CredentialInfo

signin = Blueprint("signin", __name__, url_prefix="/board", template_folder="templates")


class SignInNeeded(Exception):
    """No credential with the request: the page sends the reader to the sign-in form."""


def reader() -> Actor:
    """The actor reading: from the Authorization header if sent, else from the signed session cookie.

    Raises SignInNeeded with neither, Forbidden without `reports/read`, and the
    API's 401 for a bad Basic credential.
    """
    if request.headers.get("Authorization"):
        credential = authenticate()
    else:
        key = session.get("credential")
        found = current_app.extensions["slrs"].credentials.find(key) if key else None
        if found is None or found.revoked:
            session.clear()
            raise SignInNeeded()
        credential = found
    _require_reports(credential)
    return Actor(credential.key, agency=credential.agency)


def _require_reports(credential: CredentialInfo) -> None:
    if not credential.allows(*REPORTS_READ_SCOPES):
        raise Forbidden("the board pages need a credential with the reports/read scope")


@signin.get("/sign-in")
def sign_in_form() -> Any:
    return render_template("sign_in.html", problem=None, next=request.args.get("next", ""))


@signin.post("/sign-in")
def sign_in() -> Response | Any:
    key, secret = request.form.get("key", ""), request.form.get("secret", "")
    credential = current_app.extensions["slrs"].credentials.authenticate(key, secret) if key and secret else None
    if credential is None or not credential.allows(*REPORTS_READ_SCOPES):
        problem = ("That key and secret do not match a credential that may read reports."
                   if credential is None else "This credential may not read reports (it needs reports/read).")
        return render_template("sign_in.html", problem=problem, next=request.form.get("next", "")), 401
    session.clear()
    session["credential"] = credential.key
    target = request.form.get("next", "")
    # `next` is a path in the app; behind a proxy's path prefix (api.proxy) the browser needs the prefix too
    return redirect(request.script_root + target if target.startswith("/board") else url_for("board.home"))


@signin.post("/sign-out")
def sign_out() -> Response:
    session.clear()
    return redirect(url_for("signin.sign_in_form"))
