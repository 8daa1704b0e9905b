"""Publishing a build: into a fresh folder beside the site, swapped in only once it is complete.

Both ways of building share this: ``entraide build`` (``builder.sitebuild``) and a plain ``mkdocs
build`` / ``properdocs build``, where the plugin redirects the output (MkDocs itself would empty
``site/`` before rendering a single page, so a late failure would leave no site at all).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from entraide.atomic import swap_directory

BUILD_PREFIX = "-build-"
MAX_FD = 65536


def fresh_folder(target: Path) -> Path:
    """Where this process builds the site that will replace ``target`` (same file system: a rename)."""
    remove_stale_builds(target)
    return target.with_name(f".{target.name}{BUILD_PREFIX}{os.getpid()}")


def publish(fresh: Path, target: Path, trash: Path | None = None) -> None:
    """Put the finished build in place of the previous site, in one step; the previous site is then
    moved into ``trash`` (a folder of the project's state) and deleted without the build waiting."""
    if not (fresh / "index.html").is_file():
        from entraide.errors import EntraideError

        raise EntraideError("the build produced no home page; the previous site is kept")
    old = swap_directory(fresh, target, keep_old=True)
    if old is not None:
        retire(old, trash)


def retire(old: Path, trash: Path | None) -> None:
    """Delete a previous site. Deleting 10,000 page folders takes seconds that a build need not wait
    for: the folder is moved into ``trash`` when it is on the same file system, and a detached
    process deletes everything there (what an interrupted one left too). Otherwise it is deleted here."""
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.rename(old, trash / f"{old.name}-{time.time_ns()}")
        except OSError:  # another file system, or no room to create the folder
            pass
        else:
            delete_detached([trash / name for name in os.listdir(trash)])
            return
    shutil.rmtree(old, ignore_errors=True)


def delete_detached(folders: list[Path]) -> None:
    """Delete ``folders`` in a process of their own that outlives this one, holds none of its files
    (not the project's lock, not the caller's pipes) and is never left a zombie (a double fork)."""
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
                for folder in folders:
                    shutil.rmtree(folder, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def discard(fresh: Path) -> None:
    shutil.rmtree(fresh, ignore_errors=True)


def remove_stale_builds(target: Path) -> None:
    """Folders left by a build that was killed: they are never a site, only litter."""
    if target.parent.is_dir():
        for stale in target.parent.glob(f".{target.name}{BUILD_PREFIX}*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - someone else's process
        return True
    return pid != os.getpid()
