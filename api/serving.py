"""What `slrs serve` does before its workers start, and how gunicorn is told to treat forwarded headers.

Workers of one server start together: if each made or mended the tables, they
would race (on SQLite: "database is locked" while two build a missing index).
So the master process prepares the schema once, says whether the statement
index is complete, and the workers only open what is there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from api.app import Services, creates_tables
from kernel.persistence import Storage


def prepare_schema(environ: Mapping[str, str] | None = None) -> str | None:
    """Make or update every table once, if this deployment makes tables; the index's problem, if any.

    On PostgreSQL that is `slrs init`'s work unless CREATE_TABLE says yes
    (`api.app.creates_tables`); the index is checked either way.
    """
    storage = Storage.from_env(environ)
    services = Services.from_env(environ, create_tables=creates_tables(storage))
    try:
        if services.create_tables:
            for name in services.followers():
                services.tracking_store(name)
        return services.lrs.index_status().problem
    finally:
        services.close()


def workers_environment() -> None:
    """Tell the workers (started after this, with this process's environment) to make no tables."""
    os.environ["CREATE_TABLE"] = "no"


GUNICORN_SETTINGS: dict[str, Any] = {
    # Forwarded headers are the app's to judge (SLRS_TRUSTED_PROXIES, `api.proxy`): gunicorn believes
    # none of them, and so never takes a client's `SCRIPT_NAME:` header for the path prefix (a 500 when
    # it did not match the path).
    "forwarded_allow_ips": "",
    "forwarder_headers": "",
    # gunicorn 27's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): every `slrs serve`
    # on a machine would take it from the one before. Nothing here uses it. (Older gunicorn has no such setting.)
    "control_socket_disable": True,
}
