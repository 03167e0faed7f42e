"""/board: the partnership overview, an agency's board report, a session, a worker, and the rows behind a figure."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from api.pages.figures import by_group_chart, charges_chart, compliance_trend, group_totals, trend_chart
from api.pages.charts import bars
from api.pages.signin import SignInNeeded, reader
from api.reports.running import Asked
from api.records.routing import records
from api.reports.views import runner
from domain.charging import pounds
from domain.errors import NotPermittedError, RecordNotFoundError
from domain.progress import STATUSES

board = Blueprint("board", __name__, url_prefix="/board", template_folder="templates", static_folder="static",
                  static_url_path="/static")


class BadTimes(Exception):
    """`as_of` or `known_at` cannot be read."""


def asked() -> Asked:
    """The report's times from the page's form: `as_of` YYYY-MM-DD, `known_at` ISO 8601 with an offset."""
    as_of, known_at = request.args.get("as_of", "").strip(), request.args.get("known_at", "").strip()
    try:
        day = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise BadTimes(f"“{as_of}” is not a date (YYYY-MM-DD)") from None
    try:
        instant = datetime.fromisoformat(known_at) if known_at else None
    except ValueError:
        instant = None
    if known_at and (instant is None or instant.tzinfo is None):
        raise BadTimes(f"“{known_at}” is not a date and time with an offset (2027-03-31T23:59:59+01:00)")
    return Asked(day, instant)


def page(template: str, **values: Any) -> str:
    """Render a page with what every page shows: the reader, and the report's times as form fields."""
    return render_template(template, times=request.args, pounds=pounds, statuses=STATUSES, **values)


@board.errorhandler(SignInNeeded)
def to_sign_in(_: SignInNeeded) -> Response:
    return redirect(url_for("signin.sign_in_form", next=request.full_path.rstrip("?")))


@board.errorhandler(BadTimes)
def bad_times(error: BadTimes) -> tuple[str, int]:
    return render_template("problem.html", title="Those dates cannot be read", message=str(error)), 400


@board.errorhandler(RecordNotFoundError)
def not_found(error: RecordNotFoundError) -> tuple[str, int]:
    return render_template("problem.html", title="Not found", message=f"There is {error}."), 404


@board.errorhandler(NotPermittedError)
@board.errorhandler(HTTPException)
def refused(error: Exception) -> tuple[str, int]:
    status = error.code if isinstance(error, HTTPException) and error.code else 403
    message = error.description if isinstance(error, HTTPException) else str(error)
    return render_template("problem.html", title="Not available", message=message), status


@board.get("/")
def home() -> Response | str:
    """The partnership overview; an agency's reader goes to its own agency's page."""
    actor = reader()
    if actor.agency is not None:
        values: dict[str, Any] = {"agency": actor.agency, **request.args.to_dict()}
        return redirect(url_for("board.agency", **values))
    times = asked()
    view = runner().partnership(None, times)
    groups = group_totals(view.cells)
    ledger = runner().charges(None, times)
    charts = [
        by_group_chart(groups, "the partnership"),
        bars("Did-not-attend rate by agency", [a.name for a in view.agencies],
             [None if a.bookings.did_not_attend_rate is None else 100 * a.bookings.did_not_attend_rate
              for a in view.agencies], "%", "Delegates who did not attend"),
        charges_chart(ledger.totals, "every agency"),
        trend_chart(compliance_trend(runner(), None, times, None), "the partnership"),
    ]
    return page("overview.html", view=view, groups=groups, charts=charts)


@board.get("/agencies/<agency>")
def agency(agency: str) -> str:
    """An agency's board report."""
    actor = reader()
    times = asked()
    view = runner().agency(actor.agency, agency, times)
    ledger = runner().charges(actor.agency, times, agency)
    charts = [by_group_chart(view.groups, view.name), charges_chart(ledger.totals, view.name),
              trend_chart(compliance_trend(runner(), actor.agency, times, agency), view.name)]
    return page("agency.html", view=view, charts=charts)


@board.get("/agencies/<agency>/workers")
def agency_workers(agency: str) -> str:
    """The workers behind a figure: an agency's workers of one status and, if given, one target group."""
    actor = reader()
    status = request.args.get("status") or None
    group = request.args.get("target_group", "")
    target_group = int(group) if group.isdigit() else None
    view = runner().progress(actor.agency, asked(), agency=agency, target_group=target_group)
    name = records().get_agency(actor, agency).name
    shown = [r for r in view.rows if status is None or r.status == status or (status == "compliant" and r.compliant)]
    return page("workers.html", view=view, name=name, agency=agency, rows=shown, status=status,
                target_group=target_group)


@board.get("/sessions/<session>")
def session_page(session: str) -> str:
    """A session: its places and what became of them."""
    actor = reader()
    times = asked()
    view = runner().sessions(actor.agency, Asked(times.as_of, times.known_at, date(1900, 1, 1), date(2999, 12, 31)))
    row = next((r for r in view.rows if r.session == session), None)
    if row is None:
        raise RecordNotFoundError(f"no session {session}")
    return page("session.html", view=view, row=row)


@board.get("/workers/<worker>")
def worker(worker: str) -> str:
    """A worker's progress along their pathway."""
    actor = reader()
    view = runner().progress(actor.agency, asked(), worker=worker)
    if not view.rows:
        raise RecordNotFoundError(f"no worker {worker}")
    return page("worker.html", view=view, row=view.rows[0])
