"""Rate cards, charges, credits and invoices through the API: each endpoint's success and error paths."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.clock import FixedClock
from tests.api.conftest import Given, RecordsAPI, london

CARD = {"attendance": "130.00", "notice_28_plus": 0, "notice_14_to_27": "80.5", "notice_under_14": 130,
        "did_not_attend": "130", "partnership_cancelled": "0"}


def late_cancellation(api: RecordsAPI, given: Given, clock: FixedClock) -> dict[str, Any]:
    """cat (charity) booked on session s1 of 29 March, cancelled on 20 March: 9 days' notice."""
    given.world()
    given.session("s1")
    booking = api.as_("charity").ok("POST", "/sessions/s1/bookings", {"worker": "cat"}, 201)
    clock.set(london(2027, 3, 20, 10, 0))
    api.as_("charity").ok("POST", f"/sessions/s1/bookings/{booking['id']}/cancellation",
                          {"received_at": "2027-03-20T09:15:00Z"})
    [charge] = api.as_("charity").ok("GET", "/charges")
    return charge


def test_a_late_cancellation_raises_a_charge_naming_its_rule_card_and_notice(
        api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    charge = late_cancellation(api, given, clock)
    assert {k: charge[k] for k in ("agency", "session", "rule", "card", "notice_days", "amount", "amount_pence",
                                   "status")} == {
        "agency": "charity", "session": "s1", "rule": "cancelled with under 14 days' notice", "card": "default",
        "notice_days": 9, "amount": "125.00", "amount_pence": 12500, "status": "raised"}
    assert api.as_("charity").ok("GET", f"/charges/{charge['id']}") == charge


def test_publishing_a_rate_card_then_reading_the_one_in_force(api: RecordsAPI) -> None:
    card = api.ok("POST", "/rate-cards", {"id": "2027-28", "effective_from": "2027-04-01", "amounts": CARD}, 201)
    assert card["amounts"]["notice_14_to_27"] == "80.50"
    assert api.ok("GET", "/rate-cards/in-force?on=2027-03-31")["id"] == "default"
    assert api.ok("GET", "/rate-cards/in-force?on=2027-04-01")["id"] == "2027-28"
    assert [c["id"] for c in api.ok("GET", "/rate-cards")] == ["default", "2027-28"]
    again = api.post("/rate-cards", {"id": "2027-28", "effective_from": "2027-05-01", "amounts": CARD})
    assert again.status_code == 409


@pytest.mark.parametrize(("amounts", "where"), [
    ({**CARD, "attendance": "-1"}, "attendance"),
    ({**CARD, "attendance": "12.345"}, "attendance"),
    ({**CARD, "attendance": True}, "attendance"),
    ({**CARD, "bonus": "1"}, "bonus"),
    ({k: v for k, v in CARD.items() if k != "did_not_attend"}, "did_not_attend"),
])
def test_a_bad_rate_card_is_a_400_naming_the_amount(api: RecordsAPI, amounts: dict[str, Any], where: str) -> None:
    response = api.post("/rate-cards", {"id": "bad", "effective_from": "2027-04-01", "amounts": amounts})
    assert response.status_code == 400
    assert where in str(response.get_json()["error"])
    assert [c["id"] for c in api.ok("GET", "/rate-cards")] == ["default"]


def test_only_the_partnership_publishes_cards_waives_and_decides_disputes(
        api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    charge = late_cancellation(api, given, clock)
    charity = api.as_("charity")
    assert charity.post("/rate-cards", {"id": "x", "effective_from": "2027-04-01", "amounts": CARD}).status_code == 403
    assert charity.post(f"/charges/{charge['id']}/waiver", {"reason": "r", "approver": "a"}).status_code == 403
    charity.ok("POST", f"/charges/{charge['id']}/dispute", {"reason": "we rang on the 1st"})
    assert charity.post(f"/charges/{charge['id']}/dispute/upholding", {"reason": "r"}).status_code == 403
    assert charity.post(f"/charges/{charge['id']}/dispute/rejection", {"reason": "r"}).status_code == 403


def test_a_dispute_upheld_is_a_credit_and_a_rejected_one_leaves_the_charge(
        api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    charge = late_cancellation(api, given, clock)
    disputed = api.as_("charity").ok("POST", f"/charges/{charge['id']}/dispute", {"reason": "we rang on the 1st"})
    assert disputed["status"] == "disputed"
    assert api.as_("charity").post(f"/charges/{charge['id']}/dispute", {"reason": "again"}).status_code == 409
    upheld = api.ok("POST", f"/charges/{charge['id']}/dispute/upholding", {"reason": "the call log shows it"})
    assert upheld["status"] == "credited" and upheld["amount"] == "125.00"
    [credit] = api.as_("charity").ok("GET", "/credits")
    assert (credit["charge"], credit["kind"], credit["amount"]) == (charge["id"], "DisputeUpheld", "125.00")
    assert api.post(f"/charges/{charge['id']}/dispute/rejection", {"reason": "late"}).status_code == 409


def test_a_waiver_names_its_approver(api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    charge = late_cancellation(api, given, clock)
    waived = api.ok("POST", f"/charges/{charge['id']}/waiver", {"reason": "bereavement", "approver": "Chair"})
    assert waived["status"] == "credited" and waived["events"][0]["event"] == "ChargeWaived"
    assert api.post(f"/charges/{charge['id']}/waiver", {"reason": "again", "approver": "Chair"}).status_code == 409
    missing = api.post(f"/charges/{charge['id']}/waiver", {"reason": "no approver"})
    assert missing.status_code == 400 and "approver" in str(missing.get_json()["error"])


def test_invoices_are_issued_once_per_month_and_a_later_credit_goes_on_the_next(
        api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    charge = late_cancellation(api, given, clock)
    assert api.post("/invoices", {"month": "2027-03"}).status_code == 409  # March has not ended
    assert api.post("/invoices", {"month": "2027-13"}).status_code == 400
    clock.set(london(2027, 4, 1, 9, 0))
    [march] = api.ok("POST", "/invoices", {"month": "2027-03"})
    assert (march["agency"], march["total"], len(march["lines"])) == ("charity", "125.00", 1)
    api.ok("POST", f"/charges/{charge['id']}/waiver", {"reason": "goodwill", "approver": "Chair"})
    assert api.ok("POST", "/invoices", {"month": "2027-03"}) == [march]
    assert api.as_("charity").ok("GET", "/invoices/charity/2027-03") == march
    clock.set(london(2027, 5, 1, 9, 0))
    [april] = api.ok("POST", "/invoices", {"month": "2027-04"})
    assert april["total"] == "-125.00" and april["lines"][0]["charge"] == charge["id"]
    assert [i["month"] for i in api.as_("charity").ok("GET", "/invoices")] == ["2027-03", "2027-04"]


@pytest.mark.parametrize(("path", "method", "body"), [
    ("/charges/CHARGE", "GET", None),
    ("/charges/CHARGE/dispute", "POST", {"reason": "not ours"}),
    ("/invoices/charity/2027-03", "GET", None),
    ("/charges?agency=charity", "GET", None),
    ("/credits?agency=charity", "GET", None),
    ("/invoices?agency=charity", "GET", None),
])
def test_another_agency_can_neither_read_nor_dispute_charges_and_invoices(
        api: RecordsAPI, given: Given, clock: FixedClock, path: str, method: str, body: Any) -> None:
    charge = late_cancellation(api, given, clock)
    clock.set(london(2027, 4, 1, 9, 0))
    api.ok("POST", "/invoices", {"month": "2027-03"})
    response = api.as_("police").call(method, path.replace("CHARGE", charge["id"]),
                                      **({"json": body} if body else {}))
    assert response.status_code == 404
    assert api.ok("GET", f"/charges/{charge['id']}")["status"] == "raised"
    assert api.as_("police").ok("GET", "/charges") == [] and api.as_("police").ok("GET", "/invoices") == []


def test_slrs_invoices_issue_prints_each_agencys_invoice_and_refuses_a_bad_month(
        api: RecordsAPI, given: Given, clock: FixedClock, environ: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from api.cli import main

    clock.set(london(2026, 5, 1, 9, 0))  # the command runs on the machine's clock: a month already over
    given.world()
    given.session("may", starts="2026-05-29T09:30:00+01:00", ends="2026-05-29T12:30:00+01:00")
    booking = api.as_("charity").ok("POST", "/sessions/may/bookings", {"worker": "cat"}, 201)
    clock.set(london(2026, 5, 20, 10, 0))
    api.as_("charity").ok("POST", f"/sessions/may/bookings/{booking['id']}/cancellation",
                          {"received_at": "2026-05-20T09:00:00+01:00"})
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    issued = runner.invoke(main, ["invoices", "issue", "--month", "2026-05"])
    assert issued.exit_code == 0, issued.output
    assert issued.output.split("\t") == ["2026-05", "charity", "1 line(s)", "£125.00\n"]
    assert api.ok("GET", "/invoices/charity/2026-05")["total"] == "125.00"
    again = runner.invoke(main, ["invoices", "issue", "--month", "2026-05"])
    assert again.exit_code == 0 and again.output == issued.output
    bad = runner.invoke(main, ["invoices", "issue", "--month", "May"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
