"""Timed runs of slrs commands in their own processes: wall time and peak memory."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass

from bench.server import SLRS, peak_kb


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    output: str


def run_slrs(env: dict[str, str], *args: str) -> Run:
    """Run `slrs ARGS` to the end, sampling its peak resident set (VmHWM) while it runs."""
    started = time.perf_counter()
    process = subprocess.Popen([SLRS, *args], env={**os.environ, **env}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, peak_kb(process.pid))
        time.sleep(0.2)
    output = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise RuntimeError(f"slrs {' '.join(args)} failed: {output}")
    return Run(time.perf_counter() - started, peak / 1024, output)
