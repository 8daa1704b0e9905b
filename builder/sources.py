"""Every file a build reads or publishes from the project is a regular file inside the project.

A committed symbolic link (``templates/assets/entraide.css → ../../.git/config``, or to
``/etc/passwd``) would otherwise be followed, and its target copied to the public site; a FIFO
would hang the build. So before a build reads ``templates/`` and before MkDocs copies a single
file, each one is checked here without following links, and every offending file is reported at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from entraide.errors import Problem
from entraide.loading import safefile


def kind_problem(path: Path) -> str | None:
    """Why ``path`` is not a plain file or folder (checked without following a link), or ``None``."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISDIR(mode) or (what := safefile.kind(mode)) is None:
        return None
    if stat.S_ISLNK(mode):
        return f"is {what}; {safefile.ONLY_REGULAR}"
    return f"is not a regular file ({what}); {safefile.ONLY_REGULAR}"


def tree_problems(folder: Path, root: Path) -> list[Problem]:
    """Every link or special file under ``folder``; links to folders are reported, never entered."""
    if not folder.exists() and not folder.is_symlink():
        return []
    folder = Path(os.path.abspath(folder))
    if not _within(folder, root):
        return [Problem(str(folder), 0, "", "is outside the project; entraide never reads it")]
    problems = []
    if problem := kind_problem(folder):
        return [Problem(_show(folder, root), 0, "", problem)]
    for current, folders, names in os.walk(folder):  # os.walk never follows a link to a folder
        for name in sorted(folders + names):
            path = Path(current) / name
            if problem := kind_problem(path):
                problems.append(Problem(_show(path, root), 0, "", problem))
    return problems


def file_problems(paths: Iterable[Path], root: Path, outside_allowed: Iterable[Path]) -> list[Problem]:
    """Problems with files a build is about to copy: links on the way, special files, files elsewhere.

    A file inside ``root`` must be reached through plain folders only; a file outside it must come
    from one of ``outside_allowed`` (the installed theme and entraide's own static files).
    """
    allowed = [Path(os.path.abspath(folder)) for folder in outside_allowed]
    problems = []
    for path in paths:
        absolute = Path(os.path.abspath(path))
        if _within(absolute, root):
            step = root
            for part in absolute.relative_to(root).parts:
                step = step / part
                if problem := kind_problem(step):
                    problems.append(Problem(_show(step, root), 0, "", problem))
                    break
        elif not any(_within(absolute, folder) for folder in allowed):
            problems.append(Problem(str(absolute), 0, "", "is outside the project; entraide never publishes it"))
    return sorted(set(problems))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _show(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if _within(path, root) else str(path)
