"""No input to /api/v1/moodle yields a 500: bodies that are not objects, each field's wrong values, odd paths."""

from __future__ import annotations

from typing import Any

import pytest

from api.records.routing import OPERATIONS
from tests.api.conftest import Given, RecordsAPI
from tests.api.test_records_inputs_api import NOT_OBJECTS, WRONG_VALUES
from tests.bridge.conftest import Moodle
from tests.bridge.moodle_data import needs_data
from tests.bridge.shapes import account, course_iri, shaped

pytestmark = [needs_data, pytest.mark.parametrize("engine", ["sqlite"])]
BRIDGE_OPERATIONS = [op for op in OPERATIONS if op.endpoint.startswith("moodle.")]


@pytest.fixture
def paths(api: RecordsAPI, given: Given, moodle: Moodle) -> dict[str, str]:
    """A link of each kind and a pending statement, to name in paths."""
    given.world()
    alias = api.ok("POST", "/moodle/aliases", {"account": account(11)["account"], "worker": "ann"})
    [pending] = moodle.send(shaped("course_completed", 12, course_iri(2), "2027-02-20T10:00:00Z"))
    return {"/aliases/<link>": f"/aliases/{alias['id']}", "<statement_id>": pending}


def concrete(rule: str, paths: dict[str, str]) -> str:
    path = rule.removeprefix("/api/v1")
    for name, value in paths.items():
        path = path.replace(name, value)
    return path.replace("<link>", "0ef692f5-1d58-5a1e-acd9-a505a0de9ee3")


def test_every_bridge_route_answers_bad_bodies_with_a_4xx_and_needs_its_scope(api: RecordsAPI,
                                                                          paths: dict[str, str]) -> None:
    problems: list[tuple[object, ...]] = []
    for op in BRIDGE_OPERATIONS:
        if op.body is None:
            continue
        path = concrete(op.rule, paths)
        for raw in NOT_OBJECTS:
            response = api.call(op.method, path, data=raw, headers={"Content-Type": "application/json"})
            if response.status_code != 400:
                problems.append((op.endpoint, raw[:20], response.status_code))
        for field in op.body().fields:
            for value in WRONG_VALUES:
                response = api.call(op.method, path, json={field: value})
                if response.status_code >= 500 or response.status_code < 400:
                    problems.append((op.endpoint, field, value, response.status_code))
    assert problems == []
    assert len(api.ok("GET", "/moodle/aliases")) == 1
    for op in BRIDGE_OPERATIONS:
        path = concrete(op.rule, paths)
        anonymous: Any = api.client.open("/api/v1" + path, method=op.method)
        wrong = api.as_("board").call(op.method, path, json={})
        assert (anonymous.status_code, wrong.status_code) == (401, 403), op.endpoint


def test_odd_paths_and_queries_are_4xx(api: RecordsAPI, paths: dict[str, str]) -> None:
    for method, path in (("GET", "/moodle/statements/not-a-uuid"), ("GET", "/moodle/statements?status=lost"),
                         ("GET", "/moodle/aliases?worker=%00"), ("DELETE", "/moodle/aliases/unknown"),
                         ("DELETE", f"{paths['/aliases/<link>'].replace('aliases', 'activities')}"),
                         ("GET", "/moodle/statements/0ef692f5-1d58-5a1e-acd9-a505a0de9ee3")):
        response = api.call(method, path)
        assert 400 <= response.status_code < 500 and "error" in response.get_json(), (path, response.status_code)

