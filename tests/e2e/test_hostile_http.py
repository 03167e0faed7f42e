"""What only a real server meets: raw bytes on the socket, chunked bodies, proxy headers, workers booting together.

Issue 9, items 6, 12 and 13, against `slrs serve` (gunicorn), on each engine; the rebuild that
mends the index is tests/service/test_index_rebuild.py.
"""

from __future__ import annotations

import base64
import json
import socket
import sqlite3
from urllib.parse import urlsplit

import pytest

from lrs.index.schema import LOOKUP_INDEXES
from tests.e2e.servers import call, start_server, stop_server
from tests.e2e.stores import prepared, statement

pytestmark = pytest.mark.e2e
AUTH = "Basic " + base64.b64encode(b"e2e:e2e-secret").decode()


def raw(url: str, head: str, body: bytes = b"") -> tuple[int, bytes]:
    """Send `head` (request line and headers, latin-1) and `body` as they are; the status and the answer's body."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body)
        sock.shutdown(socket.SHUT_WR)  # a body shorter than it claims ends here, as if the client hung up
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2]


def chunked(document: object) -> bytes:
    """`document` as JSON in one chunk, and the last chunk."""
    body = json.dumps(document).encode()
    return f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def post_head(path: str, extra: str = "") -> str:
    return (f"POST {path} HTTP/1.1\nHost: lrs.test\nConnection: close\nAuthorization: {AUTH}\n"
            f"X-Experience-API-Version: 1.0.3\nContent-Type: application/json\n{extra}")


def test_hostile_bytes_on_the_wire_get_4xx_never_500(environ: dict[str, str]) -> None:
    """Before: a malformed chunked body, raw non-ASCII in Authorization and a stray SCRIPT_NAME header gave 500.

    Item 13 too: behind a trusted proxy, `more` carries its X-Forwarded-Prefix (untrusted: tests/api).
    """
    prepared(environ)
    server, url = start_server({**environ, "SLRS_MAX_REQUEST_BYTES": "5000", "SLRS_TRUSTED_PROXIES": "127.0.0.1"},
                               init=False)
    try:
        path = urlsplit(url).path + "/statements"
        for _ in range(2):
            assert raw(url, post_head(path, "Transfer-Encoding: chunked\n"), chunked(statement()))[0] == 200
        body = json.dumps(statement()).encode()
        broken = b"zz\r\n" + body + b"\r\n0\r\n\r\n"
        assert raw(url, post_head(path, "Transfer-Encoding: chunked\n"), broken)[0] == 400
        short = f"{len(body) + 50:x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
        assert raw(url, post_head(path, "Transfer-Encoding: chunked\n"), short)[0] == 400
        status, answer = raw(url, post_head(path, "Transfer-Encoding: chunked\n"),
                             chunked([statement() for _ in range(60)]))
        assert status == 413 and b"5,000 bytes" in answer
        for credential in ("Basic \xe9\xe9\xe9", "Basic ZTJlOmUyZS1zZWNyZXQ\xff", "\xff\xfe"):
            head = f"GET {path} HTTP/1.1\nHost: lrs.test\nConnection: close\nAuthorization: {credential}\n" \
                   "X-Experience-API-Version: 1.0.3\n"
            assert raw(url, head)[0] == 401
        for script_name in ("/elsewhere", "/xapi/statements/deeper", ""):
            head = f"GET {urlsplit(url).path}/about HTTP/1.1\nHost: lrs.test\nConnection: close\n" \
                   f"SCRIPT_NAME: {script_name}\n"
            assert raw(url, head)[0] == 200
        head = (f"GET {path}?limit=1 HTTP/1.1\nHost: lrs.test\nConnection: close\nAuthorization: {AUTH}\n"
                "X-Experience-API-Version: 1.0.3\nX-Forwarded-Prefix: /lrs\nX-Forwarded-Proto: https\n")
        status, page = raw(url, head)
        assert status == 200 and json.loads(page)["more"].startswith("/lrs/xapi/statements?more=")
        status, listed = call("GET", f"{url}/statements")
        assert status == 200 and len(listed["statements"]) == 2
    finally:
        stop_server(server)


def test_workers_boot_together_on_an_index_an_old_rebuild_left_incomplete(environ: dict[str, str]) -> None:
    """Item 12: the server says the index is incomplete, and its four workers all start (before: database is locked)."""
    prepared(environ, statements=400)
    drop_half_of_the_index(environ)
    server, url = start_server(environ, init=False, workers=4)
    try:
        status, health = call("GET", url.replace("/xapi", "/health"))
        assert status == 503 and health["statement_index"]["indexed_through"] == 200
        assert call("GET", f"{url}/statements")[0] == 200
    finally:
        stop_server(server)
    assert server.stderr is not None
    log = server.stderr.read().decode()
    assert "WARNING: the statement index is incomplete" in log and "slrs rebuild-index" in log
    assert "database is locked" not in log and "Worker failed to boot" not in log


def drop_half_of_the_index(environ: dict[str, str]) -> None:
    """What an earlier version's interrupted rebuild left: the first 200 rows, no lookup indexes."""
    statements = [*(f"DELETE FROM {t} WHERE seq > 200" for t in ("slrs_statements", "slrs_statement_agents",
                                                                    "slrs_statement_activities")),
                  *(f"DROP INDEX IF EXISTS {name}" for name in LOOKUP_INDEXES)]
    if environ["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        import psycopg

        from tests.conftest import postgres_environ
        env = postgres_environ()
        with psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                             password=env["POSTGRES_PASSWORD"], dbname=env["POSTGRES_DBNAME"]) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[arg-type]
        return
    with sqlite3.connect(f"{environ['SLRS_DATA_DIR']}/lrs.sqlite") as conn:
        for sql in statements:
            conn.execute(sql)
