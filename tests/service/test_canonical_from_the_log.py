"""Activity definitions and agents' names are derived from the statement log: rebuilt from it, and filled from it on upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from api.app import Services
from lrs.activities import merge_definition
from tests.conftest import AUTHORITY, statement

STORE_V1 = Path(__file__).resolve().parents[1] / "fixtures" / "store-v1"
COURSE = "https://lscp.example/courses/level-1"
ALICE = {"mbox": "mailto:alice@example.org"}


def canonical(services: Services) -> tuple[Any, Any]:
    return services.lrs.get_activity(COURSE), services.lrs.get_person(ALICE)


def test_a_rebuilt_index_gives_the_same_definitions_and_names(services: Services) -> None:
    services.lrs.store_statements([statement(actor={**ALICE, "name": "Alice"})], AUTHORITY)
    services.lrs.store_statements([statement(actor={**ALICE, "name": "Alice Example"}, object={
        "id": COURSE, "definition": {"name": {"fr-FR": "Introduction"}, "type": "https://lscp.example/course"}})],
        AUTHORITY)
    before = canonical(services)
    assert before[0]["definition"]["name"] == {"en-GB": "Introduction to Safeguarding Children",
                                               "fr-FR": "Introduction"}
    assert before[1]["name"] == ["Alice", "Alice Example"]
    assert services.lrs.rebuild_index() == 2
    assert canonical(services) == before


def test_a_store_written_before_the_canonical_tables_gets_them_filled_when_opened(tmp_path: Path) -> None:
    """tests/fixtures/store-v1 has Alice's statements, and no slrs_activities or slrs_agent_forms."""
    shutil.copytree(STORE_V1, tmp_path / "var")
    services = Services.from_env({"SLRS_DATA_DIR": str(tmp_path / "var")})
    try:
        assert services.lrs.get_person(ALICE) == {"objectType": "Person", "name": ["Alice"], "mbox": [ALICE["mbox"]]}
        assert services.lrs.index_status().complete
        opened = canonical(services)
    finally:
        services.close()
    reopened = Services.from_env({"SLRS_DATA_DIR": str(tmp_path / "var")})  # filled once: nothing left to do
    try:
        assert canonical(reopened) == opened
    finally:
        reopened.close()


def test_merging_is_key_by_key_and_leaves_both_definitions_as_they_were() -> None:
    old = {"name": {"en-GB": "A"}, "interactionType": "choice", "choices": [{"id": "x"}], "moreInfo": "https://a"}
    new = {"name": {"cy-GB": "B"}, "interactionType": "likert", "scale": [{"id": "1"}]}
    merged = merge_definition(old, new)
    assert merged == {"name": {"en-GB": "A", "cy-GB": "B"}, "moreInfo": "https://a", "interactionType": "likert",
                      "scale": [{"id": "1"}]}
    assert old["name"] == {"en-GB": "A"} and "choices" in old and new["name"] == {"cy-GB": "B"}


def test_a_store_without_the_canonical_tables_gets_them_filled_on_each_engine(environ: dict[str, str]) -> None:
    """The upgrade path on SQLite and PostgreSQL: the tables dropped as if never made, then the store opened again."""
    services = Services.from_env(environ, create_tables=True)
    try:
        services.lrs.store_statements([statement(actor={**ALICE, "name": "Alice"})], AUTHORITY)
        before = canonical(services)
        with services.lrs.recorder.datastore.transaction(commit=True) as c:
            for table in ("slrs_activities", "slrs_agent_forms"):
                c.execute(f"DROP TABLE {table}")
    finally:
        services.close()
    reopened = Services.from_env(environ, create_tables=True)
    try:
        assert canonical(reopened) == before
        assert before[1]["name"] == ["Alice"] and before[0]["definition"]
    finally:
        reopened.close()
