"""Charges: the seed's rules on cancellations, non-attendance and non-contributing agencies; cards; credits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.application import TrainingRecords
from domain.errors import NotPermittedError, RecordNotFoundError, RuleViolationError
from tests.domain.conftest import CHARITY, PARTNERSHIP, POLICE, Partnership, events_of, london, names

SESSION_DAY = london(2027, 4, 10, 9, 30)  # after the clocks go forward on 28 March 2027
CARD_2027 = {"attendance": "130", "notice_28_plus": "0", "notice_14_to_27": "80.50", "notice_under_14": "130",
             "did_not_attend": "130", "partnership_cancelled": "0"}


def cancel(given: Partnership, records: TrainingRecords, received_at: datetime, *, agency: str = "police",
           course: str = "l1") -> list[tuple[str, int, int | None]]:
    """Book a worker of `agency` on a session on SESSION_DAY, cancel as received at `received_at`; the charges."""
    given.stand_at(london(2027, 3, 1, 9, 0))
    session = given.session(course=course, on=SESSION_DAY)
    worker = given.worker(f"w{given.sessions}", agency=agency, completed=("l1", "l2"))
    booking = records.book_place(PARTNERSHIP, session, worker)
    given.stand_at(max(received_at, london(2027, 3, 1, 9, 0)) + timedelta(minutes=5))
    records.cancel_booking(PARTNERSHIP, session, booking.id, received_at)
    return [(c.rule, c.amount_pence, c.notice_days) for c in records.list_charges(PARTNERSHIP, session=session)]


@pytest.mark.parametrize(("received", "charges"), [
    (london(2027, 3, 13, 12, 0), []),  # 28 days: free, so no charge is raised
    (london(2027, 3, 14, 12, 0), [("cancelled with 14 to 27 days' notice", 7500, 27)]),
    (london(2027, 3, 27, 12, 0), [("cancelled with 14 to 27 days' notice", 7500, 14)]),
    (london(2027, 3, 28, 12, 0), [("cancelled with under 14 days' notice", 12500, 13)]),
])
def test_notice_bands_at_exactly_28_27_14_and_13_days(given: Partnership, records: TrainingRecords,
                                                      received: datetime, charges: list[object]) -> None:
    assert cancel(given, records, received) == charges


def test_received_at_23_59_and_00_01_in_london_across_the_clock_change(given: Partnership,
                                                                      records: TrainingRecords) -> None:
    # 27 March is GMT, 28 March BST: 23:59 on the 27th is 14 days' notice, 00:01 on the 28th 13
    assert cancel(given, records, london(2027, 3, 27, 23, 59))[0][1:] == (7500, 14)
    assert cancel(given, records, london(2027, 3, 28, 0, 1))[0][1:] == (12500, 13)
    # 23:30 UTC on 27 March is still the 27th in London (GMT); 23:30 UTC on 9 April is the 10th (BST)
    assert cancel(given, records, datetime(2027, 3, 27, 23, 30, tzinfo=UTC))[0][2] == 14


def test_a_non_contributing_agencys_delegate_who_does_not_attend_is_charged_once(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2", on=SESSION_DAY)
    booking = records.book_place(CHARITY, session, given.worker("carl", agency="charity", completed=("l1",)))
    given.stand_at(london(2027, 4, 10, 13, 0))
    records.close_register(PARTNERSHIP, session)
    [charge] = records.list_charges(CHARITY)
    assert (charge.booking, charge.rule, charge.amount_pence, charge.card) == (booking.id, "did not attend", 12500,
                                                                              "default")


def test_a_non_contributing_agency_pays_for_a_level_2_place_attended_and_a_contributor_does_not(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2", on=SESSION_DAY, capacity=4)
    carl = records.book_place(CHARITY, session, given.worker("carl", agency="charity", completed=("l1",)))
    pat = records.book_place(POLICE, session, given.worker("pat", completed=("l1",)))
    given.stand_at(london(2027, 4, 10, 13, 0))
    for booking in (carl, pat):
        records.record_attendance(PARTNERSHIP, session, booking.id, True)
    records.close_register(PARTNERSHIP, session)
    assert [(c.agency, c.rule, c.amount_pence) for c in records.list_charges(PARTNERSHIP)] == [
        ("charity", "attendance by a non-contributing agency", 12500)]


def test_a_level_1_place_is_free_even_to_a_non_contributing_agency(given: Partnership,
                                                                   records: TrainingRecords) -> None:
    session = given.session(course="l1", on=SESSION_DAY)
    booking = records.book_place(CHARITY, session, given.worker("carl", agency="charity"))
    given.stand_at(london(2027, 4, 10, 13, 0))
    records.record_attendance(PARTNERSHIP, session, booking.id, True)
    records.close_register(PARTNERSHIP, session)
    assert records.list_charges(PARTNERSHIP) == []


def test_a_card_published_before_the_cancellation_and_in_force_on_the_session_date_is_used(
        given: Partnership, records: TrainingRecords) -> None:
    records.publish_rate_card(PARTNERSHIP, "2027-28", date(2027, 4, 1), CARD_2027)
    [(rule, pence, days)] = cancel(given, records, london(2027, 3, 20, 9, 0))
    assert (pence, days) == (8050, 21)
    assert records.list_charges(PARTNERSHIP)[0].card == "2027-28"


def test_a_card_in_force_only_after_the_session_date_is_not_used(given: Partnership,
                                                                 records: TrainingRecords) -> None:
    records.publish_rate_card(PARTNERSHIP, "2027-28", date(2027, 4, 11), CARD_2027)
    assert cancel(given, records, london(2027, 3, 20, 9, 0))[0][1] == 7500


def test_a_card_published_after_the_charge_was_raised_never_reprices_it(given: Partnership,
                                                                        records: TrainingRecords) -> None:
    cancel(given, records, london(2027, 3, 20, 9, 0))
    records.publish_rate_card(PARTNERSHIP, "back-dated", date(2027, 1, 1), CARD_2027)
    [charge] = records.list_charges(PARTNERSHIP)
    assert (charge.amount_pence, charge.card) == (7500, "default")
    assert records.rate_card_in_force(date(2027, 4, 10)).code == "back-dated"


def test_contribution_status_on_the_session_date_decides_the_attendance_fee(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2", on=SESSION_DAY)
    booking = records.book_place(CHARITY, session, given.worker("carl", agency="charity", completed=("l1",)))
    records.change_contribution(PARTNERSHIP, "charity", True, date(2027, 4, 1))  # contributes from before the session
    given.stand_at(london(2027, 4, 10, 13, 0))
    records.record_attendance(PARTNERSHIP, session, booking.id, True)
    records.close_register(PARTNERSHIP, session)
    assert records.list_charges(PARTNERSHIP) == []


def test_a_partnership_cancelled_session_charges_nobody(given: Partnership, records: TrainingRecords) -> None:
    session = given.session(on=SESSION_DAY)
    records.book_place(CHARITY, session, given.worker("carl", agency="charity"))
    given.stand_at(london(2027, 4, 9, 9, 0))
    records.cancel_session(PARTNERSHIP, session, "venue flooded")
    assert records.list_charges(PARTNERSHIP) == []


def test_a_substitution_raises_no_charge_and_the_substitute_attends_as_any_delegate(
        given: Partnership, records: TrainingRecords) -> None:
    session = given.session(course="l2", on=SESSION_DAY)
    booking = records.book_place(CHARITY, session, given.worker("carl", agency="charity", completed=("l1",)))
    given.stand_at(london(2027, 4, 9, 9, 0))
    records.substitute(CHARITY, session, booking.id, given.worker("cora", agency="charity", completed=("l1",)))
    assert records.list_charges(PARTNERSHIP) == []
    given.stand_at(london(2027, 4, 10, 13, 0))
    records.record_attendance(PARTNERSHIP, session, booking.id, True)
    records.close_register(PARTNERSHIP, session)
    assert [c.rule for c in records.list_charges(CHARITY)] == ["attendance by a non-contributing agency"]


def dna_charge(given: Partnership, records: TrainingRecords) -> tuple[str, str, str]:
    session = given.session(course="l2", on=SESSION_DAY)
    booking = records.book_place(CHARITY, session, given.worker("carl", agency="charity", completed=("l1",)))
    given.stand_at(london(2027, 4, 10, 13, 0))
    records.close_register(PARTNERSHIP, session)
    return session, booking.id, records.list_charges(CHARITY)[0].id


def test_a_waiver_credits_the_charge_naming_its_approver(given: Partnership, records: TrainingRecords) -> None:
    _, booking, charge = dna_charge(given, records)
    with pytest.raises(NotPermittedError):
        records.waive_charge(CHARITY, charge, "ill", "the agency itself")
    waived = records.waive_charge(PARTNERSHIP, charge, "delegate taken ill on the way", "Training manager")
    assert waived.status == "credited" and waived.amount_pence == 12500  # the charge itself is never edited
    event = events_of(records, "account", booking)[-1]
    assert names([event]) == ["ChargeWaived"]
    assert (event.charge_id, event.amount_pence, event.approver) == (charge, 12500, "Training manager")


def test_a_dispute_upheld_is_a_credit_naming_the_charge(given: Partnership, records: TrainingRecords) -> None:
    _, booking, charge = dna_charge(given, records)
    records.dispute_charge(CHARITY, charge, "we cancelled by phone on 1 March")
    upheld = records.uphold_dispute(PARTNERSHIP, charge, "the call log shows it")
    assert upheld.status == "credited"
    assert names(events_of(records, "account", booking))[-2:] == ["Disputed", "DisputeUpheld"]


def test_a_rejected_dispute_leaves_the_charge_standing(given: Partnership, records: TrainingRecords) -> None:
    _, _, charge = dna_charge(given, records)
    records.dispute_charge(CHARITY, charge, "not fair")
    rejected = records.reject_dispute(PARTNERSHIP, charge, "no record of any cancellation")
    assert rejected.status == "dispute rejected"
    with pytest.raises(RuleViolationError, match="not under dispute"):
        records.uphold_dispute(PARTNERSHIP, charge, "changed our mind")


def test_another_agency_cannot_see_or_dispute_a_charge(given: Partnership, records: TrainingRecords) -> None:
    _, _, charge = dna_charge(given, records)
    with pytest.raises(RecordNotFoundError):
        records.dispute_charge(POLICE, charge, "not ours")
    assert records.list_charges(POLICE) == []


def test_a_register_correction_credits_the_did_not_attend_charge_and_raises_the_attendance_fee(
        given: Partnership, records: TrainingRecords) -> None:
    session, booking, charge = dna_charge(given, records)
    records.correct_register(PARTNERSHIP, session, booking, True, "signed in late on the paper register")
    assert names(events_of(records, "account", booking))[-2:] == ["CorrectionCredited", "ChargeRaised"]
    assert [(c.rule, c.status) for c in records.list_charges(CHARITY)] == [
        ("did not attend", "credited"), ("attendance by a non-contributing agency", "raised")]


def test_an_issued_invoice_stays_the_same_after_a_later_credit(given: Partnership,
                                                               records: TrainingRecords) -> None:
    _, _, charge = dna_charge(given, records)
    with pytest.raises(RuleViolationError, match="not ended"):
        records.issue_invoices(PARTNERSHIP, "2027-04")
    given.stand_at(london(2027, 5, 2, 9, 0))
    [april] = records.issue_invoices(PARTNERSHIP, "2027-04")
    assert (april.agency, april.total_pence, [line["type"] for line in april.lines]) == ("charity", 12500, ["charge"])
    records.waive_charge(PARTNERSHIP, charge, "goodwill", "Chair")
    assert records.issue_invoices(PARTNERSHIP, "2027-04") == [april]  # issuing again changes nothing
    given.stand_at(london(2027, 6, 1, 9, 0))
    [may] = records.issue_invoices(PARTNERSHIP, "2027-05")
    assert (may.total_pence, may.lines[0]["credit"], may.lines[0]["charge"]) == (-12500, "ChargeWaived", charge)
    assert records.get_invoice(CHARITY, "charity", "2027-04") == april
    with pytest.raises(RecordNotFoundError):
        records.get_invoice(POLICE, "charity", "2027-04")
