"""The board pages in headless Chromium against `slrs serve`, over the demo partnership: figures equal the JSON."""

from __future__ import annotations

import base64
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from api.demo.load import load_demo
from tests.e2e.browser import chromium, screenshot
from tests.e2e.servers import slrs, start_server, stop_server

pytestmark = pytest.mark.e2e
TIMES = "as_of=2026-11-27&known_at=2026-11-28T12:00:00%2B00:00"
BOARD = ("board", "board-secret")
POLICE = ("police-board", "police-secret")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    environ = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SLRS_DATA_DIR": str(tmp_path_factory.mktemp("var"))}
    slrs(environ, "init")
    assert load_demo(environ, workers=240) is not None
    slrs(environ, "credentials", "create", "--key", BOARD[0], "--secret", BOARD[1], "--scope", "reports/read")
    slrs(environ, "credentials", "create", "--key", POLICE[0], "--secret", POLICE[1], "--scope", "reports/read",
         "--agency", "police")
    process, url = start_server(environ, init=False)
    yield url.removesuffix("/xapi")
    stop_server(process)


@pytest.fixture
def browser() -> Iterator[Any]:
    driver = chromium()
    yield driver
    driver.quit()


def report(url: str, path: str, credential: tuple[str, str]) -> Any:
    token = base64.b64encode(":".join(credential).encode()).decode()
    request = urllib.request.Request(f"{url}/api/v1/reports/{path}?{TIMES}", headers={"Authorization": f"Basic {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def sign_in(browser: Any, url: str, credential: tuple[str, str], page: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{url}{page}")
    assert "/board/sign-in" in browser.current_url  # no credential yet: the form
    browser.find_element(By.ID, "key").send_keys(credential[0])
    browser.find_element(By.ID, "secret").send_keys(credential[1])
    browser.find_element(By.CSS_SELECTOR, "form.signin button").click()


def figure(row: Any, name: str) -> str:
    from selenium.webdriver.common.by import By

    return str(row.find_element(By.CSS_SELECTOR, f'[data-figure="{name}"]').text)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def check_charts(browser: Any) -> int:
    from selenium.webdriver.common.by import By

    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart")
    for chart in charts:
        alt = chart.find_element(By.CSS_SELECTOR, "p.alt").text
        drawn = chart.find_elements(By.TAG_NAME, "svg")
        if not drawn:  # nothing to draw: the words say so
            assert alt.endswith("no figures for this period.")
            continue
        assert drawn[0].get_attribute("role") == "img" and len(alt) > 20
        assert drawn[0].get_attribute("aria-label") == alt
    return len(charts)


def test_the_overview_shows_the_partnership_reports_figures(served: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, served, BOARD, f"/board/?{TIMES}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Every agency, as of 27 November 2026"
    expected = report(served, "agencies", BOARD)
    rows = {r.get_attribute("data-agency"): r for r in browser.find_elements(By.CSS_SELECTOR, "#agencies-table tbody tr")}
    assert set(rows) == {a["agency"] for a in expected["agencies"]}
    for agency in expected["agencies"]:
        row, compliance = rows[agency["agency"]], agency["compliance"]
        assert figure(row, "headcount") == str(compliance["headcount"])
        assert figure(row, "compliant_pct") == percent(compliance["compliant_pct"])
        assert figure(row, "expired") == str(compliance["expired"])
        assert figure(row, "never_trained") == str(compliance["never_trained"])
        rate = agency["bookings"]["did_not_attend_rate"]
        assert figure(row, "did_not_attend_rate") == percent(None if rate is None else 100 * rate)
        assert figure(row, "charges") == agency["charges"]["net"]
    assert check_charts(browser) == 4
    screenshot(browser, "board-overview")


def test_an_agency_page_shows_its_boards_report_and_links_each_figure_to_its_workers(
        served: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, served, BOARD, f"/board/agencies/police?{TIMES}")
    expected = report(served, "agencies/police", BOARD)
    for group in [*expected["groups"], expected["total"]]:
        key = group["target_group"] or "all"
        row = browser.find_element(By.CSS_SELECTOR, f'#compliance-table tr[data-group="{key}"]')
        for name in ("headcount", "compliant", "expiring", "expired", "never_trained", "not_yet_due"):
            assert figure(row, name) == str(group[name]), (key, name)
        assert figure(row, "compliant_pct") == percent(group["compliant_pct"])
    bookings = browser.find_element(By.ID, "bookings-table")
    assert figure(bookings, "places_booked") == str(expected["bookings"]["places_booked"])
    assert figure(bookings, "did_not_attend") == str(expected["bookings"]["did_not_attend"])
    assert figure(browser.find_element(By.ID, "charges-table"), "net") == expected["charges"]["net"]
    assert check_charts(browser) == 3
    screenshot(browser, "board-agency-police")
    total = browser.find_element(By.CSS_SELECTOR, '#compliance-table tr[data-group="all"]')
    total.find_element(By.CSS_SELECTOR, '[data-figure="expired"] a').click()
    listed = browser.find_elements(By.CSS_SELECTOR, "#workers-table tbody tr th")
    assert len(listed) == expected["total"]["expired"]


def test_an_agency_credential_sees_its_own_agency_only(served: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, served, POLICE, "/board/")
    assert browser.current_url.split("?")[0].endswith("/board/agencies/police")
    browser.get(f"{served}/board/agencies/probation?{TIMES}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "Probation" not in browser.page_source
    screenshot(browser, "board-agency-refused")


def test_the_pages_are_read_by_keyboard_with_real_headings(served: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    sign_in(browser, served, BOARD, f"/board/?{TIMES}")
    assert [h.text for h in browser.find_elements(By.TAG_NAME, "h2")][:2] == ["Agencies side by side", "Charts"]
    assert browser.find_elements(By.CSS_SELECTOR, "#agencies-table thead th[scope=col]")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    assert browser.switch_to.active_element.text == "Skip to the report"
