"""Format checks for the xAPI scalar types: IRI, UUID, timestamp, duration, language tag, mailto, media type."""

from __future__ import annotations

import json
import math
import re
from typing import NoReturn

from lrs.errors import StatementValidationError
from lrs.timestamps import leaves_calendar, timestamp_fields

__all__ = [
    "fail",
    "json_type",
    "show",
    "is_number",
    "is_iri",
    "is_uuid",
    "is_mailto",
    "is_sha1_hex",
    "is_sha2_hex",
    "is_media_type",
    "is_version",
    "is_timestamp",
    "is_duration",
    "is_language_tag",
]


def fail(path: str, message: str) -> NoReturn:
    """Raise the validation error for `path`."""
    raise StatementValidationError(message, path)


def json_type(value: object) -> str:
    """Name the JSON type of a decoded value, for error messages."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def show(value: object, limit: int = 80) -> str:
    """Render a value as short JSON text for an error message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_number(value: object) -> bool:
    """A finite JSON number; Python's bool (a subclass of int) is not one."""
    # xAPI 1.0.3 Data 2.2.s4.b1.b2: strings or booleans never stand in for numbers
    cls = value.__class__
    if cls is int:
        return True
    if cls is float:
        return math.isfinite(value)  # type: ignore[arg-type]  # json.loads lets NaN/Infinity through
    return False


# --- IRIs / IRLs --------------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.2.s4.b1.b8 and 4.3: absolute IRIs with a scheme (RFC 3987 / RFC 3986 3.1).
# Best effort (Data 2.2.s4.b6): a syntactically valid scheme, at least one character after it, no
# whitespace and none of the ASCII characters RFC 3987 never allows; non-ASCII characters are fine.
# http(s) IRIs must also carry an authority ("http://host...").
_IRI = re.compile(
    r"(?!(?i:https?):(?!//[^/?#]))"
    r"[A-Za-z][A-Za-z0-9+.\-]*:"
    r"[^\s<>\"{}|\\^`\x00-\x1f\x7f]+\Z"
).match


def is_iri(value: object) -> bool:
    """An absolute IRI (also used for IRLs): scheme, colon, and no forbidden characters."""
    return value.__class__ is str and _IRI(value) is not None  # type: ignore[arg-type]


# --- UUIDs --------------------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.4.1 and 4.4: standard string form (8-4-4-4-12 hex), any case, any version.
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z").match


def is_uuid(value: object) -> bool:
    """A UUID in RFC 4122 standard string form."""
    return value.__class__ is str and _UUID(value) is not None  # type: ignore[arg-type]


# --- Agent identifiers ---------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.4.2.3: mbox is "mailto:email address"; mbox_sha1sum is a hex SHA-1
_MAILTO = re.compile(r"mailto:[^@\s<>\"]+@[^@\s<>\"]+\Z").match
_SHA1 = re.compile(r"[0-9a-fA-F]{40}\Z").match
# xAPI 1.0.3 Data 2.4.11 / Communication 1.5.2: hex SHA-2 digest (224, 256, 384 or 512 bits)
_SHA2 = re.compile(r"(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})\Z").match


def is_mailto(value: object) -> bool:
    """A mailto IRI holding one e-mail address."""
    return value.__class__ is str and _MAILTO(value) is not None  # type: ignore[arg-type]


def is_sha1_hex(value: object) -> bool:
    """Forty hexadecimal digits."""
    return value.__class__ is str and _SHA1(value) is not None  # type: ignore[arg-type]


def is_sha2_hex(value: object) -> bool:
    """A hex SHA-2 digest: 56, 64, 96 or 128 hexadecimal digits."""
    return value.__class__ is str and _SHA2(value) is not None  # type: ignore[arg-type]


# --- Internet media type -------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.4.11: contentType is an Internet Media Type (RFC 2046; syntax from RFC 7231 3.1.1.1)
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z\-]+"
_MEDIA_TYPE = re.compile(
    rf"{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|\"(?:[^\"\\\x00-\x08\x0a-\x1f\x7f]|\\.)*\"))*[ \t]*\Z"
).match


def is_media_type(value: object) -> bool:
    """type/subtype with optional ;name=value parameters."""
    return value.__class__ is str and _MEDIA_TYPE(value) is not None  # type: ignore[arg-type]


# --- Version ---------------------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.4.10.s3 and Communication 3.3.s3: "1.0" or any 1.0.x (Semantic Versioning 1.0.0)
_VERSION = re.compile(r"1\.0(?:\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z\-.]+)?)?\Z").match


def is_version(value: object) -> bool:
    """A 1.0.x version string."""
    return value.__class__ is str and _VERSION(value) is not None  # type: ignore[arg-type]


_VERSION_2 = re.compile(r"2\.0(?:\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z\-.]+)?)?\Z").match


def is_version_2(value: object) -> bool:
    """A 2.0.x version string (xAPI 2.0 Data 2.4.10)."""
    return value.__class__ is str and _VERSION_2(value) is not None  # type: ignore[arg-type]


# --- Timestamps ------------------------------------------------------------------------------------
# xAPI 1.0.3 Data 4.5: ISO 8601 combined date and time, read by `lrs.timestamps.timestamp_fields`.
# The conformance suite (XAPI-00123) rejects the "negative zero" offsets -00, -0000 and -00:00; an instant
# that leaves the years 0001 to 9999 once moved to UTC could not be given back in UTC (Data 4.5.s1.b6).


def is_timestamp(value: object) -> bool:
    """An ISO 8601 date-time with real calendar and clock values, that UTC can express."""
    if value.__class__ is not str:
        return False
    fields = timestamp_fields(value)  # type: ignore[arg-type]
    return fields is not None and not fields.negative_zero and not leaves_calendar(fields)


# --- Durations -------------------------------------------------------------------------------------
# xAPI 1.0.3 Data 4.6: ISO 8601:2004 4.4.3.2 format PnYnMnDTnHnMnS or PnW; weeks stand alone; only the
# last (lowest-order) component may carry a decimal fraction; the 4.4.3.3 alternative format is refused.
_NUM = r"(\d+(?:[.,]\d+)?)"
_DURATION = re.compile(
    rf"P(?:{_NUM}W|(?:{_NUM}Y)?(?:{_NUM}M)?(?:{_NUM}D)?(?:T(?:{_NUM}H)?(?:{_NUM}M)?(?:{_NUM}S)?)?)\Z",
    re.ASCII,
).match


def is_duration(value: object) -> bool:
    """An ISO 8601 duration such as PT1H30M or P4W."""
    if value.__class__ is not str:
        return False
    m = _DURATION(value)  # type: ignore[arg-type]
    if m is None:
        return False
    parts = [p for p in m.groups() if p is not None]
    if not parts:
        return False  # "P" or "PT" alone has no component
    if value[-1] == "T":  # type: ignore[index]
        return False  # a "T" must be followed by at least one time component
    for p in parts[:-1]:
        if "." in p or "," in p:
            return False
    return True


# --- Language tags -----------------------------------------------------------------------------------
# xAPI 1.0.3 Data 2.2.s4.b2 and 4.2: RFC 5646 well-formedness (section 2.1 ABNF plus the 2.2.5/2.2.6
# rules that a variant or an extension singleton may not repeat). Case-insensitive.
_GRANDFATHERED = (
    "en-gb-oed|i-ami|i-bnn|i-default|i-enochian|i-hak|i-klingon|i-lux|i-mingo|i-navajo|i-pwn|i-tao|i-tay"
    "|i-tsu|sgn-be-fr|sgn-be-nl|sgn-ch-de|art-lojban|cel-gaulish|no-bok|no-nyn|zh-guoyu|zh-hakka|zh-min"
    "|zh-min-nan|zh-xiang"
)
_LANGTAG = re.compile(
    r"(?:"
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"  # language (with up to three extlangs)
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+"  # private use only
    rf"|(?:{_GRANDFATHERED})"
    r")\Z",
    re.IGNORECASE | re.ASCII,  # ASCII: without it [a-z] would also match U+017F and U+212A
).match
_valid_tags: dict[str, bool] = {}


def _check_language_tag(tag: str) -> bool:
    m = _LANGTAG(tag)
    if m is None:
        return False
    variants = m.group("variants")
    if variants:
        seen = variants.lower().split("-")[1:]
        if len(seen) != len(set(seen)):
            return False  # RFC 5646 2.2.5: a variant must not repeat
    extensions = m.group("extensions")
    if extensions:
        singletons = [t for t in extensions.lower().split("-") if len(t) == 1]
        if len(singletons) != len(set(singletons)):
            return False  # RFC 5646 2.2.6: each singleton appears at most once
    return True


def is_language_tag(value: object) -> bool:
    """A well-formed RFC 5646 language tag (results are memoised: tags repeat a lot)."""
    if value.__class__ is not str:
        return False
    known = _valid_tags.get(value)  # type: ignore[call-overload]
    if known is not None:
        return known
    ok = _check_language_tag(value)  # type: ignore[arg-type]
    if len(_valid_tags) >= 4096:
        _valid_tags.clear()
    _valid_tags[value] = ok  # type: ignore[index]
    return ok
