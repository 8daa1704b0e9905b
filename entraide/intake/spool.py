"""Durable writes: a submission is acknowledged only once its file is complete on disk.

``deliver`` writes ``submissions/<id>.md`` atomically and fsync'd (``entraide.atomic``): a crash
leaves the whole file or nothing. The id comes from the content, so the same post sent twice (a
double click, a retried request, two workers at once) lands on the same file and gets the same
receipt. What fails the abuse checks goes to quarantine instead (``entraide.moderation.quarantine``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from entraide import atomic


@dataclass(frozen=True)
class Receipt:
    id: str
    path: Path
    again: bool
    """The same post had already arrived: nothing was written this time."""


def deliver(folder: Path, submission_id: str, text: str) -> Receipt:
    """Put ``text`` in ``folder/<id>.md`` unless it is there already; return once it is on disk."""
    path = folder / f"{submission_id}.md"
    if path.is_file():
        return Receipt(submission_id, path, again=True)
    atomic.write_text(path, text)
    os.chmod(path, 0o644)
    return Receipt(submission_id, path, again=False)


def sweep(folder: Path, older_than: float = 0.0) -> list[Path]:
    """Delete the temporary files an interrupted write left in ``folder`` (never acknowledged posts).

    ``older_than`` spares files younger than that many seconds: another worker may be writing them.
    """
    import time

    removed = []
    for path in folder.glob(".*.tmp") if folder.is_dir() else []:
        try:
            if time.time() - path.lstat().st_mtime >= older_than and path.is_file():
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    return removed
