"""Spelling corrections from the index's own vocabulary: "intervew" → "interview".

A word of the query that no searched field holds is replaced by the closest word of the vocabulary
(``search.vocabulary``): fewest edits (letters inserted, deleted, replaced, or two neighbours
swapped), then the word most threads hold, then alphabetical order. Short words are left alone (a
four-letter word is one edit from too many others); a word of eight letters or more may be two
edits away. Candidates are the words filed under the typed word's first three letters, or under
those letters with a neighbouring pair swapped ("itnerview"): one small file each, on the site too.
The site's script (``static/entraide-search.js``) holds the same rules.
"""

from __future__ import annotations

from collections.abc import Callable

from search.documents import shard_key
from search.query import And, Most, Node, Or, Phrase, Prefix, Scoped, Word, loose
from search.vocabulary import Words

MIN_LENGTH = 4
TWO_EDITS_FROM = 8


def distance(a: str, b: str, ceiling: int) -> int:
    """Edits from ``a`` to ``b`` (optimal string alignment); ``ceiling + 1`` once it must exceed ``ceiling``."""
    if abs(len(a) - len(b)) > ceiling:
        return ceiling + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > ceiling:
            return ceiling + 1
        before, previous = previous, current
    return previous[-1]


def allowed_edits(word: str) -> int:
    if len(word) < MIN_LENGTH:
        return 0
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def candidate_keys(word: str) -> list[str]:
    """The vocabulary files a correction of ``word`` is looked for in."""
    keys = [shard_key(word)]
    for at in (0, 1):
        if len(word) > at + 1:
            swapped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
            keys.append(shard_key(swapped))
    return list(dict.fromkeys(keys))


def best(word: str, vocabulary: Callable[[str], Words]) -> str | None:
    """The correction of an unknown ``word``, or None (none close enough, or the word itself is known)."""
    ceiling = allowed_edits(word)
    if not ceiling:
        return None
    chosen: tuple[int, int, str] | None = None
    for key in candidate_keys(word):
        for candidate, found_in in vocabulary(key):
            edits = distance(word, candidate, ceiling)
            if edits > ceiling:
                continue
            rank = (edits, -found_in, candidate)
            if chosen is None or rank < chosen:
                chosen = rank
    if chosen is None or chosen[0] == 0:
        return None
    return chosen[2]


def corrected(node: Node, fix: Callable[[str], str | None]) -> Node:
    """``node`` with each word ``fix`` corrects replaced (phrases are kept as typed); a loose query's
    pairs are joined again from its corrected words."""
    if isinstance(node, Word):
        better = fix(node.text)
        return Word(better) if better else node
    if isinstance(node, (Prefix, Phrase)):
        return node
    if isinstance(node, Most):
        return loose(tuple(corrected(child, fix) for child in node.children))
    if isinstance(node, And):
        return And(tuple(corrected(child, fix) for child in node.children),
                   tuple(corrected(child, fix) for child in node.excluded))
    if isinstance(node, Or):
        return Or(tuple(corrected(child, fix) for child in node.children))
    return Scoped(node.part, tuple(corrected(child, fix) for child in node.children))


def correct(
    node: Node, known: Callable[[str], bool], vocabulary: Callable[[str], Words]
) -> tuple[Node, list[tuple[str, str]]]:
    """``node`` with its unknown words corrected, and the (typed, corrected) pairs, in query order."""
    changes: dict[str, str] = {}

    def fix(word: str) -> str | None:
        if word not in changes:
            better = None if known(word) else best(word, vocabulary)
            changes[word] = better or ""
        return changes[word] or None

    fixed = corrected(node, fix)
    return fixed, [(typed, better) for typed, better in changes.items() if better]
