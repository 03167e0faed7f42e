"""Real statements as Moodle's logstore_xapi posts them are all accepted and read back."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import XAPIClient

MOODLE = Path(__file__).resolve().parents[1] / "fixtures" / "moodle-statements" / "complete"
FILES = sorted(MOODLE.glob("*.json"))


def test_every_moodle_statement_is_stored_and_reads_back(xapi: XAPIClient) -> None:
    sent = [s for path in FILES for s in json.loads(path.read_text())]
    response = xapi.post("/xapi/statements", data=json.dumps(sent), content_type="application/json")
    assert response.status_code == 200, response.get_json()
    ids = response.get_json()
    assert len(FILES) == 35 and len(ids) == len(sent)
    for statement_id, original in zip(ids, sent):
        got = xapi.get(f"/xapi/statements?statementId={statement_id}").get_json()
        assert got["actor"] == original["actor"]
        assert got["object"] == original["object"]
        assert got["context"] == original["context"]
