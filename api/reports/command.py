"""`slrs report NAME`: a report on the command line, as the partnership, in JSON (the API's schemas) or CSV."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from marshmallow import Schema

from api.reports.answers import (AgencyReportSchema, AuditReportSchema, ChargesReportSchema, EvaluationsReportSchema,
                                 PartnershipReportSchema, SessionsReportSchema, WorkerProgressReportSchema)
from api.reports.running import Asked, ReportRunner
from api.reports.tables import TABLES, to_csv
from projections.audit_view import AuditFilter

if TYPE_CHECKING:
    from api.app import Services

SCHEMAS: dict[str, type[Schema]] = {
    "progress": WorkerProgressReportSchema, "agency": AgencyReportSchema, "partnership": PartnershipReportSchema,
    "sessions": SessionsReportSchema, "charges": ChargesReportSchema, "evaluations": EvaluationsReportSchema,
    "audit": AuditReportSchema,
}
REPORTS = tuple(SCHEMAS)


class ReportOptionError(ValueError):
    """An option the report cannot take (a missing --agency, an instant without an offset)."""


def instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant with its offset, or None. Raises ReportOptionError without an offset."""
    if text is None:
        return None
    try:
        found = datetime.fromisoformat(text)
    except ValueError:
        found = None
    if found is None or found.utcoffset() is None:
        raise ReportOptionError(f"--known-at {text!r} must be an ISO 8601 instant with an offset")
    return found


def run_report(services: Services, name: str, fmt: str, as_of: date | None, known_at: datetime | None,
               first: date | None = None, last: date | None = None, agency: str | None = None,
               limit: int | None = None) -> str:
    """The report NAME as text: JSON as the API answers it, or its CSV table; as the whole partnership."""
    runner, asked = ReportRunner(services), Asked(as_of, known_at, first, last)
    view: Any
    if name == "progress":
        view = runner.progress(None, asked, agency=agency, limit=limit)
    elif name == "agency":
        if agency is None:
            raise ReportOptionError("the agency report needs --agency")
        view = runner.agency(None, agency, asked)
    elif name == "partnership":
        view = runner.partnership(None, asked)
    elif name == "sessions":
        view = runner.sessions(None, asked, agency)
    elif name == "charges":
        view = runner.charges(None, asked, agency)
    elif name == "evaluations":
        view = runner.evaluations(None, asked, agency)
    else:
        view = runner.audit(None, asked, AuditFilter(agency=agency, first=first, last=last, as_of=as_of),
                            limit or 1000, None)
    if fmt == "csv":
        return to_csv(name, TABLES[name](view))
    return json.dumps(SCHEMAS[name]().dump(view), indent=2, ensure_ascii=False)
