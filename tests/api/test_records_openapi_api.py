"""/api/v1/openapi.json documents every /api/v1 route and is valid OpenAPI 3; /api/v1/docs works offline."""

from __future__ import annotations

import re
from typing import Any

from openapi_spec_validator import validate

from api.records.openapi import openapi_path
from tests.api.conftest import RecordsAPI


def document(api: RecordsAPI) -> dict[str, Any]:
    response = api.client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.get_json()
    return found


def test_every_route_under_api_v1_is_documented(api: RecordsAPI) -> None:
    paths = document(api)["paths"]
    served = [(openapi_path(rule.rule)[0], method.lower()) for rule in api.app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(served) > 40
    assert [route for route in served if route[1] not in paths.get(route[0], {})] == []


def test_the_document_is_valid_openapi_3(api: RecordsAPI) -> None:
    found = document(api)
    validate(found)
    assert found["openapi"].startswith("3.")


def test_each_operation_names_its_scopes_and_its_errors(api: RecordsAPI) -> None:
    operation = document(api)["paths"]["/api/v1/sessions/{code}/bookings"]["post"]
    assert "`records/write`" in operation["description"]
    assert set(operation["responses"]) >= {"201", "400", "401", "403", "404", "409", "415"}
    assert operation["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookPlace"}
    assert operation["security"] == [{"basicAuth": []}]


def test_request_schemas_refuse_unknown_properties_and_give_dates_their_format(api: RecordsAPI) -> None:
    schemas = document(api)["components"]["schemas"]
    register = schemas["RegisterWorker"]
    assert register["additionalProperties"] is False
    assert register["properties"]["started_on"] == {"type": "string", "format": "date"}
    assert set(register["required"]) == {"id", "agency", "job_role", "target_group", "started_on", "name"}
    assert schemas["CancelBooking"]["properties"]["received_at"]["format"] == "date-time"


def test_the_docs_page_loads_only_files_this_app_serves(api: RecordsAPI) -> None:
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.get_data(as_text=True))
    assert len(sources) == 4 and all(s.startswith("/api/v1/docs/") for s in sources)
    for source in sources:
        assert api.client.get(source).status_code == 200, source
    script = api.client.get("/api/v1/docs/slrs-docs.js").get_data(as_text=True)
    assert '"/api/v1/openapi.json"' in script and "http" not in script
    assert api.client.get("/api/v1/docs/index.html").status_code == 404
