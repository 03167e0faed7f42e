"""Cross-origin requests from browser-hosted content (Storyline, Rise, Captivate, H5P, cmi5 units) to /xapi.

Content is usually served from another origin than the LRS, so the browser
asks first (a preflight OPTIONS) and then reads an answer only if it carries
`Access-Control-Allow-Origin`. SLRS_CORS_ORIGINS says which origins may:

- unset or `*` (the default): any origin. The answer says
  `Access-Control-Allow-Origin: *` and no `Allow-Credentials`: content sends its
  credential in the Authorization header it was launched with, which `*`
  allows, while a browser's own stored credentials (cookies, a Basic login
  the browser remembered) are never sent to the LRS on another site's behalf.
- a comma-separated list of origins (`https://content.example,https://lms.example`):
  only those. The answer echoes the request's origin, with `Vary: Origin` and
  `Access-Control-Allow-Credentials: true`, for content that sends its
  requests with credentials (`withCredentials`).
- `none`: no cross-origin access (the answers carry no CORS headers).

A preflight is answered 204 without the version header or a credential
(browsers send neither on it), whatever the origin; a disallowed origin gets
no CORS headers, so the browser refuses the real request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Flask, Response, request

from kernel.persistence import ConfigurationError

ALLOWED_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS"
# Communication 1.2's request headers a script sets, and Accept-Language (canonical format) and X-Request-ID.
ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Experience-API-Version", "If-Match", "If-None-Match",
                   "Accept-Language", "X-Request-ID")
# Communication 1.2's response headers a script needs to read (Content-Type and Last-Modified are safelisted anyway).
EXPOSED_HEADERS = "ETag, Last-Modified, X-Experience-API-Consistent-Through, X-Experience-API-Version, X-Request-ID"
PREFLIGHT_MAX_AGE = "7200"  # seconds; Chromium caps a preflight's cache at two hours
ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")


@dataclass(frozen=True)
class CorsPolicy:
    """Which origins may read the LRS's answers: any (`any_origin`), or those in `origins` (lowercase)."""

    any_origin: bool
    origins: frozenset[str]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> CorsPolicy:
        """SLRS_CORS_ORIGINS as the module says; raises ConfigurationError for a value that is not an origin."""
        value = environ.get("SLRS_CORS_ORIGINS", "*").strip()
        if value == "*":
            return cls(True, frozenset())
        if value.lower() in ("", "none"):
            return cls(False, frozenset())
        origins = [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        bad = [origin for origin in origins if not ORIGIN.match(origin)]
        if bad:
            raise ConfigurationError(f"SLRS_CORS_ORIGINS holds {bad}, which are not origins: give "
                                     "scheme://host[:port] separated by commas, `*` for any, or `none`")
        return cls(False, frozenset(origin.lower() for origin in origins))

    def allowed(self, origin: str) -> str | None:
        """The Access-Control-Allow-Origin value for a request from `origin`, None if it may not read the answer."""
        if self.any_origin:
            return "*"
        return origin if origin.lower() in self.origins else None


def under_xapi(path: str) -> bool:
    """Whether a request path is one of the xAPI resources' (routed or not)."""
    return path == "/xapi" or path.startswith("/xapi/")


def is_preflight() -> bool:
    """A CORS preflight: OPTIONS with an Origin and Access-Control-Request-Method."""
    return (request.method == "OPTIONS" and "Origin" in request.headers
            and "Access-Control-Request-Method" in request.headers)


def register_cors(app: Flask, policy: CorsPolicy) -> None:
    """Answer preflights under /xapi before the version and credential checks; add CORS headers to every answer."""

    @app.before_request
    def answer_preflight() -> Response | None:
        if not (under_xapi(request.path) and is_preflight()):
            return None
        response = Response(status=204)
        del response.headers["Content-Type"]
        allowed = policy.allowed(request.headers["Origin"])
        if allowed is not None:
            asked = [h.strip() for h in request.headers.get("Access-Control-Request-Headers", "").split(",")]
            extra = [h for h in asked if HEADER_NAME.match(h) and h.lower() not in
                     {a.lower() for a in ALLOWED_HEADERS}]
            response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response.headers["Access-Control-Allow-Headers"] = ", ".join((*ALLOWED_HEADERS, *extra))
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    @app.after_request
    def allow_origin(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if not under_xapi(request.path) or origin is None:
            return response
        allowed = policy.allowed(origin)
        if not policy.any_origin:
            response.vary.add("Origin")
        if allowed is not None:
            response.headers["Access-Control-Allow-Origin"] = allowed
            if not policy.any_origin:
                response.headers["Access-Control-Allow-Credentials"] = "true"
            if not is_preflight():
                response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
