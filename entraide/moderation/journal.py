"""Crash-safe moderation operations: written ahead to a journal, replayed until complete.

An operation (accept, reject, withdraw, redact) is a set of file writes, file deletions and one
moderation-log entry. It is first written whole to ``moderation/.journal.json`` (atomically); that
write is the commit point. Then each step runs, and every step is idempotent: a file is written
atomically with its final text, a log entry is appended only if its id is not in the log yet, a
deletion ignores what is already gone. Killed at any moment, the operation is either not committed
(nothing changed: the submission is still pending) or committed, and the next entraide command
replays it to the end (``recover``). Nothing is lost, nothing is done twice.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from entraide import atomic
from entraide.errors import EntraideError
from entraide.faults import FAULT_ENV, checkpoint
from entraide.moderation import log
from entraide.project import Project

__all__ = ["FAULT_ENV", "Operation", "checkpoint", "recover", "run"]


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
    if project.journal_file.exists():
        recover(project)
    for path in [*operation.writes, *operation.deletes]:
        _confined(project, path)
    operation.entry = {"op": operation.id, **operation.entry}
    checkpoint("before-journal")
    atomic.write_text(project.journal_file, json.dumps(asdict(operation), ensure_ascii=False, indent=1))
    checkpoint("journal-written")
    _apply(project, operation)


def recover(project: Project) -> bool:
    """Finish an operation a crash interrupted; ``True`` if there was one."""
    path = project.journal_file
    if not path.exists():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        operation = Operation(**data)
    except (ValueError, TypeError) as error:
        raise EntraideError(
            f"{project.show(path)}: unreadable moderation journal ({error}); inspect it by hand"
        ) from None
    _apply(project, operation)
    return True


def _apply(project: Project, operation: Operation) -> None:
    for relative, text in operation.writes.items():
        target = _confined(project, relative)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            atomic.write_text(target, text)
        checkpoint("written")
    log.append(project, operation.entry)
    checkpoint("logged")
    for relative in operation.deletes:
        target = _confined(project, relative)
        if target.is_dir():
            for child in target.iterdir():
                if child.name.startswith(".") and child.is_file():
                    child.unlink()  # editors' stray temp files
            target.rmdir()
        else:
            target.unlink(missing_ok=True)
        checkpoint("deleted")
    for folder in {(project.root / relative).parent for relative in operation.deletes}:
        if folder.exists():
            atomic.fsync_dir(folder)
    project.journal_file.unlink()
    atomic.fsync_dir(project.journal_file.parent)


def _confined(project: Project, relative: str) -> Path:
    """A project path that cannot escape the project's content, submissions or moderation folders."""
    target = (project.root / relative).resolve()
    allowed = (project.content_dir, project.submissions_dir.resolve(), project.moderation_dir.resolve())
    if not any(target == folder or folder in target.parents for folder in allowed):
        raise EntraideError(f"refusing to touch {relative}: outside the project's folders")
    return target
