"""What ``entraide check PATH…`` checks for each path it is given.

Inside ``content/`` and ``submissions/`` a path only narrows the report of the whole check. Elsewhere
a Markdown file is checked as a submission, by the same rules as one in ``submissions/``: ``entraide
new`` keeps a refused post in ``drafts/`` and says to fix it there, so checking a draft must really
check it. A path that does not exist, or that is not a Markdown post, is an error naming it: "no
problem" must never mean "nothing was looked at".
"""

from __future__ import annotations

import os
from pathlib import Path

from entraide.errors import Problem
from entraide.model import ContentTree
from entraide.moderation import submissions
from entraide.moderation.submissions import Submission
from entraide.project import Project

PATH_FIELD = "path"


def outside_posts(
    project: Project, paths: tuple[Path, ...], tree: ContentTree | None, base: Path
) -> tuple[list[Submission], list[Problem]]:
    """The posts given outside ``content/`` and ``submissions/``, checked as submissions, and a
    problem for each path that names nothing to check."""
    unchecked: list[Problem] = []
    content, pending = _real(project.content_dir), _real(project.submissions_dir)
    posts: list[Path] = []
    for path in paths:
        where = _real(path)
        if where in (content, pending):
            continue  # the folders the whole check reads, even when there is none (an empty queue)
        if not os.path.lexists(path):
            unchecked.append(_problem(path, "no such file or folder"))
        elif _within(where, content) or _within(content, where) or _within(pending, where):
            continue  # the whole check reports what is there
        elif _within(where, pending):
            if not path.is_dir() and not _is_post(path):
                unchecked.append(_problem(path, _NOT_A_POST))
        elif path.is_dir() and not path.is_symlink():
            try:
                found = [child for child in sorted(path.iterdir()) if _is_post(child)]
            except OSError as error:
                unchecked.append(_problem(path, f"cannot be read: {error.strerror or error}"))
                continue
            posts += found
            if not found:
                unchecked.append(_problem(path, "holds no Markdown post (.md file) to check"))
        elif _is_post(path):
            posts.append(path)
        else:
            unchecked.append(_problem(path, _NOT_A_POST))
    waiting = submissions.queue(project)
    checked = [submissions.check(post, tree, base, waiting) for post in dict.fromkeys(posts)]
    return checked, unchecked


_NOT_A_POST = "is not a Markdown post: give a .md file, or a folder of them"


def _is_post(path: Path) -> bool:
    return path.suffix == ".md" and path.name not in submissions.IGNORED_NAMES and not path.name.startswith(".")


def _problem(path: Path, message: str) -> Problem:
    """The path as it was given: the person typed it, and it may lie outside the project."""
    return Problem(str(path), 1, PATH_FIELD, message)


def _real(path: Path) -> Path:
    """``path`` absolute, its folders' links resolved but not a link it is itself (which the check
    reports rather than follows)."""
    absolute = path.absolute()
    if absolute.name in ("", ".", ".."):
        return absolute.resolve()
    return Path(os.path.realpath(absolute.parent)) / absolute.name


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
