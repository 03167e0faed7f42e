"""`make bench`: the standard set on each engine, written as a Markdown table.

    .venv/bin/python -m bench.standard [--engines sqlite,postgres] [--large 1000000] [--out bench/results.md]

Per engine: ingest over HTTP with 4 clients at batch sizes 1, 10 and 100 (a
fresh store each); the query mix at 100,000 statements; ingest on to the large
size and the query mix again; then, with the server stopped, the statement
index and the stats follower rebuilt from the log. Peak memory is the
largest resident set of any server or command process.
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import time
from pathlib import Path

from bench.generate import StatementGenerator
from bench.measure import run_slrs
from bench.run import IngestResult, ingest, percentile, query_mix
from bench.server import Server

INGEST_SIZES = {1: 3_000, 10: 20_000, 100: 100_000}


def ingest_row(engine: str, batch: int, result: IngestResult, peak: float, stored: int) -> str:
    return (f"| {engine} | ingest, batches of {batch} | {result.statements:,} more (to {stored:,}) | "
            f"{result.rate:,.0f} statements/s | {result.cpu_us_per_statement:,.0f} µs | {peak:,.0f} MB |")


def query_row(engine: str, stored: int, timings: dict[str, list[float]]) -> str:
    everything = [t for values in timings.values() for t in values]
    slowest = max(timings, key=lambda k: percentile(timings[k], 0.95))
    return (f"| {engine} | query mix ({len(everything)} queries) | {stored:,} stored | "
            f"p50 {statistics.median(everything):.1f} ms, p95 {percentile(everything, 0.95):.1f} ms "
            f"(slowest kind: {slowest}, p95 {percentile(timings[slowest], 0.95):.1f} ms) | | |")


def rebuild_row(engine: str, what: str, args: list[str], env: dict[str, str], stored: int) -> str:
    run = run_slrs(env, *args)
    rate = re.search(r"\(([\d,]+) events/s\)", run.output)
    figure = f"{rate.group(1)} events/s" if rate else run.output.strip()
    return f"| {engine} | {what} | {stored:,} stored | {figure} | | {run.peak_rss_mb:,.0f} MB |"


def bench_engine(engine: str, large: int, rounds: int) -> list[str]:
    rows = []
    generator = StatementGenerator()
    for batch, count in INGEST_SIZES.items():
        server = Server(engine, workers=2, threads=1)
        keep = batch == 100
        try:
            result = ingest(server, generator, count, batch, clients=4)
            rows.append(ingest_row(engine, batch, result, server.peak_rss_mb(), count))
            print(rows[-1], flush=True)
            if keep:
                rows.append(query_row(engine, count, query_mix(server, generator, rounds)))
                print(rows[-1], flush=True)
                more = large - count
                if more > 0:
                    result = ingest(server, generator, more, 100, clients=4)
                    rows.append(ingest_row(engine, 100, result, server.peak_rss_mb(), large))
                    print(rows[-1], flush=True)
                    rows.append(query_row(engine, large, query_mix(server, generator, rounds)))
                    print(rows[-1], flush=True)
        finally:
            server.stop(keep=keep)
    env = server.env
    stored = max(large, INGEST_SIZES[100])
    rows.append(rebuild_row(engine, "statement index rebuild", ["rebuild-index"], env, stored))
    print(rows[-1], flush=True)
    rows.append(rebuild_row(engine, "stats follower rebuild", ["follow", "stats", "--rebuild", "--once"], env, stored))
    print(rows[-1], flush=True)
    return rows


def reports_section(path: Path) -> str:
    """The section bench/reports.py wrote into `path`, kept when this table is written again."""
    from bench.reports import BEGIN, END

    text = path.read_text() if path.exists() else ""
    return text[text.index(BEGIN):text.index(END) + len(END)] if BEGIN in text and END in text else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--out", type=Path, default=Path("bench/results.md"))
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = []
    for engine in args.engines.split(","):
        rows.extend(bench_engine(engine, args.large, args.rounds))
    header = [
        f"# Benchmark results ({started})",
        "",
        f"`python -m bench.standard --engines {args.engines} --large {args.large}` on {platform.node()}: "
        f"{platform.processor() or platform.machine()}, 2 cores shared by clients and server; server: "
        "`slrs serve --workers 2` (sync workers); 4 client threads; statements from bench/generate.py.",
        "",
        "| engine | what | data | result | server CPU per statement | peak memory |",
        "|---|---|---|---|---|---|",
    ]
    kept = reports_section(args.out)
    args.out.write_text("\n".join(header + rows) + "\n" + (f"\n{kept}\n" if kept else ""))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
