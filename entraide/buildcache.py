"""What earlier builds already worked out, keyed by the bytes it came from: parsed front matter, rendered posts.

A warm build still reads every post file, but parses its YAML and renders its Markdown only when those
bytes are new. A key is a digest of the input together with a fingerprint of the code that turns it
into the value (entraide's own source files and the versions of the libraries it relies on), so an
edited post, an edited parser or an upgraded Markdown library is never served a stale result.

The cache is one SQLite file under ``.entraide/cache/`` (private state, never committed: the build
refuses a committed ``.entraide/``). Values are read back through an unpickler that knows only the
content model's field classes and dates, so even a planted file cannot run code; a cache that cannot be
read is ignored and rebuilt. Entries no build used are pruned once they are a quarter of the file.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import entraide

FILE_NAME = "build.sqlite"
FORMAT = 1
LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "linkify-it-py", "nh3", "python-slugify")
"""What a cached value also depends on, besides entraide's own code."""
ALLOWED_CLASSES = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("entraide.model", "ThreadFields"),
    ("entraide.model", "ReplyFields"),
}


class _ModelUnpickler(pickle.Unpickler):
    """Builds nothing but the content model's field records and dates."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not a cached value")
        return super().find_class(module, name)


def dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=5)


def loads(data: bytes) -> Any:
    return _ModelUnpickler(io.BytesIO(data)).load()


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """A digest of entraide's source and of the libraries' versions: any change to either starts afresh."""
    digest = hashlib.blake2b(f"{FORMAT}:{entraide.__version__}".encode(), digest_size=16)
    add_code(digest, Path(entraide.__file__).resolve().parent, LIBRARIES)
    return digest.digest()


def add_code(digest: Any, package: Path, libraries: tuple[str, ...]) -> None:
    """Feed ``digest`` with every source file of ``package`` and the installed versions of ``libraries``."""
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    for library in libraries:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())


def key_of(*parts: str | bytes) -> bytes:
    """The key of a value made from ``parts`` by the current code."""
    digest = hashlib.blake2b(code_fingerprint(), digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


class BuildCache:
    """Values by kind and key: read whole at first use, new ones written in one transaction by ``save``."""

    def __init__(self, folder: Path | None):
        self.path = folder / FILE_NAME if folder is not None else None
        self._kinds: dict[str, dict[bytes, bytes]] = {}
        self._new: dict[tuple[str, bytes], bytes] = {}
        self._used: dict[str, set[bytes]] = {}
        self._one_by_one: set[str] = set()
        self._reader: sqlite3.Connection | None = None
        self._reader_pid = 0
        self.hits = self.misses = 0

    def read_one_by_one(self, kind: str) -> None:
        """Read ``kind``'s entries one at a time, when asked for, instead of whole at first use: for a
        kind a build needs a few of (the HTML of the posts of the pages it renders), out of many."""
        self._one_by_one.add(kind)

    def _entries(self, kind: str) -> dict[bytes, bytes]:
        if kind not in self._kinds:
            self._kinds[kind] = {} if kind in self._one_by_one else self._read(kind)
            self._used.setdefault(kind, set())
        return self._kinds[kind]

    def _lookup(self, kind: str, key: bytes) -> bytes | None:
        """One entry: from what this build read or made, else (for a kind read one by one) the file."""
        entries = self._entries(kind)
        data = entries.get(key)
        if data is None and kind in self._one_by_one and (data := self._read_one(kind, key)) is not None:
            entries[key] = data
        return data

    def _read_one(self, kind: str, key: bytes) -> bytes | None:
        if self.path is None or not self.path.is_file():
            return None
        try:
            if self._reader is None or self._reader_pid != os.getpid():  # a forked worker opens its own
                self._reader, self._reader_pid = sqlite3.connect(self.path, timeout=30), os.getpid()
            row = self._reader.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
        except sqlite3.Error:
            return None
        return bytes(row[0]) if row is not None else None

    def _stored_keys(self, kind: str) -> set[bytes]:
        """The keys of ``kind`` in the file (for pruning a kind read one by one)."""
        if kind not in self._one_by_one:
            return set(self._kinds.get(kind, {}))
        if self.path is None or not self.path.is_file():
            return set()
        try:
            with _connect(self.path) as connection:
                rows = connection.execute("SELECT key FROM entries WHERE kind = ?", (kind,)).fetchall()
        except sqlite3.Error:
            return set()
        return {bytes(key) for (key,) in rows}

    def _read(self, kind: str) -> dict[bytes, bytes]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            with _connect(self.path) as connection:
                rows = connection.execute("SELECT key, value FROM entries WHERE kind = ?", (kind,)).fetchall()
        except sqlite3.Error:
            return {}
        return {bytes(key): bytes(value) for key, value in rows}

    def get(self, kind: str, key: bytes, decode: Callable[[bytes], Any]) -> Any | None:
        """The value stored under ``key``, or None (also when it cannot be decoded)."""
        data = self._lookup(kind, key)
        if data is None:
            self.misses += 1
            return None
        try:
            value = decode(data)
        except Exception:  # a damaged or foreign entry is a miss, never a failed build
            self.misses += 1
            return None
        self._used[kind].add(key)
        self.hits += 1
        return value

    def has(self, kind: str, key: bytes) -> bool:
        return self._lookup(kind, key) is not None

    def keep(self, kind: str, key: bytes) -> None:
        """Keep the entry under ``key`` (if any) past the next prune, without reading it: a page that was
        not rendered still shows that post."""
        self._entries(kind)
        self._used[kind].add(key)

    def put(self, kind: str, key: bytes, data: bytes) -> None:
        entries = self._entries(kind)
        if self._lookup(kind, key) != data:
            entries[key] = data
            self._new[(kind, key)] = data
        self._used[kind].add(key)

    def memo(self, kind: str, key: bytes, make: Callable[[], str]) -> str:
        """The text stored under ``key``, else ``make()`` stored there."""
        found = self.get(kind, key, lambda data: data.decode("utf-8", "surrogatepass"))
        if found is None:
            found = make()
            self.put(kind, key, found.encode("utf-8", "surrogatepass"))
        return found

    def mark(self) -> int:
        """Where this cache's new entries stand, for ``changes`` (before forking a worker)."""
        return len(self._new)

    def changes(self, since: int) -> tuple[list[tuple[str, bytes, bytes]], dict[str, set[bytes]]]:
        """The entries added after ``mark()`` gave ``since``, and every key used: what a worker sends back."""
        added = list(self._new.items())[since:]
        return [(kind, key, data) for (kind, key), data in added], self._used

    def absorb(self, changes: tuple[list[tuple[str, bytes, bytes]], dict[str, set[bytes]]]) -> None:
        """Take in a worker's ``changes``, so that ``save`` keeps them and prunes nothing it used."""
        added, used = changes
        for kind, key, data in added:
            self.put(kind, key, data)
        for kind, keys in used.items():
            self._entries(kind)
            self._used[kind].update(keys)

    def save(self) -> None:
        """Write the new entries; drop unused ones once they are a quarter of what is stored."""
        if self.path is None:
            return
        stored = {kind: self._stored_keys(kind) for kind in self._kinds}
        stale = {kind: keys - self._used.get(kind, set()) for kind, keys in stored.items()}
        total = sum(len(keys) for keys in stored.values())
        prune = sum(len(keys) for keys in stale.values()) > max(total // 4, 100)
        if not self._new and not prune:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with _connect(self.path) as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO entries (kind, key, value) VALUES (?, ?, ?)",
                    [(kind, key, value) for (kind, key), value in self._new.items()],
                )
                if prune:
                    connection.executemany(
                        "DELETE FROM entries WHERE kind = ? AND key = ?",
                        [(kind, key) for kind, keys in stale.items() for key in keys],
                    )
        except sqlite3.Error:  # the cache only saves time: a failure to keep it costs the next build time
            return
        self._new.clear()


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """One transaction on the cache file: committed when the block ends, rolled back on an error."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS entries (kind TEXT, key BLOB, value BLOB, PRIMARY KEY (kind, key))"
        )
        connection.execute("BEGIN")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()
