"""The training records over HTTP under /api/v1: one blueprint per resource, its OpenAPI document and page.

Each view parses its payload with one marshmallow schema, calls one method of
`TrainingRecords` with an `Actor` made from the credential, and renders the
answer with one schema (api/records/routing.py). Domain errors become statuses
in api/errors.py.
"""

from __future__ import annotations

from flask import Flask

from api.records.agencies import agencies
from api.records.bookings import bookings
from api.records.charges import charges
from api.records.completions import completions
from api.records.courses import courses
from api.records.openapi import docs
from api.records.pathways import pathways
from api.records.sessions import sessions
from api.records.workers import workers

BLUEPRINTS = (agencies, workers, completions, courses, pathways, sessions, bookings, charges, docs)


def register_records(app: Flask) -> None:
    """Register every blueprint of the records API on `app` (which holds a `TrainingRecords` as services.records)."""
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
