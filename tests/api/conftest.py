"""The records API through the Flask test client, on each engine, standing on a date of a fixed clock."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from api.app import create_app
from kernel.clock import LONDON, FixedClock

# Who calls, with which scopes, for which agency (None: the whole partnership).
CLERKS: dict[str, tuple[list[str], str | None]] = {
    "partnership": (["records/read", "records/write"], None),
    "police": (["records/read", "records/write"], "police"),
    "charity": (["records/read", "records/write"], "charity"),
    "police-reader": (["records/read"], "police"),
    "auditor": (["audit/read"], None),
    "board": (["reports/read"], None),
    "all-reader": (["all/read"], None),
    "admin": (["all"], None),
    "statements": (["statements/read", "statements/write"], None),
}


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant given as a wall-clock time in Europe/London."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


class RecordsAPI:
    """The test client calling /api/v1 as one of CLERKS (made on first use)."""

    def __init__(self, app: Any, clerk: str = "partnership") -> None:
        self.app, self.client, self.clerk = app, app.test_client(), clerk

    def as_(self, clerk: str) -> RecordsAPI:
        return RecordsAPI(self.app, clerk)

    def headers(self) -> dict[str, str]:
        made = self.app.extensions.setdefault("test_clerks", set())
        if self.clerk not in made:
            scopes, agency = CLERKS[self.clerk]
            self.app.extensions["slrs"].credentials.create_credential(self.clerk, f"{self.clerk}-secret", scopes,
                                                                      agency)
            made.add(self.clerk)
        token = base64.b64encode(f"{self.clerk}:{self.clerk}-secret".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, json=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PUT", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.call("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, body: Any = None, status: int | None = None) -> Any:
        """The JSON answer of a call that must succeed (with `status` when given)."""
        response = self.call(method, path, **({"json": body} if body is not None else {}))
        assert response.status_code < 300, (response.status_code, response.get_json())
        if status is not None:
            assert response.status_code == status, response.get_json()
        return response.get_json()

    def log_position(self) -> int:
        """How many events the training records hold: unchanged by a refused command."""
        return int(self.app.extensions["slrs"].records.recorder.max_notification_id() or 0)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(london(2027, 3, 1, 9, 0))


@pytest.fixture
def records_app(environ: dict[str, str], clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    # Credentials' scrypt cost is what makes a stolen table slow to guess; tests need no such defence.
    monkeypatch.setattr("lrs.credentials.SCRYPT_N", 2**4)
    app = create_app({"SLRS_ENV": environ, "TESTING": True, "SLRS_CREATE_TABLES": True, "SLRS_CLOCK": clock})
    yield app
    app.extensions["slrs"].close()


@pytest.fixture
def api(records_app: Any) -> RecordsAPI:
    return RecordsAPI(records_app)


class Given:
    """Given: two agencies, a programme, workers of each, as the partnership records them."""

    def __init__(self, api: RecordsAPI) -> None:
        self.api = api

    def agency(self, code: str, contributes: bool = True) -> dict[str, Any]:
        return self.api.ok("POST", "/agencies", {"id": code, "name": f"The {code}", "sector": "statutory",
                                                 "health": False, "contributes": contributes,
                                                 "effective_from": "2026-04-01"}, 201)

    def course(self, code: str, level: str = "1", delivery: str = "inter-agency") -> dict[str, Any]:
        return self.api.ok("POST", "/courses", {"id": code, "title": f"Course {code}", "level": level,
                                                "delivery": delivery, "outcomes": ["Recognise abuse", "Respond"],
                                                "topics": ["information sharing"], "duration_minutes": 180}, 201)

    def worker(self, code: str, agency: str = "police", group: int = 3) -> dict[str, Any]:
        return self.api.ok("POST", "/workers", {"id": code, "agency": agency, "job_role": "Officer",
                                                "target_group": group, "started_on": "2026-01-05",
                                                "name": f"Name of {code}", "email": f"{code}@example.org"}, 201)

    def session(self, code: str, course: str = "l1", capacity: int = 2, starts: str = "2027-03-29T09:30:00+01:00",
                ends: str = "2027-03-29T16:30:00+01:00") -> dict[str, Any]:
        return self.api.ok("POST", "/sessions", {"id": code, "course": course, "starts_at": starts, "ends_at": ends,
                                                 "venue": "Town Hall", "capacity": capacity, "trainers": []}, 201)

    def world(self) -> Given:
        """Agencies police and charity; course l1 (level 1); workers ann and bob (police), cat (charity)."""
        self.agency("police")
        self.agency("charity", contributes=False)
        self.course("l1")
        for code, agency in (("ann", "police"), ("bob", "police"), ("cat", "charity")):
            self.worker(code, agency)
        return self


@pytest.fixture
def given(api: RecordsAPI) -> Given:
    return Given(api)
