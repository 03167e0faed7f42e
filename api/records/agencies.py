"""/api/v1/agencies: register agencies, change their details and budget contribution, read them and their history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from api.auth import HISTORY_SCOPES, RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.answers import AgencySchema, HistoryEntrySchema
from api.records.fields import Code, EnglishDate, StrictBoolean, Text
from api.records.routing import Answer, OnDateSchema, StrictSchema, operation, records
from domain.actor import Actor
from domain.levels import SECTORS

agencies = Blueprint("agencies", __name__, url_prefix="/api/v1")


class RegisterAgencySchema(StrictSchema):
    """A new agency; `contributes` to the inter-agency budget from `effective_from`."""

    id = Code(required=True)
    name = Text(required=True)
    sector = Text(required=True, metadata={"enum": list(SECTORS)})
    health = StrictBoolean(required=True)
    contributes = StrictBoolean(required=True)
    effective_from = EnglishDate(required=True)


class ChangeAgencyDetailsSchema(StrictSchema):
    """An agency's name, sector and whether it is a health body, from today."""

    name = Text(required=True)
    sector = Text(required=True, metadata={"enum": list(SECTORS)})
    health = StrictBoolean(required=True)


class ChangeContributionSchema(StrictSchema):
    """Whether the agency contributes to the inter-agency budget from `effective_from` (seed 000 s.9)."""

    contributes = StrictBoolean(required=True)
    effective_from = EnglishDate(required=True)


@operation(agencies, "POST", "/agencies", summary="Register an agency", scopes=RECORDS_WRITE_SCOPES,
           body=RegisterAgencySchema, answer=AgencySchema, status=201, errors=(409,))
def register_agency(actor: Actor, body: dict[str, Any]) -> Any:
    """The partnership registers an agency (an agency credential is refused with 403)."""
    code = body.pop("id")
    found = records().register_agency(actor, code, **body)
    return Answer(found, 201, {"Location": f"/api/v1/agencies/{code}"})


@operation(agencies, "GET", "/agencies", summary="List agencies", scopes=RECORDS_READ_SCOPES,
           query=OnDateSchema, answer=AgencySchema, many=True)
def list_agencies(actor: Actor, query: dict[str, Any]) -> Any:
    """Every agency in the order registered; an agency credential sees its own only."""
    return records().list_agencies(actor, query.get("on"))


@operation(agencies, "GET", "/agencies/<code>", summary="Read an agency", scopes=RECORDS_READ_SCOPES,
           query=OnDateSchema, answer=AgencySchema, errors=(404,))
def get_agency(actor: Actor, code: str, query: dict[str, Any]) -> Any:
    """An agency as on `on`; another agency's id answers 404."""
    return records().get_agency(actor, code, query.get("on"))


@operation(agencies, "PUT", "/agencies/<code>/details", summary="Change an agency's details",
           scopes=RECORDS_WRITE_SCOPES, body=ChangeAgencyDetailsSchema, answer=AgencySchema, errors=(404, 409))
def change_agency_details(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The partnership changes an agency's name, sector or health flag."""
    return records().change_agency_details(actor, code, **body)


@operation(agencies, "POST", "/agencies/<code>/contribution-changes", summary="Change an agency's contribution",
           scopes=RECORDS_WRITE_SCOPES, body=ChangeContributionSchema, answer=AgencySchema, errors=(404, 409))
def change_contribution(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The partnership records whether the agency contributes to the inter-agency budget from a date."""
    return records().change_contribution(actor, code, **body)


@operation(agencies, "GET", "/agencies/<code>/history", summary="An agency's history", scopes=HISTORY_SCOPES,
           answer=HistoryEntrySchema, many=True, errors=(404,))
def agency_history(actor: Actor, code: str) -> Any:
    """Every event of the agency, oldest first (records/read or audit/read)."""
    return records().get_history(actor, "agency", code)
