"""The board pages through the Flask test client: sign-in, scopes, agency scope, and the dates as form fields."""

from __future__ import annotations

import base64

from tests.api.conftest import Given, RecordsAPI


def basic(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{key}-secret".encode()).decode()}


def test_without_a_credential_a_page_sends_the_reader_to_sign_in_and_back(api: RecordsAPI, given: Given) -> None:
    given.world()
    api.headers()  # makes the partnership's credential
    answer = api.client.get("/board/agencies/police?as_of=2027-03-01")
    assert answer.status_code == 302 and "/board/sign-in?next=/board/agencies/police" in answer.headers["Location"]
    api.as_("board").headers()
    refused = api.client.post("/board/sign-in", data={"key": "board", "secret": "wrong"})
    assert refused.status_code == 401 and b"do not match" in refused.data
    signed = api.client.post("/board/sign-in", data={"key": "board", "secret": "board-secret",
                                                      "next": "/board/agencies/police"})
    assert signed.status_code == 302 and signed.headers["Location"] == "/board/agencies/police"
    page = api.client.get("/board/agencies/police")
    assert page.status_code == 200 and b"The police: safeguarding training as of" in page.data


def test_http_basic_reads_a_page_and_records_scopes_alone_do_not(api: RecordsAPI, given: Given) -> None:
    given.world()
    api.as_("board").headers()
    assert api.client.get("/board/", headers=basic("board")).status_code == 200
    api.as_("police-reader").headers()  # records/read only
    assert api.client.get("/board/agencies/police", headers=basic("police-reader")).status_code == 403


def test_an_agency_reader_is_sent_to_its_own_page_and_another_agencys_is_not_found(api: RecordsAPI,
                                                                                   given: Given) -> None:
    from tests.api.conftest import CLERKS

    given.world()
    CLERKS["police-board"] = (["reports/read"], "police")
    try:
        api.as_("police-board").headers()
        home = api.client.get("/board/?as_of=2027-03-01", headers=basic("police-board"))
        assert home.status_code == 302 and home.headers["Location"].endswith("/board/agencies/police?as_of=2027-03-01")
        other = api.client.get("/board/agencies/charity", headers=basic("police-board"))
        assert other.status_code == 404 and b"The charity" not in other.data
        worker = api.client.get("/board/workers/cat", headers=basic("police-board"))
        assert worker.status_code == 404
    finally:
        del CLERKS["police-board"]


def test_dates_that_cannot_be_read_are_a_400_page_saying_so(api: RecordsAPI, given: Given) -> None:
    given.world()
    api.as_("board").headers()
    bad_day = api.client.get("/board/?as_of=31/03/2027", headers=basic("board"))
    assert bad_day.status_code == 400 and "is not a date".encode() in bad_day.data
    no_offset = api.client.get("/board/?known_at=2027-03-31T23:59:59", headers=basic("board"))
    assert no_offset.status_code == 400 and b"with an offset" in no_offset.data


def test_the_compliance_trend_gives_each_months_end_as_the_progress_report_does(api: RecordsAPI, given: Given) -> None:
    from datetime import date

    from api.pages.figures import compliance_trend, month_ends
    from api.reports.running import Asked, ReportRunner

    given.world()
    given.course("aware", level="basic", delivery="e-learning")
    for code, completed in (("dee", "2026-05-10"), ("eve", "2026-09-30"), ("fay", None)):
        given.worker(code, group=1)
        if completed:
            api.ok("POST", f"/workers/{code}/completions", {"course": "aware", "completed_on": completed,
                                                             "source": f"test:{code}"}, 201)
    runner = ReportRunner(api.app.extensions["slrs"])
    trend = compliance_trend(runner, None, Asked(as_of=date(2027, 3, 1)), None)
    expected = []
    for day in month_ends(date(2027, 3, 1)):
        rows = runner.progress(None, Asked(as_of=day)).rows  # every worker evaluated by the domain's rule
        expected.append(round(100 * sum(r.compliant for r in rows) / len(rows), 1) if rows else None)
    assert trend.values == expected
    assert len(set(expected)) > 1  # the trend moves as the completions come in
