"""A request id on every request and answer, and every 500 logged with it.

The id is the client's `X-Request-ID` when it sends a sensible one (a proxy's,
say), else a fresh one; every answer carries it back in `X-Request-ID`, and a
500's body names it, so a user's report finds its line in the server's log.
"""

from __future__ import annotations

import re
import uuid
from types import TracebackType
from typing import Any

from flask import Flask, Response, g, has_request_context, request

HEADER = "X-Request-ID"
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}\Z").match  # what may be echoed in a header and a log line

ExcInfo = tuple[type[BaseException], BaseException, TracebackType] | tuple[None, None, None]


def request_id() -> str:
    """The id of the current request (one is made on first use)."""
    if "request_id" not in g:
        sent = request.headers.get(HEADER, "")
        g.request_id = sent if ACCEPTED(sent) else uuid.uuid4().hex
    return str(g.request_id)


class TracedFlask(Flask):
    """Flask whose log of an unhandled error names the request's method, path and id."""

    def log_exception(self, exc_info: ExcInfo) -> None:
        """One ERROR line per 500, with the traceback (Flask calls this before answering 500)."""
        where = f"{request.method} {request.path}" if has_request_context() else "outside a request"
        rid = request_id() if has_request_context() else "-"
        self.logger.error("500 on %s (request %s)", where, rid, exc_info=exc_info)


def register_request_ids(app: Flask) -> None:
    """Give every answer the request's id."""

    @app.after_request
    def send_request_id(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        return response


def server_error_details() -> dict[str, Any]:
    """What a 500's body says besides its status: the request id to quote."""
    return {"request_id": request_id()}
