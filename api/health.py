"""GET /health: is the database reachable, and how far behind the log is each follower."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

from projections.registry import PROJECTIONS

health = Blueprint("health", __name__)


@health.get("/health")
def get_health() -> Response:
    services = current_app.extensions["slrs"]
    try:
        log_position = services.lrs.recorder.max_notification_id() or 0
    except Exception as error:  # noqa: BLE001  (any failure here is what /health reports)
        response = jsonify({"status": "unavailable", "database": {"ok": False, "error": str(error)}})
        response.status_code = 503
        return response
    followers = {}
    for name in sorted(PROJECTIONS):
        position = services.projection_store(name).position()
        followers[name] = {"position": position, "lag": log_position - position}
    return jsonify({
        "status": "ok",
        "database": {"ok": True, "engine": services.settings.engine, "log_position": log_position},
        "followers": followers,
    })
