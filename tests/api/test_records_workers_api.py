"""/api/v1/workers: register, move, change, leave, erase, read as on a date, history, completions."""

from __future__ import annotations

from tests.api.conftest import Given, RecordsAPI


def test_registering_a_worker_answers_201_with_them_as_today(api: RecordsAPI, given: Given) -> None:
    given.agency("police")
    response = api.as_("police").post("/workers", {
        "id": "ann", "agency": "police", "job_role": "Constable", "target_group": 3, "started_on": "2026-01-05",
        "name": "Ann Example", "email": "ann@example.org"})
    assert response.status_code == 201 and response.headers["Location"] == "/api/v1/workers/ann"
    worker = response.get_json()
    assert (worker["agency"], worker["target_group"], worker["started_on"]) == ("police", 3, "2026-01-05")
    assert (worker["name"], worker["email"], worker["line_manager"], worker["left_on"]) == (
        "Ann Example", "ann@example.org", None, None)
    assert worker["joined_group_on"] == "2026-01-05" and worker["completions"] == []


def test_moves_take_effect_on_their_dates_and_the_worker_reads_as_on_any_date(api: RecordsAPI,
                                                                              given: Given) -> None:
    given.world()
    api.ok("POST", "/workers/ann/group-moves", {"target_group": 4, "effective_from": "2027-06-01"})
    api.ok("POST", "/workers/ann/agency-moves", {"agency": "charity", "effective_from": "2027-05-01"})
    api.ok("POST", "/workers/ann/job-role-changes", {"job_role": "Sergeant", "effective_from": "2027-04-01"})
    api.ok("POST", "/workers/ann/line-manager-changes", {"line_manager": "bob", "effective_from": "2027-04-01"})
    today = api.ok("GET", "/workers/ann")
    assert (today["agency"], today["target_group"], today["job_role"], today["line_manager"]) == (
        "police", 3, "Officer", None)
    later = api.ok("GET", "/workers/ann?on=2027-06-01")
    assert (later["agency"], later["target_group"], later["job_role"], later["line_manager"]) == (
        "charity", 4, "Sergeant", "bob")
    assert later["joined_group_on"] == "2027-06-01"
    assert later["agencies"] == [{"effective_from": "2026-01-05", "agency": "police"},
                                 {"effective_from": "2027-05-01", "agency": "charity"}]
    cleared = api.ok("POST", "/workers/ann/line-manager-changes", {"line_manager": None,
                                                                   "effective_from": "2027-07-01"})
    assert cleared["version"] == 6


def test_listing_by_agency_as_on_a_date(api: RecordsAPI, given: Given) -> None:
    given.world()
    api.ok("POST", "/workers/ann/agency-moves", {"agency": "charity", "effective_from": "2027-05-01"})
    assert [w["id"] for w in api.ok("GET", "/workers?agency=police")] == ["ann", "bob"]
    assert [w["id"] for w in api.ok("GET", "/workers?agency=police&on=2027-05-01")] == ["bob"]
    assert [w["id"] for w in api.ok("GET", "/workers")] == ["ann", "bob", "cat"]
    assert [w["id"] for w in api.as_("charity").ok("GET", "/workers")] == ["cat"]


def test_personal_details_change_and_erasure_leaves_the_events(api: RecordsAPI, given: Given) -> None:
    given.world()
    changed = api.ok("PUT", "/workers/ann/personal-details", {"name": "Ann Other", "email": None})
    assert (changed["name"], changed["email"]) == ("Ann Other", None)
    erased = api.ok("DELETE", "/workers/ann/personal-details")
    assert (erased["name"], erased["email"], erased["id"]) == (None, None, "ann")
    history = api.ok("GET", "/workers/ann/history")
    assert [e["event"] for e in history] == ["Registered", "PersonalDetailsChanged", "PersonalDataErased"]
    assert all("sealed" not in e["data"] for e in history)


def test_erasure_is_the_partnerships_alone(api: RecordsAPI, given: Given) -> None:
    given.world()
    response = api.as_("police").delete("/workers/ann/personal-details")
    assert response.status_code == 403
    assert api.ok("GET", "/workers/ann")["name"] == "Name of ann"


def test_leaving_is_recorded_on_its_date(api: RecordsAPI, given: Given) -> None:
    given.world()
    left = api.as_("police").ok("POST", "/workers/ann/leaving", {"left_on": "2027-02-28"})
    assert left["left_on"] == "2027-02-28"


def test_worker_errors_name_the_field_or_the_rule(api: RecordsAPI, given: Given) -> None:
    given.world()
    before = api.log_position()
    bad_group = api.post("/workers/ann/group-moves", {"target_group": 9, "effective_from": "2027-01-01"})
    assert bad_group.status_code == 400 and "target group" in bad_group.get_json()["error"]["message"]
    as_text = api.post("/workers/ann/group-moves", {"target_group": "4", "effective_from": "2027-01-01"})
    assert as_text.status_code == 400 and as_text.get_json()["error"]["fields"] == {
        "target_group": ["must be a whole number"]}
    own_manager = api.post("/workers/ann/line-manager-changes", {"line_manager": "ann",
                                                                 "effective_from": "2027-01-01"})
    assert own_manager.status_code == 400
    duplicate = api.post("/workers", {"id": "ann", "agency": "police", "job_role": "x", "target_group": 1,
                                      "started_on": "2026-01-01", "name": "Another Ann"})
    assert duplicate.status_code == 409
    unknown_agency = api.post("/workers/ann/agency-moves", {"agency": "nowhere", "effective_from": "2027-01-01"})
    assert unknown_agency.status_code == 404
    assert api.get("/workers/nobody").status_code == 404
    assert api.get("/workers?agency=x y").status_code == 400
    assert api.log_position() == before


def test_completions_are_recorded_once_per_source_and_withdrawn_with_a_reason(api: RecordsAPI,
                                                                             given: Given) -> None:
    given.world()
    given.course("el", level="basic", delivery="e-learning")
    body = {"course": "el", "completed_on": "2027-02-01", "source": "hr:123"}
    first = api.as_("police").post("/workers/ann/completions", body)
    assert first.status_code == 201 and first.get_json() == {"worker": "ann", "source": "hr:123", "recorded": True}
    again = api.as_("police").post("/workers/ann/completions", body)
    assert again.status_code == 200 and again.get_json()["recorded"] is False
    [completion] = api.ok("GET", "/workers/ann")["completions"]
    assert completion == {"source": "hr:123", "course": "el", "level": "basic", "delivery": "e-learning",
                          "completed_on": "2027-02-01"}
    withdrawn = api.ok("POST", "/workers/ann/completion-withdrawals", {"source": "hr:123", "reason": "wrong person"})
    assert withdrawn == {"worker": "ann", "source": "hr:123", "withdrawn": True}
    assert api.ok("POST", "/workers/ann/completion-withdrawals", {"source": "hr:123", "reason": "again"}
                  )["withdrawn"] is False
    assert api.ok("GET", "/workers/ann")["completions"] == []


def test_a_completion_in_the_future_or_of_an_unknown_course_is_refused(api: RecordsAPI, given: Given) -> None:
    given.world()
    future = api.post("/workers/ann/completions", {"course": "l1", "completed_on": "2027-03-02", "source": "s"})
    assert future.status_code == 400 and "future" in future.get_json()["error"]["message"]
    unknown = api.post("/workers/ann/completions", {"course": "l9", "completed_on": "2027-03-01", "source": "s"})
    assert unknown.status_code == 404


def test_a_workers_progress_follows_their_completions_and_is_theirs_alone(api: RecordsAPI, given: Given) -> None:
    given.world()
    given.course("basic", level="basic", delivery="e-learning")
    api.as_("police").ok("POST", "/workers/ann/completions",
                         {"course": "basic", "completed_on": "2027-01-10", "source": "moodle:1"}, 201)
    progress = api.as_("police").ok("GET", "/workers/ann/progress?on=2027-03-01")
    assert (progress["target_group"], progress["status"], progress["compliant"]) == (3, "never trained", False)
    assert {r["level"]: r["status"] for r in progress["requirements"]} == {
        "basic": "in date", "1": "never trained", "2": "never trained"}
    assert progress["requirements"][0]["covered_by"]["source"] == "moodle:1"
    assert progress["requirements"][0]["expires_on"] == "2030-01-10"
    assert api.as_("charity").get("/workers/ann/progress").status_code == 404
