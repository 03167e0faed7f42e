"""An agency's credential can neither read nor change another agency's records, through any endpoint.

One world per engine (module scope: every call below is refused, so it never
changes): agencies police and charity, police's workers ann and bob with
ann's booking on session s1, charity's worker cat with hers. The charity's
clerk tries every read and write endpoint on police's records. Each answer
is the one a made-up id gets (404, or 403 for what only the partnership may
do at all), so another agency's ids look absent; and police's records read
the same afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from kernel.clock import FixedClock
from tests.api.conftest import Given, RecordsAPI, london
from tests.conftest import ENGINES, environ_for

DAY = {"effective_from": "2027-03-01"}
# (what is tried, method, path, body, status); ANN_BOOKING and CAT_BOOKING are filled in from the world.
ATTEMPTS: list[tuple[str, str, str, Any, int]] = [
    ("read the agency", "GET", "/agencies/police", None, 404),
    ("read the agency as on a date", "GET", "/agencies/police?on=2026-12-01", None, 404),
    ("read the agency's history", "GET", "/agencies/police/history", None, 404),
    ("list the agency's workers", "GET", "/workers?agency=police", None, 404),
    ("read a worker", "GET", "/workers/ann", None, 404),
    ("read a worker as on a date", "GET", "/workers/ann?on=2026-06-01", None, 404),
    ("read a worker's history", "GET", "/workers/ann/history", None, 404),
    ("change the agency's details", "PUT", "/agencies/police/details",
     {"name": "Taken over", "sector": "voluntary", "health": False}, 403),
    ("change the agency's contribution", "POST", "/agencies/police/contribution-changes",
     {"contributes": False, **DAY}, 403),
    ("register a worker for the agency", "POST", "/workers",
     {"id": "eve", "agency": "police", "job_role": "x", "target_group": 1, "started_on": "2027-01-01",
      "name": "Eve"}, 404),
    ("register an own worker managed by theirs", "POST", "/workers",
     {"id": "eve", "agency": "charity", "job_role": "x", "target_group": 1, "started_on": "2027-01-01",
      "name": "Eve", "line_manager": "ann"}, 404),
    ("move their worker to another agency", "POST", "/workers/ann/agency-moves", {"agency": "charity", **DAY}, 403),
    ("move their worker to another group", "POST", "/workers/ann/group-moves", {"target_group": 1, **DAY}, 404),
    ("change their worker's job role", "POST", "/workers/ann/job-role-changes", {"job_role": "x", **DAY}, 404),
    ("change their worker's line manager", "POST", "/workers/ann/line-manager-changes",
     {"line_manager": None, **DAY}, 404),
    ("make their worker an own worker's manager", "POST", "/workers/cat/line-manager-changes",
     {"line_manager": "ann", **DAY}, 404),
    ("change their worker's personal details", "PUT", "/workers/ann/personal-details", {"name": "Changed"}, 404),
    ("erase their worker's personal data", "DELETE", "/workers/ann/personal-details", None, 403),
    ("record their worker leaving", "POST", "/workers/ann/leaving", {"left_on": "2027-03-01"}, 404),
    ("record a completion for their worker", "POST", "/workers/ann/completions",
     {"course": "l1", "completed_on": "2027-03-01", "source": "forged"}, 404),
    ("withdraw their worker's completion", "POST", "/workers/ann/completion-withdrawals",
     {"source": "hr:1", "reason": "spite"}, 404),
    ("book their worker", "POST", "/sessions/s1/bookings", {"worker": "bob"}, 404),
    ("cancel their booking", "POST", "/sessions/s1/bookings/ANN_BOOKING/cancellation",
     {"received_at": "2027-03-01T08:00:00Z"}, 404),
    ("substitute on their booking", "POST", "/sessions/s1/bookings/ANN_BOOKING/substitutions", {"worker": "cat"},
     404),
    ("substitute their worker onto an own booking", "POST", "/sessions/s1/bookings/CAT_BOOKING/substitutions",
     {"worker": "bob"}, 404),
    ("mark their booking on the register", "PUT", "/sessions/s1/bookings/ANN_BOOKING/attendance",
     {"attended": False}, 403),
    ("correct their booking on the register", "POST", "/sessions/s1/bookings/ANN_BOOKING/register-corrections",
     {"attended": False, "reason": "spite"}, 403),
    ("evaluate a session as their worker", "POST", "/sessions/s1/evaluations",
     {"worker": "ann", "ratings": [], "overall": 1}, 404),
    ("evaluate a course as their worker", "POST", "/courses/l1/evaluations",
     {"source": "forged", "worker": "ann", "overall": 1}, 404),
]
# Police's ids, and made-up ids to try the same calls with.
ABSENT = {"police": "ghost-agency", "ann": "ghost-worker", "bob": "ghost-worker", "ANN_BOOKING": "ghost-booking"}


@pytest.fixture(scope="module", params=ENGINES)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    environ = environ_for(request.param, str(tmp_path_factory.mktemp("isolation") / "var"))
    app = create_app({"SLRS_ENV": environ, "TESTING": True, "SLRS_CREATE_TABLES": True,
                      "SLRS_CLOCK": FixedClock(london(2027, 3, 1, 9, 0))})
    partnership = RecordsAPI(app)
    Given(partnership).world()
    Given(partnership).session("s1")
    partnership.ok("POST", "/workers/ann/completions", {"course": "l1", "completed_on": "2027-02-01",
                                                        "source": "hr:1"})
    ann = partnership.as_("police").ok("POST", "/sessions/s1/bookings", {"worker": "ann"})
    cat = partnership.as_("charity").ok("POST", "/sessions/s1/bookings", {"worker": "cat"})
    yield {"partnership": partnership, "charity": partnership.as_("charity"),
           "ids": {"ANN_BOOKING": ann["id"], "CAT_BOOKING": cat["id"]}}
    app.extensions["slrs"].close()


def police_records(partnership: RecordsAPI) -> list[Any]:
    """Everything of police's, as the partnership reads it (personal data included), and the log's length."""
    paths = ["/agencies/police", "/workers/ann", "/workers/bob", "/sessions/s1", "/workers?agency=police",
             "/workers/ann/history"]
    return [partnership.ok("GET", p) for p in paths] + [partnership.log_position()]


def fill(path: str, ids: dict[str, str]) -> str:
    """`path` with each placeholder or id replaced, in its segments and its query's values."""
    route, _, query = path.partition("?")
    segments = "/".join(ids.get(part, part) for part in route.split("/"))
    pairs = [pair.partition("=") for pair in query.split("&")] if query else []
    return segments + ("?" + "&".join(f"{k}={ids.get(v, v)}" for k, _, v in pairs) if pairs else "")


def ghostly(body: Any) -> Any:
    """`body` with police's ids made up."""
    if isinstance(body, dict):
        return {k: ABSENT.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    return body


@pytest.mark.parametrize(("attempt", "method", "path", "body", "status"), ATTEMPTS, ids=[a[0] for a in ATTEMPTS])
def test_another_agencys_records_look_absent_and_stay_unchanged(world: dict[str, Any], attempt: str, method: str,
                                                                path: str, body: Any, status: int) -> None:
    charity: RecordsAPI = world["charity"]
    before = police_records(world["partnership"])
    kwargs = {"json": body} if body is not None else {}
    response = charity.call(method, fill(path, world["ids"]), **kwargs)
    assert response.status_code == status, response.get_json()
    assert police_records(world["partnership"]) == before
    ghost_path, ghost_body = fill(path, {**world["ids"], **ABSENT}), ghostly(body)
    assert (ghost_path, ghost_body) != (fill(path, world["ids"]), body), "each attempt names one of police's ids"
    ghost = charity.call(method, ghost_path, **({"json": ghost_body} if body is not None else {}))
    assert ghost.status_code == status, "a made-up id must be answered as another agency's is"


def test_reads_of_shared_records_show_only_the_agencys_own(world: dict[str, Any]) -> None:
    charity: RecordsAPI = world["charity"]
    ann_booking = world["ids"]["ANN_BOOKING"]
    assert [a["id"] for a in charity.ok("GET", "/agencies")] == ["charity"]
    assert [w["id"] for w in charity.ok("GET", "/workers")] == ["cat"]
    [session] = charity.ok("GET", "/sessions")
    assert [b["worker"] for b in session["bookings"]] == ["cat"]
    assert [b["worker"] for b in charity.ok("GET", "/sessions/s1")["bookings"]] == ["cat"]
    history = charity.ok("GET", "/sessions/s1/history")
    assert ann_booking not in str(history) and "ann" not in str(history)
    assert [e["event"] for e in history] == ["Scheduled", "PlaceBooked"]
