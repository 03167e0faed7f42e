"""Every file the README points at is in the repository, so a fresh clone can follow it (issue 9, item 14)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# `path/like/this` or [text](path): a reference to the checkout when its first part is a folder of it, or `..`.
CANDIDATES = re.findall(r"`([^`\s]+)`|\]\(([^)\s]+)\)", README)
TOP_LEVEL = {p.name for p in ROOT.iterdir()} | {".."}


def referenced_paths() -> list[str]:
    found = []
    for ticked, linked in CANDIDATES:
        text = (ticked or linked).split("#")[0].rstrip("/")
        if "/" in text and ":" not in text and not text.startswith("/") and text.split("/")[0] in TOP_LEVEL:
            found.append(text)
    return sorted(set(found))


def test_every_path_the_readme_names_exists_in_the_checkout() -> None:
    """Before: `../shared/DESIGN.md` and `../shared/data/...` lay outside the repository."""
    paths = referenced_paths()
    assert "docs/DESIGN.md" in paths and "tests/fixtures/moodle-statements" in paths
    missing = [p for p in paths if not (ROOT / p).exists() or not (ROOT / p).resolve().is_relative_to(ROOT)]
    assert missing == []


def test_the_readme_says_where_the_slrs_command_is() -> None:
    """`slrs` is installed in .venv/bin, which is not on a newcomer's PATH."""
    assert ".venv/bin/slrs" in README and "source .venv/bin/activate" in README
