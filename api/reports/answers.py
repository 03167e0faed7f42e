"""How each report is written as JSON: one schema per view of projections/, documented in OpenAPI by the same schemas.

Amounts are pence (`*_pence`) beside pounds as strings; rates are fractions
from 0 to 1, percentages 0 to 100; dates `YYYY-MM-DD`, instants ISO 8601 UTC.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from api.records.charges import money
from api.records.fields import Plain

DAY = {"format": "date"}


class ChangeSchema(Schema):
    """One value of one row (a worker, a session) as the day was known at its end, and as known now."""

    record = fields.String(required=True)
    field = fields.String(required=True)
    before = fields.Raw(required=True, allow_none=True)
    after = fields.Raw(required=True, allow_none=True)


class LateCorrectionSchema(Schema):
    """An event recorded after the `as_of` day, effective by then, that changed the report: who, why, what."""

    event = fields.String(required=True)
    kind = fields.String(required=True)
    record = fields.String(required=True)
    recorded_at = fields.String(required=True, metadata={"format": "date-time"})
    effective = fields.String(required=True)
    by_credential = fields.String(required=True)
    by_agency = fields.String(required=True, allow_none=True)
    reason = fields.String(required=True, allow_none=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class ReportSchema(Schema):
    """What every report says of itself: the day, and the instant the records are taken as known."""

    as_of = fields.Date(required=True)
    known_at = fields.DateTime(required=True)
    late_corrections = fields.List(fields.Nested(LateCorrectionSchema), required=True)


class RequirementRowSchema(Schema):
    """A requirement of the pathway: its status, when due, when the covering training expires, and that training."""

    level = fields.String(required=True)
    status = fields.String(required=True)
    due_on = fields.Date(required=True)
    expires_on = fields.Date(required=True, allow_none=True)
    covered_by = fields.String(required=True, allow_none=True)
    course = fields.String(required=True, allow_none=True)
    delivery = fields.String(required=True, allow_none=True)
    completed_on = fields.Date(required=True, allow_none=True)


class WorkerProgressRowSchema(Schema):
    """A worker on the day: agency, role, group, the pathway in force, overall status, each requirement."""

    worker = fields.String(required=True)
    agency = fields.String(required=True)
    job_role = fields.String(required=True)
    target_group = fields.Integer(required=True)
    works_with_group_4 = fields.Boolean(required=True)
    joined_group_on = fields.Date(required=True)
    pathway_effective_from = fields.Date(required=True, allow_none=True)
    status = fields.String(required=True)
    compliant = fields.Boolean(required=True)
    requirements = fields.List(fields.Nested(RequirementRowSchema), required=True)


class WorkerProgressReportSchema(ReportSchema):
    """A page of workers' progress; `next_after` is the `after` of the next page (null: the last)."""

    agency = fields.String(required=True, allow_none=True)
    rows = fields.List(fields.Nested(WorkerProgressRowSchema), required=True)
    next_after = fields.String(required=True, allow_none=True)


class ComplianceRowSchema(Schema):
    """Workers in post on the day, of one agency and target group (null: every group), by status."""

    agency = fields.String(required=True)
    target_group = fields.Integer(required=True, allow_none=True)
    headcount = fields.Integer(required=True)
    compliant = fields.Integer(required=True)
    compliant_pct = fields.Float(required=True, allow_none=True)
    in_date = fields.Integer(required=True)
    expiring = fields.Integer(required=True)
    expired = fields.Integer(required=True)
    never_trained = fields.Integer(required=True)
    not_yet_due = fields.Integer(required=True)


class TallySchema(Schema):
    """Places booked, held, waiting; cancellations of held places by notice band; substitutions; outcomes; rates."""

    places_booked = fields.Integer(required=True)
    booked = fields.Integer(required=True)
    waiting = fields.Integer(required=True)
    cancelled_28_plus = fields.Integer(required=True)
    cancelled_14_to_27 = fields.Integer(required=True)
    cancelled_under_14 = fields.Integer(required=True, metadata={"description": "the late band"})
    cancelled_by_partnership = fields.Integer(required=True)
    substitutions = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    did_not_attend = fields.Integer(required=True)
    did_not_attend_rate = fields.Float(required=True, allow_none=True)


class LedgerTotalSchema(Schema):
    """Charges (positive) and credits (negative) of an agency in a month (`all`: the period), and the net owed."""

    agency = fields.String(required=True)
    month = fields.String(required=True)
    charges_pence = fields.Integer(required=True)
    credits_pence = fields.Integer(required=True)
    net_pence = fields.Integer(required=True)
    net = money("net_pence")


class AgencyReportSchema(ReportSchema):
    """An agency's board report: compliance per target group and in total; bookings and charges in the period."""

    agency = fields.String(required=True)
    name = fields.String(required=True)
    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")
    groups = fields.List(fields.Nested(ComplianceRowSchema), required=True)
    total = fields.Nested(ComplianceRowSchema, required=True)
    bookings = fields.Nested(TallySchema, required=True)
    charges = fields.Nested(LedgerTotalSchema, required=True)


class AgencyComparisonSchema(Schema):
    """One agency beside the others."""

    agency = fields.String(required=True)
    name = fields.String(required=True)
    contributes = fields.Boolean(required=True)
    compliance = fields.Nested(ComplianceRowSchema, required=True)
    bookings = fields.Nested(TallySchema, required=True)
    charges = fields.Nested(LedgerTotalSchema, required=True)


class ShortfallSchema(Schema):
    """Per level: workers needing it against places free in the next 90 days (null: e-learning, unlimited)."""

    level = fields.String(required=True)
    workers_needing = fields.Integer(required=True)
    places = fields.Integer(required=True, allow_none=True)
    shortfall = fields.Integer(required=True)


class PartnershipReportSchema(ReportSchema):
    """Every agency compared; every agency and group; the gaps below `target_pct`; the shortfalls in provision."""

    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")
    target_pct = fields.Float(required=True)
    agencies = fields.List(fields.Nested(AgencyComparisonSchema), required=True)
    cells = fields.List(fields.Nested(ComplianceRowSchema), required=True)
    gaps = fields.List(fields.Nested(ComplianceRowSchema), required=True)
    shortfalls = fields.List(fields.Nested(ShortfallSchema), required=True)


class SessionRowSchema(Schema):
    """A session on the day: capacity, its places' tally, fill rate (held / capacity), attendance rate."""

    session = fields.String(required=True)
    course = fields.String(required=True)
    level = fields.String(required=True)
    session_date = fields.Date(required=True)
    venue = fields.String(required=True)
    trainers = fields.List(fields.String(), required=True)
    capacity = fields.Integer(required=True)
    cancelled = fields.Boolean(required=True)
    register_closed = fields.Boolean(required=True)
    tally = fields.Nested(TallySchema, required=True)
    fill_rate = fields.Float(required=True)
    attendance_rate = fields.Float(required=True, allow_none=True)


class SessionsReportSchema(ReportSchema):
    """Sessions dated in the period (with `agency`: its bookings only)."""

    agency = fields.String(required=True, allow_none=True)
    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")
    rows = fields.List(fields.Nested(SessionRowSchema), required=True)


class LedgerLineSchema(Schema):
    """A charge or a credit (negative) with its booking, rule, card, the charge's status on the day, and invoice."""

    agency = fields.String(required=True)
    line = fields.String(required=True, metadata={"enum": ["charge", "credit"]})
    id = fields.String(required=True)
    charge = fields.String(required=True)
    booking = fields.String(required=True)
    session = fields.String(required=True)
    kind = fields.String(required=True)
    rule = fields.String(required=True)
    card = fields.String(required=True)
    notice_days = fields.Integer(required=True, allow_none=True)
    amount_pence = fields.Integer(required=True)
    amount = money("amount_pence")
    effective = fields.Date(required=True)
    recorded_at = fields.String(required=True, metadata={"format": "date-time"})
    recorded_by = fields.String(required=True)
    status = fields.String(required=True)
    dispute = fields.String(required=True, allow_none=True)
    credit_reason = fields.String(required=True, allow_none=True)
    approver = fields.String(required=True, allow_none=True)
    invoice = fields.String(required=True, allow_none=True, metadata={"description": "the month of its invoice"})


class ChargesReportSchema(ReportSchema):
    """The ledger: every line in the period, and per agency the totals of each month and of the period (`all`)."""

    agency = fields.String(required=True, allow_none=True)
    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")
    lines = fields.List(fields.Nested(LedgerLineSchema), required=True)
    totals = fields.List(fields.Nested(LedgerTotalSchema), required=True)


class RatingCellSchema(Schema):
    """Responses rating one thing, and their mean; both null (`suppressed`) under 5 responses."""

    outcome = fields.String(required=True)
    responses = fields.Integer(required=True, allow_none=True)
    mean = fields.Float(required=True, allow_none=True)
    suppressed = fields.Boolean(required=True)


class EvaluationRowSchema(Schema):
    """The evaluations of a course, session or trainer (`by`)."""

    by = fields.String(required=True, metadata={"enum": ["course", "session", "trainer"]})
    id = fields.String(required=True)
    course = fields.String(required=True)
    responses = fields.Integer(required=True, allow_none=True)
    suppressed = fields.Boolean(required=True)
    overall = fields.Nested(RatingCellSchema, required=True)
    outcomes = fields.List(fields.Nested(RatingCellSchema), required=True)


class EvaluationsReportSchema(ReportSchema):
    """Evaluation summaries by course, session and trainer."""

    agency = fields.String(required=True, allow_none=True)
    first = fields.Date(required=True, data_key="from")
    last = fields.Date(required=True, data_key="to")
    rows = fields.List(fields.Nested(EvaluationRowSchema), required=True)


class AuditEntrySchema(Schema):
    """An event of either log: recorded (UTC), effective, who, whether recorded after its effective day, its fields."""

    log = fields.String(required=True, metadata={"enum": ["records", "lrs"]})
    kind = fields.String(required=True)
    record = fields.String(required=True)
    version = fields.Integer(required=True)
    event = fields.String(required=True)
    recorded_at = fields.String(required=True, metadata={"format": "date-time"})
    effective = fields.String(required=True)
    by_credential = fields.String(required=True)
    by_agency = fields.String(required=True, allow_none=True)
    by_person = fields.String(required=True, allow_none=True)
    late = fields.Boolean(required=True)
    data = Plain(required=True)


class AuditReportSchema(Schema):
    """A page of the audit trail, oldest first; `next_after` is the cursor of the next page (null: the last)."""

    known_at = fields.DateTime(required=True)
    entries = fields.List(fields.Nested(AuditEntrySchema), required=True)
    next_after = fields.String(required=True, allow_none=True)


def tally_dict(tally: Any) -> dict[str, Any]:
    """A tally as TallySchema writes it (for CSV lines)."""
    written: dict[str, Any] = TallySchema().dump(tally)
    return written
