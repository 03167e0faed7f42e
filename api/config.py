"""Configuration from environment variables, and the persistence settings of each application.

`SLRS_DATA_DIR` (default `./var`) holds one SQLite file per application and
per projection. Setting the library's own `PERSISTENCE_MODULE=eventsourcing.postgres`
with its `POSTGRES_*` variables selects PostgreSQL instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

RECORDER_TOPICS = {
    "sqlite": "lrs.index.recorders:SQLiteStatementRecorder",
    "postgres": "lrs.index.recorders:PostgresStatementRecorder",
}


@dataclass(frozen=True)
class Settings:
    """Everything the composition root needs to wire the applications."""

    data_dir: Path = Path("var")
    engine: str = "sqlite"
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = dict(os.environ if environ is None else environ)
        module = environ.get("PERSISTENCE_MODULE", "eventsourcing.sqlite")
        if module not in ("eventsourcing.sqlite", "eventsourcing.postgres"):
            raise ValueError(f"PERSISTENCE_MODULE must be eventsourcing.sqlite or eventsourcing.postgres, not {module}")
        engine = "postgres" if module == "eventsourcing.postgres" else "sqlite"
        return cls(Path(environ.get("SLRS_DATA_DIR", "var")), engine, environ)

    def postgres_connect(self) -> dict[str, str]:
        """psycopg connection arguments from the library's POSTGRES_* variables."""
        names = {"host": "POSTGRES_HOST", "port": "POSTGRES_PORT", "user": "POSTGRES_USER",
                 "password": "POSTGRES_PASSWORD", "dbname": "POSTGRES_DBNAME"}
        return {arg: self.environ[var] for arg, var in names.items() if var in self.environ}

    def app_env(self, name: str, *, statements: bool = False, create_table: bool = True) -> dict[str, str]:
        """The environment of one `Application`: its engine, file or tables, recorder."""
        env = {k: v for k, v in self.environ.items() if k.startswith("POSTGRES_")}
        env["PERSISTENCE_MODULE"] = f"eventsourcing.{self.engine}"
        env["CREATE_TABLE"] = "y" if create_table else "n"
        if self.engine == "sqlite":
            self.data_dir.mkdir(parents=True, exist_ok=True)
            env["SQLITE_DBNAME"] = str(self.data_dir / f"{name}.sqlite")
            env["SQLITE_LOCK_TIMEOUT"] = "30"
        if statements:
            env["APPLICATION_RECORDER_TOPIC"] = RECORDER_TOPICS[self.engine]
        return env
