"""Facets: how the threads a query found divide between themes, languages and tags.

Counts come from the posting lists of the ``theme``, ``lang`` and ``tags`` fields, intersected with
the found documents (one set operation per value, in C), rather than from each found thread's stored
fields: a common word finds tens of thousands of threads at 100,000, and unpickling their stored
fields would cost more than the search itself.
"""

from __future__ import annotations

from collections.abc import Collection

from whoosh.searching import Searcher

from search.ranking import posting_blocks

FACET_FIELDS = ("theme", "lang", "tags")

Facets = dict[str, dict[str, int]]
"""Field → value → number of found threads, largest first (ties by value)."""


def facet_counts(searcher: Searcher, found: Collection[int]) -> Facets:
    """For each facet field, the number of ``found`` documents holding each of its values."""
    live = found if isinstance(found, set | frozenset) else frozenset(found)
    facets: Facets = {}
    for name in FACET_FIELDS:
        counts: dict[str, int] = {}
        if live:
            for reader, offset in ((sub.reader(), offset) for sub, offset in searcher.leaf_searchers()):
                if name not in reader.indexed_field_names():
                    continue
                for value in reader.lexicon(name):
                    text = value.decode("utf-8")
                    hits = _count(reader, name, value, offset, live)
                    if hits:
                        counts[text] = counts.get(text, 0) + hits
        facets[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets


def _count(reader, name: str, value: bytes, offset: int, found: set[int] | frozenset[int]) -> int:  # type: ignore[no-untyped-def]
    """How many of ``found`` are in the posting list of ``value`` (deleted documents are never found)."""
    hits = 0
    for ids, _weights in posting_blocks(reader, name, value, weights=False):
        hits += len(found.intersection(ids if not offset else [docnum + offset for docnum in ids]))
    return hits
