"""`slrs run`: the server and the followers a user needs, as child processes under one supervisor.

For one machine (`make run`, a small deployment): each child is started,
restarted after it stops (waiting 0.5 s, doubling up to 30 s while it keeps
failing), and stopped with the supervisor (SIGTERM, then SIGKILL after
`grace` seconds). Larger deployments run the same commands under systemd or
another supervisor of their own (README, "Running at scale").
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

logger = logging.getLogger("slrs.run")


def slrs_command(*args: str) -> list[str]:
    """The argv of an `slrs` subcommand run by this Python (no need for `slrs` on the PATH)."""
    return [sys.executable, "-m", "api", *args]


@dataclass
class Child:
    """One supervised command, its process and how long to wait before the next restart."""

    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff: float = 0.5
    restarts: int = field(default=0)

    def start(self) -> None:
        self.process = subprocess.Popen(list(self.argv))
        self.started = time.monotonic()
        logger.warning("started %s (pid %d)", self.name, self.process.pid)

    def stopped(self) -> int | None:
        """The exit status if the process has stopped, else None."""
        return None if self.process is None else self.process.poll()


def supervise(commands: Mapping[str, Sequence[str]], stop: threading.Event, *, poll: float = 0.2,
              max_backoff: float = 30.0, grace: float = 20.0) -> dict[str, int]:
    """Run every command (name -> argv) until `stop` is set; restart any that stops. Returns restarts by name."""
    children = [Child(name, argv) for name, argv in commands.items()]
    for child in children:
        child.start()
    try:
        while not stop.wait(poll):
            for child in children:
                status = child.stopped()
                if status is None:
                    continue
                ran = time.monotonic() - child.started
                child.backoff = 0.5 if ran > 60 else min(child.backoff * 2, max_backoff)
                logger.warning("%s stopped (status %s) after %.1f s; restarting in %.1f s",
                               child.name, status, ran, child.backoff)
                if stop.wait(child.backoff):
                    break
                child.restarts += 1
                child.start()
    finally:
        _stop_all(children, grace)
    return {child.name: child.restarts for child in children}


def _stop_all(children: Sequence[Child], grace: float) -> None:
    running = [c.process for c in children if c.process is not None and c.process.poll() is None]
    for process in running:
        process.terminate()
    deadline = time.monotonic() + grace
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
