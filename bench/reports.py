"""`make bench-reports`: the reports on 100,000 workers and about 1,000,000 domain events, into bench/results.md.

    .venv/bin/python -m bench.reports [--engines sqlite,postgres] [--workers 100000] [--sessions 10000] [--reuse]

Per engine: generate the records (bench/records_data.py) in a fresh store,
rebuild every follower of the records' log reading it once (`slrs follow --all
--rebuild`), then time the agency report (the largest agency and a middling one)
and the partnership report, each three times in the process that rebuilt (the
first run is the one a board waits for). Where the time goes is measured too:
reading and decoding the log alone, each follower's share of the rebuild, and
the parts of the partnership report. The section between the reports markers
of bench/results.md is replaced; the rest of the file is left as it is.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.app import Services
from api.fanout import rebuild_together
from api.reports.running import Asked, ReportRunner
from bench.records_data import NOW, generate
from kernel.clock import FixedClock
from projections.accountability import partnership, shortfalls
from projections.delivery_view import DeliveryFacts
from projections.facts import collector_paused
from projections.ledger_view import period_totals
from projections.progress_periods import status_counts
from projections.progress_view import ProgressFacts
from projections.timepoint import TimePoint

FOLLOWERS = ("progress", "delivery", "ledger", "evaluations", "audit")
BEGIN, END = "<!-- reports benchmark -->", "<!-- /reports benchmark -->"
YEAR = (NOW.date().replace(year=2026, month=4, day=1), NOW.date())


def environment(engine: str, data_dir: Path, reuse: bool = False) -> dict[str, str]:
    """A fresh store on `engine`: an empty data directory, or the emptied database POSTGRES_DBNAME (slrs_bench).

    `reuse` (SQLite only) keeps the data directory and the records generated there before.
    """
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
    env = {"SLRS_DATA_DIR": str(data_dir), "SLRS_REPORTS_CATCH_UP": "no"}
    if engine == "sqlite":
        return {**env, "PERSISTENCE_MODULE": "eventsourcing.sqlite"}
    import psycopg

    postgres = {"POSTGRES_HOST": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
                "POSTGRES_PORT": os.environ.get("POSTGRES_PORT", "5432"),
                "POSTGRES_USER": os.environ.get("POSTGRES_USER", "slrs"),
                "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD", "slrs"),
                "POSTGRES_DBNAME": os.environ.get("POSTGRES_DBNAME", "slrs_bench")}
    with psycopg.connect(host=postgres["POSTGRES_HOST"], port=postgres["POSTGRES_PORT"],
                         user=postgres["POSTGRES_USER"], password=postgres["POSTGRES_PASSWORD"],
                         dbname=postgres["POSTGRES_DBNAME"], autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return {**env, **postgres, "PERSISTENCE_MODULE": "eventsourcing.postgres"}


def timed(call: Callable[[], Any], runs: int = 3) -> tuple[list[float], Any]:
    """Seconds of each run of `call`, and its last answer."""
    seconds, answer = [], None
    for _ in range(runs):
        began = time.perf_counter()
        answer = call()
        seconds.append(time.perf_counter() - began)
    return seconds, answer


def figure(seconds: list[float]) -> str:
    """The first run and the median, as the results show them."""
    return f"first {seconds[0]:.2f} s, median {statistics.median(seconds):.2f} s"


def where_rebuild_goes(services: Services) -> tuple[float, dict[str, float]]:
    """Seconds to read and decode the whole log; then each follower's apply seconds in a rebuild."""
    log = services.logs()["records"]
    began, start = time.perf_counter(), 1
    while page := log.recorder.select_notifications(start, 5000):
        [log.decode(n) for n in page]
        start = page[-1].id + 1
    decoding = time.perf_counter() - began
    applying: dict[str, float] = {}
    followers = [services.follower(n) for n in FOLLOWERS]
    for follower in followers:
        name, original = follower.store.name, follower.processor.apply

        def counted(*args: Any, name: str = name, original: Any = original) -> None:
            began = time.perf_counter()
            original(*args)
            applying[name] = applying.get(name, 0.0) + time.perf_counter() - began

        follower.processor.apply = counted  # type: ignore[method-assign,assignment]
        settling = getattr(follower.processor, "settle", None)
        if settling is not None:
            def settled(store: Any, name: str = name, original: Any = settling) -> int:
                began = time.perf_counter()
                count = int(original(store))
                applying[name + " periods"] = applying.get(name + " periods", 0.0) + time.perf_counter() - began
                return count

            follower.processor.settle = settled  # type: ignore[attr-defined]
    with collector_paused():
        rebuild_together(followers, page_size=5000)
    return decoding, applying


def where_partnership_goes(services: Services, tp: TimePoint) -> dict[str, float]:
    """Seconds of each part of the partnership report, run one after another."""
    parts: dict[str, float] = {}

    def part(name: str, call: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        answer = call()
        parts[name] = time.perf_counter() - began
        return answer

    progress = services.tracking_store("progress")
    part("agencies", lambda: ProgressFacts(progress, tp.known_us).agencies())
    rows = part("progress: each worker's period holding the day, and any changed since `known_at` evaluated",
                lambda: status_counts(progress, tp))
    delivery = DeliveryFacts(services.tracking_store("delivery"), tp)
    part("delivery: each session's kept tally of the year, any changed since replayed",
         lambda: delivery.tallies_by_agency(*YEAR))
    part("ledger: the year's charges and credits summed", lambda: period_totals(services.tracking_store("ledger"), tp,
                                                                           *YEAR))
    part("shortfalls: sessions of the next 90 days", lambda: shortfalls(rows, delivery, tp))
    return parts


def bench_engine(engine: str, workers: int, sessions: int, data_dir: Path, reuse: bool = False) -> list[str]:
    """Generate, rebuild and time the reports on one engine; the lines of its results."""
    env = environment(engine, data_dir / engine, reuse and engine == "sqlite")
    services = Services.from_env(env, create_tables=True, clock=FixedClock(NOW))
    lines = [f"### {engine}", ""]
    try:
        events = services.records.recorder.max_notification_id() or 0
        if events:
            lines.append(f"- the {events:,} domain events generated before in {data_dir / engine} (`--reuse`)")
        else:
            began = time.perf_counter()
            events = generate(services.records, workers, sessions)
            generating = time.perf_counter() - began
            lines.append(f"- generated {workers:,} workers and {events:,} domain events in {generating:.0f} s "
                         f"({events / generating:,.0f} events/s saved)")
        followers = [services.follower(n) for n in FOLLOWERS]
        began = time.perf_counter()
        count = rebuild_together(followers, page_size=5000)
        seconds = time.perf_counter() - began
        lines.append(f"- **rebuild of every follower of the records' log** ({', '.join(FOLLOWERS)}; "
                     f"`slrs follow --all --rebuild`): {count:,} events in {seconds:.1f} s, "
                     f"**{count / seconds:,.0f} events/s**")
        decoding, applying = where_rebuild_goes(services)
        lines.append(f"  - where it goes: reading and decoding the log (`TrainingRecords.decode`) {decoding:.1f} s; "
                     + ", ".join(f"{n.removeprefix('projection_')} {s:.1f} s" for n, s in applying.items()))
        runner = ReportRunner(services)
        sizes = {r["agency"]: r["n"] for r in services.tracking_store("progress").fetch(
            "SELECT agency, COUNT(DISTINCT worker) AS n FROM slrs_progress_workers WHERE agency IS NOT NULL "
            "GROUP BY agency")}
        ranked = sorted(sizes, key=lambda a: -sizes[a])
        for agency in (ranked[0], ranked[len(ranked) // 2]):
            times, view = timed(lambda: runner.agency(None, agency, Asked()))
            lines.append(f"- **agency report**, {agency} ({view.total.headcount:,} workers in post): "
                         f"**{figure(times)}**")
        times, view = timed(lambda: runner.partnership(None, Asked()))
        headcount = sum(a.compliance.headcount for a in view.agencies)
        lines.append(f"- **partnership report** ({len(view.agencies)} agencies, {headcount:,} workers in post): "
                     f"**{figure(times)}**")
        tp = runner.time_point(Asked())
        with collector_paused():
            parts = where_partnership_goes(services, tp)
        lines.append("  - where it goes: " + "; ".join(f"{name} {s:.2f} s" for name, s in parts.items()))
        month_ago = runner.time_point(Asked(as_of=NOW.date().replace(day=1)))
        with collector_paused():
            times, view = timed(lambda: partnership(runner._stores(runner.stores("partnership")), month_ago, *YEAR), 1)
        lines.append(f"- partnership report as of {month_ago.as_of} with its late corrections "
                     f"({len(view.late_corrections):,} events): {times[0]:.2f} s")
    finally:
        services.close()
    return lines + [""]


def write_section(path: Path, lines: list[str]) -> None:
    """Replace the reports section of `path` (or add it at the end)."""
    text = path.read_text() if path.exists() else ""
    section = "\n".join([BEGIN, *lines, END])
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text)


def main() -> None:
    """Run the benchmark on each engine asked and write its section of the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench-reports"))
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"))
    parser.add_argument("--reuse", action="store_true",
                        help="SQLite: keep the data directory and the records generated there by an earlier run")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [f"## Reports ({started})", "",
             f"`python -m bench.reports --engines {args.engines} --workers {args.workers} --sessions {args.sessions}` "
             f"on {platform.node()}: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; records "
             "from bench/records_data.py (three years to 31 March 2027); reports as of that day, known now, in the "
             "process that rebuilt the followers. Targets: agency report under 1 s, partnership report under 2 s, "
             "rebuild 30,000 events/s or more.", ""]
    for engine in args.engines.split(","):
        lines += bench_engine(engine, args.workers, args.sessions, args.data_dir, args.reuse)
        print("\n".join(lines), flush=True)
    write_section(args.out, lines)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
