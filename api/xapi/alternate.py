"""The alternate request syntax (xAPI 1.0.3 Communication 1.3), rewritten into the ordinary request it stands for.

A client that cannot set headers or use methods other than POST (Internet
Explorer's cross-domain requests, or a statements query too long for a URL)
POSTs to the resource with `?method=PUT` (or GET, POST, DELETE, HEAD) and no
other query parameter, and an `application/x-www-form-urlencoded` body whose
fields are:

- the headers Authorization, X-Experience-API-Version, Content-Type,
  Content-Length, If-Match and If-None-Match (the form's value wins over a real
  header of the same name);
- `content`, the request's body, read as UTF-8 (its Content-Type is the form's
  Content-Type field, `application/json` when there is none);
- every other field: a query parameter of the resource.

`AlternateSyntax` is WSGI middleware that turns such a request into that one
before the app sees it, so every resource under /xapi (statements, documents,
activities, agents, about) answers it with its own rules, checks and errors.
A request that misuses the syntax is marked instead (`ERROR_KEY`), and
`refuse_misused_syntax` answers it 400 through the app, with the headers every
answer carries.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from flask import Flask, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
# Communication 1.3: the form fields an LRS must treat as headers, as WSGI names them.
HEADER_FIELDS = {
    "authorization": "HTTP_AUTHORIZATION",
    "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
    "content-type": "CONTENT_TYPE",
    "content-length": "CONTENT_LENGTH",
    "if-match": "HTTP_IF_MATCH",
    "if-none-match": "HTTP_IF_NONE_MATCH",
}
FORM = "application/x-www-form-urlencoded"
DEFAULT_CONTENT_TYPE = "application/json"
ERROR_KEY = "slrs.alternate_syntax.error"
TOO_LARGE = "too large"
MARK_KEY = "slrs.alternate_syntax"


class AlternateSyntax:
    """WSGI middleware: POST /xapi/...?method=M with form fields becomes the M request they describe.

    `max_bytes` is the largest form body read (the app's MAX_CONTENT_LENGTH);
    None reads any.
    """

    def __init__(self, app: WSGIApp, max_bytes: int | None) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/xapi" or path.startswith("/xapi/"):
            query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            if any(name == "method" for name, _ in query):
                problem = self._rewrite(environ, query)
                if problem is not None:
                    environ[ERROR_KEY] = problem
                elif environ["REQUEST_METHOD"] == "HEAD":
                    return self.app(environ, _empty_body(start_response))
        return self.app(environ, start_response)

    def _rewrite(self, environ: dict[str, Any], query: list[tuple[str, str]]) -> str | None:
        """Rewrite `environ` into the request it describes; or what is wrong with it, leaving it as it was."""
        if environ.get("REQUEST_METHOD") != "POST":
            return (f"the alternate request syntax (Communication 1.3) is a POST; this {environ.get('REQUEST_METHOD')} "
                    "has a method parameter")
        others = sorted({name for name, _ in query if name != "method"})
        if others or len(query) != 1:
            return ("the alternate request syntax takes no query parameter but method; send "
                    f"{others or ['method']} as form fields")
        method = query[0][1].upper()
        if method not in METHODS:
            return f"method must be one of {', '.join(METHODS)}, not {query[0][1]!r}"
        mimetype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if mimetype != FORM:
            return f"the alternate request syntax sends its fields as {FORM}, not {mimetype or 'no Content-Type'}"
        try:
            body = self._read(environ)
        except (OSError, ValueError):  # a broken chunked body, or the client went away
            return "the form could not be read as sent"
        if body is None:
            return TOO_LARGE
        try:
            fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body),
                               errors="strict")
        except (UnicodeDecodeError, ValueError):
            return f"the form is not {FORM} in UTF-8 (name=value pairs joined by &)"
        _apply(environ, method, fields)
        return None

    def _read(self, environ: dict[str, Any]) -> bytes | None:
        """The form body, None if larger than `max_bytes`."""
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH") or ""
        limit = self.max_bytes
        if length.isdigit():
            if limit is not None and int(length) > limit:
                return None
            return bytes(stream.read(int(length)))
        data = bytes(stream.read() if limit is None else stream.read(limit + 1))
        return None if limit is not None and len(data) > limit else data


def _empty_body(start_response: Callable[..., Any]) -> Callable[..., Any]:
    """The answer to a HEAD sent as a POST: its body is left out, so its Content-Length must say 0 to the POST."""

    def start(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        kept = [(name, value) for name, value in headers if name.lower() != "content-length"]
        return start_response(status, [*kept, ("Content-Length", "0")], *args)

    return start


def _apply(environ: dict[str, Any], method: str, fields: list[tuple[str, str]]) -> None:
    """Make `environ` the `method` request of the form's headers, content and parameters."""
    params: list[tuple[str, str]] = []
    content: bytes | None = None
    content_type: str | None = None
    for name, value in fields:
        key = name.lower()
        if key == "content":
            content = value.encode("utf-8")  # Communication 1.3: the content is a UTF-8 string
        elif key == "content-type":
            content_type = value
        elif key == "content-length":
            continue  # the length of the content is known; a client's figure is advisory
        elif key in HEADER_FIELDS:
            environ[HEADER_FIELDS[key]] = value
        else:
            params.append((name, value))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["REQUEST_METHOD"] = method
    environ["QUERY_STRING"] = urlencode(params)
    environ["wsgi.input"] = io.BytesIO(content or b"")
    environ["CONTENT_LENGTH"] = str(len(content or b""))
    if content is not None:
        environ["CONTENT_TYPE"] = content_type or DEFAULT_CONTENT_TYPE
    elif content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    else:
        environ.pop("CONTENT_TYPE", None)
    environ[MARK_KEY] = True


def refuse_misused_syntax(app: Flask) -> None:
    """Answer 400 (413 when too large) a request `AlternateSyntax` marked as misusing the syntax, before any view."""

    @app.before_request
    def misused_alternate_syntax() -> None:
        problem = request.environ.get(ERROR_KEY)
        if problem == TOO_LARGE:
            raise RequestEntityTooLarge()
        if problem is not None:
            raise BadRequest(problem)
