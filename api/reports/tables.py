"""Each report as one table of flat lines, for CSV (written with the csv module) and the command line.

A worker's requirements, an agency's groups, an evaluation's cells are a line
each; lists are joined with `;`. Late corrections are in the JSON answer only.
Text that a spreadsheet would take for a formula is written with a leading `'`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from api.reports.answers import LedgerTotalSchema, TallySchema, tally_dict
from domain.charging import pounds
from projections.accountability import AgencyAccountabilityView, ComplianceRow, PartnershipView
from projections.audit_view import AuditEntry, AuditTrailView
from projections.delivery_report import SessionDeliveryView
from projections.evaluations_view import EvaluationSummaryView
from projections.ledger_view import ChargesLedgerView, LedgerLine
from projections.progress_report import WorkerProgressView

Lines = list[dict[str, Any]]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def progress_lines(view: WorkerProgressView) -> Lines:
    """A line per worker and requirement (a worker whose pathway requires nothing: one line)."""
    lines = []
    for row in view.rows:
        worker = {"worker": row.worker, "agency": row.agency, "job_role": row.job_role,
                  "target_group": row.target_group, "works_with_group_4": row.works_with_group_4,
                  "joined_group_on": row.joined_group_on, "pathway_effective_from": row.pathway_effective_from,
                  "status": row.status, "compliant": row.compliant}
        for requirement in row.requirements or (None,):
            lines.append({**worker, **_requirement(requirement)})
    return lines


def _requirement(requirement: Any) -> dict[str, Any]:
    names = ("level", "status", "due_on", "expires_on", "covered_by", "course", "delivery", "completed_on")
    values = [getattr(requirement, n) if requirement is not None else None for n in names]
    return {("requirement_status" if n == "status" else n): v for n, v in zip(names, values, strict=True)}


def _compliance(row: ComplianceRow) -> dict[str, Any]:
    return {"agency": row.agency, "target_group": "all" if row.target_group is None else row.target_group,
            "headcount": row.headcount, "compliant": row.compliant, "compliant_pct": row.compliant_pct,
            "in_date": row.in_date, "expiring": row.expiring, "expired": row.expired,
            "never_trained": row.never_trained, "not_yet_due": row.not_yet_due}


def agency_lines(view: AgencyAccountabilityView) -> Lines:
    """A line per target group, then the agency's total with its bookings and charges in the period."""
    total = {**_compliance(view.total), **tally_dict(view.bookings), **_charges(view.charges)}
    blank = {key: None for key in total}
    return [{**blank, **_compliance(row)} for row in view.groups] + [total]


def _charges(total: Any) -> dict[str, Any]:
    written = LedgerTotalSchema().dump(total)
    return {k: v for k, v in written.items() if k not in ("agency", "month")}


def partnership_lines(view: PartnershipView) -> Lines:
    """A line per agency: its compliance over every group, bookings and charges."""
    return [{"name": a.name, "contributes": a.contributes, **_compliance(a.compliance), **tally_dict(a.bookings),
             **_charges(a.charges)} for a in view.agencies]


def session_lines(view: SessionDeliveryView) -> Lines:
    """A line per session."""
    return [{"session": r.session, "course": r.course, "level": r.level, "session_date": r.session_date,
             "venue": r.venue, "trainers": ";".join(r.trainers), "capacity": r.capacity, "cancelled": r.cancelled,
             "register_closed": r.register_closed, **tally_dict(r.tally), "fill_rate": r.fill_rate,
             "attendance_rate": r.attendance_rate} for r in view.rows]


def charge_lines(view: ChargesLedgerView) -> Lines:
    """A line per charge or credit."""
    return [{**{k: v for k, v in vars(line).items()}, "amount": pounds(line.amount_pence)} for line in view.lines]


def evaluation_lines(view: EvaluationSummaryView) -> Lines:
    """A line per cell: the overall rating, then each learning outcome, of each course, session and trainer."""
    return [{"by": row.by, "id": row.id, "course": row.course, "responses": row.responses,
             "outcome": cell.outcome, "outcome_responses": cell.responses, "mean": cell.mean,
             "suppressed": cell.suppressed}
            for row in view.rows for cell in (row.overall, *row.outcomes)]


def audit_lines(view: AuditTrailView) -> Lines:
    """A line per event, its fields as JSON."""
    return [{**{k: v for k, v in vars(e).items() if k != "data"}, "data": json.dumps(e.data, sort_keys=True)}
            for e in view.entries]


def to_csv(report: str, lines: Lines) -> str:
    """The lines of `report` as CSV text: its COLUMNS as the header; dates ISO 8601, booleans true/false, None empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS[report], lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for line in lines:
        writer.writerow({k: _cell(v) for k, v in line.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in FORMULA and not NUMBER.match(value):
        return "'" + value  # a spreadsheet would run text starting =, +, - or @ as a formula (OWASP: CSV injection)
    return value.isoformat() if hasattr(value, "isoformat") else value


TALLY = list(TallySchema().fields)
CHARGES = ["charges_pence", "credits_pence", "net_pence", "net"]
COMPLIANCE = ["agency", "target_group", "headcount", "compliant", "compliant_pct", "in_date", "expiring", "expired",
              "never_trained", "not_yet_due"]
# The columns of each report's CSV, in order (the same whether or not there are lines).
COLUMNS: dict[str, list[str]] = {
    "progress": ["worker", "agency", "job_role", "target_group", "works_with_group_4", "joined_group_on",
                 "pathway_effective_from", "status", "compliant", "level", "requirement_status", "due_on",
                 "expires_on", "covered_by", "course", "delivery", "completed_on"],
    "agency": [*COMPLIANCE, *TALLY, *CHARGES],
    "partnership": ["name", "contributes", *COMPLIANCE, *TALLY, *CHARGES],
    "sessions": ["session", "course", "level", "session_date", "venue", "trainers", "capacity", "cancelled",
                 "register_closed", *TALLY, "fill_rate", "attendance_rate"],
    "charges": [*(f.name for f in fields(LedgerLine)), "amount"],
    "evaluations": ["by", "id", "course", "responses", "outcome", "outcome_responses", "mean", "suppressed"],
    "audit": [f.name for f in fields(AuditEntry)],
}

TABLES: dict[str, Callable[[Any], Lines]] = {
    "progress": progress_lines, "agency": agency_lines, "partnership": partnership_lines,
    "sessions": session_lines, "charges": charge_lines, "evaluations": evaluation_lines, "audit": audit_lines,
}
