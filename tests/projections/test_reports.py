"""The rows of session delivery, the charges ledger, evaluation summaries and the audit trail after a busy month."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from api.app import Services
from kernel.clock import FixedClock
from projections.audit_view import AuditFilter, audit_trail
from projections.delivery_report import session_delivery
from projections.evaluations_view import evaluation_summaries
from projections.ledger_view import charges_ledger, period_totals
from tests.conftest import AUTHORITY, statement
from tests.domain.conftest import PARTNERSHIP, Partnership, london
from tests.projections.conftest import at, follow
from tests.projections.scenario import busy_month

YEAR = (date(2026, 4, 1), date(2027, 3, 31))


def test_session_delivery_counts_places_cancellations_substitutions_and_the_register(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    made = busy_month(given)
    follow(services)
    store = services.tracking_store("delivery")
    [row] = session_delivery(store, None, at(clock, date(2027, 3, 31)), *YEAR).rows
    assert (row.session, row.capacity, row.register_closed, row.fill_rate, row.attendance_rate) == (
        made["session"], 4, True, 1.0, 1.0)
    tally = row.tally
    assert (tally.places_booked, tally.booked, tally.waiting, tally.cancelled_14_to_27, tally.cancelled_under_14,
            tally.substitutions, tally.attended, tally.did_not_attend) == (5, 4, 0, 1, 0, 1, 4, 0)
    [before] = session_delivery(store, None, at(clock, date(2027, 3, 20)), *YEAR).rows
    assert (before.tally.booked, before.tally.attended, before.register_closed) == (4, 0, False)
    [police] = session_delivery(store, None, at(clock, date(2027, 3, 31)), *YEAR, agency="police").rows
    [charity] = session_delivery(store, None, at(clock, date(2027, 3, 31)), *YEAR, agency="charity").rows
    assert (police.tally.places_booked, police.tally.substitutions, police.tally.cancelled_14_to_27) == (2, 1, 0)
    assert (charity.tally.places_booked, charity.tally.booked, charity.tally.cancelled_14_to_27) == (3, 2, 1)


def test_the_ledger_shows_each_charge_as_raised_with_its_waiver_dispute_and_invoice(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    made = busy_month(given)
    follow(services)
    view = charges_ledger(services.tracking_store("ledger"), at(clock), *YEAR)
    lines = {(line.agency, line.line): line for line in view.lines}
    assert set(lines) == {("police", "charge"), ("charity", "charge"), ("charity", "credit")}
    dna, late = lines[("police", "charge")], lines[("charity", "charge")]
    assert (dna.rule, dna.card, dna.amount_pence, dna.status, dna.dispute, dna.invoice) == (
        "did not attend", "default", 12500, "credited", "cid was ill and we rang", "2027-03")
    assert (late.rule, late.notice_days, late.amount_pence, late.credit_reason, late.approver) == (
        "cancelled with 14 to 27 days' notice", 14, 7500, "first late cancellation this year", "Chair")
    assert lines[("charity", "credit")].amount_pence == -7500
    assert [(t.agency, t.month, t.net_pence) for t in view.totals] == [
        ("charity", "2027-03", 0), ("charity", "all", 0), ("police", "2027-03", 12500), ("police", "all", 12500)]
    march = charges_ledger(services.tracking_store("ledger"), at(clock, date(2027, 3, 29)), *YEAR)
    assert [(line.agency, line.status, line.invoice) for line in march.lines] == [
        ("charity", "raised", None), ("police", "raised", None)]
    assert made["charges"]
    for tp, view in ((at(clock), view), (at(clock, date(2027, 3, 29)), march)):  # summed by the database alike
        summed = period_totals(services.tracking_store("ledger"), tp, *YEAR)
        assert sorted(summed.values(), key=lambda t: t.agency) == [t for t in view.totals if t.month == "all"]
    assert period_totals(services.tracking_store("ledger"), at(clock), *YEAR, agency="police") == {
        "police": next(t for t in view.totals if (t.agency, t.month) == ("police", "all"))}


def test_evaluation_cells_under_five_responses_are_suppressed(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    busy_month(given)
    for n in range(2, 6):
        services.records.record_course_evaluation(PARTNERSHIP, "basic", f"moodle:eval-{n}", [], n % 5 + 1)
    follow(services)
    spring = (date(2027, 3, 1), date(2027, 4, 30))
    view = evaluation_summaries(services.tracking_store("evaluations"), at(clock), *spring)
    rows = {(r.by, r.id): r for r in view.rows}
    assert set(rows) == {("course", "basic"), ("course", "l1"), ("session", "s1")}
    basic, l1 = rows[("course", "basic")], rows[("course", "l1")]
    assert (basic.responses, basic.suppressed, basic.overall.responses, basic.overall.mean) == (5, False, 5, 3.4)
    assert (l1.responses, l1.suppressed, l1.overall.mean) == (None, True, None)
    assert [(c.outcome, c.responses, c.mean, c.suppressed) for c in l1.outcomes] == [
        ("Recognise abuse", None, None, True)]
    charity = evaluation_summaries(services.tracking_store("evaluations"), at(clock), *spring, agency="charity")
    assert {(r.by, r.id) for r in charity.rows} == {("course", "l1"), ("session", "s1")}  # anonymous: no agency's


def test_a_withdrawn_course_evaluation_leaves_the_summaries_from_when_it_was_withdrawn(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    busy_month(given)  # its one course evaluation of "basic" rates it 4
    for n in range(2, 6):
        services.records.record_course_evaluation(PARTNERSHIP, "basic", f"moodle:eval-{n}", [], 5)
    before = clock.now()
    clock.set(clock.now() + timedelta(hours=1))
    services.records.withdraw_course_evaluation(PARTNERSHIP, "basic", "moodle:eval-1", "statement voided in the LRS")
    follow(services)
    spring = (date(2027, 3, 1), date(2027, 4, 30))

    def basic(known_at: datetime) -> tuple[int | None, float | None]:
        view = evaluation_summaries(services.tracking_store("evaluations"), at(clock, None, known_at), *spring)
        row = {(r.by, r.id): r for r in view.rows}[("course", "basic")]
        return row.responses, row.overall.mean

    assert basic(before) == (5, 4.8)
    assert basic(clock.now()) == (None, None)  # four responses left: suppressed


def test_the_audit_trail_filters_by_worker_and_pages_without_gaps_or_repeats(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    busy_month(given)
    follow(services)
    audit, statements = services.tracking_store("audit"), services.tracking_store("audit_statements")
    cid = audit_trail(audit, statements, at(clock), AuditFilter(worker="cid"), None, 100).entries
    assert [e.event for e in cid] == [
        "Worker.Registered", "Worker.CompletionRecorded", "CourseSession.DelegateSubstituted",
        "CourseSession.RegisterClosed", "CourseSession.RegisterCorrected", "Worker.CompletionRecorded"]
    assert cid[4].data["reason"] == "cid came late and was missed" and cid[4].by_credential == "partnership-clerk"
    everything = audit_trail(audit, statements, at(clock), AuditFilter(), None, 1000).entries
    paged, after = [], None
    while True:
        page = audit_trail(audit, statements, at(clock), AuditFilter(), None, 7, after)
        paged += page.entries
        if page.next_after is None:
            break
        after = page.next_after
    assert paged == everything and len(everything) == services.records.recorder.max_notification_id()


def test_an_agency_sees_only_the_audit_events_that_concern_it(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    made = busy_month(given)
    services.lrs.store_statements([statement()], AUTHORITY)
    follow(services)
    audit, statements = services.tracking_store("audit"), services.tracking_store("audit_statements")
    police = audit_trail(audit, statements, at(clock), AuditFilter(), "police", 1000).entries
    everyone = audit_trail(audit, statements, at(clock), AuditFilter(), None, 1000).entries
    assert "Statement.Stored" in {e.event for e in everyone} and "Statement.Stored" not in {e.event for e in police}
    assert {e.record for e in police if e.kind == "worker"} == {"ann", "bob", "cid", "eli"}  # eli moved to police
    assert not any(e.event == "CourseSession.BookingCancelled" for e in police)  # dan's, of charity
    [closed] = [e for e in police if e.event == "CourseSession.RegisterClosed"]
    booked = made["booked"]
    assert closed.data == {"attended": [booked["ann"]], "did_not_attend": [booked["bob"]]}
    before_move = audit_trail(audit, statements, at(clock), AuditFilter(worker="eli"), "police", 100).entries
    assert [e.event for e in before_move] == ["Worker.MovedAgency"]  # not her charity days


def test_the_audit_trail_as_known_at_an_instant_and_by_period(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    busy_month(given)
    follow(services)
    audit = services.tracking_store("audit")
    then = audit_trail(audit, None, at(clock, None, london(2027, 3, 16)), AuditFilter(), None, 1000).entries
    assert then[-1].event == "CourseSession.DelegateSubstituted"
    april = audit_trail(audit, None, at(clock), AuditFilter(first=date(2027, 4, 1), last=date(2027, 4, 30)),
                        None, 1000).entries
    assert {e.event for e in april} >= {"Invoice.Issued", "CourseSession.RegisterCorrected", "Worker.MovedAgency"}
    moves = audit_trail(audit, None, at(clock), AuditFilter(event="Worker.MovedAgency"), None, 100).entries
    assert [(e.record, e.late, e.effective) for e in moves] == [("eli", True, "2027-04-01")]
