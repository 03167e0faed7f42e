"""The composition root: `create_app` wires the applications, blueprints and error handlers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, Response

from api.config import Settings
from api.errors import register_error_handlers
from api.health import health
from api.v1.stats import stats
from api.xapi import XAPI_VERSION, xapi
from lrs.credentials import Credentials
from lrs.service import LearningRecordStore
from projections.follower import Follower
from projections.registry import PROJECTIONS, store_name
from projections.store import ProjectionStore


@dataclass
class Services:
    """One instance of each application per process (NOTES.md: never temporary ones)."""

    lrs: LearningRecordStore
    credentials: Credentials
    settings: Settings
    create_tables: bool
    stores: dict[str, ProjectionStore] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Settings, *, create_tables: bool = True) -> Services:
        return cls(
            lrs=LearningRecordStore(env=settings.app_env("lrs", statements=True, create_table=create_tables)),
            credentials=Credentials(env=settings.app_env("credentials", create_table=create_tables)),
            settings=settings,
            create_tables=create_tables,
        )

    def projection_store(self, projection: str) -> ProjectionStore:
        """The store of a projection; its tables are made where this process may make tables."""
        if projection not in self.stores:
            name = store_name(projection)
            store = ProjectionStore(name, self.settings.app_env(name))
            if self.create_tables:
                store.create_tables(PROJECTIONS[projection].tables)
            self.stores[projection] = store
        return self.stores[projection]

    def follower(self, projection: str) -> Follower:
        return Follower(PROJECTIONS[projection](), self.projection_store(projection), self.lrs)

    def close(self) -> None:
        self.lrs.close()
        self.credentials.close()
        for store in self.stores.values():
            store.close()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app on the settings of the environment, or of `test_config["SLRS_ENV"]`."""
    app = Flask(__name__)
    config = dict(test_config or {})
    settings = Settings.from_env(config.pop("SLRS_ENV", None))
    app.config.update(config)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    create_tables = settings.engine == "sqlite" or app.config.get("SLRS_CREATE_TABLES", False)
    app.extensions["slrs"] = Services.from_settings(settings, create_tables=create_tables)
    app.register_blueprint(xapi)
    app.register_blueprint(health)
    app.register_blueprint(stats)
    register_error_handlers(app)

    @app.after_request
    def xapi_version_header(response: Response) -> Response:
        response.headers["X-Experience-API-Version"] = XAPI_VERSION
        return response

    return app
