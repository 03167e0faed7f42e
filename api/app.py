"""The composition root: `Services` builds each context from the environment; `create_app` wires the web app."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response

from api.errors import register_error_handlers
from api.followers import FOLLOWERS, LOGS, PLUGINS, enabled_plugins, store_name
from api.health import health
from api.moodle import moodle
from api.limits import max_request_bytes, refuse_nul_in_urls, release_memory_after_large_requests
from api.proxy import TrustedProxies, trusted_proxies
from api.pages import register_pages
from api.records import register_records
from api.reports.views import reports
from api.request_ids import TracedFlask, register_request_ids
from api.v1.stats import stats
from api.xapi import request_version, xapi
from domain.application import TrainingRecords
from kernel.clock import Clock
from kernel.follow import Follower, Log, Processor
from kernel.persistence import Storage
from kernel.tracking import TrackingStore
from lrs.credentials import Credentials
from lrs.service import LearningRecordStore

NO = ("n", "no", "false", "0", "off")


def creates_tables(storage: Storage) -> bool:
    """Whether a process makes its tables: as CREATE_TABLE says, else on SQLite only.

    On PostgreSQL concurrent creation fails (NOTES.md), so servers and
    followers leave it to `slrs init` unless told otherwise.
    """
    if "CREATE_TABLE" in storage.environ:
        return storage.environ["CREATE_TABLE"].lower() not in NO
    return storage.engine == "sqlite"


@dataclass
class Services:
    """One instance of each application per process (NOTES.md: never temporary ones), and the followers' stores."""

    storage: Storage
    lrs: LearningRecordStore
    credentials: Credentials
    create_tables: bool
    records: TrainingRecords
    stores: dict[str, TrackingStore] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, *, create_tables: bool | None = None,
                 clock: Clock | None = None) -> Services:
        """Each context built from the deployment's variables (os.environ if None); see `creates_tables`."""
        storage = Storage.from_env(environ)
        creating = creates_tables(storage) if create_tables is None else create_tables
        env = {**storage.environ, "CREATE_TABLE": "y" if creating else "n"}
        return cls(storage, LearningRecordStore(env, clock), Credentials(env), creating,
                   records=TrainingRecords(env, clock))

    def logs(self) -> dict[str, Log[Any]]:
        """Every log a follower can follow, by name."""
        return {name: make(self) for name, make in LOGS.items()}

    def followers(self) -> dict[str, Callable[[Services], Processor[Any]]]:
        """The followers this deployment runs: every projection, and the plugins SLRS_PLUGINS names."""
        return {**FOLLOWERS, **{name: PLUGINS[name] for name in enabled_plugins(self.storage.environ)}}

    def tracking_store(self, follower: str) -> TrackingStore:
        """The store of a follower (KeyError if unknown); its tables are made where this process makes tables."""
        if follower not in self.stores:
            tables = self.followers()[follower](self).tables
            name = store_name(follower)
            # A follower's store needs a connection or two, not the library's five per pool (PostgreSQL).
            store = TrackingStore(name, {"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "4",
                                         **self.storage.app_env(name)})
            if self.create_tables:
                store.create_tables(tables)
            self.stores[follower] = store
        return self.stores[follower]

    def follower(self, name: str) -> Follower[Any]:
        """The follower NAME of `followers()` over the log it names (KeyError if either is unknown).

        A processor that needs more than the follow loop (a plugin retrying what
        waited for a link) builds its own follower with a `follower(store, log)` method.
        """
        processor = self.followers()[name](self)
        store, log = self.tracking_store(name), self.logs()[processor.log]
        own = getattr(processor, "follower", None)
        return own(store, log) if own is not None else Follower(processor, store, log)

    def close(self) -> None:
        """Close every application and store of this process."""
        self.lrs.close()
        self.credentials.close()
        self.records.close()
        for store in self.stores.values():
            store.close()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app on the environment's variables, or on `test_config["SLRS_ENV"]`.

    `test_config["SLRS_CREATE_TABLES"]` makes tables on any engine (tests);
    SLRS_MAX_REQUEST_BYTES and SLRS_TRUSTED_PROXIES come from the same variables (`api.limits`, `api.proxy`);
    `test_config["SLRS_CLOCK"]` is the clock the LRS gives `stored` by, and the training records' clock.
    """
    app = TracedFlask(__name__)
    config = dict(test_config or {})
    environ = config.pop("SLRS_ENV", None)
    clock = config.pop("SLRS_CLOCK", None)
    app.config.update(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    deployment = Storage.from_env(environ).environ  # its settings checked before any connection is made
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = max_request_bytes(deployment)
    app.wsgi_app = TrustedProxies(app.wsgi_app, trusted_proxies(deployment))  # type: ignore[method-assign]
    app.extensions["slrs"] = Services.from_env(
        environ, create_tables=True if app.config.get("SLRS_CREATE_TABLES") else None, clock=clock
    )
    register_request_ids(app)
    release_memory_after_large_requests(app)
    refuse_nul_in_urls(app)
    app.register_blueprint(xapi)
    app.register_blueprint(health)
    app.register_blueprint(stats)
    register_records(app)
    app.register_blueprint(reports)
    register_pages(app)
    if "moodle_bridge" in app.extensions["slrs"].followers():
        app.register_blueprint(moodle)
    register_error_handlers(app)

    @app.after_request
    def xapi_version_header(response: Response) -> Response:
        response.headers["X-Experience-API-Version"] = request_version()  # Communication 3.3: 1.0.3 or 2.0.0
        return response

    return app
