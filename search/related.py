"""Threads like a given one, from the index: related threads on pages, duplicates in moderation.

Both take the key terms of a text — its words weighted by frequency in the text times rarity in the
collection (tf·idf) — and look them up as an OR query in the text field of the same language.
Terms found in more than 2 % of the threads (or 300) are left out: they say little about a thread
and their long posting lists would make the lookup cost grow with the collection (every thread's
related list is computed on a first build).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher

from search.index import live_slugs
from search.ranking import Ranker, top

KEY_TERMS = 12
MIN_KEY_TERMS = 6
"""A text with fewer key terms says too little to be called a duplicate of anything: its overlap is
counted out of this many."""
COMMON_SHARE = 0.02
MIN_COMMON = 20
MAX_COMMON = 300
"""A term is too common for similarity when it is in more than 2 % of threads (at least 20, at most
300): the lookup then reads at most 12 × 300 postings, whatever the size of the collection."""



@dataclass(frozen=True)
class Similar:
    slug: str
    title: str
    score: float
    """Whoosh's BM25F score of the thread for the submission's key terms."""
    overlap: float
    """Share of the submission's key terms the thread contains (0–1), out of ``MIN_KEY_TERMS`` at
    least: comparable across submissions, and a one-word text ("Test") is never 100 % like a thread."""


def key_terms(
    searcher: Searcher, field: str, text: str, count: int = KEY_TERMS, frequencies_seen: dict[str, int] | None = None
) -> list[tuple[str, float]]:
    """The ``count`` most telling terms of ``text`` in ``field``, with their tf·idf weight.

    ``frequencies_seen`` keeps the terms' document frequencies from one call to the next: in a pass
    over every thread most words come back, and each look-up is a search of the terms file."""
    analyzer = searcher.schema[field].analyzer
    frequencies = Counter(token.text for token in analyzer(text) if not token.stopped)
    documents = searcher.doc_count_all()
    ceiling = max(MIN_COMMON, min(documents * COMMON_SHARE, MAX_COMMON))
    seen = {} if frequencies_seen is None else frequencies_seen
    weighted = []
    for text_term, frequency in frequencies.items():
        found_in = seen.get(text_term)
        if found_in is None:
            found_in = seen[text_term] = searcher.doc_frequency(field, text_term)
        if 0 < found_in <= ceiling:
            weighted.append((frequency * (math.log(documents / found_in) + 1), text_term))
    weighted.sort(reverse=True)
    return [(text_term, weight) for weight, text_term in weighted[:count]]


def _like(searcher: Searcher, field: str, terms: list[tuple[str, float]], limit: int):  # type: ignore[no-untyped-def]
    query = wq.Or([wq.Term(field, text_term, boost=weight) for text_term, weight in terms])
    return searcher.search(query, limit=limit)


def related_for(searcher: Searcher, slugs: set[str] | None = None, limit: int = 5) -> dict[str, list[str]]:
    """For the given indexed threads (all by default), the slugs of up to ``limit`` most like each.

    The key terms' posting lists are scored by ``search.ranking`` (Whoosh's BM25F, each term's score
    times its key-term weight, as Whoosh scores a boosted OR query), ties by document number: the
    same lists as ``searcher.search`` finds, without building a matcher tree and reading the stored
    fields of every hit for its slug."""
    live = live_slugs(searcher)
    slug_of = {docnum: slug for slug, docnum in live.items()}
    ranker = Ranker(searcher, [])
    seen: dict[str, dict[str, int]] = {}
    related: dict[str, list[str]] = {}
    for slug, docnum in live.items():
        if slugs is not None and slug not in slugs:
            continue
        stored = searcher.stored_fields(docnum)
        field = f"text_{stored['lang']}"
        terms = key_terms(searcher, field, stored["title"] + "\n" + stored.get("body", ""),
                          frequencies_seen=seen.setdefault(field, {}))
        scores: dict[int, float] = {}
        for text_term, weight in terms:
            for other, score in ranker.term_scores(field, text_term, keep=False).items():
                scores[other] = scores.get(other, 0.0) + weight * score
        scores.pop(docnum, None)
        related[slug] = [slug_of[other] for other, _score in top(scores, limit)]
    return related


def similar_to(searcher: Searcher, title: str, body: str, lang: str, limit: int = 3) -> list[Similar]:
    """Published threads most like a submission's text, best first, with Whoosh's score."""
    field = f"text_{lang}"
    terms = key_terms(searcher, field, title + "\n" + body)
    if not terms:
        return []
    wanted = {text_term for text_term, _weight in terms}
    analyzer = searcher.schema[field].analyzer
    similar = []
    for hit in _like(searcher, field, terms, limit):
        theirs = {token.text for token in analyzer(hit["title"] + "\n" + hit.get("body", ""))}
        overlap = len(wanted & theirs) / max(len(wanted), MIN_KEY_TERMS)
        similar.append(Similar(hit["slug"], hit["title"], hit.score, overlap))
    return similar
