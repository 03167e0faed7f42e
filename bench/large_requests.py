"""Large requests against one `slrs serve` worker: the time each takes and the worker's memory after it.

Issue 9, item 3: a request at the limits (SLRS_MAX_BATCH statements, or
SLRS_MAX_REQUEST_BYTES) is answered, one beyond them refused at once, and the
worker's resident memory goes back to its usual level afterwards. Checked
here, by measurement, never by a timed test.

    .venv/bin/python -m bench.large_requests [--engine sqlite|postgres] [--rounds 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from api.limits import DEFAULT_MAX_REQUEST_BYTES
from bench.server import Server, _children
from lrs.service import DEFAULT_MAX_BATCH

AUTH = "Basic " + base64.b64encode(b"bench:bench-secret").decode()


def rss_mb(pid: int) -> float:
    """A process's resident set now (VmRSS), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def statements(count: int, padding: int = 0) -> bytes:
    """A batch of Moodle-like statements as JSON, each about 600 bytes plus `padding`."""
    return json.dumps([{
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://moodle.example", "name": str(n % 900)}, "name": f"Learner {n}"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en": "completed"}},
        "object": {"id": f"https://moodle.example/mod/quiz/view.php?id={n % 40}",
                   "definition": {"type": "http://adlnet.gov/expapi/activities/assessment",
                                  "name": {"en": "Safeguarding level 1 quiz"}}},
        "result": {"score": {"scaled": 0.8}, "completion": True, "response": "x" * padding},
        "context": {"registration": str(uuid.uuid4()), "platform": "Moodle",
                    "contextActivities": {"grouping": [{"id": "https://moodle.example/course/view.php?id=2"}]}},
    } for n in range(count)]).encode()


def post(url: str, body: bytes) -> tuple[int, float]:
    request = urllib.request.Request(f"{url}/statements", data=body, method="POST", headers={
        "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json", "Authorization": AUTH})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:  # the server may close before reading all of a body it refused
        status = 413
    return status, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    server = Server(args.engine, workers=1, threads=1)
    try:
        [worker] = _children(server.process.pid)
        for _ in range(20):
            post(server.url, statements(50))
        idle = rss_mb(worker)
        cases = {
            f"{DEFAULT_MAX_BATCH:,} statements (the batch limit)": statements(DEFAULT_MAX_BATCH),
            f"{DEFAULT_MAX_BATCH // 4:,} statements, 4 KB each": statements(DEFAULT_MAX_BATCH // 4, padding=3500),
            f"{DEFAULT_MAX_BATCH + 2_000:,} statements (refused: too many)": statements(DEFAULT_MAX_BATCH + 2_000),
            "50,000 statements (refused: too large)": statements(50_000),
            f"{DEFAULT_MAX_REQUEST_BYTES // 2**20 + 8} MB body (refused)":
                b"[" + b" " * (DEFAULT_MAX_REQUEST_BYTES + 8 * 2**20) + b"]",
        }
        print(f"engine {args.engine}; one sync worker; resident memory when idle after warm-up: {idle:.0f} MB\n")
        print("| request | MB sent | status | seconds | worker MB after |")
        print("|---|---|---|---|---|")
        for round_ in range(args.rounds):
            for name, body in cases.items():
                status, seconds = post(server.url, body)
                print(f"| {name} (round {round_ + 1}) | {len(body) / 2**20:.1f} | {status} | {seconds:.2f} "
                      f"| {rss_mb(worker):.0f} |")
        print(f"\nworker peak (VmHWM) {server.peak_rss_mb():.0f} MB; resident at the end {rss_mb(worker):.0f} MB")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
