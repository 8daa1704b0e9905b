"""A submission's file text, built and checked one way for every way in (``entraide new``, the intake form).

Both write exactly the text ``submission_text`` makes and accept it only if ``check_text`` finds no
error: the very checks ``entraide check`` runs on ``submissions/``, under the file's final name.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from entraide.model import ContentTree
from entraide.moderation import submissions
from entraide.writing import emit


def submission_text(metadata: dict[str, Any], body: str) -> str:
    """The front-matter Markdown of a submission: ``metadata`` in order, then the body."""
    return "---\n" + emit(metadata) + "\n---\n\n" + body.strip() + "\n"


CONSENT_COMMENT = re.compile(r"^# consent \((?P<lang>[a-z]{2})\): (?P<sentence>.+)$", re.MULTILINE)
"""How the exact consent sentence an author agreed to is kept in a submission's front matter."""


def with_consent(text: str, lang: str, sentence: str) -> str:
    """``text`` with, as a comment closing its front matter, the consent ``sentence`` agreed to."""
    head, rest = text.split("\n---\n", 1)
    return f"{head}\n# consent ({lang}): {sentence}\n---\n{rest}"


def consent_statement(text: str) -> str:
    """The consent sentence recorded in a submission's front matter, or ``""``."""
    text = text.lstrip("\ufeff")
    front = text.split("\n---", 1)[0] if text.startswith("---\n") and "\n---" in text else ""
    found = CONSENT_COMMENT.search(front)
    return f"({found['lang']}) {found['sentence'].strip()}" if found else ""


def check_text(name: str, text: str, tree: ContentTree | None, base: Path) -> submissions.Submission:
    """``text`` checked as ``entraide check`` checks ``submissions/<name>.md``; nothing is written."""
    with tempfile.TemporaryDirectory(prefix="entraide-check-") as scratch:
        trial = Path(scratch) / f"{name}.md"
        trial.write_text(text, encoding="utf-8")
        return submissions.check(trial, tree, base)
