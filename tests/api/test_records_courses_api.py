"""/api/v1/courses and /api/v1/pathways: the programme, validations, course-level evaluations, pathways on a date."""

from __future__ import annotations

from tests.api.conftest import Given, RecordsAPI

HEALTH_COURSE = {"id": "h3", "title": "Health level 3 core", "level": "health-3-core", "delivery": "inter-agency",
                 "outcomes": ["Assess need"], "topics": [], "duration_minutes": 360}


def test_defining_a_course_maps_a_health_level_and_keeps_its_label(api: RecordsAPI) -> None:
    response = api.post("/courses", HEALTH_COURSE)
    assert response.status_code == 201 and response.headers["Location"] == "/api/v1/courses/h3"
    course = response.get_json()
    assert (course["level"], course["level_label"], course["validated"], course["validations"]) == (
        "2", "health-3-core", False, [])
    assert [c["id"] for c in api.as_("police").ok("GET", "/courses")] == ["h3"]


def test_a_revision_changes_what_the_course_teaches(api: RecordsAPI, given: Given) -> None:
    given.course("l1")
    revised = api.ok("POST", "/courses/l1/revisions", {"title": "Introduction", "outcomes": ["Recognise abuse"],
                                                       "topics": [], "duration_minutes": 240})
    assert (revised["title"], revised["outcomes"], revised["duration_minutes"]) == (
        "Introduction", ["Recognise abuse"], 240)
    assert [e["event"] for e in api.ok("GET", "/courses/l1/history")] == ["Defined", "Revised"]


def test_a_validation_is_current_between_its_dates(api: RecordsAPI, given: Given) -> None:
    given.course("found", delivery="single-agency")
    validated = api.ok("POST", "/courses/found/validations", {"valid_from": "2027-01-01",
                                                              "valid_until": "2027-12-31"})
    assert validated["validations"] == [{"valid_from": "2027-01-01", "valid_until": "2027-12-31"}]
    assert validated["validated"] is True
    assert api.ok("GET", "/courses/found?on=2028-01-01")["validated"] is False


def test_only_single_agency_courses_are_validated_and_periods_run_forward(api: RecordsAPI, given: Given) -> None:
    given.course("l1")
    assert api.post("/courses/l1/validations", {"valid_from": "2027-01-01", "valid_until": "2027-12-31"}
                    ).status_code == 409
    backwards = api.post("/courses/l1/validations", {"valid_from": "2027-01-01", "valid_until": "2026-12-31"})
    assert backwards.status_code == 400


def test_course_errors(api: RecordsAPI, given: Given) -> None:
    given.course("l1")
    assert api.post("/courses", {**HEALTH_COURSE, "id": "l1"}).status_code == 409
    assert api.as_("police").post("/courses", HEALTH_COURSE).status_code == 403
    bad_level = api.post("/courses", {**HEALTH_COURSE, "level": "4"})
    assert bad_level.status_code == 400 and "level" in bad_level.get_json()["error"]["message"]
    long_list = api.post("/courses", {**HEALTH_COURSE, "outcomes": ["o"] * 101})
    assert long_list.status_code == 400 and "outcomes" in long_list.get_json()["error"]["fields"]
    duration = api.post("/courses", {**HEALTH_COURSE, "duration_minutes": 1.5})
    assert duration.get_json()["error"]["fields"] == {"duration_minutes": ["must be a whole number"]}
    assert api.get("/courses/nothing").status_code == 404
    assert api.post("/courses/nothing/revisions", {"title": "t", "duration_minutes": 1}).status_code == 404


def test_course_evaluations_are_recorded_once_per_source_and_may_be_anonymous(api: RecordsAPI,
                                                                             given: Given) -> None:
    given.world()
    body = {"source": "moodle:feedback:1", "ratings": [{"outcome": "Recognise abuse", "rating": 5}], "overall": 4,
            "comment": "Useful"}
    first = api.as_("police").post("/courses/l1/evaluations", body)
    assert first.status_code == 201 and first.get_json() == {"course": "l1", "source": "moodle:feedback:1",
                                                             "recorded": True}
    assert api.as_("police").post("/courses/l1/evaluations", body).status_code == 200
    named = api.as_("police").post("/courses/l1/evaluations", {**body, "source": "moodle:feedback:2",
                                                               "worker": "ann"})
    assert named.status_code == 201
    unknown_outcome = api.post("/courses/l1/evaluations", {**body, "source": "s3",
                                                           "ratings": [{"outcome": "Fly", "rating": 5}]})
    assert unknown_outcome.status_code == 400 and "Fly" in unknown_outcome.get_json()["error"]["message"]
    out_of_range = api.post("/courses/l1/evaluations", {**body, "source": "s4",
                                                        "ratings": [{"outcome": "Respond", "rating": 6}]})
    assert out_of_range.status_code == 400
    nested_unknown = api.post("/courses/l1/evaluations", {**body, "source": "s5",
                                                          "ratings": [{"outcome": "Respond", "stars": 6}]})
    error = nested_unknown.get_json()["error"]
    assert nested_unknown.status_code == 400 and "ratings.0.stars" in error["message"]
    assert api.as_("charity").post("/courses/l1/evaluations", {**body, "source": "s6", "worker": "ann"}
                                   ).status_code == 404


def test_pathways_default_then_a_published_revision_from_its_date(api: RecordsAPI) -> None:
    pathways = api.ok("GET", "/pathways")
    assert [p["target_group"] for p in pathways] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [r["level"] for r in pathways[2]["requirements"]] == ["basic", "1", "2"]
    assert pathways[2]["effective_from"] is None
    published = api.post("/pathways/3/versions", {
        "requirements": [{"level": "basic"}, {"level": "1", "due_months": 6}, {"level": "2", "refresh_years": 2}],
        "topics": ["working with complexity"], "effective_from": "2027-04-01"})
    assert published.status_code == 201
    assert published.get_json()["effective_from"] == "2027-04-01"
    assert api.ok("GET", "/pathways/3")["effective_from"] is None
    later = api.ok("GET", "/pathways/3?on=2027-04-01")
    assert later["requirements"][1] == {"level": "1", "due_months": 6, "refresh_years": 3, "group_4_only": False}


def test_pathway_errors(api: RecordsAPI) -> None:
    assert api.get("/pathways/9").status_code == 400
    assert api.get("/pathways/three").status_code == 404
    twice = api.post("/pathways/3/versions", {"requirements": [{"level": "1"}, {"level": "1"}],
                                              "effective_from": "2027-04-01"})
    assert twice.status_code == 400
    assert api.as_("police").post("/pathways/3/versions", {"requirements": [],
                                                            "effective_from": "2027-04-01"}).status_code == 403
    assert api.post("/pathways/3/versions", {"requirements": [{"level": "1", "due_months": -1}],
                                             "effective_from": "2027-04-01"}).status_code == 400
