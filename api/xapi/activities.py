"""The Activities resource: GET and HEAD of /xapi/activities?activityId=... (xAPI 1.0.3 Communication 2.5)."""

from __future__ import annotations

import hashlib

from flask import Response, current_app, request
from marshmallow import RAISE, Schema

from api.auth import READ_SCOPES, require
from api.xapi import xapi
from api.xapi.schemas import Checked, single_values
from lrs.service import LearningRecordStore
from lrs.transcoding import dumps
from lrs.validation.structures import check_iri

# Activity definitions are not personal data: any credential that reads statements, or may define activities.
ACTIVITY_SCOPES = (*READ_SCOPES, "define")


class ActivityQuerySchema(Schema):
    """GET /xapi/activities: `activityId`, an IRI, and nothing else (a missing or bad one is 400)."""

    class Meta:
        unknown = RAISE

    activity_id = Checked(check_iri, "activityId", data_key="activityId", required=True)


def json_with_etag(document: object) -> Response:
    """A JSON answer with the ETag Communication 3.1 asks of every GET: the quoted SHA-1 hex of the body."""
    body = dumps(document)
    response = Response(body, mimetype="application/json")
    response.headers["ETag"] = f'"{hashlib.sha1(body).hexdigest()}"'
    return response


@xapi.get("/activities")
def get_activity() -> Response:
    """200 and the Activity object with its canonical definition; the id alone if no statement defined it.

    Raises (as 400) a ValidationError for a missing, repeated or non-IRI
    activityId or any other parameter; 403 without a read scope.
    """
    require(*ACTIVITY_SCOPES)
    params = ActivityQuerySchema().load(single_values(request.args))
    lrs: LearningRecordStore = current_app.extensions["slrs"].lrs
    return json_with_etag(lrs.get_activity(params["activity_id"]))
