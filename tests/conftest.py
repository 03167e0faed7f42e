"""Fixtures shared by every tier: the storage engines, the applications, a Flask client."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from api.app import Services, create_app

ENGINES = ["sqlite", "postgres"]


def postgres_environ() -> dict[str, str]:
    """The PostgreSQL server and database of the tests: POSTGRES_DBNAME (default slrs_test), and under
    pytest-xdist one database per worker (slrs_test_gw0, ...), so that workers never share tables."""
    dbname = os.environ.get("POSTGRES_DBNAME", "slrs_test")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return {
        "POSTGRES_HOST": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
        "POSTGRES_PORT": os.environ.get("POSTGRES_PORT", "5432"),
        "POSTGRES_USER": os.environ.get("POSTGRES_USER", "slrs"),
        "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD", "slrs"),
        "POSTGRES_DBNAME": f"{dbname}_{worker}" if worker else dbname,
    }


def _connect(env: dict[str, str], dbname: str) -> psycopg.Connection[Any]:
    return psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                           password=env["POSTGRES_PASSWORD"], dbname=dbname, connect_timeout=3, autocommit=True)


def reset_postgres() -> None:
    """An empty database for each test: drop and recreate the public schema (a worker's database made first)."""
    env = postgres_environ()
    try:
        try:
            conn = _connect(env, env["POSTGRES_DBNAME"])
        except psycopg.OperationalError:
            if not os.environ.get("PYTEST_XDIST_WORKER"):
                raise
            with _connect(env, os.environ.get("POSTGRES_DBNAME", "slrs_test")) as first:
                first.execute(f'CREATE DATABASE "{env["POSTGRES_DBNAME"]}"')  # needs the role's CREATEDB
            conn = _connect(env, env["POSTGRES_DBNAME"])
    except psycopg.Error as error:
        if os.environ.get("SLRS_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but unreachable: {error}")
        pytest.skip(f"no PostgreSQL server to test against: {error}")
    with conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def environ_for(engine: str, data_dir: str) -> dict[str, str]:
    """The environment variables a deployment on `engine` would set."""
    if engine == "postgres":
        reset_postgres()
        return {"PERSISTENCE_MODULE": "eventsourcing.postgres", "SLRS_DATA_DIR": data_dir, **postgres_environ()}
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SLRS_DATA_DIR": data_dir}


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def environ(engine: str, tmp_path: Any) -> dict[str, str]:
    return environ_for(engine, str(tmp_path / "var"))


@pytest.fixture
def services(environ: dict[str, str]) -> Iterator[Services]:
    services = Services.from_env(environ, create_tables=True)
    yield services
    services.close()


AUTHORITY = {"objectType": "Agent", "account": {"homePage": "https://lrs.example/credentials", "name": "test"}}

CREDENTIALS = {
    "writer": ("writer-secret", ["all"]),
    "reader": ("reader-secret", ["statements/read"]),
    "poster": ("poster-secret", ["statements/write"]),
}


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class XAPIClient:
    """The Flask test client with the xAPI version header and a credential."""

    def __init__(self, client: Any, key: str = "writer") -> None:
        self.client = client
        self.key = key

    def as_(self, key: str) -> XAPIClient:
        return XAPIClient(self.client, key)

    def request(self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        sent = {"X-Experience-API-Version": "1.0.3", "Authorization": basic(self.key, CREDENTIALS[self.key][0])}
        sent.update(headers or {})
        return self.client.open(path, method=method, headers={k: v for k, v in sent.items() if v is not None}, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.request("PUT", path, **kwargs)


@pytest.fixture
def app(environ: dict[str, str]) -> Iterator[Any]:
    app = create_app({"SLRS_ENV": environ, "TESTING": True, "SLRS_CREATE_TABLES": True})
    for key, (secret, scopes) in CREDENTIALS.items():
        app.extensions["slrs"].credentials.create_credential(key, secret, scopes)
    yield app
    app.extensions["slrs"].close()


@pytest.fixture
def xapi(app: Any) -> XAPIClient:
    return XAPIClient(app.test_client())


def statement(**overrides: Any) -> dict[str, Any]:
    """A typical valid statement; keyword arguments replace its top-level properties."""
    base = {
        "actor": {"objectType": "Agent", "mbox": "mailto:alice@example.org", "name": "Alice Example"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-GB": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": "https://lscp.example/courses/level-1",
            "definition": {"name": {"en-GB": "Introduction to Safeguarding Children"}},
        },
    }
    base.update(overrides)
    return base
