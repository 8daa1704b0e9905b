"""Writes that are either complete or absent: a crash never leaves half a file or half a site."""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def write_text(path: Path, text: str, *, sync_folder: bool = True, durable: bool = True) -> None:
    """Write ``text`` to ``path`` through a temporary file, fsync and rename."""
    write_bytes(path, text.encode("utf-8"), sync_folder=sync_folder, durable=durable)


def write_bytes(path: Path, data: bytes, *, sync_folder: bool = True, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and rename.

    ``sync_folder=False`` leaves the rename's durability to the caller, who syncs the folder once
    for many files (a batch of decisions, under a journal that replays them all after a crash).
    ``durable=False`` leaves out both fsyncs: for many files that the caller makes durable at once
    (``sync_all``), since one fsync per file costs a disk flush each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable and sync_folder:
        fsync_dir(path.parent)


def sync_all() -> None:
    """Make every write before it durable: one flush for a whole batch of ``durable=False`` writes."""
    os.sync()


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_directory(new: Path, target: Path, keep_old: bool = False) -> Path | None:
    """Put the finished folder ``new`` in place of ``target``, then delete the old one (or, with
    ``keep_old``, return where it now is, for the caller to dispose of).

    On Linux both names are exchanged in one atomic step (``renameat2(RENAME_EXCHANGE)``), so
    ``target`` is never missing, not even for an instant; elsewhere two renames follow each other.
    """
    if not target.exists():
        os.replace(new, target)
        return None
    if _exchange(new, target):
        old = new  # ``new`` now holds the previous folder
    else:
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
        os.replace(new, target)
    if keep_old:
        return old
    shutil.rmtree(old)
    return None


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
