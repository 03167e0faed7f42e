"""Which engine a deployment uses, and the library environment of each application on it.

One way to tell the engine: the `eventsourcing` library's own `PERSISTENCE_MODULE`
(`eventsourcing.popo` in memory, `eventsourcing.sqlite`, the embedded default,
or `eventsourcing.postgres`). `SLRS_DATA_DIR` (default `./var`) holds one SQLite
file per application and per follower.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kernel.sql import POSTGRES, SQLITE, Dialect

MODULES = {"eventsourcing.popo": "memory", "eventsourcing.sqlite": "sqlite", "eventsourcing.postgres": "postgres"}
DEFAULT_MODULE = "eventsourcing.sqlite"


class ConfigurationError(ValueError):
    """The environment names an engine or setting this system does not support."""


@dataclass(frozen=True)
class Storage:
    """A deployment's engine and data directory, read from its environment variables."""

    engine: str = "sqlite"
    data_dir: Path = Path("var")
    environ: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Storage:
        """Raises ConfigurationError for a PERSISTENCE_MODULE other than the three above."""
        environ = dict(os.environ if environ is None else environ)
        module = environ.get("PERSISTENCE_MODULE", DEFAULT_MODULE)
        if module not in MODULES:
            raise ConfigurationError(f"PERSISTENCE_MODULE must be one of {sorted(MODULES)}, not {module!r}")
        return cls(MODULES[module], Path(environ.get("SLRS_DATA_DIR", "var")), environ)

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect of this engine (raises ConfigurationError in memory, which has no SQL)."""
        if self.engine == "memory":
            raise ConfigurationError("the in-memory engine has no SQL")
        return POSTGRES if self.engine == "postgres" else SQLITE

    def postgres_connect(self) -> dict[str, str]:
        """psycopg connection arguments from the library's POSTGRES_* variables."""
        names = {"host": "POSTGRES_HOST", "port": "POSTGRES_PORT", "user": "POSTGRES_USER",
                 "password": "POSTGRES_PASSWORD", "dbname": "POSTGRES_DBNAME"}
        return {arg: self.environ[var] for arg, var in names.items() if var in self.environ}

    def app_env(self, name: str, *, create_table: bool | None = None,
                recorder_topics: Mapping[str, str] | None = None) -> dict[str, str]:
        """The library environment of application or follower `name`: engine, its own file or tables, recorder.

        `create_table` defaults to the environment's CREATE_TABLE (yes unless set);
        `recorder_topics` maps an engine to the application recorder it needs there.
        """
        env = {k: v for k, v in self.environ.items() if k.startswith("POSTGRES_")}
        env["PERSISTENCE_MODULE"] = next(m for m, e in MODULES.items() if e == self.engine)
        if create_table is None:
            create_table = self.environ.get("CREATE_TABLE", "y").lower() not in ("n", "no", "false", "0", "off")
        env["CREATE_TABLE"] = "y" if create_table else "n"
        if self.engine == "sqlite":
            if "SQLITE_DBNAME" in self.environ and name in self.environ.get("SQLITE_DBNAME", ""):
                env["SQLITE_DBNAME"] = self.environ["SQLITE_DBNAME"]
            else:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                env["SQLITE_DBNAME"] = str(self.data_dir / f"{name}.sqlite")
            env["SQLITE_LOCK_TIMEOUT"] = "30"
        if recorder_topics and self.engine in recorder_topics:
            env["APPLICATION_RECORDER_TOPIC"] = recorder_topics[self.engine]
        return env
