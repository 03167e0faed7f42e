"""Timed runs of slrs commands in their own processes: wall time and peak memory."""

from __future__ import annotations

import os
import resource
import subprocess
import time
from dataclasses import dataclass

from bench.server import SLRS


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    output: str


def run_slrs(env: dict[str, str], *args: str) -> Run:
    """Run `slrs ARGS` to the end; peak memory is the child's maximum resident set."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([SLRS, *args], env={**os.environ, **env}, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: report it only if this run raised it
    return Run(seconds, max(peak, before) / 1024, done.stdout + done.stderr)
