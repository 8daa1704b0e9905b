"""The moderation log: one JSON line per decision — what, who, when, why — in ``moderation/log.jsonl``.

It is append-only and lives in the repository, so every decision is reviewable in git. It never holds
a post's text: a rejected post leaves only its id, the editor and the reason.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from entraide.project import Project


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def entries(project: Project) -> list[dict[str, Any]]:
    if not project.log_file.exists():
        return []
    found = []
    for line in project.log_file.read_text(encoding="utf-8").splitlines():
        try:
            found.append(json.loads(line))
        except ValueError:
            continue  # the half line of a write cut short by a crash; its operation was replayed
    return found


def append(project: Project, entry: dict[str, Any]) -> None:
    """Append ``entry`` unless that very line is already there (replays are harmless)."""
    append_all(project, [entry])


def append_all(project: Project, batch: list[dict[str, Any]], since: int | None = None) -> None:
    """Append each entry of ``batch`` that is not in the log yet, in one write and one fsync.

    ``since`` is the log's size when the batch was committed: only what follows it can hold the
    batch's lines (the project's lock keeps other writers out); without it the last 64 KB are read."""
    path = project.log_file
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(entry, ensure_ascii=False) for entry in batch]
    if path.exists():
        present = set(_tail(path, since=since).splitlines())
        lines = [line for line in lines if line not in present]
    if not lines:
        return
    with path.open("a", encoding="utf-8") as handle:
        if handle.tell() > 0 and not _ends_with_newline(path):
            handle.write("\n")  # a crash mid-line left half a line: keep the log parseable
        handle.write("".join(line + "\n" for line in lines))
        handle.flush()
        os.fsync(handle.fileno())


def _tail(path, size: int = 64 * 1024, since: int | None = None) -> str:  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        start = max(0, path.stat().st_size - size) if since is None else since
        handle.seek(max(0, min(start, path.stat().st_size)))
        return handle.read().decode("utf-8", "replace")


def _ends_with_newline(path) -> bool:  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
