"""Scopes: reads need records/read, commands records/write, a record's history records/read or audit/read.

`all` grants every scope; `all/read` the xAPI reads, records/read and reports/read.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Given, RecordsAPI

READ, HISTORY = "/agencies/police", "/agencies/police/history"
COMMAND = ("/agencies/police/contribution-changes", {"contributes": False, "effective_from": "2027-04-01"})


@pytest.mark.parametrize(("clerk", "reads", "history", "commands"), [
    ("partnership", 200, 200, 200),
    ("police-reader", 200, 200, 403),
    ("auditor", 403, 200, 403),
    ("board", 403, 403, 403),
    ("all-reader", 200, 200, 403),
    ("admin", 200, 200, 200),
    ("statements", 403, 403, 403),
])
def test_what_each_scope_allows(api: RecordsAPI, given: Given, clerk: str, reads: int, history: int,
                                commands: int) -> None:
    given.agency("police")
    caller = api.as_(clerk)
    assert caller.get(READ).status_code == reads
    assert caller.get(HISTORY).status_code == history
    assert caller.post(*COMMAND).status_code == commands


def test_a_refusal_names_the_scopes_that_would_do(api: RecordsAPI, given: Given) -> None:
    given.agency("police")
    message = api.as_("auditor").get(READ).get_json()["error"]["message"]
    assert "records/read" in message and "audit/read" in message


def test_all_read_also_reads_the_xapi_statistics(api: RecordsAPI) -> None:
    assert api.as_("all-reader").get("/stats").status_code == 200
    assert api.as_("board").get("/stats").status_code == 403


def test_a_credential_may_be_given_the_new_scopes_by_the_cli_words(api: RecordsAPI) -> None:
    credentials = api.app.extensions["slrs"].credentials
    made = credentials.create_credential("clerk", "s", ["records/read", "records/write", "reports/read",
                                                        "audit/read"])
    assert made.scopes == {"records/read", "records/write", "reports/read", "audit/read"}
