"""How large one request may be: SLRS_MAX_REQUEST_BYTES (413 beyond it), read once when the app is made.

And what no URL may hold: a NUL character (`%00`) in its path or parameters is
a 400 for every route, before any view runs: PostgreSQL text cannot hold one,
so an identifier carrying it would fail in SQL instead of being "not found".

The default suits Moodle's batches (logstore_xapi sends 30 events a batch by
default, a few kilobytes a statement) and modest attachments, with room to
spare: tens of megabytes, not hundreds, so one request cannot hold a worker's
memory hostage. The number of statements per request is the LRS's own limit
(SLRS_MAX_BATCH, `lrs.service.max_batch`). After a large request the memory
it freed goes back to the system (`release_memory_after_large_requests`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Mapping

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from kernel.persistence import ConfigurationError

DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024
LARGE_REQUEST_BYTES = 1024 * 1024


def max_request_bytes(environ: Mapping[str, str]) -> int:
    """SLRS_MAX_REQUEST_BYTES in bytes; raises ConfigurationError unless a positive whole number."""
    value = environ.get("SLRS_MAX_REQUEST_BYTES", str(DEFAULT_MAX_REQUEST_BYTES))
    if not value.isdigit() or int(value) < 1:
        raise ConfigurationError(f"SLRS_MAX_REQUEST_BYTES must be a positive whole number of bytes, not {value!r}")
    return int(value)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    return trim  # type: ignore[no-any-return]


def release_memory_after_large_requests(app: Flask) -> None:
    """After a request of more than a megabyte (or a chunked one), hand the freed heap back to the system.

    Measured (bench/large_requests.py): a worker idling at 58 MB stayed at about
    160 MB after a 10,000-statement batch, its free memory scattered through
    glibc's heap; trimmed, it is back at about 85 MB, and stays there.
    """
    trim = _malloc_trim()
    if trim is None:
        return

    @app.teardown_request
    def trim_after_large_request(_error: BaseException | None = None) -> None:
        chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        if chunked or (request.content_length or 0) > LARGE_REQUEST_BYTES:
            trim(0)


def refuse_nul_in_urls(app: Flask) -> None:
    """Answer 400, for every route, a path or query parameter holding a NUL character."""

    @app.before_request
    def no_nul_characters() -> None:
        if "\x00" in request.path or any("\x00" in k + v for k, v in request.args.items(multi=True)):
            raise BadRequest("the URL holds a NUL character (%00), which no path or parameter of this API accepts")
