"""The check of a contributor's pull request, run with the base branch's code on the PR's files as data.

A pull request may only add or change submissions: regular files ``submissions/<id>.md``. Anything
else it touches — code, templates, workflows, ``content/``, ``moderation/``, ``mkdocs.yml`` — and any
link, submodule, executable or other special file is a problem naming the path, for an editor to
handle by hand: the check never has to decide whether such a change is harmless. The submissions
themselves are read from git's object store (never checked out, so no link is ever followed), written
as plain files in a temporary folder and checked by the very code of ``entraide check``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from entraide.errors import ContentError, Problem
from entraide.gitrepo import Change, Repository
from entraide.loading.loader import load_content
from entraide.loading.postfile import MAX_FILE_BYTES
from entraide.model import ContentTree
from entraide.moderation import submissions
from entraide.project import Project
from entraide.wording import counted

REGULAR = "100644"
KINDS = {"120000": "a symbolic link", "160000": "a submodule", "100755": "an executable file"}
VERBS = {"A": "added", "D": "deleted", "M": "changed", "T": "changed"}
HAND = "an editor makes this change by hand"
SHOWN_PATH = 120


@dataclass
class PullRequestCheck:
    base: str
    head: str
    changed: int = 0
    submissions: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check_pull_request(project: Project, base: str, head: str, *, search_dir: Path | None = None) -> PullRequestCheck:
    """Every problem of the pull request from ``base`` to ``head`` in the repository of ``project``."""
    repository = Repository(project.root)
    top = repository.toplevel()
    result = PullRequestCheck(repository.commit(base, "--base"), repository.commit(head, "--head"))
    folder = os.path.relpath(project.submissions_dir, top)
    changes = repository.changes(result.base, result.head)
    result.changed = len(changes)
    accepted: list[Change] = []
    for change in changes:
        problem = path_problem(change, folder)
        if problem is None:
            accepted.append(change)
        else:
            result.problems.append(problem)
    result.submissions = len(accepted)
    if accepted:
        result.problems += _check_submissions(project, repository, accepted, top, search_dir or project.search_dir)
    result.problems.sort(key=lambda p: (p.path, p.line))
    return result


def path_problem(change: Change, folder: str) -> Problem | None:
    """Why the pull request may not make ``change``; ``None`` when it is a submission, added or changed."""
    shown = show_path(change.path)
    verb = VERBS.get(change.status, "changed")
    kind = None if change.new_mode in (REGULAR, "000000") else KINDS.get(change.new_mode, "not a regular file")
    parent, _, name = change.path.rpartition("/")
    if parent != folder.replace(os.sep, "/"):
        what = f" ({kind}, mode {change.new_mode})" if kind else ""
        return _problem(shown, "path", f"{verb} outside {folder}/{what}: a pull request may only add or change "
                                       f"submissions; {HAND}")
    if shown != change.path:
        return _problem(shown, "path", "the file name has control characters or is too long; name it as "
                                       f"{folder}/<id>.md")
    if kind:
        return _problem(shown, "mode", f"{kind} (mode {change.new_mode}): a pull request may only add regular files "
                                       f"(mode {REGULAR}); {HAND}")
    if change.status == "D":
        return _problem(shown, "path", "deleted: a pull request cannot remove a pending submission; an editor rejects "
                                       "it with entraide reject, which logs the decision")
    if not name.endswith(".md") or name.startswith(".") or name in submissions.IGNORED_NAMES:
        return _problem(shown, "path", f"not a submission: a pull request adds posts as {folder}/<id>.md; {HAND}")
    return None


def show_path(path: str) -> str:
    """A path as messages print it: control characters escaped, at most ``SHOWN_PATH`` characters."""
    shown = "".join(c if c.isprintable() else f"\\x{ord(c) & 0xFF:02x}" for c in path)
    return shown if len(shown) <= SHOWN_PATH else shown[: SHOWN_PATH - 1] + "…"


def _problem(path: str, field_name: str, message: str) -> Problem:
    return Problem(path, 1, field_name, message, code="pull-request")


def _check_submissions(
    project: Project, repository: Repository, changes: list[Change], top: Path, search_dir: Path
) -> list[Problem]:
    """The pull request's submissions, checked against the base's content exactly as ``entraide check`` does."""
    from search.service import similar_threads

    problems: list[Problem] = []
    tree: ContentTree | None = None
    try:
        tree = load_content(project.content_dir, base=top)
    except ContentError as error:
        shown = os.path.relpath(project.content_dir, top)
        count = len(error.problems)
        problems.append(_problem(shown, "", f"the base branch's content has {counted(count, 'problem')} "
                                            "(run entraide check on it): submissions were not checked against it"))
    with tempfile.TemporaryDirectory(prefix="entraide-pr-") as scratch:
        paths = []
        for change in changes:
            target = Path(scratch) / change.path
            if repository.blob_size(change.new_blob) > MAX_FILE_BYTES:
                too_large = f"the file is larger than {MAX_FILE_BYTES // 1024} KB"
                problems.append(_problem(show_path(change.path), "", too_large))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(repository.blob(change.new_blob))
            paths.append(target)
        waiting = _queue_with(project, paths)
        pending = [submissions.check(path, tree, Path(scratch), waiting) for path in sorted(paths)]
        similar = similar_threads(search_dir, submissions.new_thread_texts(pending))
        submissions.flag_duplicates(pending, similar, base=Path(scratch))
    return problems + [p for s in pending for p in s.problems]


def _queue_with(project: Project, paths: list[Path]) -> submissions.Queue:
    """The base's queue with the pull request's own posts added: an imported thread and its replies
    (or a reply and the reply it answers) may come in one pull request, or after an earlier one."""
    base = submissions.queue(project)
    replies = {path.stem for path in paths if submissions.names_a_thread(path)}
    threads = {path.stem for path in paths} - replies
    return submissions.Queue(
        base.pending_threads | threads, base.accepted_threads, base.pending_replies | replies
    )
