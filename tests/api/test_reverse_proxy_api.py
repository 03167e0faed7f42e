"""Behind a reverse proxy under a path prefix (issue 9, item 13): trusted forwarded headers shape every URL built.

`SLRS_TRUSTED_PROXIES` names the proxies; X-Forwarded-Prefix, -Proto, -Host
and -For from anyone else are ignored (a client must not steer the links
others follow). The real server's side is tests/e2e/test_hostile_http.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from kernel.persistence import ConfigurationError
from tests.conftest import XAPIClient, basic, statement

FORWARDED = {"X-Forwarded-Prefix": "/lrs", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "lrs.example.org",
             "X-Forwarded-For": "203.0.113.9"}
PROXY, STRANGER = "10.0.0.5", "198.51.100.7"


@pytest.fixture
def proxied(environ: dict[str, str]) -> Iterator[Any]:
    app = create_app({"SLRS_ENV": {**environ, "SLRS_TRUSTED_PROXIES": f"{PROXY}, 192.168.0.0/16"}, "TESTING": True,
                      "SLRS_CREATE_TABLES": True})
    app.extensions["slrs"].credentials.create_credential("writer", "writer-secret", ["all"])
    yield app
    app.extensions["slrs"].close()


def more_link(app: Any, remote: str) -> str:
    client = XAPIClient(app.test_client())
    client.post("/xapi/statements", data=json.dumps([statement(), statement()]), content_type="application/json")
    response = client.get("/xapi/statements?limit=1", headers=FORWARDED, environ_base={"REMOTE_ADDR": remote})
    assert response.status_code == 200
    return str(response.get_json()["more"])


def test_more_links_carry_the_prefix_a_trusted_proxy_forwards(proxied: Any) -> None:
    """Before: the prefix was lost, so a client behind nginx at /lrs followed `more` to a 404."""
    link = more_link(proxied, PROXY)
    assert link.startswith("/lrs/xapi/statements?more=")
    page = XAPIClient(proxied.test_client()).get(link.removeprefix("/lrs"))
    assert page.status_code == 200 and len(page.get_json()["statements"]) == 1


def test_a_network_of_proxies_may_be_trusted(proxied: Any) -> None:
    assert more_link(proxied, "192.168.7.1").startswith("/lrs/xapi/")


def test_forwarded_headers_from_anyone_else_are_ignored(proxied: Any) -> None:
    assert more_link(proxied, STRANGER).startswith("/xapi/statements?more=")


def test_no_proxy_is_trusted_unless_configured(app: Any) -> None:
    assert more_link(app, "127.0.0.1").startswith("/xapi/statements?more=")


def test_records_locations_carry_the_prefix(proxied: Any) -> None:
    """Any URL the app builds: the Location of a created record too."""
    proxied.extensions["slrs"].credentials.create_credential("clerk", "clerk-secret", ["records/write"])
    response = proxied.test_client().post(
        "/api/v1/agencies", json={"id": "police", "name": "Police", "sector": "statutory", "health": False,
                                  "contributes": True, "effective_from": "2026-04-01"},
        headers={"Authorization": basic("clerk", "clerk-secret"), **FORWARDED}, environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 201
    assert response.headers["Location"] == "/lrs/api/v1/agencies/police"


def test_the_board_sign_in_sends_the_browser_back_under_the_prefix(proxied: Any) -> None:
    """The board pages' redirect to where the reader was going keeps the proxy's prefix."""
    proxied.extensions["slrs"].credentials.create_credential("board", "board-secret", ["reports/read"])
    client = proxied.test_client()
    asked = client.get("/board/", headers=FORWARDED, environ_base={"REMOTE_ADDR": PROXY})
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/lrs/board/sign-in")
    signed = client.post("/board/sign-in", data={"key": "board", "secret": "board-secret", "next": "/board/"},
                         headers=FORWARDED, environ_base={"REMOTE_ADDR": PROXY})
    assert signed.status_code == 302 and signed.headers["Location"] == "/lrs/board/"


def test_an_entry_that_is_no_address_is_refused_at_start(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="proxy.example"):
        create_app({"SLRS_ENV": {**environ, "SLRS_TRUSTED_PROXIES": "10.0.0.1,proxy.example"}, "TESTING": True})
