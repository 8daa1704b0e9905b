"""Digests of files' bytes, remembered by file status: a warm build need not read 50,000 unchanged posts.

As git's index does, a file's digest is taken again from the bytes only when its status changed: the
device, inode, size, modification time and change time recorded with it. The change time (ctime) cannot
be set from user space: writing, renaming, linking or restoring a modification time all set it to the
clock's present, so a file edited since it was digested never shows the recorded status again. One
gap remains, the one git calls "racily clean": an edit within the file system's timestamp granularity
of the read leaves the change time as it was. So a digest is recorded only for a file whose change
time was at least ``SETTLED_NS`` old when it was read; a younger one is read again next time.

The records live in the build cache (``entraide.buildcache``, kind ``file-digest``), by absolute path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import time
from pathlib import Path

from entraide.buildcache import BuildCache
from entraide.loading import safefile

KIND = "file-digest"
SETTLED_NS = 2_000_000_000
"""How old a file's change time must be, when it is read, for its digest to be remembered."""
_STATUS = struct.Struct("<6q")


def status_stamp(status: os.stat_result) -> bytes:
    """What must stay equal for a remembered digest to hold."""
    return _STATUS.pack(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns,
                        status.st_mode)


class FileDigests:
    """``digest`` of a regular file, from the build cache when its status is the one recorded.

    One build takes one: the up-to-date check walks the content folder, then the loader keys each
    thread folder by the same files. ``entries`` keeps each folder's listing, with the status of
    every entry as it was first taken, so the second walk makes no system call; what the loader
    then reads is checked against those statuses (``same_entries``)."""

    def __init__(self, cache: BuildCache):
        self.cache = cache
        self.read = 0
        self._listings: dict[str, list[os.DirEntry[str]]] = {}
        self._known: dict[str, bytes] = {}

    def entries(self, folder: str) -> list[os.DirEntry[str]]:
        """``folder``'s entries sorted by name, each with its ``lstat`` taken (``OSError`` if unreadable)."""
        found = self._listings.get(folder)
        if found is None:
            found = self._listings[folder] = _listing(folder)
        return found

    def same_entries(self, folder: str) -> bool:
        """Whether ``folder`` still holds the entries ``entries`` gave, each with the same status."""
        try:
            now = _listing(folder)
            before = self.entries(folder)
        except OSError:
            return False
        return [(entry.name, _stamp(entry)) for entry in now] == [(entry.name, _stamp(entry)) for entry in before]

    def forget(self) -> None:
        """Drop the listings (tens of thousands of entries on a large site) once every walk is done."""
        self._listings.clear()

    def digest(self, path: str | Path, status: os.stat_result, max_bytes: int) -> bytes:
        """The digest of the regular file ``path`` whose ``lstat`` is ``status``; ``safefile.NotRegular``
        or ``OSError`` when it cannot be read. Files over ``max_bytes`` are digested on their first
        ``max_bytes + 1`` bytes (their size, part of every key, tells them apart)."""
        key = str(path).encode("utf-8", "surrogateescape")
        stamp = status_stamp(status)
        found = self._known.get(str(path)) or self.cache.get(KIND, key, bytes)
        if found is not None and found[: _STATUS.size] == stamp:
            self._known[str(path)] = found
            return found[_STATUS.size :]
        data, opened = safefile.read_with_status(Path(path), max_bytes)
        self.read += 1
        digest = hashlib.blake2b(data, digest_size=20).digest()
        settled = time.time_ns() - opened.st_ctime_ns >= SETTLED_NS
        if settled and status_stamp(opened) == stamp:  # the file read is the file whose status was given
            self.cache.put(KIND, key, stamp + digest)
        return digest


def _listing(folder: str) -> list[os.DirEntry[str]]:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    for entry in entries:
        with contextlib.suppress(OSError):  # gone since the listing: asked again, it fails for its caller
            entry.stat(follow_symlinks=False)  # taken now, and kept by the entry
    return entries


def _stamp(entry: os.DirEntry[str]) -> bytes | None:
    try:
        return status_stamp(entry.stat(follow_symlinks=False))
    except OSError:
        return None
