"""Crash-safe moderation operations: written ahead to a journal, replayed until complete.

An operation (accept, reject, withdraw, redact) is a set of file writes, file deletions and one
moderation-log entry. It is first written whole to the journal (atomically); that write is the
commit point. Then each step runs, and every step is idempotent: a file is written
atomically with its final text, a log entry is appended only if its id is not in the log yet, a
deletion ignores what is already gone. Killed at any moment, the operation is either not committed
(nothing changed: the submission is still pending) or committed, and the next entraide command
replays it to the end (``recover``). Nothing is lost, nothing is done twice.

Several operations on distinct files (a batch of accepted posts) can share one journal record
(``run_all``): one commit, then every file is written, the log gets all their entries in one
append, every submission is deleted, and each folder touched is synced once for the lot — the
journal is removed only once everything is on disk, so a crash at any point replays the whole group.

Since the journal drives writes, it lives where no pull request can put it (``statedir``: the git
directory, or the user's state folder), and it is sealed (``sealed``: an HMAC under a key of this
machine): a journal that does not verify is refused, never replayed. A file at the place older versions
used, ``moderation/.journal.json`` inside the checkout, is never replayed either: ``entraide check``
reports it, and every other command and the build refuse to run until an editor has removed it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from entraide import atomic, sealed, statedir
from entraide.errors import EntraideError, Problem
from entraide.faults import FAULT_ENV, checkpoint
from entraide.moderation import log
from entraide.project import LEGACY_JOURNAL, Project

__all__ = ["FAULT_ENV", "Operation", "checkpoint", "recover", "run", "run_all"]

LEGACY_MESSAGE = (
    "never replayed: entraide keeps its moderation journal outside the checkout, so this file was planted "
    "(by a pull request?) or left over by an older entraide; inspect it, take again any decision it holds, "
    "then delete it"
)


@dataclass
class Operation:
    entry: dict[str, Any]
    writes: dict[str, str] = field(default_factory=dict)
    """Project-relative path → full final text."""
    deletes: list[str] = field(default_factory=list)
    """Project-relative paths of files, or of folders that must be empty once the files are gone."""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


def run(project: Project, operation: Operation) -> None:
    """Commit ``operation`` to the journal, then carry it out."""
    run_all(project, [operation])


def run_all(project: Project, operations: list[Operation]) -> None:
    """Commit ``operations`` to the journal as one record, then carry them all out.

    They must touch distinct files: all writes are done first, then all log entries, then all
    deletions."""
    if not operations:
        return
    refuse_legacy(project)
    recover(project)
    allowed = _allowed(project)
    for operation in operations:
        for path in [*operation.writes, *operation.deletes]:
            _confined(project, path, allowed)
        operation.entry = {"op": operation.id, **operation.entry}
    checkpoint("before-journal")
    folder = statedir.ensure(project.journal_file.parent)
    log_size = project.log_file.stat().st_size if project.log_file.is_file() else 0
    record = {"project": str(project.root), "operations": [asdict(op) for op in operations], "log_size": log_size}
    try:
        text = sealed.seal(folder, record)
    except sealed.SealError as error:
        raise EntraideError(f"{error}; remove that file") from None
    atomic.write_text(project.journal_file, text)
    checkpoint("journal-written")
    _apply(project, operations, log_size)


def recover(project: Project) -> bool:
    """Finish an operation a crash interrupted; ``True`` if there was one.

    Only a journal sealed on this machine for this project is replayed; anything else is refused
    with the file's name, and nothing is changed.
    """
    path = project.journal_file
    if not os.path.lexists(path):
        return False
    try:
        if path.is_symlink() or not path.is_file():
            raise sealed.SealError("it is not a plain file")
        record = sealed.unseal(path.parent, path.read_text(encoding="utf-8"))
        if record.get("project") != str(project.root):
            raise sealed.SealError(f"it was written for another project ({str(record.get('project'))[:80]})")
        if "operations" in record:
            operations = [Operation(**item) for item in record["operations"]]
            log_size = record.get("log_size")
        else:  # one operation, as entraide wrote it before batches
            operations, log_size = [Operation(**record["operation"])], None
    except (sealed.SealError, OSError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise EntraideError(
            f"{path}: this moderation journal is not replayed ({error}). Inspect it: take again any "
            "decision it holds that moderation/log.jsonl does not list, then delete the file"
        ) from None
    _apply(project, operations, log_size if isinstance(log_size, int) else None)
    return True


def legacy_problem(project: Project, base: Path) -> Problem | None:
    """The problem ``entraide check`` reports for a journal at the old place in the checkout."""
    path = project.legacy_journal_file
    if not os.path.lexists(path):
        return None
    return Problem(os.path.relpath(path, base), 1, "", LEGACY_MESSAGE, code="planted-journal")


def refuse_legacy(project: Project) -> None:
    """Stop before any change while a journal sits at the old place in the checkout."""
    if os.path.lexists(project.legacy_journal_file):
        raise EntraideError(f"{LEGACY_JOURNAL}: {LEGACY_MESSAGE}")


BATCH = 8
"""Operations writing more files than this (an import, a batch) flush them to disk once, not one by one;
a crash before that flush is replayed like any other, since each file is compared with its final text."""


def _apply(project: Project, operations: list[Operation], log_size: int | None) -> None:
    """Carry out committed operations; every step is idempotent, so a replay finishes the job."""
    allowed = _allowed(project)
    batch = sum(len(operation.writes) for operation in operations) > BATCH
    folders: set[Path] = set()
    for operation in operations:
        for relative, text in operation.writes.items():
            target = _confined(project, relative, allowed)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                if not target.parent.exists():
                    folders.add(target.parent.parent)  # a new thread's folder: its entry must last too
                atomic.write_text(target, text, sync_folder=False, durable=not batch)
                folders.add(target.parent)
            checkpoint("written")
    if batch:
        atomic.sync_all()
    else:
        for folder in sorted(folders):
            if folder.exists():
                atomic.fsync_dir(folder)
    log.append_all(project, [operation.entry for operation in operations], since=log_size)
    checkpoint("logged")
    folders = set()
    for operation in operations:
        for relative in operation.deletes:
            target = _confined(project, relative, allowed)
            if target.is_dir():
                for child in target.iterdir():
                    if child.name.startswith(".") and child.is_file():
                        child.unlink()  # editors' stray temp files
                target.rmdir()
            else:
                target.unlink(missing_ok=True)
            folders.add(target.parent)
            checkpoint("deleted")
    for folder in sorted(folders):
        if folder.exists():
            atomic.fsync_dir(folder)
    project.journal_file.unlink(missing_ok=True)
    atomic.fsync_dir(project.journal_file.parent)


def _confined(project: Project, relative: str, allowed: tuple[Path, ...] | None = None) -> Path:
    """A project path that cannot escape the project's content, submissions or moderation folders
    (``allowed``: those folders resolved, when the caller checks many paths)."""
    target = (project.root / relative).resolve()
    allowed = allowed or _allowed(project)
    if not any(target == folder or folder in target.parents for folder in allowed):
        raise EntraideError(f"refusing to touch {relative}: outside the project's folders")
    return target


def _allowed(project: Project) -> tuple[Path, ...]:
    return project.content_dir, project.submissions_dir.resolve(), project.moderation_dir.resolve()
