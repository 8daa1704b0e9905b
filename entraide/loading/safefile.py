"""Open only regular files: a planted link or special file is refused, never followed or read.

A symbolic link in a checkout can point at ``.git/config`` or ``/etc/passwd``, which a build would
then publish; a FIFO makes a reader wait forever; a device can be read without end. So a file is
``lstat``-ed first, opened with ``O_NOFOLLOW`` and ``O_NONBLOCK`` (no link followed, no wait on a
FIFO that appeared since), and ``fstat``-ed again on the open descriptor before one byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

ONLY_REGULAR = "entraide reads only regular files"


class NotRegular(OSError):
    """``path`` is a link, a folder or a special file; ``message`` says which, for a ``Problem``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.strerror = message


def kind(mode: int) -> str | None:
    """What a non-regular file is, in words (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def problem(path: Path) -> str | None:
    """Why ``path`` must not be read (``is a symbolic link; …``), or ``None`` for a regular file."""
    what = kind(os.lstat(path).st_mode)
    return f"is {what}; {ONLY_REGULAR}" if what else None


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the regular file ``path``; ``NotRegular`` for anything else."""
    return read_with_status(path, max_bytes)[0]


def read_with_status(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """``read_bytes``, with the status of the very file read (``fstat`` of the open descriptor)."""
    if found := problem(path):
        raise NotRegular(found)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):  # replaced by a link since the lstat: ELOOP
            raise NotRegular(f"is a symbolic link; {ONLY_REGULAR}") from None
        raise error
    try:
        status = os.fstat(fd)
        if what := kind(status.st_mode):
            raise NotRegular(f"is {what}; {ONLY_REGULAR}")
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), status
    finally:
        os.close(fd)


def folder_problem(path: Path) -> str | None:
    """Why the folder ``path`` must not be walked (a link, or not a folder), or ``None``."""
    mode = os.lstat(path).st_mode
    if stat.S_ISDIR(mode):
        return None
    if stat.S_ISLNK(mode):
        return f"is a symbolic link; {ONLY_REGULAR} and folders"
    return None
