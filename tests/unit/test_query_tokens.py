"""The `more` token: a query survives the round trip, and a forged token is a client error."""

from __future__ import annotations

import pytest

from lrs.errors import BadRequestError
from lrs.query import StatementQuery


def test_next_page_token_round_trips_the_whole_query() -> None:
    query = StatementQuery(verb="http://adlnet.gov/expapi/verbs/attended", related_agents=True, agent="p1",
                           since="2026-03-13T00:00:00.000000Z", limit=25, ascending=True, format="ids")
    following = query.next_page(last_seq=120, ceiling=900)
    assert StatementQuery.from_token(following.to_token()) == following
    assert following.cursor == 120 and following.ceiling == 900


@pytest.mark.parametrize("token", ["not-base64!", "eyJjb2xvdXIiOiAicmVkIn0", "WzEsMl0"])  # {"colour": "red"}, [1,2]
def test_a_token_this_lrs_did_not_issue_is_refused(token: str) -> None:
    with pytest.raises(BadRequestError):
        StatementQuery.from_token(token)
