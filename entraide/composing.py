"""A submission's file text, built and checked one way for every way in (``entraide new``, the intake form).

Both write exactly the text ``submission_text`` makes and accept it only if ``check_text`` finds no
error: the very checks ``entraide check`` runs on ``submissions/``, under the file's final name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from entraide.model import ContentTree
from entraide.moderation import submissions
from entraide.writing import emit


def submission_text(metadata: dict[str, Any], body: str) -> str:
    """The front-matter Markdown of a submission: ``metadata`` in order, then the body."""
    return "---\n" + emit(metadata) + "\n---\n\n" + body.strip() + "\n"


def check_text(name: str, text: str, tree: ContentTree | None, base: Path) -> submissions.Submission:
    """``text`` checked as ``entraide check`` checks ``submissions/<name>.md``; nothing is written."""
    with tempfile.TemporaryDirectory(prefix="entraide-check-") as scratch:
        trial = Path(scratch) / f"{name}.md"
        trial.write_text(text, encoding="utf-8")
        return submissions.check(trial, tree, base)
