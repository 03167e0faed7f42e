"""GET /api/v1/stats: statements per verb and per activity, from the stats follower."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from api.auth import READ_SCOPES, authenticate, require
from projections.stats import get_stats as read_stats

stats = Blueprint("stats", __name__, url_prefix="/api/v1")


class StatsQuerySchema(Schema):
    """How many of the busiest activities to list."""

    class Meta:
        unknown = RAISE

    activities = fields.Integer(load_default=100, validate=validate.Range(min=0, max=10_000))


@stats.get("/stats")
def get_stats() -> Response:
    """The stats follower's counts and its lag behind the statement log (any read scope)."""
    authenticate()
    require(*READ_SCOPES)
    params = StatsQuerySchema().load(request.args.to_dict())
    follower = current_app.extensions["slrs"].follower("stats")
    view = read_stats(follower.store, params["activities"])
    return jsonify({**asdict(view), "lag": follower.lag()})
