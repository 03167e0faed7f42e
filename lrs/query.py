"""A statements query (xAPI 1.0.3 Communication 2.1.3) and its `more` cursor."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from lrs.errors import BadRequestError

FORMATS = ("exact", "ids", "canonical")


@dataclass(frozen=True)
class StatementQuery:
    """The filters of GET /statements, with identities already turned to pseudonyms.

    `agent` is a pseudonym; `after`/`before` are the paging cursor in index
    order; `ceiling` is the last index position the first page could see, so
    later pages never show statements that arrived after the first.
    `authority` (a pseudonym) limits the result to what one credential stored.
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
        return replace(self, cursor=last_seq, ceiling=ceiling)

    def to_token(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v not in (None, False)}
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def from_token(cls, token: str) -> StatementQuery:
        try:
            data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            return cls(**data)
        except (ValueError, TypeError) as error:
            raise BadRequestError(f"the 'more' token {token!r} is not one this LRS issued") from error


NO_MATCH = StatementQuery(agent="\x00no-such-person")
