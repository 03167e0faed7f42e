"""/api/v1/reports through the Flask test client: JSON and CSV, scopes, agency isolation for every report, times."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import main
from api.reports.tables import COLUMNS
from kernel.clock import FixedClock
from tests.api.conftest import CLERKS, RecordsAPI, london
from tests.domain.conftest import PARTNERSHIP, Partnership
from tests.projections.scenario import busy_month

YEAR = "from=2026-04-01&to=2027-03-31"
REPORTS = {"progress": "/reports/progress?as_of=2027-03-31", "partnership": f"/reports/agencies?{YEAR}",
           "agency": f"/reports/agencies/police?{YEAR}", "sessions": f"/reports/sessions?{YEAR}",
           "charges": f"/reports/charges?{YEAR}", "evaluations": f"/reports/evaluations?{YEAR}"}


@pytest.fixture
def month(records_app: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The busy month of tests/projections/scenario.py, recorded through the service; clerks bound to police."""
    monkeypatch.setitem(CLERKS, "police-board", (["reports/read"], "police"))
    monkeypatch.setitem(CLERKS, "police-auditor", (["audit/read"], "police"))
    return busy_month(Partnership(records_app.extensions["slrs"].records, clock))


def csv_lines(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200 and response.mimetype == "text/csv", response.get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_every_report_answers_json_and_csv_on_format_or_accept(api: RecordsAPI, month: dict[str, Any]) -> None:
    board = api.as_("board")
    for name, path in REPORTS.items():
        answer = board.get(path)
        assert answer.status_code == 200 and answer.mimetype == "application/json", (name, answer.get_json())
        assert {"as_of", "known_at", "late_corrections"} <= set(answer.get_json()), name
        by_format = board.get(f"{path}&format=csv")
        by_accept = board.get(path, headers={"Accept": "text/csv"})
        assert csv_lines(by_format) == csv_lines(by_accept), name
        assert by_format.get_data(as_text=True).splitlines()[0].split(",") == COLUMNS[name], name
    sessions = csv_lines(board.get(f"/reports/sessions?{YEAR}&format=csv"))
    assert [(s["session"], s["places_booked"], s["cancelled_14_to_27"], s["substitutions"]) for s in sessions] == [
        (month["session"], "5", "1", "1")]
    audit = csv_lines(api.as_("auditor").get("/reports/audit?format=csv&limit=5"))
    assert [line["event"] for line in audit][:2] == ["Agency.Registered", "Agency.Registered"]


def test_an_agencys_credential_sees_its_own_agency_in_every_report(api: RecordsAPI, month: dict[str, Any]) -> None:
    police = api.as_("police-board")
    for path in ("/reports/progress", "/reports/sessions", "/reports/charges", "/reports/evaluations"):
        assert police.get(f"{path}?agency=charity").status_code == 404, path
        assert police.get(f"{path}?agency=police").status_code == 200, path
    assert police.get("/reports/agencies/charity").status_code == 404
    assert police.get("/reports/agencies/nowhere").status_code == 404
    assert police.get("/reports/agencies").status_code == 403
    assert {r["agency"] for r in police.get("/reports/progress").get_json()["rows"]} == {"police"}
    assert police.get(f"/reports/agencies/police?{YEAR}").get_json()["total"]["headcount"] == 4  # eli moved in
    [session] = police.get(f"/reports/sessions?{YEAR}").get_json()["rows"]
    assert (session["tally"]["places_booked"], session["tally"]["cancelled_14_to_27"]) == (2, 0)
    assert {line["agency"] for line in police.get(f"/reports/charges?{YEAR}").get_json()["lines"]} == {"police"}
    everyone = api.as_("board").get(f"/reports/charges?{YEAR}").get_json()["lines"]
    assert {line["agency"] for line in everyone} == {"police", "charity"}
    auditor = api.as_("police-auditor")
    assert auditor.get("/reports/audit?agency=charity").status_code == 404
    entries = auditor.get("/reports/audit?limit=1000").get_json()["entries"]
    assert entries and not any(e["event"] == "CourseSession.BookingCancelled" for e in entries)
    assert {e["record"] for e in entries if e["kind"] == "worker"} == {"ann", "bob", "cid", "eli"}


def test_reports_need_reports_read_and_the_audit_trail_audit_read(api: RecordsAPI) -> None:
    assert api.get("/reports/progress").status_code == 403  # records/read and records/write only
    assert api.as_("board").get("/reports/audit").status_code == 403
    assert api.as_("auditor").get("/reports/progress").status_code == 403
    assert api.as_("auditor").get("/reports/audit").status_code == 200
    assert api.as_("all-reader").get("/reports/progress").status_code == 200
    assert api.as_("all-reader").get("/reports/audit").status_code == 403
    assert api.client.get("/api/v1/reports/progress").status_code == 401


def test_a_report_reflects_the_records_at_once_and_as_known_at_an_instant(
        api: RecordsAPI, records_app: Any, clock: FixedClock, month: dict[str, Any]) -> None:
    board = api.as_("board")
    asked = "as_of=2027-03-31&known_at=2027-03-31T23:59:59%2B01:00"
    before = board.get(f"/reports/progress?{asked}").get_json()
    clock.set(london(2027, 4, 3, 9, 0))
    records_app.extensions["slrs"].records.record_completion(PARTNERSHIP, "bob", "l2", london(2027, 3, 30).date(),
                                                             "test:late")
    assert board.get(f"/reports/progress?{asked}").get_json() == before
    now = board.get("/reports/progress?as_of=2027-03-31&worker=bob").get_json()
    [bob] = now["rows"]
    assert [r["covered_by"] for r in bob["requirements"]] == ["test:late", "test:late", "test:late"]
    assert [c["event"] for c in now["late_corrections"]] == ["Worker.CompletionRecorded"]
    assert now["late_corrections"][0]["changes"][0]["record"] == "bob"


def test_bad_report_parameters_are_400_naming_the_parameter(api: RecordsAPI) -> None:
    board, auditor = api.as_("board"), api.as_("auditor")
    for path, field in (("/reports/progress?known_at=2027-03-31T12:00", "known_at"),
                        ("/reports/progress?format=xml", "format"), ("/reports/sessions?from=31/03/2027", "from"),
                        ("/reports/progress?limit=0", "limit")):
        answer = board.get(path)
        assert answer.status_code == 400 and field in answer.get_json()["error"]["fields"], path
    assert auditor.get("/reports/audit?after=not-a-cursor").get_json()["error"]["fields"] == {
        "after": ["after='not-a-cursor' is not a cursor this audit trail gave"]}


def test_the_openapi_document_offers_csv_for_every_report(api: RecordsAPI) -> None:
    paths = api.client.get("/api/v1/openapi.json").get_json()["paths"]
    reports = [p for p in paths if p.startswith("/api/v1/reports")]
    assert len(reports) == 7
    assert all(set(paths[p]["get"]["responses"]["200"]["content"]) == {"application/json", "text/csv"}
               for p in reports)


def test_slrs_report_prints_a_report_as_csv_or_json(environ: dict[str, str], records_app: Any,
                                                    month: dict[str, Any]) -> None:
    if environ["PERSISTENCE_MODULE"] != "eventsourcing.sqlite":
        pytest.skip("the command is the same on either engine")
    runner = CliRunner()
    known = "2027-04-03T00:00:00+00:00"
    printed = runner.invoke(main, ["report", "agency", "--agency", "charity", "--format", "csv", "--known-at", known,
                                   "--as-of", "2027-03-31"], env=environ)
    assert printed.exit_code == 0, printed.output
    lines = list(csv.DictReader(io.StringIO(printed.output)))
    assert [(line["target_group"], line["headcount"]) for line in lines] == [("2", "3"), ("all", "3")]
    missing = runner.invoke(main, ["report", "agency"], env=environ)
    assert missing.exit_code == 2 and "needs --agency" in missing.output


def test_csv_text_a_spreadsheet_would_run_as_a_formula_is_quoted() -> None:
    from api.reports.tables import to_csv

    written = to_csv("evaluations", [{"by": "course", "id": "=HYPERLINK(\"http://x\")", "course": "@SUM(A1)",
                                      "mean": "-1.5", "suppressed": False}])
    assert written.splitlines()[1] == "course,\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),,,,-1.5,false"
