"""Bodies a careless or hostile client sends: refused whole with a 400 that says why, or stored and read back exactly.

Issue 9, items 1 and 2 (xAPI 1.0.3 Communication 1.4, Data 2.2.s2.b5): one
client's bad byte must never take reads down for everyone.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from werkzeug.test import TestResponse

from tests.conftest import AUTHORITY, XAPIClient, statement

EXTENSION = "https://lscp.example/xapi/extensions/score-detail"
PAT = "/xapi/statements?agent=" + quote(json.dumps({"mbox": "mailto:pat@example.org"}))
READS = ["/xapi/statements", "/xapi/statements?limit=5", "/xapi/statements?ascending=true",
         "/xapi/statements?format=canonical", "/xapi/statements?format=ids"]


def post_raw(xapi: XAPIClient, body: bytes | str) -> TestResponse:
    return xapi.post("/xapi/statements", data=body, content_type="application/json")


def with_extension(raw_value: str) -> str:
    """A statement's JSON text whose result extension is `raw_value`, exactly as written."""
    text = json.dumps(statement(result={"extensions": {EXTENSION: "PLACEHOLDER"}}))
    return text.replace('"PLACEHOLDER"', raw_value)


def stored_count(xapi: XAPIClient) -> int:
    return len(xapi.get("/xapi/statements").get_json()["statements"])


def refused(response: TestResponse, *words: str) -> str:
    """The message of a 400, which must name each of `words` and nothing of Python."""
    assert response.status_code == 400, response.get_data(as_text=True)
    message: str = response.get_json()["error"]["message"]
    for word in words:
        assert word in message, message
    for internal in ("Python", "sys.", "orjson", "Traceback", "codec", "RecursionError"):
        assert internal not in message, message
    return message


def test_a_lone_surrogate_in_a_name_is_refused_and_reads_stay_up(xapi: XAPIClient) -> None:
    """Item 1: before, `"name": "x\\ud800y"` was stored (200) and every page holding it answered 500."""
    poison = '{"actor":{"mbox":"mailto:pat@example.org","name":"x\\ud800y"},' \
             '"verb":{"id":"http://adlnet.gov/expapi/verbs/completed"},"object":{"id":"https://lscp.example/c/1"}}'
    post_raw(xapi, json.dumps(statement()))
    refused(post_raw(xapi, poison), "surrogate", "line 1")
    refused(post_raw(xapi, f"[{json.dumps(statement())}, {poison}]"), "surrogate")
    assert stored_count(xapi) == 1
    for path in [*READS, PAT]:
        assert xapi.get(path).status_code == 200, path


def test_a_statement_an_earlier_version_stored_with_a_lone_surrogate_reads_back_and_can_be_voided(
        app: Any, xapi: XAPIClient) -> None:
    """Item 1, for stores that already hold one: every read answers, with the escape exactly as it was sent."""
    [poison] = app.extensions["slrs"].lrs.store_statements(
        [statement(actor={"mbox": "mailto:pat@example.org", "name": "x\ud800y"})], AUTHORITY)
    for path in [*READS, f"/xapi/statements?statementId={poison}", PAT]:
        response = xapi.get(path)
        assert response.status_code == 200, path
        assert b"x\\ud800y" in response.data or "format=ids" in path, path  # ids drops names
    got = json.loads(xapi.get(f"/xapi/statements?statementId={poison}").data)
    assert got["actor"]["name"] == "x\ud800y"
    voiding = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
                        object={"objectType": "StatementRef", "id": poison})
    assert post_raw(xapi, json.dumps(voiding)).status_code == 200
    assert xapi.get(f"/xapi/statements?voidedStatementId={poison}").status_code == 200


def test_a_body_in_utf16_is_refused_as_not_utf8(xapi: XAPIClient) -> None:
    """Item 2, Communication 1.4: JSON is sent as UTF-8; before, UTF-16 was stored."""
    refused(post_raw(xapi, json.dumps(statement()).encode("utf-16")), "UTF-8")
    refused(post_raw(xapi, json.dumps(statement(), ensure_ascii=False).replace("Alice", "Al\xefce").encode("latin-1")),
            "UTF-8")
    assert stored_count(xapi) == 0


REFUSED_NUMBERS = [
    ("NaN", ["NaN"]), ("Infinity", ["Infinity"]), ("-Infinity", ["Infinity"]), ("[1, NaN]", ["NaN"]),
    ("1e400", ["too large"]), ("-1e400", ["too large"]),
    ("18446744073709551616", ["18446744073709551616", "as a string"]),
    ("-9223372036854775809", ["-9223372036854775809", "as a string"]),
    ("1" + "0" * 5000, ["5001 digits", "as a string"]),
]
EXACT_NUMBERS = ["18446744073709551615", "-9223372036854775808", "123456789012345678", "0.1", "-0.0", "1.5e300",
                 '"18446744073709551616"', '{"n": 12345678901234567890}']


def test_numbers_that_would_not_read_back_are_refused(xapi: XAPIClient) -> None:
    """Item 2: before, NaN and 1e400 came back as null, 2**64 as 1.8446744073709552e+19, 5001 digits a 400 about sys."""
    for raw, words in REFUSED_NUMBERS:
        refused(post_raw(xapi, f"[{json.dumps(statement())}, {with_extension(raw)}]"), *words)
    assert stored_count(xapi) == 0


def test_numbers_within_range_read_back_exactly(xapi: XAPIClient) -> None:
    for raw in EXACT_NUMBERS:
        response = post_raw(xapi, with_extension(raw))
        assert response.status_code == 200, raw
        got = json.loads(xapi.get(f"/xapi/statements?statementId={response.get_json()[0]}").data)
        assert got["result"]["extensions"][EXTENSION] == json.loads(raw), raw


def test_nesting_a_hundred_thousand_levels_deep_is_a_400_not_a_500(xapi: XAPIClient) -> None:
    """Item 2: before, RecursionError (500)."""
    refused(post_raw(xapi, "[" * 100_000 + "]" * 100_000), "nested")
    refused(post_raw(xapi, with_extension("[" * 2000 + "]" * 2000)), "nested")
    assert stored_count(xapi) == 0


def test_an_extension_nested_deeper_than_a_page_can_be_written_is_refused(xapi: XAPIClient) -> None:
    """Deeper than 100 levels, the statement could not be given back in a page: refused at the door."""
    refused(post_raw(xapi, with_extension("[" * 101 + "]" * 101)), "100 levels", "extension value")
    assert post_raw(xapi, with_extension("[" * 100 + "]" * 100)).status_code == 200
    got = json.loads(xapi.get("/xapi/statements").data)["statements"][0]
    assert got["result"]["extensions"][EXTENSION] == json.loads("[" * 100 + "]" * 100)


def test_other_malformed_json_says_where(xapi: XAPIClient) -> None:
    assert "line 1, column 2" in refused(post_raw(xapi, '{,}'), "not valid JSON")
    refused(post_raw(xapi, b""), "empty")
    refused(post_raw(xapi, json.dumps(statement()) + " trailing"), "not valid JSON")


def test_a_utf8_byte_order_mark_is_ignored(xapi: XAPIClient) -> None:
    """RFC 8259 8.1 lets a parser ignore a BOM; some .NET clients send one."""
    assert post_raw(xapi, b"\xef\xbb\xbf" + json.dumps(statement()).encode()).status_code == 200
