"""Posts held back by the intake's abuse checks: kept with the reason, never published, releasable.

``quarantine/`` sits beside ``submissions/``: ``<id>.md`` is the submission as it would have been
written, ``<id>.json`` why it was held. Nothing there is read by ``check``, ``review``'s queue,
``accept`` or the build; an editor who finds a post genuine releases it into ``submissions/``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from entraide import atomic
from entraide.errors import EntraideError
from entraide.project import Project
from entraide.slugs import slug_problem

FOLDER = "quarantine"


@dataclass(frozen=True)
class Held:
    id: str
    reason: str
    detail: str
    received: str


def folder(project: Project) -> Path:
    return project.root / FOLDER


def hold(where: Path, submission_id: str, text: str, reason: str, detail: str) -> Path:
    """Keep ``text`` with why it was held; the same post held twice stays one file."""
    record = {"id": submission_id, "reason": reason, "detail": detail,
              "received": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    atomic.write_text(where / f"{submission_id}.md", text)
    atomic.write_text(where / f"{submission_id}.json", json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return where / f"{submission_id}.md"


def count(where: Path) -> int:
    """How many posts ``where`` holds (one ``.json`` record each)."""
    try:
        return sum(1 for entry in os.scandir(where) if entry.name.endswith(".json"))
    except FileNotFoundError:
        return 0


def held(project: Project) -> list[Held]:
    """Every held-back post, oldest first."""
    found = []
    where = folder(project)
    for path in sorted(where.glob("*.json")) if where.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        if not isinstance(record, dict):
            record = {"reason": "unreadable"}
        found.append(Held(path.stem, str(record.get("reason", "")), str(record.get("detail", "")),
                          str(record.get("received", ""))))
    return sorted(found, key=lambda h: (h.received, h.id))


def release(project: Project, submission_id: str) -> Path:
    """Move a held-back post into ``submissions/``, where it is checked and reviewed like any other."""
    source = folder(project) / f"{submission_id}.md"
    if slug_problem(submission_id) or not source.is_file():
        known = ", ".join(h.id for h in held(project)) or "the quarantine is empty"
        raise EntraideError(f"no held-back post '{submission_id}' ({known})")
    target = project.submissions_dir / source.name
    if target.exists():
        raise EntraideError(f"{project.show(target)} already exists")
    atomic.write_text(target, source.read_text(encoding="utf-8"))
    os.chmod(target, 0o644)
    source.unlink()
    (folder(project) / f"{submission_id}.json").unlink(missing_ok=True)
    return target
