"""Benchmark: ingest over HTTP with concurrent clients, then a query mix; prints a Markdown table.

    .venv/bin/python -m bench.run --engine sqlite --statements 100000 --batch 100 --clients 4
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import queue
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from bench.generate import VERBS, StatementGenerator
from bench.server import Server

AUTH = "Basic " + base64.b64encode(b"bench:bench-secret").decode()
HEADERS = {"Authorization": AUTH, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"}


@dataclass
class IngestResult:
    statements: int
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.statements / self.seconds

    @property
    def cpu_us_per_statement(self) -> float:
        return self.cpu_seconds / self.statements * 1e6


def connection(url: str) -> http.client.HTTPConnection:
    parsed = urllib.parse.urlsplit(url)
    if parsed.hostname is None:
        raise ValueError(f"{url} names no host")
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)


def ingest(server: Server, generator: StatementGenerator, count: int, batch: int, clients: int) -> IngestResult:
    bodies: queue.Queue[bytes | None] = queue.Queue()
    remaining = count
    while remaining > 0:
        size = min(batch, remaining)
        bodies.put(json.dumps(list(generator.statements(size))).encode())
        remaining -= size
    for _ in range(clients):
        bodies.put(None)
    errors: list[str] = []

    def client() -> None:
        conn = connection(server.url)
        path = urllib.parse.urlsplit(server.url).path + "/statements"
        while (body := bodies.get()) is not None:
            conn.request("POST", path, body=body, headers=HEADERS)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(f"{response.status} {data[:200]!r}")

    cpu_before = server.cpu_seconds()
    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} batches failed, first: {errors[0]}")
    return IngestResult(count, seconds, server.cpu_seconds() - cpu_before)


def query_mix(server: Server, generator: StatementGenerator, rounds: int) -> dict[str, list[float]]:
    """Latency in ms of each kind of query a reporting client makes."""
    conn = connection(server.url)
    base = urllib.parse.urlsplit(server.url).path + "/statements"
    rng = generator.random
    timings: dict[str, list[float]] = defaultdict(list)

    def get(kind: str, params: dict[str, Any] | str) -> Any:
        path = params if isinstance(params, str) else base + "?" + urllib.parse.urlencode(params)
        started = time.perf_counter()
        conn.request("GET", path, headers=HEADERS)
        response = conn.getresponse()
        body = response.read()
        timings[kind].append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{kind} {path}: {response.status} {body[:200]!r}")
        return json.loads(body)

    recent = get("recent", {"limit": 25})["statements"]
    some_id = recent[-1]["id"]
    some_stored = recent[-1]["stored"]
    for _ in range(rounds):
        actor = json.dumps(rng.choice(generator.actors))
        verb = rng.choice(VERBS)[0]
        activity = rng.choice(generator.activities)["id"]
        get("agent", {"agent": actor, "limit": 25})
        get("verb", {"verb": verb, "limit": 25})
        get("activity", {"activity": activity, "limit": 25})
        get("related_activity", {"activity": rng.choice(generator.courses), "related_activities": "true", "limit": 25})
        get("registration", {"registration": rng.choice(generator.registrations), "limit": 25})
        get("agent+verb", {"agent": actor, "verb": verb, "limit": 25})
        get("since", {"since": some_stored, "limit": 25, "ascending": "true"})
        get("statementId", {"statementId": some_id})
        page = get("verb_page1", {"verb": verb, "limit": 50})
        if page["more"]:
            get("more", page["more"])
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=50, help="rounds of the query mix (10 queries each)")
    args = parser.parse_args()

    generator = StatementGenerator()
    server = Server(args.engine, args.workers, args.threads)
    try:
        result = ingest(server, generator, args.statements, args.batch, args.clients)
        timings = query_mix(server, generator, args.rounds)
    finally:
        server.stop()
    everything = [t for values in timings.values() for t in values]
    print(f"## {args.engine}: {args.statements:,} statements, batches of {args.batch}, {args.clients} clients, "
          f"{args.workers} workers x {args.threads} threads\n")
    print("| ingest statements/s | server CPU µs/statement | wall s |")
    print("|---|---|---|")
    print(f"| {result.rate:,.0f} | {result.cpu_us_per_statement:,.0f} | {result.seconds:.1f} |\n")
    print("| query | n | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    for kind, values in [*timings.items(), ("all", everything)]:
        print(f"| {kind} | {len(values)} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} "
              f"| {max(values):.1f} |")


if __name__ == "__main__":
    main()
