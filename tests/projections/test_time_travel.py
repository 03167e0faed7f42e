"""as_of and known_at: a day as known at its end, the same day as known later with its late corrections, and an
earlier answer reproduced exactly after later events."""

from __future__ import annotations

from datetime import date, timedelta

from api.app import Services
from domain.actor import Actor
from kernel.clock import FixedClock
from projections.accountability import agency_accountability
from projections.delivery_report import session_delivery
from projections.progress_report import worker_progress
from tests.domain.conftest import PARTNERSHIP, Partnership, london
from tests.projections.conftest import at, follow, stores

POLICE = Actor("police-clerk", agency="police")
END_OF_MARCH = london(2027, 3, 31, 23, 59) + timedelta(seconds=59)


def test_a_completion_recorded_late_changes_the_day_and_is_listed_with_who_recorded_it(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    given.worker("ann", group=1)  # basic, due three months after 5 January 2026: never trained by March 2027
    clock.set(london(2027, 4, 10, 11, 0))
    services.records.record_completion(POLICE, "ann", "basic", date(2027, 3, 20), "moodle:ann-basic")
    follow(services)
    store, audit = services.tracking_store("progress"), services.tracking_store("audit")
    then = worker_progress(store, audit, at(clock, date(2027, 3, 31), END_OF_MARCH))
    now = worker_progress(store, audit, at(clock, date(2027, 3, 31)))
    assert [(r.worker, r.status) for r in then.rows] == [("ann", "never trained")]
    assert [(r.worker, r.status) for r in now.rows] == [("ann", "in date")]
    assert then.late_corrections == []
    [late] = now.late_corrections
    assert (late.event, late.record, late.effective, late.by_credential, late.by_agency) == (
        "Worker.CompletionRecorded", "ann", "2027-03-20", "police-clerk", "police")
    assert late.recorded_at == "2027-04-10T10:00:00+00:00"
    assert {(c.field, c.before, c.after) for c in late.changes} == {
        ("status", "never trained", "in date"), ("compliant", False, True),
        ("level basic", "never trained", "in date by moodle:ann-basic")}


def test_a_register_corrected_after_the_day_is_listed_with_its_reason_and_the_difference(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    given.worker("ann")
    given.worker("cat", agency="charity")
    session = given.session(capacity=2, on=london(2027, 3, 29, 9, 30))
    ann = services.records.book_place(PARTNERSHIP, session, "ann")
    services.records.book_place(PARTNERSHIP, session, "cat")
    clock.set(london(2027, 3, 29, 10, 0))
    services.records.record_attendance(PARTNERSHIP, session, ann.id, True)
    services.records.close_register(PARTNERSHIP, session)
    clock.set(london(2027, 4, 2, 9, 0))
    cat = next(b for b in services.records.get_session(PARTNERSHIP, session).bookings if b.worker == "cat")
    services.records.correct_register(PARTNERSHIP, session, cat.id, True, "signed the sheet on the way out")
    follow(services)
    delivery, audit = services.tracking_store("delivery"), services.tracking_store("audit")
    year = (date(2026, 4, 1), date(2027, 3, 31))
    then = session_delivery(delivery, audit, at(clock, date(2027, 3, 31), END_OF_MARCH), *year)
    now = session_delivery(delivery, audit, at(clock, date(2027, 3, 31)), *year)
    assert (then.rows[0].tally.attended, then.rows[0].tally.did_not_attend) == (1, 1)
    assert (now.rows[0].tally.attended, now.rows[0].tally.did_not_attend) == (2, 0)
    [late] = now.late_corrections
    assert (late.event, late.reason, late.by_credential) == (
        "CourseSession.RegisterCorrected", "signed the sheet on the way out", "partnership-clerk")
    assert {(c.field, c.before, c.after) for c in late.changes} == {
        ("attended", 1, 2), ("did_not_attend", 1, 0), ("attendance_rate", 0.5, 1.0)}
    charity = agency_accountability(stores(services), at(clock, date(2027, 3, 31)), "charity", *year)
    assert [c.event for c in charity.late_corrections] == ["Worker.CompletionRecorded",
                                                           "CourseSession.RegisterCorrected"]
    police = agency_accountability(stores(services), at(clock, date(2027, 3, 31)), "police", *year)
    assert police.late_corrections == []  # the correction concerns charity's booking only


def test_known_at_reproduces_an_earlier_answer_exactly_after_later_events(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    given.worker("ann", completed=("basic", "l1"))
    given.worker("bob")
    given.worker("cat", agency="charity", group=1)
    year = (date(2026, 4, 1), date(2027, 3, 31))
    clock.set(END_OF_MARCH)
    follow(services)
    asked_then = at(clock)
    before = agency_accountability(stores(services), asked_then, "police", *year)
    progress_before = worker_progress(services.tracking_store("progress"), services.tracking_store("audit"),
                                      asked_then)
    clock.set(london(2027, 4, 5, 9, 0))
    services.records.record_completion(PARTNERSHIP, "bob", "l1", date(2027, 3, 1), "test:late-l1")
    services.records.move_worker_to_group(PARTNERSHIP, "ann", 1, date(2027, 1, 1))
    services.records.publish_pathway(PARTNERSHIP, 3, [{"level": "basic"}], [], date(2026, 1, 1))
    services.records.register_worker(PARTNERSHIP, "fay", "police", "Clerk", 3, date(2026, 9, 1), "Fay")
    follow(services)
    replayed = at(clock, date(2027, 3, 31), asked_then.known_at)
    assert agency_accountability(stores(services), replayed, "police", *year) == before
    assert worker_progress(services.tracking_store("progress"), services.tracking_store("audit"),
                           replayed) == progress_before
    known_now = agency_accountability(stores(services), at(clock, date(2027, 3, 31)), "police", *year)
    assert known_now.total != before.total
    assert {c.event for c in known_now.late_corrections} == {
        "Worker.CompletionRecorded", "Worker.MovedGroup", "Pathway.Published", "Worker.Registered"}


def test_a_pathway_revision_applies_from_its_effective_date(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    given.worker("ann", completed=("basic",))
    services.records.publish_pathway(PARTNERSHIP, 3, [{"level": "basic"}], [], date(2027, 2, 1))
    follow(services, "progress")
    store = services.tracking_store("progress")
    [january] = worker_progress(store, None, at(clock, date(2027, 1, 31))).rows
    [february] = worker_progress(store, None, at(clock, date(2027, 2, 1))).rows
    assert (january.status, january.pathway_effective_from) == ("never trained", None)
    assert (february.status, february.pathway_effective_from) == ("in date", date(2027, 2, 1))


def test_the_end_of_an_english_day_is_counted_in_london_summer_time() -> None:
    from datetime import UTC, datetime

    from projections.timepoint import TimePoint, financial_year_start

    day = TimePoint(date(2027, 3, 31), datetime(2027, 4, 5, tzinfo=UTC))
    assert day.end_of_day == datetime(2027, 3, 31, 22, 59, 59, 999999, tzinfo=UTC)  # BST since 28 March
    assert day.as_known_then() == TimePoint(date(2027, 3, 31), day.end_of_day)
    assert TimePoint.of(datetime(2027, 3, 31, 23, 30, tzinfo=UTC)).as_of == date(2027, 4, 1)
    assert TimePoint(date(2027, 3, 31), END_OF_MARCH).as_known_then() is None
    assert financial_year_start(date(2027, 3, 31)) == date(2026, 4, 1)
