"""A store made ready in the test's own process: quicker than `slrs init` and `slrs credentials create`."""

from __future__ import annotations

import uuid

from api.app import Services


def statement() -> dict[str, object]:
    """A small valid statement with a fresh id."""
    return {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:pat@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"}, "object": {"id": "https://lscp.example/c"}}


def prepared(environ: dict[str, str], statements: int = 0) -> None:
    """Every table (the followers' too, as `slrs init` makes them), the e2e credential, and some statements."""
    services = Services.from_env(environ, create_tables=True)
    try:
        for name in services.followers():
            services.tracking_store(name)
        services.credentials.create_credential("e2e", "e2e-secret", ["all"])
        for start in range(0, statements, 200):
            services.lrs.store_statements([statement() for _ in range(min(200, statements - start))],
                                          {"mbox": "mailto:e2e@example.org"})
    finally:
        services.close()
