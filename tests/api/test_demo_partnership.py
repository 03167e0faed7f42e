"""The demo partnership: loaded through the records' own commands, the same each time, and only once."""

from __future__ import annotations

from datetime import date
from typing import Any

from api.demo.load import load_demo
from domain.actor import Actor
from domain.application import TrainingRecords
from tests.conftest import environ_for

EVERYONE = Actor("test")


def figures(environ: dict[str, str]) -> dict[str, Any]:
    records = TrainingRecords(environ)
    try:
        sessions = records.list_sessions(EVERYONE)
        charges = records.list_charges(EVERYONE)
        return {
            "agencies": [(a.id, a.contributes) for a in records.list_agencies(EVERYONE, date(2026, 6, 1))],
            "workers": len(records.list_workers(EVERYONE)),
            "sessions": [(s.id, s.places_taken, s.waiting_list, s.register_closed) for s in sessions],
            "outcomes": sorted((b.session, b.worker, b.status, b.outcome) for s in sessions for b in s.bookings),
            "charges": sorted((c.session, c.agency, c.rule, c.amount_pence, c.status) for c in charges),
            "cards": [c.code for c in records.list_rate_cards()],
        }
    finally:
        records.close()


def test_the_demo_is_the_same_partnership_each_time_and_loads_once(environ: dict[str, str], tmp_path: Any) -> None:
    first = load_demo(environ, workers=150)
    assert first is not None and first.commands > 300
    assert load_demo(environ, workers=150) is None  # a second `make run` loads nothing
    again = environ_for("sqlite", str(tmp_path / "again"))
    assert load_demo(again, workers=150) is not None
    mine, theirs = figures(environ), figures(again)
    assert mine == theirs
    assert mine["cards"] == ["default", "2026-27"] and mine["workers"] == 150
    rules = {rule for _, _, rule, _, _ in mine["charges"]}
    assert {"did not attend", "attendance by a non-contributing agency"} <= rules
    assert any(status == "cancelled" for _, _, status, _ in mine["outcomes"])
