"""GET /health and GET /api/v1/stats."""

from __future__ import annotations

import json

from tests.conftest import XAPIClient, basic, statement


def test_health_reports_database_and_follower_lag(app: object, xapi: XAPIClient) -> None:
    xapi.post("/xapi/statements", data=json.dumps([statement(), statement()]), content_type="application/json")
    body = xapi.client.get("/health").get_json()
    assert body["status"] == "ok" and body["database"]["ok"] is True
    log_position = body["logs"]["lrs"]["position"]
    assert log_position == 2
    assert body["followers"]["stats"] == {"log": "lrs", "position": 0, "lag": log_position}
    app.extensions["slrs"].follower("stats").catch_up()  # type: ignore[attr-defined]
    assert xapi.client.get("/health").get_json()["followers"]["stats"]["lag"] == 0


def test_stats_need_a_read_credential_and_show_counts(app: object, xapi: XAPIClient) -> None:
    xapi.post("/xapi/statements", data=json.dumps([statement(), statement()]), content_type="application/json")
    assert xapi.client.get("/api/v1/stats").status_code == 401
    poster = xapi.client.get("/api/v1/stats", headers={"Authorization": basic("poster", "poster-secret")})
    assert poster.status_code == 403
    app.extensions["slrs"].follower("stats").catch_up()  # type: ignore[attr-defined]
    body = xapi.client.get("/api/v1/stats", headers={"Authorization": basic("reader", "reader-secret")}).get_json()
    assert body["verbs"] == [{"id": statement()["verb"]["id"], "statements": 2}]
    assert body["lag"] == 0
    bad = xapi.client.get("/api/v1/stats?top=3", headers={"Authorization": basic("reader", "reader-secret")})
    assert bad.status_code == 400
