"""Retired sites: out of the way at once, emptied of their files in the background, their folders reused.

Publishing replaces the site in one rename (``builder.publish``); the folder it replaced goes into
the project's trash. Deleting 12,000 page folders, then making them again for the next build, costs
seconds: on ext4 ``mkdir`` is the slow step, about ten times a hard link. So a detached process
deletes only the *files* of the newest retired site and keeps its folders: a **skeleton**, marked
once complete. The next ``entraide build`` starts from that skeleton instead of an empty folder.

A skeleton holds no file at all, so whatever a build writes there is a new file: nothing can land in
a file the live site shares with it (unchanged pages are hard links). The folders the new site does
not use are removed before it is published, so it is the same tree a build from an empty folder makes.

One lock (``flock`` on ``.lock`` in the trash) orders the detached process and the builds: it holds
it while choosing and while emptying; a build only tries it, and starts from an empty folder when it
is taken. Folders to delete are first renamed ``*.doomed`` under the lock: no build ever takes one
that a deleter is still walking.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

LOCK = ".lock"
MARK = ".skeleton.json"
"""Written last into a skeleton: its folders, deepest first. A folder without it is not a skeleton."""
DOOMED = ".doomed"
MAX_FD = 65536
MAX_MARK = 64 << 20


def retire(old: Path, trash: Path | None) -> None:
    """Move a previous site into ``trash`` and let a detached process tidy the trash. A site on another
    file system (no rename possible) is deleted here."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(old, trash / f"{old.name}-{time.time_ns()}")
        except OSError:  # another file system, or no room to create the folder
            pass
        else:
            _detached(trash)
            return
    shutil.rmtree(old, ignore_errors=True)


def take_skeleton(trash: Path | None, fresh: Path) -> list[str]:
    """Move a complete skeleton to ``fresh`` (which must not exist) and return its folders, relative and
    deepest first (for ``prune``); an empty list, and no ``fresh``, when there is none to take or the
    trash is being tidied."""
    if trash is None or not trash.is_dir():
        return []
    with _locked(trash, wait=False) as locked:
        if not locked:
            return []
        for folder in sorted(_entries(trash), key=_retired_at, reverse=True):
            folders = _mark(folder)
            if folders is None:
                continue
            try:
                os.rename(folder, fresh)
            except OSError:
                return []
            try:
                os.unlink(fresh / MARK)
            except OSError:
                shutil.rmtree(fresh, ignore_errors=True)
                return []
            return folders
    return []


def prune(fresh: Path, folders: list[str]) -> None:
    """Remove the skeleton's folders that the new build left empty (``rmdir`` refuses the others)."""
    for relative in folders:
        with suppress(OSError):
            os.rmdir(fresh / relative)


def tidy(trash: Path) -> None:
    """Keep the newest retired site as a skeleton (its files deleted, its folders kept); delete the rest."""
    with _locked(trash, wait=True) as locked:
        if not locked:
            return
        entries = _entries(trash)
        retired = [folder for folder in entries if _mark(folder) is None]
        keep = max(retired or entries, key=_retired_at, default=None)
        for name in _names(trash):  # older sites and skeletons, and anything that is not a folder
            if trash / name != keep:
                _doom(trash / name)
        if keep is not None and keep in retired:
            _empty(keep)
    for name in os.listdir(trash):
        if name.endswith(DOOMED):
            path = trash / name
            if _is_folder(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                _unlink(path)


def _empty(folder: Path) -> None:
    """Delete every file (and link) under ``folder``, keep its folders, then mark it a skeleton."""
    folders: list[str] = []
    for parent, subfolders, names in os.walk(folder, topdown=False):
        for name in names:
            _unlink(os.path.join(parent, name))
        for name in subfolders:
            path = os.path.join(parent, name)
            if os.path.islink(path):
                _unlink(path)
            else:
                folders.append(os.path.relpath(path, folder))
    with open(folder / MARK, "w", encoding="utf-8") as mark:
        json.dump(folders, mark, ensure_ascii=False)


def _mark(folder: Path) -> list[str] | None:
    """The folders a complete skeleton lists, or None for a folder that is not one."""
    try:
        with open(folder / MARK, encoding="utf-8", errors="surrogateescape") as mark:
            folders = json.loads(mark.read(MAX_MARK))
    except (OSError, ValueError):
        return None
    if not isinstance(folders, list) or not all(_inside(name) for name in folders):
        return None
    return folders


def _inside(name: object) -> bool:
    """A relative folder name that stays inside the skeleton (``prune`` removes these folders)."""
    if not isinstance(name, str) or not name or "\0" in name:
        return False
    parts = Path(name).parts
    return not Path(name).is_absolute() and ".." not in parts


def _entries(trash: Path) -> list[Path]:
    """The trash's folders that a build may take or a deleter may keep (not the doomed, not the lock)."""
    return [trash / name for name in _names(trash) if _is_folder(trash / name)]


def _names(trash: Path) -> list[str]:
    return [name for name in os.listdir(trash) if name != LOCK and not name.endswith(DOOMED)]


def _retired_at(folder: Path) -> int:
    stamp = folder.name.rsplit("-", 1)[-1]
    return int(stamp) if stamp.isdigit() else 0


def _doom(path: Path) -> None:
    with suppress(OSError):
        os.rename(path, path.with_name(path.name + DOOMED))


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def _unlink(path: str | Path) -> None:
    with suppress(OSError):
        os.unlink(path)


@contextmanager
def _locked(trash: Path, wait: bool) -> Iterator[bool]:
    try:
        descriptor = os.open(trash / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def _detached(trash: Path) -> None:
    """``tidy`` in a process of its own that outlives this one, holds none of its files (not the
    project's lock, not the caller's pipes) and is never left a zombie (a double fork)."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the detached side, which leaves through os._exit
        try:
            os.setsid()
            if os.fork() == 0:
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                os.closerange(3, MAX_FD)
                os.nice(19)  # the next build (an editor often builds again at once) comes first
                tidy(trash)
        finally:
            os._exit(0)
    os.waitpid(child, 0)
