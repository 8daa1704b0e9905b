"""The "did you mean" hint for a mistyped slug: one rule for every command that names a theme, tag or thread."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.75
"""Close matches only: a hint pointing at an unrelated slug would mislead more than it helps."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` is most likely a misspelling of, or None when none is close."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def hint(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for a close choice, else an empty string."""
    close = closest(word, choices)
    return f"; did you mean '{close}'?" if close else ""
