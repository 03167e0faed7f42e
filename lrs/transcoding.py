"""A faster JSON transcoder for statement events: orjson, falling back to the library's encoder."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder

OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS


class FastJSONTranscoder(JSONTranscoder):
    """Encodes with orjson, handing datetimes and other registered types to the library's transcodings.

    orjson writes UUID values as plain strings, which the library would not turn
    back into UUIDs: the events of the LearningRecordStore hold none (aggregate
    ids live in their own columns). Anything orjson refuses (integers beyond 64
    bits in a client's extension, say) goes through the library's encoder.
    """

    def encode(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self._encode_obj, option=OPTIONS)
        except TypeError:
            return super().encode(obj)


def loads(data: bytes | str) -> Any:
    """Parse stored JSON with orjson, and with the standard library where orjson is stricter.

    For events and documents this LRS wrote itself, some by earlier versions
    that let NaN or lone surrogates in; a client's JSON goes through
    `lrs.json_input.parse_json` instead.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def dumps(value: Any) -> bytes:
    """JSON of a document read back, as UTF-8 bytes; never fails on a statement stored by an earlier version.

    orjson writes every value `lrs.json_input` accepts. Earlier versions also
    stored lone surrogates and integers beyond 64 bits: those documents go out
    in ASCII JSON, escapes and digits exactly as sent, and any NaN or Infinity as null.
    """
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(_finite(value), ensure_ascii=True, separators=(",", ":")).encode()


def _finite(value: Any) -> Any:
    """`value` with NaN and the infinities as None, as orjson writes them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value
