"""Screening for abuse with no third party: honeypot, fill time, links per post, rate limits.

The rate limit holds across worker processes (and restarts) in one small SQLite file in the
project's private state folder. Client addresses and names are stored only as keyed hashes, and
every check first deletes what is older than the window: nothing about a client outlives it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from entraide import statedir
from entraide.intake.sqlitedb import Connections

HONEYPOT = "website"
"""The hidden field's name: a person never sees it, a form-filling script fills it."""

HONEYPOT_FILLED = "honeypot"
TOO_FAST = "too-fast"
TOO_MANY_LINKS = "too-many-links"
RATE_LIMITED = "rate-limited"

_LINK = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """Why a post is held back for an editor (a code above and a sentence), or nothing."""

    code: str
    detail: str


def count_links(*texts: str) -> int:
    return sum(len(_LINK.findall(text)) for text in texts)


def screen(honeypot: str, age: float, min_fill: float, links: int, max_links: int) -> Verdict | None:
    """The first abuse sign in a posted form, or ``None``; the rate limit is checked apart (it counts)."""
    if honeypot.strip():
        return Verdict(HONEYPOT_FILLED, "the hidden field meant for robots was filled")
    if age < min_fill:
        return Verdict(TOO_FAST, f"the form was sent {age:.1f} s after it was shown (at least {min_fill:g} s)")
    if links > max_links:
        return Verdict(TOO_MANY_LINKS, f"{links} links (at most {max_links})")
    return None


class RateLimiter:
    """At most ``count`` hits per key in a sliding ``window`` of seconds, shared by every process."""

    def __init__(self, path: Path, secret: bytes, count: int, window: float):
        self.path, self.secret, self.count, self.window = path, secret, count, window
        self.connections = Connections(path)
        self.writing = threading.Lock()
        """One writer per process: SQLite's busy wait (sleeps of up to 100 ms) then sees only other processes."""
        statedir.ensure(path.parent)
        db = self.connections.get()
        db.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL)")
        db.execute("CREATE INDEX IF NOT EXISTS hits_key ON hits (key, at)")

    def _key(self, kind: str, value: str) -> str:
        return hmac.new(self.secret, f"{kind}|{value}".encode(), hashlib.sha256).hexdigest()[:32]

    def hit(self, keys: dict[str, str], now: float | None = None) -> str | None:
        """Count one post for each ``kind: value`` in ``keys``; the kind over its limit, else ``None``."""
        now = now if now is not None else time.time()
        hashed = {kind: self._key(kind, value) for kind, value in keys.items() if value}
        db = self.connections.get()
        with self.writing:
            return self._hit(db, hashed, now)

    def _hit(self, db: sqlite3.Connection, hashed: dict[str, str], now: float) -> str | None:
        try:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time across processes: counts stay exact
            db.execute("DELETE FROM hits WHERE at < ?", (now - self.window,))
            for kind, key in hashed.items():
                (used,) = db.execute("SELECT COUNT(*) FROM hits WHERE key = ?", (key,)).fetchone()
                if used >= self.count:
                    db.execute("COMMIT")
                    return kind
            db.executemany("INSERT INTO hits (key, at) VALUES (?, ?)", [(key, now) for key in hashed.values()])
            db.execute("COMMIT")
            return None
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
