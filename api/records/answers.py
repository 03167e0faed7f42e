"""Schemas of the records API's answers: how each view of domain/views.py is written as JSON.

Dates are `YYYY-MM-DD` and instants ISO 8601 with their offset (UTC), never
Flask's HTTP dates. The same schemas document the answers in OpenAPI.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from api.records.fields import Plain

DAY = {"format": "date"}
INSTANT = {"format": "date-time"}


class ContributionChangeSchema(Schema):
    """From `effective_from`, the agency does (or does not) contribute to the inter-agency budget."""

    effective_from = fields.String(required=True, metadata=DAY)
    contributes = fields.Boolean(required=True)


class AgencySchema(Schema):
    """An agency as it stands; `contributes` on the date asked about (`?on=`, default today)."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    sector = fields.String(required=True)
    health = fields.Boolean(required=True)
    contributes = fields.Boolean(required=True)
    contribution = fields.List(fields.Nested(ContributionChangeSchema), required=True)
    version = fields.Integer(required=True)


class AgencyPlacementSchema(Schema):
    """The worker belongs to `agency` from `effective_from`."""

    effective_from = fields.String(required=True, metadata=DAY)
    agency = fields.String(required=True)


class GroupPlacementSchema(Schema):
    """The worker is in `target_group` from `effective_from`."""

    effective_from = fields.String(required=True, metadata=DAY)
    target_group = fields.Integer(required=True)
    works_with_group_4 = fields.Boolean(required=True)


class CompletionSchema(Schema):
    """Training the worker completed; `source` names where it came from (`session:<id>`, ...)."""

    source = fields.String(required=True)
    course = fields.String(required=True)
    level = fields.String(required=True)
    delivery = fields.String(required=True)
    completed_on = fields.Date(required=True)


class WorkerSchema(Schema):
    """A worker as on the date asked about; `name` and `email` are null once personal data is erased."""

    id = fields.String(required=True)
    agency = fields.String(required=True)
    job_role = fields.String(required=True)
    target_group = fields.Integer(required=True)
    works_with_group_4 = fields.Boolean(required=True)
    line_manager = fields.String(required=True, allow_none=True)
    started_on = fields.Date(required=True)
    left_on = fields.Date(required=True, allow_none=True)
    joined_group_on = fields.Date(required=True)
    name = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    agencies = fields.List(fields.Nested(AgencyPlacementSchema), required=True)
    target_groups = fields.List(fields.Nested(GroupPlacementSchema), required=True)
    completions = fields.List(fields.Nested(CompletionSchema), required=True)
    version = fields.Integer(required=True)


class ValidationPeriodSchema(Schema):
    """The partnership's validation of a single-agency course, inclusive."""

    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)


class CourseSchema(Schema):
    """A course; `validated` says whether a validation is current on the date asked about."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    level = fields.String(required=True)
    level_label = fields.String(required=True)
    delivery = fields.String(required=True)
    outcomes = fields.List(fields.String(), required=True)
    topics = fields.List(fields.String(), required=True)
    duration_minutes = fields.Integer(required=True)
    validations = fields.List(fields.Nested(ValidationPeriodSchema), required=True)
    validated = fields.Boolean(required=True)
    version = fields.Integer(required=True)


class RequirementSchema(Schema):
    """A level the group must complete, due `due_months` after joining, refreshed every `refresh_years`."""

    level = fields.String(required=True)
    due_months = fields.Integer(required=True)
    refresh_years = fields.Integer(required=True)
    group_4_only = fields.Boolean(required=True)


class PathwaySchema(Schema):
    """A target group's pathway in force on the date asked about; `effective_from` null for the shipped default."""

    target_group = fields.Integer(required=True)
    effective_from = fields.Date(required=True, allow_none=True)
    requirements = fields.List(fields.Nested(RequirementSchema), required=True)
    topics = fields.List(fields.String(), required=True)


class RequirementStatusSchema(Schema):
    """One requirement on the date: its status, the training covering it, when it fell due and expires."""

    level = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["not yet due", "in date", "expiring", "expired",
                                                             "never trained"]})
    covered_by = fields.Nested(CompletionSchema, required=True, allow_none=True)
    due_on = fields.Date(required=True)
    expires_on = fields.Date(required=True, allow_none=True)


class ProgressSchema(Schema):
    """A worker's progress along their pathway on `as_of`, with the rules then in force."""

    worker = fields.String(required=True)
    agency = fields.String(required=True)
    as_of = fields.Date(required=True)
    target_group = fields.Integer(required=True)
    pathway_effective_from = fields.Date(required=True, allow_none=True)
    requirements = fields.List(fields.Nested(RequirementStatusSchema), required=True)
    status = fields.String(required=True)
    compliant = fields.Boolean(required=True)


class SubstitutionSchema(Schema):
    """`worker` replaced `replaced` on the booking at `at`."""

    replaced = fields.String(required=True)
    worker = fields.String(required=True)
    at = fields.String(required=True, metadata=INSTANT)


class BookingSchema(Schema):
    """A booking: status `booked`, `waiting` (with its `position` from 1) or `cancelled`."""

    id = fields.String(required=True)
    session = fields.String(required=True)
    worker = fields.String(required=True)
    agency = fields.String(required=True)
    status = fields.String(required=True, metadata={"enum": ["booked", "waiting", "cancelled"]})
    booked_at = fields.String(required=True, metadata=INSTANT)
    position = fields.Integer(required=True, allow_none=True)
    attended = fields.Boolean(required=True, allow_none=True)
    outcome = fields.String(required=True, allow_none=True, metadata={"enum": ["attended", "did not attend", None]})
    cancelled_at = fields.String(required=True, allow_none=True, metadata=INSTANT)
    notice_days = fields.Integer(required=True, allow_none=True)
    cancelled_by_partnership = fields.Boolean(required=True)
    substitutions = fields.List(fields.Nested(SubstitutionSchema), required=True)


class SessionSchema(Schema):
    """A session with its places; `bookings` only those the credential may see (an agency: its own)."""

    id = fields.String(required=True)
    course = fields.String(required=True)
    level = fields.String(required=True)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    session_date = fields.Date(required=True)
    venue = fields.String(required=True)
    capacity = fields.Integer(required=True)
    trainers = fields.List(fields.String(), required=True)
    places_taken = fields.Integer(required=True)
    places_free = fields.Integer(required=True)
    waiting_list = fields.Integer(required=True)
    cancelled = fields.Boolean(required=True)
    register_closed = fields.Boolean(required=True)
    bookings = fields.List(fields.Nested(BookingSchema), required=True)
    version = fields.Integer(required=True)


class HistoryEntrySchema(Schema):
    """One event of a record: its version, name, when recorded (UTC), when effective, who, and what it said."""

    version = fields.Integer(required=True)
    event = fields.String(required=True)
    recorded_at = fields.DateTime(required=True)
    effective = fields.String(required=True, metadata={"description": "an English date YYYY-MM-DD or an instant"})
    by = Plain(required=True)
    data = Plain(required=True)


class CompletionRecordedSchema(Schema):
    """Whether the completion was recorded now (false: this source was recorded before)."""

    worker = fields.String(required=True)
    source = fields.String(required=True)
    recorded = fields.Boolean(required=True)


class CompletionWithdrawnSchema(Schema):
    """Whether a completion from this source was withdrawn now (false: there was none)."""

    worker = fields.String(required=True)
    source = fields.String(required=True)
    withdrawn = fields.Boolean(required=True)


class CourseEvaluationRecordedSchema(Schema):
    """Whether the evaluation was recorded now (false: this source was recorded before)."""

    course = fields.String(required=True)
    source = fields.String(required=True)
    recorded = fields.Boolean(required=True)


class ErrorDetailSchema(Schema):
    """What was wrong: a message, and for a bad payload `where` (body or query) and each bad field."""

    status = fields.Integer(required=True)
    message = fields.String(required=True)
    where = fields.String(metadata={"enum": ["body", "query"]})
    fields_ = fields.Dict(data_key="fields")
    rows = fields.List(fields.Dict())


class ErrorSchema(Schema):
    """Every 4xx answer."""

    error = fields.Nested(ErrorDetailSchema, required=True)
