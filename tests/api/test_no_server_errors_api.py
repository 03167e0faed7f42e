"""No input to any endpoint yields a 500 (issue 9, item 7).

Property-based: for every route of the app, hypothesis sends malformed path
values, query parameters (every name any schema of the app knows, and some it
does not), bodies, content types and headers, on each engine. Kept bounded
(eight examples a route, no deadline) so `make test` stays quick. One app
per engine serves the whole walk, so this module holds nothing else (another
test's fresh database would pull the tables from under it). How a 500 would
be answered and logged: test_server_errors_api.py.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import class_registry

from api.app import create_app
from tests.conftest import ENGINES, basic, environ_for, statement


def routes() -> list[tuple[str, tuple[str, ...]]]:
    """Every route of the app (rule, methods), read from an app made for the purpose."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"SLRS_ENV": {"SLRS_DATA_DIR": data_dir}, "SLRS_CREATE_TABLES": True})
        try:
            return [(rule.rule, tuple(sorted(rule.methods - {"OPTIONS"})))  # type: ignore[operator]
                    for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
        finally:
            app.extensions["slrs"].close()


def parameter_names() -> list[str]:
    """Every field name of every marshmallow schema of the app, as a client would spell it."""
    names = {"statementId", "more", "colour"}
    for schema_classes in class_registry._registry.values():  # noqa: SLF001  (marshmallow's own registry)
        for schema_class in schema_classes:
            for name, field in schema_class._declared_fields.items():  # noqa: SLF001
                names.add(field.data_key or name)
    return sorted(names)


ROUTES = routes()
PARAMETERS = parameter_names()
NASTY = [
    "", " ", "null", "true", "True", "yes", "-1", "0", "-0", "1e400", "NaN", "Infinity", "9" * 40, "18446744073709551616",
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-02-30", "2026-03-13T25:00:00Z", "2026-03",
    "{", "[]", "{}", '{"mbox":null}', '{"account":{"homePage":"http://x.example"}}', '{"objectType":"Group"}',
    '"\\ud800"', "\x00", "%00", "../../etc", "a" * 3000, "http://", "mailto:", "not an iri",
    "00000000-0000-0000-0000-000000000000", "ZZZZZZZZ-0000-0000-0000-000000000000", "\u202e\ufeff", "💥",
]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=30), JSON.map(json.dumps), st.integers().map(str))
STATEMENT_PATHS = [("actor",), ("actor", "mbox"), ("verb",), ("verb", "id"), ("object",), ("object", "id"),
                   ("object", "objectType"), ("result",), ("context",), ("timestamp",), ("id",), ("attachments",),
                   ("actor", "objectType"), ("version",), ("authority",)]


def mutated_statement(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    out = statement()
    target = out
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return out


BODY = st.one_of(
    st.none(), st.binary(max_size=300),
    JSON.map(lambda v: json.dumps(v).encode()),
    st.builds(mutated_statement, st.sampled_from(STATEMENT_PATHS), JSON).map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"[" * 5000, b'{"a":NaN}', b"\xff\xfe{\x00}\x00", b'"\\ud800"', b"1" * 6000,
                     b"--x\r\nContent-Type: application/json\r\n\r\n{}\r\n--x--\r\n"]),
)
CONTENT_TYPES = st.sampled_from(["application/json", "multipart/mixed; boundary=x", "multipart/mixed", "text/plain",
                                 "application/json; charset=utf-16", "", "*/*"])
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=40)  # what HTTP can carry
AUTHORIZATION = st.one_of(st.just(basic("writer", "writer-secret")), st.just(basic("writer", "writer-secret")),
                          HEADER_TEXT.map(lambda t: "Basic " + t), st.sampled_from(["Basic", "Bearer x", ""]))
HEADERS = st.fixed_dictionaries({
    "Authorization": st.one_of(AUTHORIZATION, HEADER_TEXT),
    "X-Experience-API-Version": st.one_of(st.sampled_from(["1.0.3", "1.0.0", "2.0.0", ""]), HEADER_TEXT),
}, optional={name: HEADER_TEXT for name in ("X-Forwarded-Prefix", "X-Forwarded-Proto", "X-Forwarded-Host",
                                            "X-Forwarded-For", "X-Request-ID", "Accept-Language", "If-None-Match")})


@pytest.fixture(scope="module", params=ENGINES)
def walked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app per engine for the whole walk, behind a trusted proxy so the forwarded headers are read too."""
    environ = environ_for(request.param, str(tmp_path_factory.mktemp("walk") / "var"))
    app = create_app({"SLRS_ENV": {**environ, "SLRS_TRUSTED_PROXIES": "127.0.0.1"}, "TESTING": True,
                      "SLRS_CREATE_TABLES": True})
    app.extensions["slrs"].credentials.create_credential("writer", "writer-secret", ["all"])
    app.extensions["slrs"].lrs.store_statements([statement()], {"mbox": "mailto:lrs@example.org"})
    yield app
    app.extensions["slrs"].close()


@pytest.mark.parametrize("rule, methods", ROUTES, ids=[f"{' '.join(m)} {r}" for r, m in ROUTES])
def test_no_input_to_this_route_gives_a_500(walked: Any, rule: str, methods: tuple[str, ...]) -> None:
    client = walked.test_client()

    @settings(max_examples=8, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(method=st.sampled_from(methods), values=st.lists(TEXT, min_size=3, max_size=3),
           query=st.dictionaries(st.sampled_from(PARAMETERS), TEXT, max_size=4), raw_query=st.sampled_from(
               ["", "&%ZZ=1", "&agent=%ff%fe", "&limit=1&limit=2", "&=", "&&&"]),
           body=BODY, content_type=CONTENT_TYPES, headers=HEADERS)
    def walk(method: str, values: list[str], query: dict[str, str], raw_query: str, body: bytes | None,
             content_type: str, headers: dict[str, str]) -> None:
        path = rule
        for value in values:  # each <variable> of the rule, quoted as a client's library would
            start = path.find("<")
            if start < 0:
                break
            path = path[:start] + quote(value, safe="") + path[path.index(">", start) + 1:]
        query_string = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query.items()) + raw_query
        response = client.open(f"{path}?{query_string}", method=method, data=body, content_type=content_type,
                               headers=headers)
        assert response.status_code < 500, (method, path, query_string, body, response.get_data(as_text=True))

    walk()
