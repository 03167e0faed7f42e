"""`slrs run` (what `make run` starts): the server and the followers under one supervisor (issue 9, item 14).

Before, `make run` started only the server: /api/v1/stats stayed empty and /health showed a growing lag.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.servers import SLRS, call, free_port
from tests.e2e.stores import prepared, statement

pytestmark = pytest.mark.e2e
STARTED = re.compile(r"started (follow --all|serve) \(pid (\d+)\)")


def eventually(check: Callable[[], Any], seconds: float = 40) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def started(log: Path) -> list[tuple[str, int]]:
    return [(name, int(pid)) for name, pid in STARTED.findall(log.read_text())]


def counted(url: str) -> int:
    status, body = call("GET", f"{url}/api/v1/stats")
    return sum(v["statements"] for v in body["verbs"]) if status == 200 else -1


def test_slrs_run_serves_follows_and_restarts_what_stops(environ: dict[str, str], tmp_path: Path) -> None:
    prepared(environ)
    port, log = free_port(), tmp_path / "run.log"
    with log.open("w") as err:
        run = subprocess.Popen([SLRS, "run", "--port", str(port), "--workers", "1"], env={**os.environ, **environ},
                               stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}"
    try:
        assert eventually(lambda: _answers(f"{url}/xapi/about")), log.read_text()
        assert call("POST", f"{url}/xapi/statements", [statement(), statement()])[0] == 200
        assert eventually(lambda: counted(url) == 2), log.read_text()
        assert call("GET", f"{url}/health")[1]["followers"]["stats"]["lag"] == 0
        [follower] = [pid for name, pid in started(log) if name == "follow --all"]
        os.kill(follower, signal.SIGKILL)
        assert eventually(lambda: len([n for n, _ in started(log) if n == "follow --all"]) == 2), log.read_text()
        assert call("POST", f"{url}/xapi/statements", [statement()])[0] == 200
        assert eventually(lambda: counted(url) == 3), log.read_text()
    finally:
        run.terminate()
        run.wait(timeout=40)
    for _, pid in started(log):
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1)
    except OSError:
        return False
    return True
