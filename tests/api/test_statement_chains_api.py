"""GET /xapi/statements?agent= through a chain of statement references (issue 9, item 9; Communication 2.1.3)."""

from __future__ import annotations

import json
import uuid

from tests.conftest import XAPIClient, statement

PAT = {"mbox": "mailto:pat@example.org"}


def test_an_agent_filter_returns_every_statement_of_a_chain(xapi: XAPIClient) -> None:
    """c: Pat passed; b refers to c; a refers to b. Before: b and c, not a."""
    c = statement(id=str(uuid.uuid4()), actor=PAT, verb={"id": "http://adlnet.gov/expapi/verbs/passed"})
    b = statement(id=str(uuid.uuid4()), object={"objectType": "StatementRef", "id": c["id"]})
    a = statement(id=str(uuid.uuid4()), object={"objectType": "StatementRef", "id": b["id"]})
    for each in (c, b, a):
        assert xapi.post("/xapi/statements", data=json.dumps(each), content_type="application/json").status_code == 200
    found = xapi.get("/xapi/statements", query_string={"agent": json.dumps(PAT)}).get_json()["statements"]
    assert [s["id"] for s in found] == [a["id"], b["id"], c["id"]]
