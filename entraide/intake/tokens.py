"""Signed form tokens: CSRF protection and fill time with no server-side session.

Each form carries ``<issued>.<nonce>.<mac>``, an HMAC over the time it was issued and the browser's
random cookie (signed double submit). A POST is accepted only with a token this service signed for
that very cookie, not older than its maximum age; the issued time also tells how long the form took
to fill. Any worker can check a token: they all share the secret.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

COOKIE = "entraide_intake"


@dataclass(frozen=True)
class Checked:
    ok: bool
    reason: str = ""
    """``missing``, ``forged`` or ``expired`` when not ok."""
    age: float = 0.0
    """Seconds since the form was issued."""


def new_binding() -> str:
    """A random value for the browser's cookie, which tokens are bound to."""
    return secrets.token_urlsafe(24)


def issue(secret: bytes, binding: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    nonce = secrets.token_urlsafe(9)
    return f"{issued}.{nonce}.{_mac(secret, issued, nonce, binding)}"


def check(secret: bytes, token: str, binding: str, max_age: float, now: float | None = None) -> Checked:
    """Whether ``token`` was signed here for ``binding``, and how old it is."""
    if not token or not binding:
        return Checked(False, "missing")
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 12:
        return Checked(False, "forged")
    issued, nonce, mac = int(parts[0]), parts[1], parts[2]
    if not hmac.compare_digest(mac, _mac(secret, issued, nonce, binding)):
        return Checked(False, "forged")
    age = (now if now is not None else time.time()) - issued
    if age > max_age or age < -60:
        return Checked(False, "expired", age)
    return Checked(True, age=age)


def _mac(secret: bytes, issued: int, nonce: str, binding: str) -> str:
    message = f"entraide-form|{issued}|{nonce}|{binding}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
