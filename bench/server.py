"""Start a throwaway `slrs serve` for a benchmark, and read its CPU time from /proc."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

SLRS = str(Path(sys.executable).with_name("slrs"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def engine_environ(engine: str, data_dir: str) -> dict[str, str]:
    env = {**os.environ, "SLRS_DATA_DIR": data_dir}
    if engine == "postgres":
        env.update({
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": os.environ.get("POSTGRES_HOST", "127.0.0.1"),
            "POSTGRES_PORT": os.environ.get("POSTGRES_PORT", "5432"),
            "POSTGRES_USER": os.environ.get("POSTGRES_USER", "slrs"),
            "POSTGRES_PASSWORD": os.environ.get("POSTGRES_PASSWORD", "slrs"),
            "POSTGRES_DBNAME": os.environ.get("SLRS_BENCH_DBNAME", "slrs_bench"),
        })
        with psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                             password=env["POSTGRES_PASSWORD"], dbname=env["POSTGRES_DBNAME"], autocommit=True) as c:
            c.execute("DROP SCHEMA IF EXISTS public CASCADE")
            c.execute("CREATE SCHEMA public")
    else:
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
    return env


class Server:
    """`slrs init`, a benchmark credential, and `slrs serve` on a free port, on a fresh store."""

    def __init__(self, engine: str, workers: int, threads: int, *, fresh: dict[str, str] | None = None) -> None:
        """A server on a new empty store, or on the store of `fresh` (an earlier server's env)."""
        if fresh is None:
            self.data_dir = tempfile.mkdtemp(prefix="slrs-bench-")
            self.env = engine_environ(engine, self.data_dir)
            subprocess.run([SLRS, "init"], env=self.env, check=True, capture_output=True)
            subprocess.run([SLRS, "credentials", "create", "--key", "bench", "--secret", "bench-secret",
                            "--scope", "all"], env=self.env, check=True, capture_output=True)
        else:
            self.env = fresh
            self.data_dir = fresh["SLRS_DATA_DIR"]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/xapi"
        self.process = subprocess.Popen(
            [SLRS, "serve", "--port", str(self.port), "--workers", str(workers), "--threads", str(threads)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{self.url}/about", timeout=1)
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slrs serve did not start")

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server's master and worker processes."""
        return sum(_cpu(pid) for pid in [self.process.pid, *_children(self.process.pid)])

    def peak_rss_mb(self) -> float:
        """The largest peak resident set of the server's processes (VmHWM), in MB."""
        return max(peak_kb(pid) for pid in [self.process.pid, *_children(self.process.pid)]) / 1024

    def stop(self, *, keep: bool = False) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if not keep:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_kb(pid: int) -> int:
    """A process's peak resident set so far (VmHWM), in kB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK
