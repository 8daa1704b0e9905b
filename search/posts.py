"""Which post of a result holds the query's words: a result then links to that reply.

A thread found for words its opening post never writes is found for a reply; the result's link
goes to that reply's permalink (``#reply-<id>``) rather than the top of a long page. The posts are
counted in the result's fragment (the first ``FRAGMENT_CHARS`` characters of the thread, what the
site's script has at hand): the post with the most matched words wins, the opening post on a tie.
The site's script (``static/entraide-search.js``, ``bestPost``) applies the same rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from search.analysis import WORD_PATTERN, fold_word, words
from search.documents import utf16_length

_WORD = re.compile(WORD_PATTERN)


def best_reply(text: str, starts: list[tuple[str, int]], matches: Callable[[str], bool]) -> str | None:
    """The id of the reply of ``text`` (starting at ``starts``, UTF-16 offsets) with more matched
    words than the opening post and every other reply; None when the opening post holds as many."""
    counts = [0] * (len(starts) + 1)
    offsets = [offset for _id, offset in starts]
    post, units, previous = 0, 0, 0
    for match in _WORD.finditer(text):
        units += utf16_length(text[previous : match.start()])
        previous = match.start()
        while post < len(offsets) and offsets[post] <= units:
            post += 1
        if matches(match.group()):
            counts[post] += 1
    best = max(range(len(counts)), key=lambda number: (counts[number], -number))
    return starts[best - 1][0] if best > 0 and counts[best] > 0 else None


def matcher(terms: set[str], term: Callable[[str], str]) -> Callable[[str], bool]:
    """Whether a word of the text is one of the query's ``terms`` (after folding, stop words, stemming)."""

    def matches(word: str) -> bool:
        found = words(word)
        return bool(found) and term(fold_word(found[0])) in terms

    return matches
