"""Optional proof of work (ALTCHA), for communities under attack, with no third party.

Each form carries a challenge signed with the service's secret (ALTCHA's SHA-256 scheme, through its
Python library): the browser finds the number whose hash matches, which costs a person a second and a
spammer that second for every post. A solution is accepted once (spent challenges are remembered in the
rate-limit database until they expire) and only before it expires. A post without a valid solution —
a browser without JavaScript, or a script — is held in quarantine for an editor, never dropped.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

import altcha

from entraide.intake.sqlitedb import Connections

FIELD = "altcha"
"""The form field that carries the solution (base64 JSON, as ALTCHA's widget sends it)."""
MISSING = "proof-of-work"
LIFETIME = 20 * 60.0
"""Seconds a challenge stays valid: long enough to write a post, short enough to bound the spent table."""


def challenge(secret: bytes, max_number: int, now: float | None = None) -> str:
    """A fresh signed challenge, as JSON for the page's script."""
    expires = datetime.fromtimestamp((now or time.time()) + LIFETIME, tz=UTC)
    made = altcha.create_challenge_v1(
        altcha.ChallengeOptionsV1(hmac_key=secret.decode("utf-8", "replace"), max_number=max_number, expires=expires)
    )
    return json.dumps({"algorithm": made.algorithm, "challenge": made.challenge, "maxnumber": made.max_number,
                       "salt": made.salt, "signature": made.signature})


class Verifier:
    """Checks solutions and remembers the spent ones, across worker processes (SQLite, WAL)."""

    def __init__(self, path: Path, secret: bytes):
        self.path, self.key = path, secret.decode("utf-8", "replace")
        self.connections = Connections(path)
        self.connections.get().execute(
            "CREATE TABLE IF NOT EXISTS spent (challenge TEXT PRIMARY KEY, until REAL NOT NULL)")

    def problem(self, payload: str, now: float | None = None) -> str | None:
        """Why ``payload`` does not prove the work (a sentence for the editors), or ``None``."""
        now = now or time.time()
        if not payload:
            return "no proof of work (a browser without JavaScript, or a script)"
        if len(payload) > 2048:
            return "the proof of work is not one"
        try:
            valid, error = altcha.verify_solution_v1(payload, self.key, check_expires=True)
            signature = json.loads(base64.b64decode(payload, validate=True)).get("signature") if valid else None
        except (ValueError, TypeError, AttributeError):
            return "the proof of work is not one"
        if not valid or not isinstance(signature, str):
            return f"the proof of work does not hold ({error or 'wrong solution'})"
        db = self.connections.get()
        db.execute("DELETE FROM spent WHERE until < ?", (now,))
        try:
            db.execute("INSERT INTO spent (challenge, until) VALUES (?, ?)", (signature, now + LIFETIME))
        except sqlite3.IntegrityError:
            return "the proof of work was already used once"
        return None
