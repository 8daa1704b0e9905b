"""One lock per project, held by every command that writes the index, ``site/``, ``content/`` or ``moderation/``.

Two editors (or an editor and CI) running ``entraide build``, ``accept`` or ``index`` at the same
time would otherwise interleave their writes: two Whoosh writers on one index, two moves of the same
submission, two sites swapped in turn. The lock is an OS file lock (``filelock``) on
``.entraide/lock``: the kernel releases it when its process dies, even by ``kill -9``, so a crash
never leaves the project locked.

It is re-entrant within a process: ``entraide build`` holds it and runs MkDocs, whose entraide
plugin takes it again for plain ``mkdocs build`` and ``mkdocs serve``; only the outermost holder
acquires and releases the file lock. A second process waits, saying once on stderr whom it waits
for, and gives up after a timeout (``ENTRAIDE_LOCK_TIMEOUT`` seconds, 600 by default) with a clear
message.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from entraide.errors import EntraideError

TIMEOUT_ENV = "ENTRAIDE_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 600.0
LOCK_FILE = "lock"
OWNER_FILE = "lock.owner"
"""The holder's process id, written once the lock is taken: what a waiting command names."""

_held: dict[Path, tuple[FileLock, int]] = {}
_guard = threading.RLock()


def state_dir(root: Path) -> Path:
    """The project's local, never committed state: the search index, the lock."""
    return root / ".entraide"


def timeout_from_env() -> float:
    """Seconds to wait for the lock: ``ENTRAIDE_LOCK_TIMEOUT``, else 10 minutes."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        raise EntraideError(f"{TIMEOUT_ENV}: expected a number of seconds; found {raw[:80]!r}") from None
    if value < 0 or value != value:
        raise EntraideError(f"{TIMEOUT_ENV}: expected a number of seconds, 0 or more; found {raw[:80]!r}")
    return value


@contextmanager
def project_lock(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of the project at ``root`` for the duration of the block."""
    acquire(root, timeout)
    try:
        yield
    finally:
        release(root)


def acquire(root: Path, timeout: float | None = None) -> None:
    """Take the project's lock, or count one more holder if this process has it already."""
    key = root.resolve()
    with _guard:
        if key in _held:
            lock, depth = _held[key]
            _held[key] = (lock, depth + 1)
            return
        folder = state_dir(key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise EntraideError(f"cannot create {folder} for the project's lock: {error.strerror}") from None
        lock = FileLock(str(folder / LOCK_FILE), thread_local=False)
        _wait_for(lock, folder, timeout_from_env() if timeout is None else timeout)
        _held[key] = (lock, 1)
        with contextlib.suppress(OSError):  # without it, only the waiting message misses the holder's pid
            (folder / OWNER_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")


def release(root: Path) -> None:
    """Undo one ``acquire``; the outermost one lets the file lock go."""
    key = root.resolve()
    with _guard:
        if key not in _held:
            return
        lock, depth = _held[key]
        if depth > 1:
            _held[key] = (lock, depth - 1)
            return
        del _held[key]
        lock.release()


def _wait_for(lock: FileLock, folder: Path, timeout: float) -> None:
    try:
        lock.acquire(timeout=0)
        return
    except Timeout:
        pass
    holder = _holder(folder)
    print(f"waiting for another entraide command ({holder}) to finish…", file=sys.stderr, flush=True)
    started = time.monotonic()
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        waited = time.monotonic() - started
        raise EntraideError(
            f"another entraide command ({_holder(folder)}) is still running on this project after {waited:.0f} s "
            f"of waiting; try again once it has finished (wait longer with {TIMEOUT_ENV}=SECONDS)"
        ) from None


def _holder(folder: Path) -> str:
    try:
        pid = (folder / OWNER_FILE).read_text(encoding="ascii").strip()
    except OSError:
        pid = ""
    return f"pid {pid}" if pid.isdigit() else "pid unknown"
