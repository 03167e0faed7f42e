"""Shared checks for JSON objects: allowed keys, typed properties, language maps and extensions."""

from __future__ import annotations

from typing import AbstractSet, Any

from lrs.timestamps import leaves_calendar, timestamp_fields
from lrs.validation.primitives import (
    fail,
    is_iri,
    is_language_tag,
    is_number,
    is_timestamp,
    is_uuid,
    json_type,
    show,
)

# xAPI 1.0.3 Data 2.4.4.3.s4.table1: the only properties of a Statement Reference
STATEMENT_REF_KEYS = frozenset(("objectType", "id"))
# Extension values are the one place a statement nests without bound. Deeper than this, a statement
# could not be written back with the rest of a page of statements (the JSON writer stops at 254
# levels), so it is refused rather than stored unreadable.
MAX_EXTENSION_DEPTH = 100


def expect_object(value: object, path: str, what: str) -> dict[str, Any]:
    """Return `value` if it is a JSON object, else fail naming the expected thing."""
    if isinstance(value, dict):
        return value
    fail(path, f"{what} must be a JSON object, got {json_type(value)} {show(value)}")


def expect_array(value: object, path: str, what: str) -> list[Any]:
    """Return `value` if it is a JSON array, else fail."""
    if isinstance(value, list):
        return value
    fail(path, f"{what} must be an array, got {json_type(value)} {show(value)}")


def reject_unknown(obj: dict[str, Any], allowed: AbstractSet[str], path: str, what: str) -> None:
    """Fail on the first property not in `allowed` (case-sensitive)."""
    # xAPI 1.0.3 Data 2.2.s4.b1.b5 (key case) and 2.2.s4.b1.b7 (keys not allowed by the spec).
    # Hot paths guard the call with `if not obj.keys() <= allowed:` so valid objects never get here.
    for key in obj:
        if key not in allowed:
            for name in allowed:
                if name.lower() == str(key).lower():
                    hint = f' (property names are case-sensitive: did you mean "{name}"?)'
                    break
            else:
                hint = f" (allowed: {', '.join(sorted(allowed))})"
            fail(f"{path}.{key}", f'unknown property "{key}" in {what}{hint}')


def check_string(value: object, path: str, name: str) -> None:
    """A JSON string (possibly empty)."""
    if value.__class__ is not str:
        fail(path, f"{name} must be a string, got {json_type(value)} {show(value)}")


def check_iri(value: object, path: str, name: str) -> None:
    """An absolute IRI with a scheme."""
    # xAPI 1.0.3 Data 2.2.s4.b1.b4 and 2.2.s4.b1.b8
    if not is_iri(value):
        if value.__class__ is str:
            fail(path, f'{name} must be an absolute IRI with a scheme (e.g. "http://example.com/x"), got {show(value)}')
        fail(path, f"{name} must be an IRI string, got {json_type(value)} {show(value)}")


def check_uuid(value: object, path: str, name: str) -> None:
    """A UUID in standard 8-4-4-4-12 string form."""
    # xAPI 1.0.3 Data 4.4
    if not is_uuid(value):
        fail(path, f"{name} must be a UUID string like \"3fa85f64-5717-4562-b3fc-2c963f66afa6\", got {show(value)}")


def check_timestamp(value: object, path: str, name: str) -> None:
    """An ISO 8601 timestamp."""
    # xAPI 1.0.3 Data 4.5.s1.b1
    if not is_timestamp(value):
        fields = timestamp_fields(value) if value.__class__ is str else None  # type: ignore[arg-type]
        if fields is not None and leaves_calendar(fields):
            # Data 4.5.s1.b6: the LRS gives timestamps back in UTC, which must exist
            fail(path, f"{name} {show(value)} falls outside the years 0001 to 9999 once converted to UTC")
        fail(
            path,
            f"{name} must be an ISO 8601 timestamp like \"2024-05-01T12:30:00.000Z\" "
            f"(offsets -00, -0000 and -00:00 are not allowed), got {show(value)}",
        )


def check_number(value: object, path: str, name: str) -> None:
    """A finite JSON number (not a boolean, not a numeric string)."""
    # xAPI 1.0.3 Data 2.2.s4.b1.b2
    if not is_number(value):
        fail(path, f"{name} must be a number, got {json_type(value)} {show(value)}")


def check_bool(value: object, path: str, name: str) -> None:
    """JSON true or false."""
    # xAPI 1.0.3 Data 2.2.s4.b1.b3
    if value is not True and value is not False:
        fail(path, f"{name} must be true or false, got {json_type(value)} {show(value)}")


def check_language_map(value: object, path: str, name: str) -> None:
    """An object whose keys are RFC 5646 language tags and whose values are strings."""
    # xAPI 1.0.3 Data 4.2 and 2.2.s4.b2
    if not isinstance(value, dict):
        fail(path, f'{name} must be a language map such as {{"en-US": "..."}}, got {json_type(value)} {show(value)}')
    for tag, text in value.items():
        if not is_language_tag(tag):
            fail(f'{path}["{tag}"]', f'{name} key "{tag}" is not a well-formed RFC 5646 language tag (e.g. "en-US")')
        if text.__class__ is not str:
            fail(f'{path}["{tag}"]', f"{name} values must be strings, got {json_type(text)} {show(text)}")


def check_extensions(value: object, path: str) -> None:
    """An object whose keys are IRIs; values may be any JSON, including null."""
    # xAPI 1.0.3 Data 4.1.s3.b1 (keys are IRIs) and 4.1.s3.b2 (values are never grounds for rejection)
    if not isinstance(value, dict):
        fail(path, f"extensions must be a JSON object keyed by IRIs, got {json_type(value)} {show(value)}")
    for key, item in value.items():
        if not is_iri(key):
            fail(f'{path}["{key}"]', f'extension key "{key}" must be an absolute IRI with a scheme')
        if isinstance(item, (dict, list)) and _nests_deeper(item, MAX_EXTENSION_DEPTH):
            fail(f'{path}["{key}"]', f"an extension value may nest arrays and objects at most {MAX_EXTENSION_DEPTH} "
                 "levels deep")


def _nests_deeper(value: dict[str, Any] | list[Any], limit: int) -> bool:
    """Whether arrays and objects in `value` (itself one level) nest more than `limit` levels."""
    level, containers = 1, [value]
    while containers:
        if level > limit:
            return True
        containers = [child for c in containers for child in (c.values() if isinstance(c, dict) else c)
                      if isinstance(child, (dict, list))]
        level += 1
    return False


def check_statement_ref(value: object, path: str, what: str) -> None:
    """A Statement Reference: objectType "StatementRef" and a UUID id, nothing else."""
    # xAPI 1.0.3 Data 2.4.4.3.s4 (also the type of context.statement, Data 2.4.6.s3.table1.row8)
    ref = expect_object(value, path, what)
    if "objectType" not in ref or ref["objectType"] != "StatementRef":
        fail(f"{path}.objectType", f'{what} must have "objectType": "StatementRef", got {show(ref.get("objectType"))}')
    if not ref.keys() <= STATEMENT_REF_KEYS:
        reject_unknown(ref, STATEMENT_REF_KEYS, path, "StatementRef")
    if "id" not in ref:
        fail(f"{path}.id", "StatementRef id (the UUID of the referenced statement) is required")
    check_uuid(ref["id"], f"{path}.id", "StatementRef id")
