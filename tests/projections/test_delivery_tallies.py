"""Each session's tally kept by the delivery follower: the reports read it, and it agrees with replaying the
session's facts on any day, as known at any instant, for every agency or one."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from api.app import Services
from kernel.clock import FixedClock
from projections.delivery_tallies import session_tallies
from projections.delivery_view import DeliveryFacts, Tally
from projections.timepoint import TimePoint
from tests.domain.conftest import PARTNERSHIP, Partnership, london
from tests.projections.conftest import follow
from tests.projections.scenario import busy_month

DAYS = [date(2027, 2, 28), date(2027, 3, 1), date(2027, 3, 14), date(2027, 3, 15), date(2027, 3, 29),
        date(2027, 4, 2), date(2027, 12, 31)]


def replayed(delivery: DeliveryFacts, agency: str | None = None) -> dict[str, tuple[bool, dict[str | None, Tally]]]:
    """Every session of 2027 replayed from its facts known then, as the reports did before tallies were kept."""
    sessions = delivery.sessions(date(2027, 1, 1), date(2027, 12, 31), agency)
    found = {}
    for code, replay in delivery.replays(sessions, agency).items():
        tallies = replay.tallies()
        mine: dict[str | None, Tally] = {k: v for k, v in tallies.items() if agency is None or k == agency}
        found[code] = (replay.cancelled, mine)
    return found


def summed(sessions: dict[str, tuple[bool, dict[str | None, Tally]]]) -> dict[str, Tally]:
    """Each agency's tallies added up over the sessions, as the accountability reports show them."""
    totals: dict[str, Tally] = {}
    for _, by_agency in sessions.values():
        for who, tally in by_agency.items():
            if who is not None:
                totals[who] = totals[who].plus(tally) if who in totals else tally
    return totals


def kept(delivery: DeliveryFacts, agency: str | None = None) -> dict[str, tuple[bool, dict[str | None, Tally]]]:
    sessions = delivery.sessions(date(2027, 1, 1), date(2027, 12, 31), agency)
    return {code: (t.cancelled, t.by_agency) for code, t in session_tallies(delivery, sessions, agency).items()}


def test_kept_tallies_agree_with_replaying_the_facts_on_every_day_as_known_at_every_instant(
        services: Services, given: Partnership, clock: FixedClock) -> None:
    instants: list[datetime] = [london(2027, 3, 1, 9, 0)]
    made = busy_month(given)
    instants.append(clock.now())
    clock.set(london(2027, 4, 3, 9, 0))
    later = given.session("l2", capacity=3, on=london(2027, 5, 10, 9, 30))
    given.records.book_place(PARTNERSHIP, later, "ann")
    given.records.cancel_session(PARTNERSHIP, later, "trainer ill")
    instants.append(clock.now())
    follow(services, "delivery")
    store = services.tracking_store("delivery")
    assert store.fetch("SELECT session FROM slrs_delivery_stale") == []
    assert {r["session"] for r in store.fetch("SELECT session FROM slrs_delivery_settled")} == {made["session"], later}
    for known in [*instants, clock.now() + timedelta(days=1)]:
        for day in DAYS:
            delivery = DeliveryFacts(store, TimePoint(day, known))
            for agency in (None, "police", "charity"):
                assert kept(delivery, agency) == replayed(delivery, agency), (day, known, agency)
                assert delivery.tallies_by_agency(date(2027, 1, 1), date(2027, 12, 31), agency) == \
                    summed(replayed(delivery, agency)), (day, known, agency)


def test_a_session_with_new_facts_is_replayed_until_the_follower_settles(services: Services, given: Partnership,
                                                                        clock: FixedClock) -> None:
    given.worker("ann")
    session = given.session("l1", capacity=2, on=london(2027, 3, 29, 9, 30))
    follow(services, "delivery")
    store = services.tracking_store("delivery")
    follower = services.follower("delivery")
    given.records.book_place(PARTNERSHIP, session, "ann")
    follower.process_page()
    assert [r["session"] for r in store.fetch("SELECT session FROM slrs_delivery_stale")] == [session]
    delivery = DeliveryFacts(store, TimePoint(date(2027, 3, 1), clock.now()))
    assert kept(delivery)[session][1]["police"].booked == 1
    follower.catch_up()
    assert store.fetch("SELECT session FROM slrs_delivery_stale") == []
    assert kept(delivery)[session][1]["police"].booked == 1
