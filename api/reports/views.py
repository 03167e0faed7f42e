"""/api/v1/reports/...: every report as JSON, or CSV on `format=csv` or `Accept: text/csv`.

Each takes `as_of` (the English day reported on, default today) and
`known_at` (only events recorded by then count, default now). Reports need
`reports/read`, the audit trail `audit/read`. An agency's credential sees its
own agency only: another agency's report answers 404; the partnership sees all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, request

from api.auth import AUDIT_READ_SCOPES, REPORTS_READ_SCOPES
from api.errors import PayloadError
from api.records.routing import operation
from api.reports.answers import (AgencyReportSchema, AuditReportSchema, ChargesReportSchema, EvaluationsReportSchema,
                                 PartnershipReportSchema, SessionsReportSchema, WorkerProgressReportSchema)
from api.reports.params import (AuditQuery, ChargesQuery, EvaluationsQuery, PartnershipQuery, PeriodQuery,
                                ProgressQuery, SessionsQuery)
from api.reports.running import Asked, ReportRunner
from api.reports.tables import TABLES, to_csv
from domain.actor import Actor
from projections.audit_view import AuditFilter

reports = Blueprint("reports", __name__, url_prefix="/api/v1")


def runner() -> ReportRunner:
    """The process's one ReportRunner."""
    found: ReportRunner | None = current_app.extensions.get("slrs_reports")
    if found is None:
        found = current_app.extensions["slrs_reports"] = ReportRunner(current_app.extensions["slrs"])
    return found


def asked(query: dict[str, Any]) -> Asked:
    """The times and period a report's query gave."""
    return Asked(query.get("as_of"), query.get("known_at"), query.get("first"), query.get("last"))


def respond(report: str, view: Any, query: dict[str, Any]) -> Any:
    """The view for the answer schema, or its table as CSV when `format=csv` or `Accept` prefers text/csv."""
    wanted = query.get("format") or ("csv" if request.accept_mimetypes.best_match(
        ["application/json", "text/csv"], default="application/json") == "text/csv" else "json")
    if wanted != "csv":
        return view
    day = getattr(view, "as_of", None) or view.known_at.date()
    return Response(to_csv(report, TABLES[report](view)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{report}-{day.isoformat()}.csv"'})


@operation(reports, "GET", "/reports/progress", summary="Worker progress", scopes=REPORTS_READ_SCOPES,
           query=ProgressQuery, answer=WorkerProgressReportSchema, errors=(404,), csv=True)
def progress_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Each worker in post on `as_of`: their group's pathway then in force, the training covering each requirement,
    its status (not yet due, in date, expiring, expired, never trained) and the worker's; a page at a time by worker
    id (`after`, `limit`), with the late corrections that changed the day."""
    filters = {k: query.get(k) for k in ("agency", "worker", "target_group", "status", "after", "limit")}
    return respond("progress", runner().progress(actor.agency, asked(query), **filters), query)


@operation(reports, "GET", "/reports/agencies", summary="The partnership's comparison of every agency",
           scopes=REPORTS_READ_SCOPES, query=PartnershipQuery, answer=PartnershipReportSchema, csv=True)
def partnership_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Every agency's compliance, bookings and charges side by side; each agency and target group; the training gaps
    (cells below `target_pct` compliant) and the shortfalls in provision per level, for the Workforce Development
    subcommittee. The partnership's credentials only (403 for an agency's)."""
    view = runner().partnership(actor.agency, asked(query), query["target_pct"])
    return respond("partnership", view, query)


@operation(reports, "GET", "/reports/agencies/<agency>", summary="An agency's accountability report",
           scopes=REPORTS_READ_SCOPES, query=PeriodQuery, answer=AgencyReportSchema, errors=(404,), csv=True)
def agency_report(actor: Actor, agency: str, query: dict[str, Any]) -> Any:
    """The report an agency's board pulls: per target group, headcount, compliant (number and percentage), expiring,
    expired, never trained, not yet due; over the period, bookings, attendance, the did-not-attend rate,
    cancellations by notice band, substitutions, and the charges raised and credited."""
    return respond("agency", runner().agency(actor.agency, agency, asked(query)), query)


@operation(reports, "GET", "/reports/sessions", summary="Session delivery", scopes=REPORTS_READ_SCOPES,
           query=SessionsQuery, answer=SessionsReportSchema, errors=(404,), csv=True)
def sessions_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Per session dated in the period: capacity, places booked, cancellations by notice band, substitutions,
    attended, did not attend, fill and attendance rates, waiting list. An agency's credential counts its own
    bookings only."""
    view = runner().sessions(actor.agency, asked(query), query.get("agency"), query.get("course"))
    return respond("sessions", view, query)


@operation(reports, "GET", "/reports/charges", summary="The charges ledger", scopes=REPORTS_READ_SCOPES,
           query=ChargesQuery, answer=ChargesReportSchema, errors=(404,), csv=True)
def charges_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Per agency, every charge and credit effective in the period with its booking, rule, card, amount, waiver,
    dispute and invoice, as raised (never re-priced); totals per month and for the period."""
    return respond("charges", runner().charges(actor.agency, asked(query), query.get("agency")), query)


@operation(reports, "GET", "/reports/evaluations", summary="Evaluation summaries", scopes=REPORTS_READ_SCOPES,
           query=EvaluationsQuery, answer=EvaluationsReportSchema, errors=(404,), csv=True)
def evaluations_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Ratings per course, session and trainer, overall and per learning outcome; every cell of fewer than 5
    responses is suppressed. An agency's credential sees its own delegates' evaluations only."""
    view = runner().evaluations(actor.agency, asked(query), query.get("agency"), query.get("course"))
    return respond("evaluations", view, query)


@operation(reports, "GET", "/reports/audit", summary="The audit trail", scopes=AUDIT_READ_SCOPES, query=AuditQuery,
           answer=AuditReportSchema, errors=(404,), csv=True)
def audit_report(actor: Actor, query: dict[str, Any]) -> Any:
    """Every event of both logs (the training records and the stored statements), oldest first: when recorded,
    when effective, who, what; by worker, agency, session, event and period; a page at a time (`after`). An
    agency's credential sees only the records' events concerning its agency."""
    wanted = AuditFilter(query.get("worker"), query.get("agency"), query.get("session"), query.get("event"),
                         query.get("first"), query.get("last"), query.get("as_of"))
    try:
        view = runner().audit(actor.agency, asked(query), wanted, query["limit"], query.get("after"))
    except ValueError as error:
        raise PayloadError("query", {"after": [str(error)]}) from None
    return respond("audit", view, query)
