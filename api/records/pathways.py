"""/api/v1/pathways: what each of the 8 target groups must complete, as in force on a date, and its revisions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields, validate

from api.auth import RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.answers import PathwaySchema
from api.records.fields import EnglishDate, StrictBoolean, StrictInteger, Text
from api.records.routing import Answer, OnDateSchema, StrictSchema, operation, records
from domain.actor import Actor
from domain.levels import LEVELS

pathways = Blueprint("pathways", __name__, url_prefix="/api/v1")


class RequirementInputSchema(StrictSchema):
    """A level the group must complete, due `due_months` after joining it, refreshed every `refresh_years`."""

    level = Text(required=True, metadata={"enum": list(LEVELS)})
    due_months = StrictInteger(load_default=3, metadata={"minimum": 0, "maximum": 60})
    refresh_years = StrictInteger(load_default=3, metadata={"minimum": 0, "maximum": 20})
    group_4_only = StrictBoolean(load_default=False)


class PublishPathwaySchema(StrictSchema):
    """The group's requirements and topics from `effective_from` on (each level at most once)."""

    requirements = fields.List(fields.Nested(RequirementInputSchema), required=True,
                               validate=validate.Length(max=len(LEVELS)))
    topics = fields.List(Text(), load_default=list, validate=validate.Length(max=100))
    effective_from = EnglishDate(required=True)


@operation(pathways, "GET", "/pathways", summary="List the 8 pathways", scopes=RECORDS_READ_SCOPES,
           query=OnDateSchema, answer=PathwaySchema, many=True)
def list_pathways(actor: Actor, query: dict[str, Any]) -> Any:
    """The pathway of each target group, 1 to 8, in force on `on` (default today)."""
    return records().list_pathways(query.get("on"))


@operation(pathways, "GET", "/pathways/<int:target_group>", summary="Read a target group's pathway",
           scopes=RECORDS_READ_SCOPES, query=OnDateSchema, answer=PathwaySchema)
def get_pathway(actor: Actor, target_group: int, query: dict[str, Any]) -> Any:
    """The pathway of one target group (1 to 8; another number is 400) in force on `on` (default today)."""
    return records().get_pathway(target_group, query.get("on"))


@operation(pathways, "POST", "/pathways/<int:target_group>/versions", summary="Publish a pathway revision",
           scopes=RECORDS_WRITE_SCOPES, body=PublishPathwaySchema, answer=PathwaySchema, status=201,
           errors=(409,))
def publish_pathway(actor: Actor, target_group: int, body: dict[str, Any]) -> Any:
    """The partnership revises what a group requires from a date; the answer is the revision as published."""
    found = records().publish_pathway(actor, target_group, **body)
    return Answer(found, 201, {"Location": f"/api/v1/pathways/{target_group}?on={body['effective_from']}"})
