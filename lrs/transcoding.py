"""A faster JSON transcoder for statement events: orjson, falling back to the library's encoder."""

from __future__ import annotations

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
    """Parse JSON with orjson, and with the standard library where orjson is stricter (huge integers)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        import json

        return json.loads(data)
