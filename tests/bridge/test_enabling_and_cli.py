"""The bridge runs where SLRS_PLUGINS names it (the LRS works without it); /health shows its lag; `slrs moodle`."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from api.app import Services, create_app
from api.cli import main
from domain.actor import Actor
from kernel.persistence import ConfigurationError
from tests.bridge.conftest import Moodle
from tests.bridge.moodle_data import needs_data
from tests.bridge.shapes import MOODLE_SITE, course_iri, shaped

CLI = Actor("test")


@pytest.mark.parametrize("engine", ["sqlite"])
def test_without_the_plugin_there_is_no_bridge_api_nor_follower(environ: dict[str, str]) -> None:
    app = create_app({"SLRS_ENV": environ, "TESTING": True, "SLRS_CREATE_TABLES": True})
    try:
        client = app.test_client()
        assert client.get("/api/v1/moodle/pending").status_code == 404
        assert "moodle_bridge" not in client.get("/health").get_json()["followers"]
        assert not [p for p in client.get("/api/v1/openapi.json").get_json()["paths"] if "/moodle/" in p]
    finally:
        app.extensions["slrs"].close()


@pytest.mark.parametrize("engine", ["sqlite"])
def test_an_unknown_plugin_is_a_configuration_error(environ: dict[str, str]) -> None:
    with pytest.raises(ConfigurationError, match="SLRS_PLUGINS"):
        create_app({"SLRS_ENV": {**environ, "SLRS_PLUGINS": "moodle_bridge,blackboard"}, "TESTING": True})


@needs_data
@pytest.mark.parametrize("engine", ["sqlite"])
def test_health_shows_the_bridges_lag_and_the_document_its_routes(bridge_app: Any, moodle: Moodle) -> None:
    client = bridge_app.test_client()
    moodle.post(shaped("course_completed", 11, course_iri(2), "2027-02-20T10:00:00Z"))
    assert client.get("/health").get_json()["followers"]["moodle_bridge"] == {"log": "lrs", "position": 0, "lag": 1}
    moodle.run()
    assert client.get("/health").get_json()["followers"]["moodle_bridge"]["lag"] == 0
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert {"/api/v1/moodle/aliases", "/api/v1/moodle/pending", "/api/v1/moodle/statements/{statement_id}"} <= set(
        document["paths"])


def run(environ: dict[str, str], *args: str) -> Any:
    return CliRunner().invoke(main, list(args), env=environ)


@needs_data
@pytest.mark.parametrize("engine", ["sqlite"])
def test_slrs_moodle_links_and_lists_and_slrs_follow_applies(environ: dict[str, str]) -> None:
    assert run(environ, "moodle", "links").exit_code == 2  # not enabled here
    assert run(environ, "follow", "moodle_bridge", "--once").exit_code == 2
    environ = {**environ, "SLRS_PLUGINS": "moodle_bridge"}
    assert run(environ, "init").exit_code == 0
    services = Services.from_env(environ)
    try:
        records = services.records
        records.register_agency(CLI, "police", "Constabulary", "statutory", False, True, date(2026, 4, 1))
        records.define_course(CLI, "aware", "Awareness", "basic", "e-learning", [], [], 60)
        records.register_worker(CLI, "ann", "police", "Officer", 3, date(2026, 1, 5), "Ann")
        services.lrs.store_statements(shaped("course_completed", 11, course_iri(2), "2026-11-20T10:00:00Z"),
                                      {"mbox": "mailto:moodle@example.org"})
    finally:
        services.close()
    assert run(environ, "follow", "moodle_bridge", "--once").exit_code == 0
    listed = run(environ, "moodle", "statements")
    assert "\\core\\event\\course_completed\tidentity\t" in listed.stdout, listed.stdout
    made = run(environ, "moodle", "link-identity", "--worker", "ann", "--account-home-page", MOODLE_SITE,
               "--account-name", "11")
    assert made.exit_code == 0 and made.stdout.startswith("linked\t"), made.output
    assert run(environ, "moodle", "link-activity", "--activity", course_iri(2), "--course", "nope").exit_code == 2
    assert run(environ, "moodle", "link-activity", "--activity", course_iri(2), "--course", "aware").exit_code == 0
    assert len(run(environ, "moodle", "links").stdout.splitlines()) == 2
    assert run(environ, "follow", "moodle_bridge", "--once").exit_code == 0
    assert run(environ, "moodle", "statements").stdout == ""
    assert "completion of aware on 2026-11-20 recorded" in run(environ, "moodle", "statements", "--status",
                                                                 "applied").stdout
