"""JSON from clients, read so that whatever is accepted reads back exactly as it was sent.

xAPI 1.0.3 Communication 1.4: strings are UTF-8; Data 2.2.s2.b5: the LRS returns
what it stored, not another serialization. So a body is accepted only if it is
JSON as RFC 8259 defines it, in UTF-8 (a UTF-8 byte-order mark is ignored, as
RFC 8259 section 8.1 allows), and every value in it survives storage unchanged.
Refused, with a 400 that says why: other encodings, `NaN` and `Infinity`,
numbers beyond a double's range, integers outside -2**63 .. 2**64-1 (they would
come back as approximate floats), lone UTF-16 surrogate escapes (`"\\ud800"` is
no Unicode character, and could not be written back as UTF-8), and nesting
deeper than `MAX_DEPTH`. Nothing of a refused body is stored.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from lrs.errors import BadRequestError

MAX_DEPTH = 1024  # orjson's own limit on nested arrays and objects
SMALLEST_INT, LARGEST_INT = -(2**63), 2**64 - 1  # the integers stored and read back exactly
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_OR_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# A run of 19 digits anywhere: only then can an integer be out of range, and the slow check run.
_MAYBE_LONG_INTEGER = re.compile(rb"\d{19}").search
# Strings (skipped) and numbers, in JSON text that orjson has already accepted.
_STRING_OR_NUMBER = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?', re.DOTALL)


def parse_json(data: bytes, what: str = "the body") -> Any:
    """The JSON value of `data` (UTF-8 bytes); raises BadRequestError naming `what` and the fault.

    The message speaks of the client's text (line, column, the offending
    value), never of the parser that found it.
    """
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        if "infinity when parsed" in error.msg:
            _check_integers(data, what)  # a long integer says so, rather than "too large"
        raise BadRequestError(f"{what} is not valid JSON: {_explain(error, data)}") from None
    if _MAYBE_LONG_INTEGER(data):
        _check_integers(data, what)
    return value


def _where(error: orjson.JSONDecodeError) -> str:
    return f"line {error.lineno}, column {error.colno}"


def _explain(error: orjson.JSONDecodeError, data: bytes) -> str:
    """orjson's complaint in the terms of the text the client sent."""
    message = error.msg
    if "not valid UTF-8" in message:
        return _not_utf8(data)
    if "surrogate" in message:
        return (f"a string at {_where(error)} holds a \\u escape of a lone UTF-16 surrogate (\\ud800 to \\udfff "
                "without its pair), which is not a Unicode character")
    rest = data[error.pos:error.pos + 9].lstrip(b"-")
    if rest.startswith((b"NaN", b"Infinity")):
        return f"NaN and Infinity at {_where(error)} are not JSON numbers (send null or a string)"
    if "infinity when parsed" in message:
        return f"the number at {_where(error)} is too large (beyond about 1.8e308, a double's range)"
    if "depth limit" in message:
        return f"arrays and objects are nested more than {MAX_DEPTH} levels deep (at {_where(error)})"
    if "empty" in message:
        return "the body is empty"
    return f"{message} at {_where(error)}"


def _not_utf8(data: bytes) -> str:
    if data.startswith(UTF16_OR_32_BOMS) or b"\x00" in data[:4]:
        return "it is not UTF-8 (it looks like UTF-16 or UTF-32); xAPI sends JSON as UTF-8 (Communication 1.4)"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"byte {error.start} is not UTF-8; xAPI sends JSON as UTF-8 (Communication 1.4)"
    return "it is not UTF-8; xAPI sends JSON as UTF-8 (Communication 1.4)"


def _check_integers(data: bytes, what: str) -> None:
    """Refuse integers that orjson would read as approximate floats."""
    for match in _STRING_OR_NUMBER.finditer(data):
        token = match.group()
        if token[:1] == b'"' or any(c in token for c in b".eE"):
            continue
        digits = len(token.lstrip(b"-"))
        if digits >= 19 and (digits > 20 or not SMALLEST_INT <= int(token) <= LARGEST_INT):
            shown = f"the integer {token.decode()}" if digits <= 40 else f"an integer of {digits} digits"
            raise BadRequestError(
                f"{what} holds {shown}, outside {SMALLEST_INT} to {LARGEST_INT}, the integers this LRS "
                "reads back exactly: send it as a string"
            )
