"""Statements wait for links, listed with why; a link applies them in log order; agencies link their own workers."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.clock import FixedClock
from kernel.keys import Identifier
from tests.api.conftest import Given, RecordsAPI, london
from tests.bridge.conftest import Moodle
from tests.bridge.moodle_data import needs_data
from tests.bridge.shapes import account, course_iri, module_iri, shaped

# The API's rules on the embedded engine; the bridge's SQL runs on both in the table, replay and voiding tests.
pytestmark = [needs_data, pytest.mark.parametrize("engine", ["sqlite"])]
F2F = module_iri("facetoface", 7)
ANN = account(11)


def programme(api: RecordsAPI, given: Given) -> None:
    """Agencies police and charity; ann (police), cat (charity); e-learning `aware` (basic); face-to-face `l1`."""
    given.agency("police")
    given.agency("charity")
    given.course("aware", "basic", "e-learning")
    given.course("l1", "1", "inter-agency")
    given.worker("ann", "police")
    given.worker("cat", "charity")


def alias(user: dict[str, Any], worker: str) -> dict[str, Any]:
    return {"account": user["account"], "worker": worker}


def test_a_completion_of_an_unknown_learner_waits_with_its_reason_and_applies_once_linked(
        api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    programme(api, given)
    api.ok("POST", "/moodle/activities", {"activity": course_iri(2), "course": "aware"}, 201)
    [statement_id] = moodle.send(shaped("course_completed", 11, course_iri(2), "2027-02-20T10:00:00Z"))
    [pending] = api.ok("GET", "/moodle/pending")
    assert (pending["statement_id"], pending["waiting_on"]) == (statement_id, "identity")
    assert pending["reason"] == "no worker is linked to the actor's xAPI identity"
    assert pending["identity"] == ANN
    assert api.as_("police").ok("GET", "/moodle/pending") == []  # nobody's worker yet: the partnership's to see
    api.as_("police").ok("POST", "/moodle/aliases", alias(ANN, "ann"), 201)
    moodle.run()
    assert api.ok("GET", "/moodle/pending") == []
    [completion] = api.ok("GET", "/workers/ann")["completions"]
    assert (completion["course"], completion["completed_on"]) == ("aware", "2027-02-20")
    assert api.as_("police").ok("GET", f"/moodle/statements/{statement_id}")["status"] == "applied"


def test_an_unlinked_activity_waits_and_a_linked_one_counts(api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    programme(api, given)
    api.ok("POST", "/moodle/aliases", alias(ANN, "ann"), 201)
    moodle.send(shaped("module_completed", 11, module_iri("scorm", 5), "2027-02-20T10:00:00Z"))
    [pending] = api.as_("police").ok("GET", "/moodle/pending")
    assert pending["waiting_on"] == "activity" and module_iri("scorm", 5) in pending["reason"]
    link = api.ok("POST", "/moodle/activities", {"activity": module_iri("scorm", 5), "course": "aware"}, 201)
    assert api.ok("POST", "/moodle/activities", {"activity": module_iri("scorm", 5), "course": "aware"}, 200) == link
    moodle.run()
    assert [c["course"] for c in api.ok("GET", "/workers/ann")["completions"]] == ["aware"]


def test_a_cancellation_waits_behind_its_pending_sign_up_and_both_apply_in_order(
        api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    programme(api, given)
    given.session("s1", course="l1")
    api.ok("POST", "/moodle/sessions", {"activity": F2F, "session": "s1"}, 201)
    moodle.send(shaped("signup", 11, F2F, "2027-02-27T10:00:00Z")
                + shaped("cancellation", 11, F2F, "2027-02-28T10:00:00Z"))
    assert [p["waiting_on"] for p in api.ok("GET", "/moodle/pending")] == ["identity", "earlier"]
    api.ok("POST", "/moodle/aliases", alias(ANN, "ann"), 201)
    moodle.run()
    [booking] = api.ok("GET", "/sessions/s1")["bookings"]
    assert (booking["worker"], booking["status"], booking["notice_days"]) == ("ann", "cancelled", 29)


def test_a_sign_up_to_an_activity_of_two_sessions_waits_for_a_clerk_then_its_cancellation_finds_the_booking(
        api: RecordsAPI, given: Given, moodle: Moodle, clock: FixedClock) -> None:
    programme(api, given)
    given.session("s1", course="l1")
    given.session("s2", course="l1", starts="2027-04-05T09:30:00+01:00", ends="2027-04-05T16:30:00+01:00")
    api.ok("POST", "/moodle/aliases", alias(ANN, "ann"), 201)
    for session in ("s1", "s2"):
        api.ok("POST", "/moodle/sessions", {"activity": F2F, "session": session}, 201)
    [signup] = moodle.send(shaped("signup", 11, F2F, "2027-02-27T10:00:00Z"))
    [pending] = api.as_("police").ok("GET", "/moodle/pending")
    assert pending["waiting_on"] == "session" and "s1, s2" in pending["reason"]
    refused = api.post(f"/moodle/statements/{signup}/session", {"session": "nowhere"})
    assert refused.status_code == 409
    api.ok("POST", f"/moodle/statements/{signup}/session", {"session": "s2"}, 201)
    moodle.run()
    assert [b["status"] for b in api.ok("GET", "/sessions/s2")["bookings"]] == ["booked"]
    clock.set(london(2027, 3, 20, 9, 0))  # the bridge reads the cancellation late: notice is from its timestamp
    [cancel] = moodle.send(shaped("cancellation", 11, F2F, "2027-03-02T10:00:00Z"))
    assert api.ok("GET", f"/moodle/statements/{cancel}")["status"] == "applied"
    [booking] = api.ok("GET", "/sessions/s2")["bookings"]
    assert (booking["status"], booking["notice_days"]) == ("cancelled", 34)


def test_a_sign_up_the_rules_refuse_is_listed_with_the_records_own_words(api: RecordsAPI, given: Given,
                                                                          moodle: Moodle) -> None:
    programme(api, given)
    given.course("l2", "2", "inter-agency")
    given.session("s3", course="l2")
    api.ok("POST", "/moodle/aliases", alias(ANN, "ann"), 201)
    api.ok("POST", "/moodle/sessions", {"activity": F2F, "session": "s3"}, 201)
    [statement_id] = moodle.send(shaped("signup", 11, F2F, "2027-02-27T10:00:00Z"))
    [refused] = api.ok("GET", "/moodle/statements?status=refused")
    assert refused["statement_id"] == statement_id
    assert "has not completed level 1 training" in refused["reason"]
    assert api.ok("GET", "/sessions/s3")["bookings"] == []


def test_agencies_link_only_their_own_workers_and_only_the_partnership_links_courses_and_sessions(
        api: RecordsAPI, given: Given) -> None:
    programme(api, given)
    police = api.as_("police")
    assert police.post("/moodle/aliases", alias(ANN, "cat")).status_code == 404
    made = police.ok("POST", "/moodle/aliases", {"mbox": "mailto:ann@police.example", "worker": "ann"}, 201)
    api.as_("charity").ok("POST", "/moodle/aliases", alias(account(12), "cat"), 201)
    taken = api.as_("charity").post("/moodle/aliases", {"mbox": "mailto:ann@police.example", "worker": "cat"})
    assert taken.status_code == 409 and "ann" not in taken.get_json()["error"]["message"]
    assert [a["target"] for a in police.ok("GET", "/moodle/aliases")] == ["ann"]
    assert len(api.ok("GET", "/moodle/aliases")) == 2
    assert police.post("/moodle/activities", {"activity": course_iri(2), "course": "aware"}).status_code == 403
    assert api.as_("charity").delete(f"/moodle/aliases/{made['id']}").status_code == 404
    assert police.ok("DELETE", f"/moodle/aliases/{made['id']}")["target"] == "ann"
    assert police.ok("GET", "/moodle/aliases") == []


def test_an_identity_must_be_one_well_formed_identifier_and_never_moodles_anonymous_account(
        api: RecordsAPI, given: Given) -> None:
    programme(api, given)
    for body in ({"worker": "ann"}, {"worker": "ann", "mbox": "ann@x.example"},
                 {"worker": "ann", "mbox": "mailto:a@x.example", "openid": "https://id.example/ann"},
                 {"worker": "ann", "account": {"homePage": "https://moodle.example", "name": "anonymous"}},
                 {"worker": "ann", "mbox_sha1sum": "not-a-digest"}):
        assert api.post("/moodle/aliases", body).status_code == 400, body


def test_an_alias_keeps_no_identity_in_clear_and_reads_as_erased_once_the_lrs_erases_the_person(
        api: RecordsAPI, given: Given, moodle: Moodle) -> None:
    programme(api, given)
    made = api.ok("POST", "/moodle/aliases", {"mbox": "mailto:ann@police.example", "worker": "ann"}, 201)
    assert made["identity"] == {"mbox": "mailto:ann@police.example"}
    moodle.send(shaped("course_completed", 12, course_iri(2), "2027-02-20T10:00:00Z"))  # pending, unknown
    services = api.app.extensions["slrs"]
    store = services.tracking_store("moodle_bridge")
    kept = [dict(r) for t in ("slrs_moodle_links", "slrs_moodle_statements")
            for r in store.fetch(f"SELECT * FROM {t}", [])]
    assert "ann@police.example" not in str(kept) and "Learner 12" not in str(kept)
    services.lrs.persons.erase(Identifier("mbox:mailto:ann@police.example"))
    [alias] = api.ok("GET", "/moodle/aliases")
    assert alias["identity"]["account"]["homePage"] == "urn:slrs:erased"
