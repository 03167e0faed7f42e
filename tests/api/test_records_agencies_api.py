"""/api/v1/agencies: register, change details and contribution, read as on a date, history; and each refusal."""

from __future__ import annotations

from tests.api.conftest import Given, RecordsAPI

POLICE = {"id": "police", "name": "Constabulary", "sector": "statutory", "health": False, "contributes": True,
          "effective_from": "2026-04-01"}


def test_registering_an_agency_answers_201_with_it_and_where_it_is(api: RecordsAPI) -> None:
    response = api.post("/agencies", POLICE)
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/agencies/police"
    assert response.get_json() == {"id": "police", "name": "Constabulary", "sector": "statutory", "health": False,
                                   "contributes": True,
                                   "contribution": [{"effective_from": "2026-04-01", "contributes": True}],
                                   "version": 1}
    assert api.ok("GET", "/agencies/police")["name"] == "Constabulary"


def test_contribution_is_read_as_on_the_date_asked(api: RecordsAPI) -> None:
    api.ok("POST", "/agencies", POLICE)
    changed = api.ok("POST", "/agencies/police/contribution-changes",
                     {"contributes": False, "effective_from": "2027-04-01"})
    assert changed["contributes"] is True  # today is 1 March 2027
    assert api.ok("GET", "/agencies/police?on=2027-04-01")["contributes"] is False
    assert api.ok("GET", "/agencies/police?on=2027-03-31")["contributes"] is True


def test_changing_details_and_listing(api: RecordsAPI, given: Given) -> None:
    given.agency("police")
    given.agency("charity")
    changed = api.ok("PUT", "/agencies/police/details", {"name": "Police Service", "sector": "statutory",
                                                         "health": True})
    assert (changed["name"], changed["health"], changed["version"]) == ("Police Service", True, 2)
    assert [a["id"] for a in api.ok("GET", "/agencies")] == ["police", "charity"]
    assert [a["id"] for a in api.as_("police").ok("GET", "/agencies")] == ["police"]


def test_history_lists_each_event_with_who_when_and_what(api: RecordsAPI, given: Given) -> None:
    given.agency("police")
    api.ok("POST", "/agencies/police/contribution-changes", {"contributes": False, "effective_from": "2027-04-01"})
    first, second = api.ok("GET", "/agencies/police/history")
    assert (first["version"], first["event"], first["effective"]) == (1, "Registered", "2026-04-01")
    assert first["recorded_at"] == "2027-03-01T09:00:00+00:00"
    assert first["by"] == {"credential": "partnership", "agency": None, "person": None}
    assert (second["event"], second["data"]) == ("ContributionChanged", {"contributes": False})


def test_a_missing_field_and_a_bad_date_are_400_naming_each_field(api: RecordsAPI) -> None:
    response = api.post("/agencies", {**POLICE, "effective_from": "2026-02-30", "sector": None, "id": None} | {
        "name": "x"})
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["where"] == "body"
    assert set(error["fields"]) == {"effective_from", "sector", "id"}
    assert "effective_from" in error["message"]
    assert api.log_position() == 0


def test_a_sector_the_domain_does_not_know_is_400_saying_which(api: RecordsAPI) -> None:
    response = api.post("/agencies", {**POLICE, "sector": "military"})
    assert response.status_code == 400
    assert "sector" in response.get_json()["error"]["message"]


def test_an_agency_credential_may_not_register_agencies(api: RecordsAPI) -> None:
    response = api.as_("police").post("/agencies", POLICE)
    assert response.status_code == 403
    assert "partnership" in response.get_json()["error"]["message"]
    assert api.log_position() == 0


def test_an_id_registered_already_is_409_and_the_first_stands(api: RecordsAPI) -> None:
    api.ok("POST", "/agencies", POLICE)
    response = api.post("/agencies", {**POLICE, "name": "Impostor"})
    assert response.status_code == 409
    assert api.ok("GET", "/agencies/police")["name"] == "Constabulary"


def test_an_unknown_agency_is_404_for_reads_and_commands(api: RecordsAPI) -> None:
    assert api.get("/agencies/nowhere").status_code == 404
    assert api.get("/agencies/nowhere/history").status_code == 404
    assert api.put("/agencies/nowhere/details", {"name": "N", "sector": "statutory", "health": False}
                   ).status_code == 404
    assert api.post("/agencies/nowhere/contribution-changes",
                    {"contributes": True, "effective_from": "2027-01-01"}).status_code == 404


def test_no_credential_is_401_and_a_read_only_one_cannot_write(api: RecordsAPI) -> None:
    assert api.client.get("/api/v1/agencies").status_code == 401
    response = api.as_("police-reader").put("/agencies/police/details",
                                            {"name": "N", "sector": "statutory", "health": False})
    assert response.status_code == 403 and "records/write" in response.get_json()["error"]["message"]
