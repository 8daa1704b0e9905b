"""JSON records that prove this machine wrote them: an HMAC-SHA256 under a key kept in the state folder.

The state folder is already out of a pull request's reach; the seal adds that a record found there
(restored from a backup of another machine, copied in by hand…) is replayed only if it was written
here. The key is 32 random bytes, created on first use with mode 0600 beside the records it seals.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from entraide import atomic

KEY_FILE = "journal.key"
KEY_BYTES = 32
FORMAT = 1


class SealError(ValueError):
    """A record that is unreadable or whose seal does not verify: it must not be acted on."""


def seal(folder: Path, record: dict[str, Any]) -> str:
    """``record`` as the text of a sealed file, with the key of ``folder`` (created if missing)."""
    body = {"format": FORMAT, "record": record}
    key = _existing_key(folder) or _new_key(folder / KEY_FILE)
    return json.dumps({**body, "hmac": _mac(key, body)}, ensure_ascii=False, indent=1)


def unseal(folder: Path, text: str) -> dict[str, Any]:
    """The record of a sealed file's ``text``; ``SealError`` unless its seal verifies."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SealError(f"not JSON ({error})") from None
    if not isinstance(data, dict) or set(data) != {"format", "record", "hmac"} or data["format"] != FORMAT:
        raise SealError("not a sealed entraide record")
    key = _existing_key(folder)
    if key is None:
        raise SealError(f"no key to verify it ({folder / KEY_FILE} is missing)")
    body = {"format": data["format"], "record": data["record"]}
    if not isinstance(data["hmac"], str) or not hmac.compare_digest(data["hmac"], _mac(key, body)):
        raise SealError("its HMAC does not match: this machine did not write it, or it was changed since")
    if not isinstance(data["record"], dict):
        raise SealError("not a sealed entraide record")
    return data["record"]


def _mac(key: bytes, body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hmac.new(key, canonical, hashlib.sha256).hexdigest()


def _existing_key(folder: Path) -> bytes | None:
    path = folder / KEY_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as error:  # a link in its place (ELOOP), a folder…
        raise SealError(f"{path} cannot be read as a key ({error.strerror or error})") from None
    with os.fdopen(fd, "rb") as handle:
        key = handle.read(KEY_BYTES + 1)
    if len(key) != KEY_BYTES:
        raise SealError(f"{path} is not a key entraide wrote")
    return key


def _new_key(path: Path) -> bytes:
    """A fresh key, published whole with ``link`` (which never replaces): a reader never sees half a key."""
    key = secrets.token_bytes(KEY_BYTES)
    fd, temp = tempfile.mkstemp(prefix=".journal.key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temp, path)
    except FileExistsError:  # another process made it first: use theirs
        found = _existing_key(path.parent)
        if found is None:  # pragma: no cover - created, then removed at once
            raise SealError(f"{path} vanished while it was being created") from None
        return found
    finally:
        os.unlink(temp)
    atomic.fsync_dir(path.parent)
    return key
