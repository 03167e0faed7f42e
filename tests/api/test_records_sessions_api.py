"""/api/v1/sessions and their bookings: schedule, book, wait, cancel, substitute, register, evaluate, history.

The clock stands on Monday 1 March 2027, 09:00 in London; sessions run on
Monday 29 March 2027 (British Summer Time) from 09:30, and tests move the
clock there to mark the register.
"""

from __future__ import annotations

from kernel.clock import FixedClock
from tests.api.conftest import Given, RecordsAPI, london


def test_a_full_session_puts_a_booking_on_the_waiting_list_and_says_where(api: RecordsAPI, given: Given) -> None:
    given.world()
    session = given.session("s1", capacity=1)
    assert (session["session_date"], session["starts_at"]) == ("2027-03-29", "2027-03-29T08:30:00+00:00")
    first = api.as_("police").post("/sessions/s1/bookings", {"worker": "ann"})
    assert first.status_code == 201
    assert (first.get_json()["status"], first.get_json()["position"]) == ("booked", None)
    second = api.as_("police").post("/sessions/s1/bookings", {"worker": "bob"}).get_json()
    assert (second["status"], second["position"], second["agency"]) == ("waiting", 1, "police")
    places = api.ok("GET", "/sessions/s1")
    assert (places["places_taken"], places["places_free"], places["waiting_list"]) == (1, 0, 1)


def test_a_cancellation_keeps_its_time_counts_notice_and_frees_the_place(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.session("s1", capacity=1)
    ann = api.as_("police").ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    cat = api.as_("charity").ok("POST", "/sessions/s1/bookings", {"worker": "cat"})
    cancelled = api.as_("police").ok("POST", f"/sessions/s1/bookings/{ann['id']}/cancellation",
                                     {"received_at": "2027-03-01T08:15:00Z"})
    assert (cancelled["status"], cancelled["notice_days"]) == ("cancelled", 28)
    assert cancelled["cancelled_at"] == "2027-03-01T08:15:00+00:00"
    [now_booked] = api.as_("charity").ok("GET", "/sessions/s1")["bookings"]
    assert (now_booked["id"], now_booked["status"]) == (cat["id"], "booked")
    events = [e["event"] for e in api.ok("GET", "/sessions/s1/history")]
    assert events == ["Scheduled", "PlaceBooked", "JoinedWaitingList", "BookingCancelled", "PlaceOffered"]


def test_a_cancellation_without_offset_or_from_the_future_is_refused(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.session("s1")
    ann = api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    path = f"/sessions/s1/bookings/{ann['id']}/cancellation"
    naive = api.post(path, {"received_at": "2027-03-01T08:15:00"})
    assert naive.status_code == 400 and "received_at" in naive.get_json()["error"]["fields"]
    assert api.post(path, {"received_at": "2027-03-02T08:15:00+00:00"}).status_code == 409
    assert api.post("/sessions/s1/bookings/nobooking/cancellation",
                    {"received_at": "2027-03-01T08:15:00Z"}).status_code == 404
    assert api.ok("GET", "/sessions/s1")["bookings"][0]["status"] == "booked"


def test_a_substitute_of_the_same_agency_takes_the_place(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.session("s1")
    ann = api.as_("police").ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    path = f"/sessions/s1/bookings/{ann['id']}/substitutions"
    substituted = api.as_("police").ok("POST", path, {"worker": "bob"})
    assert substituted["worker"] == "bob" and substituted["substitutions"][0]["replaced"] == "ann"
    assert api.post(path, {"worker": "cat"}).status_code == 409  # cat is the charity's
    assert api.ok("GET", "/sessions/s1")["bookings"][0]["worker"] == "bob"


def test_the_register_opens_at_the_start_closes_and_is_corrected_with_a_reason(
        api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    given.world()
    given.session("s1")
    ann = api.as_("police").ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    bob = api.as_("police").ok("POST", "/sessions/s1/bookings", {"worker": "bob"})
    early = api.put(f"/sessions/s1/bookings/{ann['id']}/attendance", {"attended": True})
    assert early.status_code == 409 and "not started" in early.get_json()["error"]["message"]
    clock.set(london(2027, 3, 29, 9, 45))
    marked = api.ok("PUT", f"/sessions/s1/bookings/{ann['id']}/attendance", {"attended": True})
    assert marked["attended"] is True
    assert api.as_("police").put(f"/sessions/s1/bookings/{bob['id']}/attendance", {"attended": True}
                                 ).status_code == 403
    closed = api.ok("POST", "/sessions/s1/register-closure", {})
    assert closed["register_closed"] is True
    outcomes = {b["worker"]: b["outcome"] for b in closed["bookings"]}
    assert outcomes == {"ann": "attended", "bob": "did not attend"}
    assert api.ok("GET", "/workers/ann")["completions"][0]["source"] == "session:s1"
    corrected = api.ok("POST", f"/sessions/s1/bookings/{bob['id']}/register-corrections",
                       {"attended": True, "reason": "signed the paper register"})
    assert corrected["outcome"] == "attended"
    assert api.post(f"/sessions/s1/bookings/{bob['id']}/register-corrections",
                    {"attended": True, "reason": "again"}).status_code == 409
    assert api.post("/sessions/s1/register-closure", {}).status_code == 409
    assert api.post("/sessions/s1/register-closure", {"now": True}).status_code == 400


def test_an_attending_delegate_evaluates_a_session_once(api: RecordsAPI, given: Given, clock: FixedClock) -> None:
    given.world()
    given.session("s1")
    ann = api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    api.ok("POST", "/sessions/s1/bookings", {"worker": "bob"})
    clock.set(london(2027, 3, 29, 10, 0))
    api.ok("PUT", f"/sessions/s1/bookings/{ann['id']}/attendance", {"attended": True})
    evaluation = {"worker": "ann", "ratings": [{"outcome": "Respond", "rating": 4}], "overall": 5, "comment": "Good"}
    assert api.as_("police").post("/sessions/s1/evaluations", evaluation).status_code == 201
    assert api.as_("police").post("/sessions/s1/evaluations", evaluation).status_code == 409
    assert api.post("/sessions/s1/evaluations", {**evaluation, "worker": "bob"}).status_code == 409
    no_overall = api.post("/sessions/s1/evaluations", {"worker": "bob", "ratings": []})
    assert no_overall.get_json()["error"]["fields"] == {"overall": ["Missing data for required field."]}
    assert [e["event"] for e in api.ok("GET", "/sessions/s1/history")][-1] == "EvaluationRecorded"


def test_cancelling_a_session_frees_every_place_by_the_partnership(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.session("s1")
    api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    assert api.as_("police").post("/sessions/s1/cancellation", {"reason": "trainer ill"}).status_code == 403
    cancelled = api.ok("POST", "/sessions/s1/cancellation", {"reason": "trainer ill"})
    assert cancelled["cancelled"] is True
    assert [(b["status"], b["cancelled_by_partnership"]) for b in cancelled["bookings"]] == [("cancelled", True)]
    assert api.post("/sessions/s1/bookings", {"worker": "bob"}).status_code == 409


def test_scheduling_errors(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.course("elearn", level="basic", delivery="e-learning")
    body = {"course": "l1", "starts_at": "2027-03-29T09:30:00+01:00", "ends_at": "2027-03-29T16:30:00+01:00",
            "venue": "Hall", "capacity": 10}
    assert api.post("/sessions", {**body, "ends_at": "2027-03-29T08:00:00+01:00"}).status_code == 400
    assert api.post("/sessions", {**body, "course": "elearn"}).status_code == 409
    assert api.post("/sessions", {**body, "course": "nothing"}).status_code == 404
    assert api.post("/sessions", {**body, "trainers": ["nobody"]}).status_code == 404
    assert api.as_("police").post("/sessions", body).status_code == 403
    naive = api.post("/sessions", {**body, "starts_at": "2027-03-29T09:30:00"})
    assert naive.get_json()["error"]["where"] == "body" and "starts_at" in naive.get_json()["error"]["fields"]
    huge = api.post("/sessions", {**body, "capacity": 10**30})
    assert huge.status_code == 400 and "capacity" in huge.get_json()["error"]["message"]
    made = api.post("/sessions", body)
    assert made.status_code == 201 and made.headers["Location"] == f"/api/v1/sessions/{made.get_json()['id']}"
    assert api.post("/sessions", {**body, "id": "s1"}).status_code == 201
    assert api.post("/sessions", {**body, "id": "s1"}).status_code == 409
    assert [s["id"] for s in api.ok("GET", "/sessions?course=l1")][-1] == "s1"
    assert api.ok("GET", "/sessions?course=elearn") == []


def test_booking_errors(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.course("l2", level="2")
    given.session("s1")
    given.session("s2", course="l2")
    assert api.post("/sessions/s2/bookings", {"worker": "ann"}).status_code == 409  # no level 1 yet
    assert api.post("/sessions/s1/bookings", {"worker": "nobody"}).status_code == 404
    assert api.post("/sessions/nothing/bookings", {"worker": "ann"}).status_code == 404
    assert api.post("/sessions/s1/bookings", {"worker": ["ann"]}).status_code == 400
    api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    assert api.post("/sessions/s1/bookings", {"worker": "ann"}).status_code == 409
