"""Board pages: the reports in a browser for board members and the Workforce Development subcommittee.

Server-rendered HTML (Jinja) under /board, charts drawn as SVG by pygal on the
server (printable, no script), each beside its table and with a text
alternative. Sign-in is HTTP Basic as for the API, or a form that starts a
browser session; scoped like the API: an agency's credential sees its own
agency's pages only.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask

from api.pages.signin import signin
from api.pages.views import board
from kernel.persistence import Storage

KEY_FILE = "board-session.key"


def session_key(storage: Storage) -> str:
    """The key that signs board sessions: SLRS_SECRET_KEY, else one kept in the data directory (made once, 0600).

    Every server process of one host shares the file; servers on several hosts
    (PostgreSQL) must be given the same SLRS_SECRET_KEY.
    """
    given = storage.environ.get("SLRS_SECRET_KEY")
    if given:
        return given
    path = Path(storage.data_dir) / KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # another process made it a moment ago: wait for its key
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.05)
        raise RuntimeError(f"{path} is empty: delete it, or set SLRS_SECRET_KEY") from None
    with os.fdopen(descriptor, "w") as made:
        made.write(os.urandom(32).hex())
    return path.read_text().strip()


def register_pages(app: Flask) -> None:
    """Register the board pages; the session cookie is signed with a key every server process shares."""
    app.secret_key = session_key(app.extensions["slrs"].storage)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.register_blueprint(signin)
    app.register_blueprint(board)
