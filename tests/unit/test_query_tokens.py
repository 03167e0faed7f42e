"""The `more` token: a query survives the round trip; a forged, altered or foreign token is a client error."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from lrs.errors import BadRequestError
from lrs.query import StatementQuery

KEY = b"k" * 32


def signed(data: object, key: bytes = KEY) -> str:
    """A token holding `data`, signed as the LRS signs (what a holder of the key could make)."""
    payload = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    signature = base64.urlsafe_b64encode(hmac.new(key, payload.encode(), hashlib.sha256).digest()).decode()
    return f"{payload}.{signature.rstrip('=')}"


def test_next_page_token_round_trips_the_whole_query() -> None:
    query = StatementQuery(verb="http://adlnet.gov/expapi/verbs/attended", related_agents=True, agent="p1",
                           since="2026-03-13T00:00:00.000000Z", limit=25, ascending=True, format="ids")
    following = query.next_page(last_seq=120, ceiling=900)
    assert StatementQuery.from_token(following.to_token(KEY), KEY) == following
    assert following.cursor == 120 and following.ceiling == 900


@pytest.mark.parametrize("token", ["not-base64!", "eyJjb2xvdXIiOiAicmVkIn0", "WzEsMl0", ""])  # {"colour": "red"}, [1,2]
def test_a_token_this_lrs_did_not_issue_is_refused(token: str) -> None:
    with pytest.raises(BadRequestError):
        StatementQuery.from_token(token, KEY)


def test_an_altered_token_is_refused_by_its_signature() -> None:
    """Communication 2.1.3: `more` is the LRS's own; a client that edits it (say limit -5) is refused."""
    token = StatementQuery(limit=5).next_page(10, 20).to_token(KEY)
    payload, _, signature = token.partition(".")
    tampered = base64.urlsafe_b64encode(json.dumps({"limit": -5, "cursor": 10}).encode()).decode().rstrip("=")
    for forged in (f"{tampered}.{signature}", payload, f"{payload}.{signature[:-1]}A", token + "x"):
        with pytest.raises(BadRequestError, match="not issued by this LRS"):
            StatementQuery.from_token(forged, KEY)
    with pytest.raises(BadRequestError, match="not issued by this LRS"):
        StatementQuery.from_token(token, b"another server's key" * 2)


@pytest.mark.parametrize("data", [
    {"limit": "5"}, {"limit": -5}, {"cursor": 2**70}, {"ceiling": 2**63}, {"agent": {"mbox": "mailto:a@example.org"}},
    {"format": "bogus"}, {"since": "yesterday"}, {"ascending": "true"}, {"colour": "red"}, [1, 2], None,
])
def test_a_signed_token_with_values_no_query_could_hold_is_refused(data: object) -> None:
    """Even under the right key (a token of an older version, a leaked key), only a query's own values pass."""
    with pytest.raises(BadRequestError, match="'more' token"):
        StatementQuery.from_token(signed(data), KEY)
