"""Values an LRS keeps once per database, which every process (every worker, every host) reads alike.

The first is the key that signs `more` tokens (Communication 2.1.3), so a page
started on one server process is continued on any other, and a token a client
altered is refused. A value is made by whichever process first needs it;
the others read the same row.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from kernel.sql import Dialect

SETTINGS_TABLE = "slrs_settings"
TOKEN_KEY = "more-token-key"


def create_settings_table(d: Dialect) -> str:
    """DDL of the settings table, safe to run again."""
    return f"CREATE TABLE IF NOT EXISTS {SETTINGS_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL)"


class Settings:
    """The settings table of one datastore of the `eventsourcing` library."""

    def __init__(self, datastore: Any, dialect: Dialect) -> None:
        self.datastore = datastore
        self.dialect = dialect
        self._known: dict[str, str] = {}

    def get(self, name: str, make: Callable[[], str]) -> str:
        """The value of `name`, made with `make` and kept if no process has made it yet."""
        if name not in self._known:
            with self.datastore.transaction(commit=True) as c:
                c.execute(self.dialect.sql(f"INSERT INTO {SETTINGS_TABLE} (name, value) VALUES (?, ?) "
                                           "ON CONFLICT (name) DO NOTHING"), (name, make()))
                c.execute(self.dialect.sql(f"SELECT value FROM {SETTINGS_TABLE} WHERE name = ?"), (name,))
                self._known[name] = c.fetchone()["value"]
        return self._known[name]

    def token_key(self) -> bytes:
        """The 256-bit key that signs `more` tokens."""
        return bytes.fromhex(self.get(TOKEN_KEY, lambda: os.urandom(32).hex()))
