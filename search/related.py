"""Threads like a given one, from the index: related threads on pages, duplicates in moderation.

Both use Whoosh's more-like-this: the key terms of a text (weighted by how rare they are in the
collection) become an OR query in the same language's text field.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh.searching import Searcher

from search.analysis import term, words
from search.index import live_slugs

KEY_TERMS = 12
RELATED_TERMS = 8
"""Key terms of a thread for its related threads: 8 cost about 6 ms a thread at 2,000 threads
against 8 ms for 12, with the same neighbours on the example content. Only changed threads are
recomputed at each build (``search.service``)."""


@dataclass(frozen=True)
class Similar:
    slug: str
    title: str
    score: float
    """Whoosh's BM25F score of the thread for the submission's key terms."""
    overlap: float
    """Share of the submission's key terms the thread contains (0–1): comparable across submissions."""


def related_for(searcher: Searcher, slugs: set[str] | None = None, limit: int = 5) -> dict[str, list[str]]:
    """For the given indexed threads (all by default), the slugs of up to ``limit`` most like each."""
    related: dict[str, list[str]] = {}
    for slug, docnum in live_slugs(searcher).items():
        if slugs is not None and slug not in slugs:
            continue
        stored = searcher.stored_fields(docnum)
        field = f"text_{stored['lang']}"
        text = stored["title"] + "\n" + stored.get("body", "")
        hits = searcher.more_like(docnum, field, text=text, top=limit, numterms=RELATED_TERMS)
        related[slug] = [hit["slug"] for hit in hits]
    return related


def similar_to(searcher: Searcher, title: str, body: str, lang: str, limit: int = 3) -> list[Similar]:
    """Published threads most like a submission's text, best first, with Whoosh's score."""
    text = title + "\n" + body
    if not words(text):
        return []
    field = f"text_{lang}"
    terms = searcher.key_terms_from_text(field, text, numterms=KEY_TERMS)
    if not terms:
        return []
    from whoosh import query as wq

    found = searcher.search(wq.Or([wq.Term(field, term, boost=weight) for term, weight in terms]), limit=limit)
    keys = {term for term, _weight in terms}
    similar = []
    for hit in found:
        theirs = {term(word, lang) for word in words(hit["title"] + "\n" + hit.get("body", ""))}
        similar.append(Similar(hit["slug"], hit["title"], hit.score, len(keys & theirs) / len(keys)))
    return similar
