"""Real `slrs` processes for end-to-end tests, and a small HTTP client for them."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

SLRS = str(Path(sys.executable).with_name("slrs"))
AUTH = "Basic " + base64.b64encode(b"e2e:e2e-secret").decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slrs(environ: dict[str, str], *args: str) -> str:
    done = subprocess.run([SLRS, *args], env={**os.environ, **environ}, check=True, capture_output=True, text=True)
    return done.stdout


def start_server(environ: dict[str, str], *, init: bool, workers: int = 2) -> tuple[subprocess.Popen[bytes], str]:
    """`slrs serve` on a free port (after `slrs init` and a credential when `init`)."""
    if init:
        slrs(environ, "init")
        slrs(environ, "credentials", "create", "--key", "e2e", "--secret", "e2e-secret", "--scope", "all")
    port = free_port()
    process = subprocess.Popen([SLRS, "serve", "--port", str(port), "--workers", str(workers)],
                               env={**os.environ, **environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{url}/xapi/about", timeout=1)
            return process, url + "/xapi"
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("slrs serve did not start: " + (process.stderr.read() if process.stderr else b"").decode())


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def call(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json", "Authorization": AUTH,
    })
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")
