"""Operations on the stores as a whole: a consistent online backup of the SQLite files."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def backup_order(data_dir: Path) -> list[Path]:
    """Projections first, the event logs last: a restored projection is never ahead of its log."""
    files = sorted(data_dir.glob("*.sqlite"))
    return sorted(files, key=lambda f: (not f.name.startswith("projection_"), f.name == "lrs.sqlite", f.name))


def backup_sqlite(data_dir: Path, target: Path) -> list[Path]:
    """Copy each SQLite file with SQLite's online backup, which is consistent while servers write."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in backup_order(data_dir):
        destination = target / source.name
        if destination.exists():
            raise FileExistsError(f"{destination} exists; back up into an empty directory")
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(destination)) as dst:
            src.backup(dst)
        copied.append(destination)
    return copied
