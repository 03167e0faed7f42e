"""The query parameters of the reports: the two times, the format, the period, and each report's own filters.

Numbers come as query strings (`limit=50`), so they are read as numbers from their text.
"""

from __future__ import annotations

from marshmallow import fields, validate

from api.records.fields import Code, EnglishDate, Instant, Text
from api.records.routing import StrictSchema
from domain.progress import STATUSES

FORMATS = ("json", "csv")


class ReportQuery(StrictSchema):
    """As of an English date (default today), as known at an instant (default now), as JSON or CSV."""

    as_of = EnglishDate(metadata={"description": "the day reported on (Europe/London), default today"})
    known_at = Instant(metadata={"description": "only events recorded by then count (ISO 8601 with offset), "
                                                "default now"})
    format = fields.String(validate=validate.OneOf(FORMATS), metadata={
        "enum": list(FORMATS), "description": "json (default) or csv; `Accept: text/csv` asks for csv too"})


class PeriodQuery(ReportQuery):
    """Plus a period of English dates, by default the financial year (1 April to 31 March) holding `as_of`."""

    first = EnglishDate(data_key="from", metadata={"description": "first day of the period"})
    last = EnglishDate(data_key="to", metadata={"description": "last day of the period"})


class ProgressQuery(ReportQuery):
    """Workers of one agency (an agency's credential: its own), one worker, one group or status; a page of them."""

    agency = Code()
    worker = Code()
    target_group = fields.Integer(validate=validate.Range(min=1, max=8), metadata={"minimum": 1, "maximum": 8})
    status = fields.String(validate=validate.OneOf(STATUSES), metadata={"enum": list(STATUSES)})
    after = Code()  # the worker id after which this page starts: `next_after` of the previous page
    limit = fields.Integer(load_default=1000, validate=validate.Range(min=1, max=100_000),
                           metadata={"minimum": 1, "maximum": 100_000})


class PartnershipQuery(PeriodQuery):
    """Plus the compliance percentage below which an agency's target group is listed as a gap."""

    target_pct = fields.Float(load_default=90.0, validate=validate.Range(min=0, max=100),
                              metadata={"minimum": 0, "maximum": 100})


class SessionsQuery(PeriodQuery):
    """Sessions dated in the period, of one course; with `agency` (an agency's credential: its own) its bookings only."""

    agency = Code()
    course = Code()


class ChargesQuery(PeriodQuery):
    """Charges and credits effective in the period, of one agency (an agency's credential: its own)."""

    agency = Code()


class EvaluationsQuery(PeriodQuery):
    """Evaluations recorded in the period, of one course; of one agency's delegates (an agency's credential: its own)."""

    agency = Code()
    course = Code()


class AuditQuery(StrictSchema):
    """Events concerning a worker, agency or session, of an event name or prefix, recorded in a period; a page."""

    known_at = Instant(metadata={"description": "only events recorded by then (default now)"})
    as_of = EnglishDate(metadata={"description": "only events effective by this English date (default: any)"})
    format = fields.String(validate=validate.OneOf(FORMATS), metadata={"enum": list(FORMATS)})
    worker = Code()
    agency = Code()
    session = Code()
    event = Text(max_length=100, metadata={"description": "an event name (`Worker.MovedAgency`, `Statement.Stored`) "
                                                          "or a record's prefix (`Worker.`)"})
    first = EnglishDate(data_key="from", metadata={"description": "recorded on or after this English date"})
    last = EnglishDate(data_key="to", metadata={"description": "recorded on or before this English date"})
    after = Text(max_length=500, metadata={"description": "the cursor `next_after` of the previous page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000),
                           metadata={"minimum": 1, "maximum": 1000})
