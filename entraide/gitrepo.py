"""A git repository read as data: the changes between two commits and the blobs they name.

Nothing here checks a commit out or asks git to run anything of the repository's (no external diff,
no text conversion, no filters, no replace objects), so a pull request's commit can be inspected
without any of its files landing on disk or any of its settings taking effect.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from entraide.errors import EntraideError

TIMEOUT = 120
_SHA = re.compile(r"^[0-9a-f]{40}([0-9a-f]{24})?$")


@dataclass(frozen=True)
class Change:
    """One path changed between two commits, as ``git diff --raw`` lists it."""

    status: str
    """``A`` added, ``M`` modified, ``D`` deleted, ``T`` type changed…"""
    old_mode: str
    new_mode: str
    new_blob: str
    path: str
    """As stored in git, decoded as UTF-8 (undecodable bytes kept as escapes)."""


class Repository:
    def __init__(self, folder: Path):
        self.folder = folder

    def toplevel(self) -> Path:
        return Path(self._run("rev-parse", "--show-toplevel").decode().strip()).resolve()

    def commit(self, rev: str, option: str) -> str:
        """The full id of the commit ``rev`` names; ``option`` is how the user gave it, for messages."""
        if not rev or rev.startswith("-") or any(ord(c) < 32 for c in rev):
            raise EntraideError(f"{option} {rev[:80]!r}: not a commit")
        try:
            found = self._run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
        except EntraideError:
            found = ""
        if not _SHA.match(found):
            raise EntraideError(
                f"{option} {rev[:80]}: no such commit in this repository (fetch it first: git fetch origin {rev[:80]})"
            )
        return found

    def changes(self, base: str, head: str) -> list[Change]:
        """What ``head`` changes since it forked from ``base`` (their merge base), renames as delete + add."""
        raw = self._run(
            "diff", "--raw", "-z", "--no-renames", "--no-abbrev", "--no-ext-diff", "--no-textconv",
            "--ignore-submodules=none", f"{base}...{head}", "--",
        )
        fields = raw.split(b"\0")
        changes = []
        for meta, path in zip(fields[0::2], fields[1::2], strict=False):
            if not meta.startswith(b":"):
                break
            old_mode, new_mode, _old_blob, new_blob, status = meta[1:].decode().split(" ")
            changes.append(Change(status[:1], old_mode, new_mode, new_blob, path.decode("utf-8", "surrogateescape")))
        return changes

    def tracked(self, *paths: str) -> list[str]:
        """Which of ``paths`` (files or folders) git tracks; none when the folder is not a repository."""
        try:
            listed = self._run("ls-files", "-z", "--full-name", "--", *paths)
        except EntraideError:
            return []
        return [name.decode("utf-8", "surrogateescape") for name in listed.split(b"\0") if name]

    def run_log(self, *args: str) -> bytes:
        """The output of a read-only git command (``log``…), for callers that parse it themselves."""
        return self._run(*args)

    def blob_size(self, blob: str) -> int:
        return int(self._run("cat-file", "-s", blob).decode().strip())

    def blob(self, blob: str) -> bytes:
        """The bytes of a blob, straight from the object store (no filter, no checkout)."""
        return self._run("cat-file", "blob", blob)

    def _run(self, *args: str) -> bytes:
        env = {**os.environ, "GIT_NO_REPLACE_OBJECTS": "1", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        try:
            done = subprocess.run(
                ["git", *args], cwd=self.folder, capture_output=True, env=env, timeout=TIMEOUT, check=False
            )
        except FileNotFoundError:
            raise EntraideError("git is not installed; the pull-request check reads the repository with it") from None
        except (OSError, subprocess.SubprocessError) as error:
            raise EntraideError(f"git {args[0]} failed ({error})") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EntraideError(f"git {args[0]}: {message[-1] if message else 'failed'}")
        return done.stdout
