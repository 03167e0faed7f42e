"""Every command is safe to repeat: resends, a crash between the records' commit and the bridge's, voiding."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from kernel.clock import FixedClock
from plugins.moodle_bridge.execute import Executor
from tests.api.conftest import Given, RecordsAPI, london
from tests.bridge.conftest import Moodle
from tests.bridge.moodle_data import needs_data
from tests.bridge.shapes import account, course_iri, module_iri, shaped

pytestmark = needs_data
F2F, BOOK = module_iri("facetoface", 7), module_iri("book", 3)


def world(api: RecordsAPI, given: Given) -> None:
    """ann (police, Moodle user 11); the Moodle course → `aware`, its book → `l1e`, its face-to-face → session s1."""
    given.agency("police")
    given.course("aware", "basic", "e-learning")
    given.course("l1e", "1", "e-learning")
    given.course("l1", "1", "inter-agency")
    given.worker("ann")
    given.session("s1", course="l1")
    api.ok("POST", "/moodle/aliases", {"account": account(11)["account"], "worker": "ann"}, 201)
    api.ok("POST", "/moodle/activities", {"activity": course_iri(2), "course": "aware"}, 201)
    api.ok("POST", "/moodle/activities", {"activity": BOOK, "course": "l1e"}, 201)
    api.ok("POST", "/moodle/sessions", {"activity": F2F, "session": "s1"}, 201)


def a_month_of_moodle() -> list[dict[str, Any]]:
    """Completions, a module uncompleted and completed again, a sign-up cancelled and made again, feedback."""
    return [*shaped("course_completed", 11, course_iri(2), "2027-02-01T10:00:00Z"),
            *shaped("module_completed", 11, BOOK, "2027-02-02T10:00:00Z"),
            *shaped("module_uncompleted", 11, BOOK, "2027-02-03T10:00:00Z"),
            *shaped("module_completed", 11, BOOK, "2027-02-04T10:00:00Z"),
            *shaped("signup", 11, F2F, "2027-02-05T10:00:00Z"),
            *shaped("cancellation", 11, F2F, "2027-02-06T10:00:00Z"),
            *shaped("signup", 11, F2F, "2027-02-07T10:00:00Z"),
            *shaped("feedback", 11, module_iri("feedback", 9), "2027-02-08T10:00:00Z")]


def histories(api: RecordsAPI) -> dict[str, list[str]]:
    return {kind: [e["event"] for e in api.ok("GET", f"/{kind}/history")]
            for kind in ("workers/ann", "sessions/s1", "courses/aware")}


EXPECTED = {
    "workers/ann": ["Registered", "CompletionRecorded", "CompletionRecorded", "CompletionWithdrawn",
                    "CompletionRecorded"],
    "sessions/s1": ["Scheduled", "PlaceBooked", "BookingCancelled", "PlaceBooked"],
    "courses/aware": ["Defined", "EvaluationRecorded"],
}


def test_a_crash_after_the_records_commit_gives_the_page_again_and_nothing_is_recorded_twice(
        api: RecordsAPI, given: Given, moodle: Moodle, monkeypatch: pytest.MonkeyPatch) -> None:
    world(api, given)
    moodle.post(a_month_of_moodle())
    calls, original = [], Executor.run

    def crashing(self: Executor, *args: Any) -> Any:
        done = original(self, *args)  # the records have committed; the bridge's transaction has not
        calls.append(done)
        if len(calls) == 6:
            raise RuntimeError("killed")
        return done

    monkeypatch.setattr(Executor, "run", crashing)
    with pytest.raises(RuntimeError):
        moodle.run()
    assert api.ok("GET", "/moodle/statements?status=applied") == []  # rolled back with the position
    monkeypatch.setattr(Executor, "run", original)
    moodle.run()
    assert histories(api) == EXPECTED
    assert len(api.ok("GET", "/moodle/statements?status=applied")) == 8


@pytest.mark.parametrize("engine", ["sqlite"])
def test_resends_and_a_rebuild_record_nothing_more(api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    world(api, given)
    moodle.send(a_month_of_moodle())
    moodle.send(a_month_of_moodle())
    api.app.extensions["slrs"].follower("moodle_bridge").rebuild()
    assert histories(api) == EXPECTED
    [booking] = [b for b in api.ok("GET", "/sessions/s1")["bookings"] if b["status"] == "booked"]
    assert booking["id"].startswith("moodle-")


def voiding(target: str) -> dict[str, Any]:
    return {"actor": {"mbox": "mailto:admin@moodle.lscp.example"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": target}, "timestamp": "2027-02-20T10:00:00Z"}


def test_a_voided_statement_reverts_what_it_did(api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    world(api, given)
    completion, *_ = moodle.send(shaped("course_completed", 11, course_iri(2), "2027-02-01T10:00:00Z"))
    signup, *_ = moodle.send(shaped("signup", 11, F2F, "2027-02-05T10:00:00Z"))
    feedback, *_ = moodle.send(shaped("feedback", 11, module_iri("feedback", 9), "2027-02-08T10:00:00Z"))
    moodle.send([voiding(completion), voiding(signup), voiding(feedback)])
    assert api.ok("GET", "/workers/ann")["completions"] == []
    [booking] = api.ok("GET", "/sessions/s1")["bookings"]
    assert (booking["status"], booking["cancelled_at"]) == ("cancelled", "2027-02-20T10:00:00+00:00")
    assert histories(api)["courses/aware"] == ["Defined", "EvaluationRecorded", "EvaluationWithdrawn"]
    reverted = api.ok("GET", "/moodle/statements?status=reverted")
    assert [r["statement_id"] for r in reverted] == [completion, signup, feedback]
    moodle.send(shaped("course_completed", 11, course_iri(2), "2027-02-01T10:00:00Z"))  # a resend: the same fact
    assert api.ok("GET", "/workers/ann")["completions"] == []


@pytest.mark.parametrize("engine", ["sqlite"])
def test_attendance_voided_is_unmarked_and_a_cancellation_voided_stands(api: RecordsAPI, given: Given,
                                                                        moodle: Moodle, clock: FixedClock) -> None:
    world(api, given)
    api.ok("POST", "/sessions/s1/bookings", {"worker": "ann"}, 201)
    clock.set(london(2027, 3, 29, 10, 0))
    attended, *_ = moodle.send(shaped("attendance", 11, F2F, "2027-03-29T10:00:00Z"))
    assert api.ok("GET", "/sessions/s1")["bookings"][0]["attended"] is True
    moodle.send([voiding(attended)])
    assert api.ok("GET", "/sessions/s1")["bookings"][0]["attended"] is False
    assert api.ok("GET", f"/moodle/statements/{attended}")["status"] == "reverted"


@pytest.mark.parametrize("engine", ["sqlite"])
def test_a_statement_voided_before_it_arrives_or_while_pending_changes_nothing(api: RecordsAPI, given: Given,
                                                                                moodle: Moodle) -> None:
    world(api, given)
    early = str(uuid.uuid4())
    moodle.send([voiding(early)])
    [completion] = shaped("course_completed", 11, course_iri(2), "2027-02-01T10:00:00Z")
    moodle.send([{**completion, "id": early}])
    assert api.ok("GET", f"/moodle/statements/{early}")["status"] == "voided"
    unknown, *_ = moodle.send(shaped("course_completed", 12, course_iri(2), "2027-02-01T10:00:00Z"))
    moodle.send([voiding(unknown)])
    given.worker("bob")
    api.ok("POST", "/moodle/aliases", {"account": account(12)["account"], "worker": "bob"}, 201)
    moodle.run()
    assert api.ok("GET", "/workers/ann")["completions"] == api.ok("GET", "/workers/bob")["completions"] == []
    assert api.ok("GET", f"/moodle/statements/{unknown}")["status"] == "voided"
    assert api.ok("GET", "/moodle/pending") == []

