"""Ordering and comparing labels as a French reader does: accents, case and ligatures set aside.

Python sorts by code point, which puts « Éthique » after « zèle » and « œuvre » after « ordre ». A
reader expects the dictionary order, where an accented letter sorts with its plain letter; the exact
text breaks ties so the order stays total (and the same on every machine, unlike ``locale``).
"""

from __future__ import annotations

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def folded(text: str) -> str:
    """``text`` without accents, in lower case, ligatures spelt out, spaces and hyphens as one space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(plain.replace("-", " ").split())


def sort_key(text: str) -> tuple[str, str]:
    """Dictionary order: by the folded text, then by the text as written."""
    return folded(text), text
