"""Publishing a build: into a fresh folder beside the site, swapped in only once it is complete.

Both ways of building share this: ``entraide build`` (``builder.sitebuild``) and a plain ``mkdocs
build`` / ``properdocs build``, where the plugin redirects the output (MkDocs itself would empty
``site/`` before rendering a single page, so a late failure would leave no site at all).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from builder.trash import prune, retire
from entraide.atomic import swap_directory

BUILD_PREFIX = "-build-"


def fresh_folder(target: Path) -> Path:
    """Where this process builds the site that will replace ``target`` (same file system: a rename)."""
    remove_stale_builds(target)
    return target.with_name(f".{target.name}{BUILD_PREFIX}{os.getpid()}")


def publish(fresh: Path, target: Path, trash: Path | None = None, skeleton: list[str] | None = None) -> None:
    """Put the finished build in place of the previous site, in one step; the previous site is then
    moved into ``trash`` (a folder of the project's state) and deleted without the build waiting
    (``builder.trash``). A build that started from a ``skeleton`` first drops the folders it left empty."""
    prune(fresh, skeleton or [])
    if not (fresh / "index.html").is_file():
        from entraide.errors import EntraideError

        raise EntraideError("the build produced no home page; the previous site is kept")
    old = swap_directory(fresh, target, keep_old=True)
    if old is not None:
        retire(old, trash)


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
