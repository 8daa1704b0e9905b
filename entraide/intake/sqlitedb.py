"""The intake's small SQLite files (rate limit, ledger, spent proofs), shared by every worker process.

One connection per thread (sqlite3 connections are not shared across threads), in WAL mode so that
readers never wait for the writer, with ``synchronous=NORMAL``: a commit needs no fsync, and a crash
forgets at most the newest rows, none of which is the durable record of a post (its file is).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class Connections:
    def __init__(self, path: Path, timeout: float = 10.0):
        self.path, self.timeout = path, timeout
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db
