"""A statements query (xAPI 1.0.3 Communication 2.1.3) and its `more` token, signed so it cannot be altered."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from lrs.errors import BadRequestError

FORMATS = ("exact", "ids", "canonical")
MAX_POSITION = 2**63 - 1  # index positions are 64-bit integers on both engines
MAX_LIMIT = 2**31 - 1
_INDEX_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z\Z").match
_FLAGS = ("related_activities", "related_agents", "ascending", "attachments")
_TEXTS = ("agent", "verb", "activity", "registration", "authority")


@dataclass(frozen=True)
class StatementQuery:
    """The filters of GET /statements, with identities already turned to pseudonyms.

    `agent` is a pseudonym; `since`/`until` are in the index's form
    (`lrs.timestamps.INDEX_FORMAT`); `cursor` is the index position of the last
    statement of the page before; `ceiling` is the last index position the first
    page could see, so later pages never show statements that arrived after the
    first. `authority` (a pseudonym) limits the result to what one credential stored.
    """

    agent: str | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: str | None = None
    until: str | None = None
    limit: int = 0
    ascending: bool = False
    format: str = "exact"
    attachments: bool = False
    cursor: int | None = None
    ceiling: int | None = None
    authority: str | None = None

    @property
    def has_match_filters(self) -> bool:
        """Filters that a statement referring to a matching statement also meets (2.1.3)."""
        return any(v is not None for v in (self.agent, self.verb, self.activity, self.registration))

    def next_page(self, last_seq: int, ceiling: int) -> StatementQuery:
        """The query of the page after the one that ended at index position `last_seq`."""
        return replace(self, cursor=last_seq, ceiling=ceiling)

    def to_token(self, key: bytes) -> str:
        """The `more` token of this query: its fields, and their HMAC-SHA256 under `key`."""
        data = {k: v for k, v in asdict(self).items() if v not in (None, False)}
        payload = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
        return f"{payload}.{_signature(payload, key)}"

    @classmethod
    def from_token(cls, token: str, key: bytes) -> StatementQuery:
        """The query a token of `to_token` holds; BadRequestError if it was not made with `key` or was altered."""
        payload, _, signature = token.partition(".")
        if not hmac.compare_digest(signature.encode(), _signature(payload, key).encode()):
            raise BadRequestError("the 'more' token was not issued by this LRS, or was altered; "
                                  "start again from the first page of the query")
        try:
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            data = None
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Any) -> StatementQuery:
        """A query from a token's fields, each of its type and range; BadRequestError otherwise."""
        if not isinstance(data, dict) or not data.keys() <= {f.name for f in fields(cls)}:
            raise BadRequestError("the 'more' token does not hold a statements query")
        problems = [name for name, value in data.items() if not _acceptable(name, value)]
        if problems:
            raise BadRequestError(f"the 'more' token holds unusable values for {', '.join(sorted(problems))}")
        return cls(**data)


def _signature(payload: str, key: bytes) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _acceptable(name: str, value: Any) -> bool:
    """Whether a token's field holds a value the query could have had."""
    if name in _FLAGS:
        return value is True or value is False
    if name in _TEXTS:
        return value is None or isinstance(value, str)
    if name in ("since", "until"):
        return value is None or (isinstance(value, str) and _INDEX_TIMESTAMP(value) is not None)
    if name == "format":
        return value in FORMATS
    if name == "limit":
        return type(value) is int and 0 <= value <= MAX_LIMIT
    return value is None or (type(value) is int and 0 <= value <= MAX_POSITION)  # cursor, ceiling
