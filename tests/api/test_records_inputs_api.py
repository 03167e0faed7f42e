"""No input yields a 500: every records endpoint answers any body, query or path with a 4xx naming what was wrong.

Every operation is tried with bodies that are not JSON objects, and with each
of its fields set in turn to values of the wrong type or out of range; a
refused call changes nothing (the log does not grow).
"""

from __future__ import annotations

from typing import Any

import pytest

from api.records.routing import OPERATIONS
from tests.api.conftest import Given, RecordsAPI

NOT_OBJECTS = [b"", b"not json", b"[1, 2]", b'"text"', b"null", b"[" * 5000 + b"]" * 5000, b'{"a": 1} trailing',
               b'{"a": NaN}', b'{"a": 1e999}', b'{"a": "\\ud800"}', b"\xff\xfe"]
WRONG_VALUES: list[Any] = [None, True, 0, -1, 10**40, 1e300, 1.5, "", "x" * 20000, "2027-02-30", "9999-12-31",
                           "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-12:00", "2027-03-01T09:00:00",
                           [], [None], [{"x": 1}], {}, {"outcome": 1}, "\u0000", "../../etc"]
PATH_VALUES = ["police", "ann", "s1", "l1"]


def concrete(rule: str, booking: str) -> str:
    """A path of `rule` under /api/v1 naming records that exist."""
    path = rule.removeprefix("/api/v1")
    for name, value in (("<code>", "l1" if path.startswith("/courses") else "s1" if path.startswith("/sessions")
                         else "police" if path.startswith("/agencies") else "ann"),
                        ("<booking>", booking), ("<int:target_group>", "3"), ("<path:filename>", "x.js")):
        path = path.replace(name, value)
    return path


def served(api: RecordsAPI) -> list[Any]:
    """The operations this app serves (a plugin's, such as the Moodle bridge's, only where it is enabled)."""
    endpoints = {rule.endpoint for rule in api.app.url_map.iter_rules()}
    return [op for op in OPERATIONS if op.endpoint in endpoints]


@pytest.fixture
def world(api: RecordsAPI, given: Given) -> dict[str, str]:
    given.world()
    given.session("s1")
    booking = api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    return {"booking": booking["id"]}


def test_bodies_that_are_not_json_objects_are_400_or_415_and_change_nothing(api: RecordsAPI,
                                                                           world: dict[str, str]) -> None:
    problems: list[tuple[str, object, int]] = []
    for op in [o for o in served(api) if o.body is not None]:
        path = concrete(op.rule, world["booking"])
        for raw in NOT_OBJECTS:
            before = api.log_position()
            response = api.call(op.method, path, data=raw, headers={"Content-Type": "application/json"})
            if response.status_code != 400 or "error" not in response.get_json() or api.log_position() != before:
                problems.append((op.endpoint, raw[:20], response.status_code))
        form = api.call(op.method, path, data={"a": "b"})
        if form.status_code != 415:
            problems.append((op.endpoint, "form", form.status_code))
    assert problems == []


def test_each_field_of_each_body_refuses_wrong_values_by_name(api: RecordsAPI, world: dict[str, str]) -> None:
    problems: list[tuple[object, ...]] = []
    for op in served(api):
        if op.body is None:
            continue
        path = concrete(op.rule, world["booking"])
        for field in op.body().fields:
            for value in WRONG_VALUES:
                before = api.log_position()
                response = api.call(op.method, path, json={field: value})
                answer = response.get_json()
                if response.status_code >= 500 or (response.status_code >= 400 and api.log_position() != before):
                    problems.append((op.endpoint, field, value, response.status_code))
                elif response.status_code == 400 and answer["error"].get("where") == "body" and \
                        not answer["error"]["fields"]:
                    problems.append((op.endpoint, field, value, "names no field"))
        unknown = api.call(op.method, path, json={"surprise": 1}).get_json()["error"]
        if "surprise" not in unknown.get("fields", {}):
            problems.append((op.endpoint, "unknown field", unknown))
    assert problems == []


@pytest.mark.parametrize("path", [
    "/agencies/%00", "/workers/" + "a" * 5000, "/workers/%C3%BCml%C3%A4ut/history", "/pathways/99999999999999999999",
    "/agencies/police?on=99999-01-01", "/agencies/police?on=0001-01-01", "/agencies/police?on=", "/workers?agency=",
    "/workers?agency=police&agency=charity", "/sessions?course=l1&extra=1", "/workers/ann?on=2027-3-1",
    "/sessions/s1/bookings/x/y", "/courses/..%2F..%2Fetc/history", "/docs/../openapi.json",
    "/docs/index.html", "/docs/%2e%2e/app.py",
])
def test_odd_paths_and_queries_are_4xx(api: RecordsAPI, world: dict[str, str], path: str) -> None:
    response = api.get(path)
    assert 400 <= response.status_code < 500, (response.status_code, response.data[:200])
    assert "error" in response.get_json()


def test_a_query_parameter_given_twice_is_400_naming_it(api: RecordsAPI, world: dict[str, str]) -> None:
    response = api.get("/workers?agency=police&agency=charity")
    assert response.get_json()["error"] | {"message": ""} == {
        "status": 400, "message": "", "where": "query", "fields": {"agency": ["give this parameter once"]}}


def test_an_unknown_method_is_405_with_json(api: RecordsAPI) -> None:
    response = api.call("PATCH", "/agencies")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_json()["error"]["status"] == 405
