"""Every post the intake acknowledged, and its author's private status link, in the private state folder.

The receipt gives the author a link ``/status/<token>``. The token is an HMAC of the submission id
under the service's secret, so a retried request (a double click whose first answer was lost) gets
the very same link; the ledger stores only the token's SHA-256, so a copy of the ledger alone opens
nothing. The ledger also remembers an id after an editor has accepted or rejected the post, which is
how a request retried hours later is still recognised and never makes a second submission.

SQLite in WAL mode: several worker processes read and write it at once.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from entraide.intake.sqlitedb import Connections

LEDGER_FILE = "intake-ledger.sqlite"
TOKEN_LENGTH = 43
"""Characters of a status token: 256 bits as unpadded URL-safe base64."""


@dataclass(frozen=True)
class Entry:
    id: str
    received: str
    withdrawn: str
    """When the author withdrew the post from their link, or ``""``."""


def status_token(secret: bytes, submission_id: str) -> str:
    """The author's private token for ``submission_id``: unguessable without the service's secret."""
    import base64

    digest = hmac.new(secret, f"entraide-status|{submission_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Ledger:
    def __init__(self, path: Path, secret: bytes):
        self.path, self.secret = path, secret
        self.connections = Connections(path, timeout=30)
        self._writing = threading.Lock()  # one writer per process: SQLite's busy wait sleeps long
        with self.connections.get() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS receipts (id TEXT PRIMARY KEY, token_hash TEXT UNIQUE NOT NULL, "
                "received TEXT NOT NULL, withdrawn TEXT NOT NULL DEFAULT '')"
            )

    def record(self, submission_id: str) -> str:
        """Remember an acknowledged post (once); its author's token."""
        token = status_token(self.secret, submission_id)
        received = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        with self._writing:
            self.connections.get().execute(
                "INSERT OR IGNORE INTO receipts (id, token_hash, received) VALUES (?, ?, ?)",
                (submission_id, _token_hash(token), received),
            )
        return token

    def knows(self, submission_id: str) -> bool:
        row = self.connections.get().execute("SELECT 1 FROM receipts WHERE id = ?", (submission_id,)).fetchone()
        return row is not None

    def find(self, token: str) -> Entry | None:
        """The post a status token opens, if any (malformed tokens open nothing)."""
        if len(token) != TOKEN_LENGTH:
            return None
        row = self.connections.get().execute(
            "SELECT id, received, withdrawn FROM receipts WHERE token_hash = ?", (_token_hash(token),)
        ).fetchone()
        return Entry(*row) if row else None

    def mark_withdrawn(self, submission_id: str) -> None:
        when = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        self.connections.get().execute(
            "UPDATE receipts SET withdrawn = ? WHERE id = ? AND withdrawn = ''", (when, submission_id)
        )
