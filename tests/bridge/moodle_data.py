"""The real Moodle statements (tests/fixtures/moodle-statements, in the repository) and their fixture values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "fixtures" / "moodle-statements" / "complete"
FILES = sorted(p.name for p in DATA.glob("*.json"))
needs_data = pytest.mark.skipif(not FILES, reason="../shared/data is not beside this checkout")

SITE = "http://www.example.org"
COURSE_IRI = f"{SITE}/course/view.php?id=2"
BOOK_IRI = f"{SITE}/mod/book/view.php?id=1"
FACETOFACE_IRI = f"{SITE}/mod/facetoface/view.php?id=1"
FEEDBACK_IRI = f"{SITE}/mod/feedback/view.php?id=1"
CERTIFICATE_IRI = f"{SITE}/admin/tool/certificate/index.php?code=4303209428AU"
USER_1 = {"account": {"homePage": SITE, "name": "1"}}
USER_2 = {"account": {"homePage": SITE, "name": "2"}}


def statements(name: str) -> list[dict[str, Any]]:
    """The statements of one file of complete/, as Moodle posts them."""
    found: list[dict[str, Any]] = json.loads((DATA / name).read_text())
    return found
