"""Where entraide keeps the state that drives writes: never in the checkout, where a pull request could put it.

A project in a git repository keeps it in its git directory (``<git-dir>/entraide/``): no commit can
write there, and whoever can write there already controls the repository (its hooks and config run
on every git command). The git directory is the worktree's own (``git rev-parse --git-dir``, which is
the common one for the main worktree), so two worktrees of one repository never replay each other's
operations. Any other project keeps it in the user's state folder (``$XDG_STATE_HOME``, else
``~/.local/state``), under ``entraide/<sha256 of the project's resolved root>/``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from entraide.errors import EntraideError

FOLDER_MODE = 0o700


def state_dir(root: Path) -> Path:
    """The private state folder of the project whose root is ``root`` (not created)."""
    root = root.resolve()
    git_dir = _git_dir(root)
    if git_dir is not None:
        top = _git(root, "rev-parse", "--show-toplevel")
        if top is not None and Path(top).resolve() == root:
            return git_dir / "entraide"
        return git_dir / "entraide" / _digest(root)  # a project in a subfolder of the repository
    base = os.environ.get("XDG_STATE_HOME") or ""
    home = Path(base) if Path(base).is_absolute() else Path.home() / ".local" / "state"
    return home / "entraide" / _digest(root)


def ensure(folder: Path) -> Path:
    """Create ``folder`` (readable by its owner only) if needed; refuse a link in its place."""
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as error:
        raise EntraideError(f"{folder}: cannot create entraide's state folder ({error.strerror or error})") from None
    if folder.is_symlink() or not folder.is_dir():
        raise EntraideError(f"{folder}: entraide's state folder is not a plain folder; remove it")
    return folder


def _digest(root: Path) -> str:
    return hashlib.sha256(os.fsencode(root)).hexdigest()


def _git_dir(root: Path) -> Path | None:
    found = _git(root, "rev-parse", "--absolute-git-dir")
    return Path(found).resolve() if found else None


def _git(root: Path, *args: str) -> str | None:
    """``git`` run in ``root``; ``None`` when git is missing or ``root`` is not in a repository."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    output = done.stdout.strip()
    return output if done.returncode == 0 and output else None
