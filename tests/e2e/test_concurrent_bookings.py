"""Two server processes booking the last place of a session at once: one place, one waiting-list entry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.servers import call, start_server, stop_server

pytestmark = pytest.mark.e2e
ROUNDS = 6


@pytest.fixture
def two_servers(environ: dict[str, str]) -> Iterator[list[str]]:
    first, first_url = start_server(environ, init=True, workers=2)
    second, second_url = start_server(environ, init=False, workers=2)
    yield [first_url.removesuffix("/xapi") + "/api/v1", second_url.removesuffix("/xapi") + "/api/v1"]
    stop_server(first)
    stop_server(second)


def ok(method: str, url: str, body: Any = None) -> Any:
    status, answer = call(method, url, body)
    assert status < 300, (status, answer)
    return answer


def test_two_servers_booking_the_last_place_give_one_place_and_one_waiting_entry(two_servers: list[str]) -> None:
    api = two_servers[0]
    ok("POST", f"{api}/agencies", {"id": "police", "name": "Police", "sector": "statutory", "health": False,
                                   "contributes": True, "effective_from": "2026-01-01"})
    ok("POST", f"{api}/courses", {"id": "l1", "title": "Introduction", "level": "1", "delivery": "inter-agency",
                                  "outcomes": ["Recognise abuse"], "duration_minutes": 180})
    for round_ in range(ROUNDS):
        session = ok("POST", f"{api}/sessions", {"course": "l1", "starts_at": "2031-01-15T09:30:00Z",
                                                 "ends_at": "2031-01-15T12:30:00Z", "venue": "Hall",
                                                 "capacity": 1})["id"]
        workers = [f"r{round_}-{n}" for n in range(2)]
        for worker in workers:
            ok("POST", f"{api}/workers", {"id": worker, "agency": "police", "job_role": "Officer",
                                          "target_group": 2, "started_on": "2026-01-05", "name": worker})
        start = threading.Barrier(2)
        answers: list[tuple[int, Any]] = []

        def book(server: str, worker: str) -> None:
            start.wait()
            answers.append(call("POST", f"{server}/sessions/{session}/bookings", {"worker": worker}))

        threads = [threading.Thread(target=book, args=pair) for pair in zip(two_servers, workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(status for status, _ in answers) == [201, 201], answers
        assert sorted(answer["status"] for _, answer in answers) == ["booked", "waiting"]
        places = ok("GET", f"{two_servers[1]}/sessions/{session}")
        assert (places["places_taken"], places["waiting_list"]) == (1, 1)
