"""Two server processes of several workers each, on one store, written to at once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from tests.e2e.servers import call, start_server, stop_server

pytestmark = pytest.mark.e2e
SHARED = str(uuid.uuid4())  # every batch carries this statement: concurrent writers of one id


def shared_statement() -> dict[str, object]:
    return {"id": SHARED, "actor": {"mbox": "mailto:shared@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/attended"}, "object": {"id": "https://lscp.example/s"}}


def batch(n: int) -> list[dict[str, object]]:
    own: list[dict[str, object]] = [{"id": str(uuid.uuid4()), "actor": {"account": {"homePage": "https://moodle.example", "name": f"{n}-{i}"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": f"https://lscp.example/courses/{i}"}} for i in range(10)]
    return [*own[:5], shared_statement(), *own[5:]]


@pytest.fixture
def two_servers(environ: dict[str, str]) -> Iterator[list[str]]:
    first, first_url = start_server(environ, init=True, workers=2)
    second, second_url = start_server(environ, init=False, workers=2)
    yield [first_url, second_url]
    stop_server(first)
    stop_server(second)


def test_concurrent_writers_lose_nothing_duplicate_nothing_and_reads_see_acknowledged(two_servers: list[str]) -> None:
    acknowledged: list[str] = []
    problems: list[str] = []

    def client(c: int) -> None:
        for n in range(8):
            writer, reader = two_servers[(c + n) % 2], two_servers[(c + n + 1) % 2]
            status, ids = call("POST", f"{writer}/statements", batch(c * 100 + n))
            if status != 200:
                problems.append(f"POST {status} {ids}")
                continue
            acknowledged.extend(ids)
            status, _ = call("GET", f"{reader}/statements?statementId={ids[-1]}")  # another process, at once
            if status != 200:
                problems.append(f"acknowledged {ids[-1]} not readable from the other server: {status}")

    threads = [threading.Thread(target=client, args=(c,)) for c in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []
    listed: list[str] = []
    url = f"{two_servers[0]}/statements?limit=100"
    while url:
        status, page = call("GET", url)
        assert status == 200
        listed.extend(s["id"] for s in page["statements"])
        url = two_servers[0].removesuffix("/xapi") + page["more"] if page["more"] else ""
    assert len(listed) == len(set(listed)) == 4 * 8 * 10 + 1
    assert set(listed) == set(acknowledged)
