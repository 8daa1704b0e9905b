"""The tag vocabulary as a library: suggestions for unknown tags, and the edits of content/tags.yml.

``entraide tags``, ``accept`` and ``check`` use it, and so can an importer mapping a source's tags.
A suggestion is offered only when the unknown tag is plainly a typo of a known one: the two compared
with accents and case folded (``mediation`` is ``médiation``), with a similarity ratio of at least
``SUGGESTION_RATIO`` — 'conflits' suggests 'conflit', 'discussion' suggests nothing ('inclusion' is
another word).
"""

from __future__ import annotations

import difflib

from entraide.model import TagVocabulary
from entraide.slugs import slugify

SUGGESTION_RATIO = 0.8


def suggest(tag: str, vocabulary: TagVocabulary) -> str | None:
    """The vocabulary's name ``tag`` is most likely a misspelling of, or ``None`` if none is close."""
    folded = slugify(tag)
    best: tuple[float, str] | None = None
    for known in sorted([*vocabulary.names, *vocabulary.aliases]):
        matcher = difflib.SequenceMatcher(None, folded, slugify(known))
        if matcher.real_quick_ratio() < SUGGESTION_RATIO or matcher.quick_ratio() < SUGGESTION_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= SUGGESTION_RATIO and (best is None or ratio > best[0]):
            best = (ratio, known)
    return vocabulary.canonical(best[1]) if best else None


def resolve(tag: str, vocabulary: TagVocabulary | None) -> str | None:
    """The tag to write for ``tag``: itself without a vocabulary, its name if it is a name or an
    alias, ``None`` if the vocabulary does not know it."""
    if vocabulary is None:
        return tag
    return vocabulary.canonical(tag)
