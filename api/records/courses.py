"""/api/v1/courses: the partnership's programme (define, revise, validate), course-level evaluations, history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from marshmallow import fields, validate

from api.auth import HISTORY_SCOPES, RECORDS_READ_SCOPES, RECORDS_WRITE_SCOPES
from api.records.answers import CourseEvaluationRecordedSchema, CourseSchema, HistoryEntrySchema
from api.records.fields import Code, EnglishDate, StrictInteger, Text
from api.records.routing import Answer, OnDateSchema, StrictSchema, operation, records
from domain.actor import Actor
from domain.levels import DELIVERIES, HEALTH_LEVELS, LEVELS

MAX_ITEMS = 100


def text_list(name: str, max_length: int = 200) -> fields.List:
    """A list of at most 100 strings (learning outcomes, topics)."""
    return fields.List(Text(max_length=max_length), load_default=list, validate=validate.Length(max=MAX_ITEMS),
                       metadata={"description": f"{name}, each given once"})


class RatingSchema(StrictSchema):
    """A rating of one learning outcome of the course, 1 (poor) to 5 (excellent)."""

    outcome = Text(required=True)
    rating = StrictInteger(required=True, metadata={"minimum": 1, "maximum": 5})


def ratings() -> fields.List:
    """At most one rating per learning outcome of the course."""
    return fields.List(fields.Nested(RatingSchema), load_default=list, validate=validate.Length(max=MAX_ITEMS))


class DefineCourseSchema(StrictSchema):
    """A course; `level` may be a health intercollegiate level (`health-3-core` is level 2)."""

    id = Code(required=True)
    title = Text(required=True)
    level = Text(required=True, metadata={"enum": [*LEVELS, *HEALTH_LEVELS]})
    delivery = Text(required=True, metadata={"enum": list(DELIVERIES)})
    outcomes = text_list("learning outcomes")
    topics = text_list("topics")
    duration_minutes = StrictInteger(required=True, metadata={"minimum": 1, "maximum": 7200})


class ReviseCourseSchema(StrictSchema):
    """What a course teaches, from today; its level and delivery never change."""

    title = Text(required=True)
    outcomes = text_list("learning outcomes")
    topics = text_list("topics")
    duration_minutes = StrictInteger(required=True, metadata={"minimum": 1, "maximum": 7200})


class ValidateCourseSchema(StrictSchema):
    """The partnership's validation of a single-agency course, from `valid_from` to `valid_until` inclusive."""

    valid_from = EnglishDate(required=True)
    valid_until = EnglishDate(required=True)


class CourseEvaluationSchema(StrictSchema):
    """A course-level evaluation (an e-learning platform's feedback); anonymous when `worker` is absent or null."""

    source = Text(required=True, max_length=500)
    ratings = ratings()
    overall = StrictInteger(allow_none=True, load_default=None, metadata={"minimum": 1, "maximum": 5})
    comment = Text(max_length=5000, load_default="")
    worker = Code(allow_none=True, load_default=None)


courses = Blueprint("courses", __name__, url_prefix="/api/v1")


@operation(courses, "POST", "/courses", summary="Define a course", scopes=RECORDS_WRITE_SCOPES,
           body=DefineCourseSchema, answer=CourseSchema, status=201, errors=(409,))
def define_course(actor: Actor, body: dict[str, Any]) -> Any:
    """The partnership defines a course of its programme."""
    code = body.pop("id")
    found = records().define_course(actor, code, **body)
    return Answer(found, 201, {"Location": f"/api/v1/courses/{code}"})


@operation(courses, "GET", "/courses", summary="List courses", scopes=RECORDS_READ_SCOPES, query=OnDateSchema,
           answer=CourseSchema, many=True)
def list_courses(actor: Actor, query: dict[str, Any]) -> Any:
    """Every course of the programme (the same for every credential), validations as on `on`."""
    return records().list_courses(query.get("on"))


@operation(courses, "GET", "/courses/<code>", summary="Read a course", scopes=RECORDS_READ_SCOPES,
           query=OnDateSchema, answer=CourseSchema, errors=(404,))
def get_course(actor: Actor, code: str, query: dict[str, Any]) -> Any:
    """A course, and whether a validation of it is current on `on` (default today)."""
    return records().get_course(code, query.get("on"))


@operation(courses, "POST", "/courses/<code>/revisions", summary="Revise a course", scopes=RECORDS_WRITE_SCOPES,
           body=ReviseCourseSchema, answer=CourseSchema, errors=(404, 409))
def revise_course(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The partnership revises a course's title, outcomes, topics and duration."""
    return records().revise_course(actor, code, **body)


@operation(courses, "POST", "/courses/<code>/validations", summary="Validate a single-agency course",
           scopes=RECORDS_WRITE_SCOPES, body=ValidateCourseSchema, answer=CourseSchema, errors=(404, 409))
def validate_course(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """The partnership validates a single-agency course for a period; it counts toward pathways while current."""
    return records().validate_course(actor, code, **body)


@operation(courses, "POST", "/courses/<code>/evaluations", summary="Record a course-level evaluation",
           scopes=RECORDS_WRITE_SCOPES, body=CourseEvaluationSchema, answer=CourseEvaluationRecordedSchema,
           status=201, errors=(404, 409), repeatable=True)
def record_course_evaluation(actor: Actor, code: str, body: dict[str, Any]) -> Any:
    """201 when recorded, 200 with `recorded: false` when this source was recorded before."""
    recorded = records().record_course_evaluation(actor, code, **body)
    return Answer({"course": code, "source": body["source"], "recorded": recorded}, 201 if recorded else 200)


@operation(courses, "GET", "/courses/<code>/history", summary="A course's history", scopes=HISTORY_SCOPES,
           answer=HistoryEntrySchema, many=True, errors=(404,))
def course_history(actor: Actor, code: str) -> Any:
    """Every event of the course, oldest first (records/read or audit/read)."""
    return records().get_history(actor, "course", code)
