"""A store written by an earlier version of the code still opens and reads (events are never rewritten)."""

from __future__ import annotations

import shutil
from pathlib import Path

from api.app import Services
from lrs.query import StatementQuery
from projections.stats import get_stats

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-v1"
ID = "00000000-0000-4000-8000-{:012d}".format


def open_copy(tmp_path: Path) -> Services:
    shutil.copytree(FIXTURE, tmp_path / "var")
    return Services.from_env({"SLRS_DATA_DIR": str(tmp_path / "var")})


def test_statements_of_the_first_shape_read_back(tmp_path: Path) -> None:
    services = open_copy(tmp_path)
    try:
        got = services.lrs.get_statement(ID(2))
        assert got["actor"] == {"mbox": "mailto:alice@example.org", "name": "Alice"}
        assert got["context"]["contextActivities"]["parent"] == [{"id": "https://lscp.example/pathways/group-3"}]
        assert services.lrs.get_statement(ID(1), voided=True)["id"] == ID(1)
        listed = [s["id"] for s in services.lrs.list_statements(StatementQuery(ascending=True)).statements]
        assert listed == [ID(2), ID(3), ID(4), ID(5)]
        assert services.lrs.get_attachments([services.lrs.get_statement(ID(5))])[0].content == b"certificate"
        assert services.credentials.authenticate("moodle", "moodle-secret").agency == "police"  # type: ignore[union-attr]
    finally:
        services.close()


def test_index_and_follower_rebuild_from_the_first_shape(tmp_path: Path) -> None:
    services = open_copy(tmp_path)
    try:
        assert services.lrs.rebuild_index() == 5
        agent = services.lrs.find_person({"mbox": "mailto:alice@example.org"})
        assert len(services.lrs.list_statements(StatementQuery(agent=agent)).statements) == 3
        assert services.follower("stats").rebuild() == 6  # five statements and an attachment
        verbs = {v["id"]: v["statements"] for v in get_stats(services.tracking_store("stats")).verbs}
        assert verbs == {"http://adlnet.gov/expapi/verbs/completed": 4, "http://adlnet.gov/expapi/verbs/voided": 1}
    finally:
        services.close()
