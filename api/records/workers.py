"""/api/v1/workers: register workers, move them between agencies and target groups, their personal data, history.

Changes that take effect on a date are appended as sub-resources
(`POST .../agency-moves`); a worker's personal details are one resource
(`PUT` to change, `DELETE` to erase: the events stay, the name becomes unreadable).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from api.auth import HISTORY_SCOPES, RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.answers import HistoryEntrySchema, ProgressSchema, WorkerSchema
from api.records.fields import Code, EnglishDate, StrictBoolean, StrictInteger, Text
from api.records.routing import Answer, OnDateSchema, StrictSchema, operation, records
from domain.actor import Actor

workers = Blueprint("workers", __name__, url_prefix="/api/v1")


def target_group(**kwargs: Any) -> StrictInteger:
    """A target group, 1 to 8 (the domain refuses others with the same words)."""
    return StrictInteger(metadata={"minimum": 1, "maximum": 8}, **kwargs)


class RegisterWorkerSchema(StrictSchema):
    """A new worker of `agency` from `started_on`; `name` and `email` are sealed personal data."""

    id = Code(required=True)
    agency = Code(required=True)
    job_role = Text(required=True)
    target_group = target_group(required=True)
    started_on = EnglishDate(required=True)
    name = Text(required=True)
    email = Text(max_length=320, allow_none=True, load_default=None)
    works_with_group_4 = StrictBoolean(load_default=False)
    line_manager = Code(allow_none=True, load_default=None)


class WorkersQuerySchema(StrictSchema):
    """Workers of one agency (an agency credential: its own) as on an English date (default today)."""

    agency = Code()
    on = EnglishDate()


class MoveAgencySchema(StrictSchema):
    """The worker belongs to `agency` from `effective_from`."""

    agency = Code(required=True)
    effective_from = EnglishDate(required=True)


class MoveGroupSchema(StrictSchema):
    """The worker is in `target_group` from `effective_from` (their new pathway's clock starts then)."""

    target_group = target_group(required=True)
    effective_from = EnglishDate(required=True)
    works_with_group_4 = StrictBoolean(load_default=False)


class ChangeJobRoleSchema(StrictSchema):
    """The worker's job role from `effective_from`."""

    job_role = Text(required=True)
    effective_from = EnglishDate(required=True)


class ChangeLineManagerSchema(StrictSchema):
    """The worker's line manager (a worker id, or null for none) from `effective_from`."""

    line_manager = Code(required=True, allow_none=True)
    effective_from = EnglishDate(required=True)


class ChangePersonalDetailsSchema(StrictSchema):
    """The worker's name and email (sealed with their own key)."""

    name = Text(required=True)
    email = Text(max_length=320, allow_none=True, load_default=None)


class RecordLeavingSchema(StrictSchema):
    """The English date the worker left."""

    left_on = EnglishDate(required=True)


@operation(workers, "POST", "/workers", summary="Register a worker", scopes=RECORDS_WRITE_SCOPES,
           body=RegisterWorkerSchema, answer=WorkerSchema, status=201, errors=(404, 409))
def register_worker(actor: Actor, body: dict[str, Any]) -> Any:
    """An agency registers its own worker (another agency's id answers 404), the partnership any."""
    code = body.pop("id")
    found = records().register_worker(actor, code, **body)
    return Answer(found, 201, {"Location": f"/api/v1/workers/{code}"})


@operation(workers, "GET", "/workers", summary="List workers", scopes=RECORDS_READ_SCOPES,
           query=WorkersQuerySchema, answer=WorkerSchema, many=True, errors=(404,))
def list_workers(actor: Actor, query: dict[str, Any]) -> Any:
    """Workers as on `on`, of `agency` if given; an agency credential sees its own only (another's: 404)."""
    return records().list_workers(actor, query.get("agency"), query.get("on"))


@operation(workers, "GET", "/workers/<code>/progress", summary="A worker's progress along their pathway",
           scopes=RECORDS_READ_SCOPES, query=OnDateSchema, answer=ProgressSchema, errors=(404,))
def get_progress(actor: Actor, code: str, query: dict[str, Any]) -> Any:
    """Each requirement of the worker's pathway on `on` (default today): not yet due, in date, expiring
    (within 90 days), expired or never trained, and the training that covers it; derived, never stored."""
    return records().get_progress(actor, code, query.get("on"))


@operation(workers, "GET", "/workers/<code>", summary="Read a worker", scopes=RECORDS_READ_SCOPES,
           query=OnDateSchema, answer=WorkerSchema, errors=(404,))
def get_worker(actor: Actor, code: str, query: dict[str, Any]) -> Any:
    """A worker as on `on` (default today); a worker of another agency answers 404."""
    return records().get_worker(actor, code, query.get("on"))


@operation(workers, "POST", "/workers/<code>/agency-moves", summary="Move a worker to another agency",
           scopes=RECORDS_WRITE_SCOPES, body=MoveAgencySchema, answer=WorkerSchema, errors=(404, 409))
def move_worker_to_agency(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker belongs to another agency from a date; earlier bookings stay with the agency that made them."""
    return records().move_worker_to_agency(actor, code, **body)


@operation(workers, "POST", "/workers/<code>/group-moves", summary="Move a worker to another target group",
           scopes=RECORDS_WRITE_SCOPES, body=MoveGroupSchema, answer=WorkerSchema, errors=(404, 409))
def move_worker_to_group(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker is in another target group from a date."""
    return records().move_worker_to_group(actor, code, **body)


@operation(workers, "POST", "/workers/<code>/job-role-changes", summary="Change a worker's job role",
           scopes=RECORDS_WRITE_SCOPES, body=ChangeJobRoleSchema, answer=WorkerSchema, errors=(404, 409))
def change_job_role(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker's job role from a date."""
    return records().change_job_role(actor, code, **body)


@operation(workers, "POST", "/workers/<code>/line-manager-changes", summary="Change a worker's line manager",
           scopes=RECORDS_WRITE_SCOPES, body=ChangeLineManagerSchema, answer=WorkerSchema, errors=(404, 409))
def change_line_manager(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker's line manager from a date (null: none); a line manager the credential cannot see is 404."""
    return records().change_line_manager(actor, code, **body)


@operation(workers, "PUT", "/workers/<code>/personal-details", summary="Change a worker's name and email",
           scopes=RECORDS_WRITE_SCOPES, body=ChangePersonalDetailsSchema, answer=WorkerSchema, errors=(404, 409))
def change_personal_details(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker's name and email, sealed again with their key."""
    return records().change_personal_details(actor, code, **body)


@operation(workers, "DELETE", "/workers/<code>/personal-details", summary="Erase a worker's personal data",
           scopes=RECORDS_WRITE_SCOPES, answer=WorkerSchema, errors=(404,))
def erase_personal_data(actor: Actor, code: str) -> Any:
    """The partnership destroys the worker's key: name and email become unreadable in every event, which stay."""
    return records().erase_personal_data(actor, code)


@operation(workers, "POST", "/workers/<code>/leaving", summary="Record that a worker left",
           scopes=RECORDS_WRITE_SCOPES, body=RecordLeavingSchema, answer=WorkerSchema, errors=(404, 409))
def record_leaving(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The worker left on a date; from then on they cannot be booked."""
    return records().record_leaving(actor, code, **body)


@operation(workers, "GET", "/workers/<code>/history", summary="A worker's history", scopes=HISTORY_SCOPES,
           answer=HistoryEntrySchema, many=True, errors=(404,))
def worker_history(actor: Actor, code: str) -> Any:
    """Every event of the worker, oldest first, without their sealed personal data (records/read or audit/read)."""
    return records().get_history(actor, "worker", code)
