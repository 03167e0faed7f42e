"""GET /health: is the database reachable, how long is each log, and how far behind it is each follower."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify

health = Blueprint("health", __name__)


@health.get("/health")
def get_health() -> Response:
    """200 with each log's position, each follower's log, position and lag, and the statement index's state.

    503 if the database fails, or if the statement index misses statements (an
    earlier version's interrupted rebuild): queries would answer wrongly.
    """
    services = current_app.extensions["slrs"]
    try:
        logs = {name: log.position() for name, log in services.logs().items()}
    except Exception as error:  # noqa: BLE001  (any failure here is what /health reports)
        response = jsonify({"status": "unavailable", "database": {"ok": False, "error": str(error)}})
        response.status_code = 503
        return response
    followers = {}
    for name in sorted(services.followers()):
        follower = services.follower(name)
        position = follower.store.position()
        followers[name] = {"log": follower.log.name, "position": position, "lag": logs[follower.log.name] - position}
    index = services.lrs.index_status()
    response = jsonify({
        "status": "ok" if index.complete else "index incomplete",
        "database": {"ok": True, "engine": services.storage.engine},
        "logs": {name: {"position": position} for name, position in logs.items()},
        "followers": followers,
        "statement_index": {"complete": index.complete, "indexed_through": index.indexed_through,
                            "problem": index.problem},
    })
    response.status_code = 200 if index.complete else 503  # queries miss statements until it is rebuilt
    return response
