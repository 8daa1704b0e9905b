"""Threads like a given one: related threads on pages (from the export's table, so that they are a
clean build's whatever the index's history), duplicates in moderation (from the index).

Both take the key terms of a text — its words weighted by frequency in the text times rarity in the
collection (tf·idf) — and look them up as an OR query in the text field of the same language: the opening posts (and
summaries), what a thread asks, not the replies' long tail (``search.schema``).
Terms found in more than 2 % of the threads (or 300) are left out: they say little about a thread
and their long posting lists would make the lookup cost grow with the collection (every thread's
related list is computed again after any change).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from whoosh import query as wq
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from search.export import Row, average_length, ordered_slugs
from search.ranking import top
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, LANGUAGES

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
    """The ``count`` most telling terms of ``text`` in ``field``, with their tf·idf weight, from the
    index's statistics (a submission's likely duplicates; related lists use ``related_lists``).

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
    """The threads holding most of ``terms`` in what they ask: the text field, and the title and the
    best reply of the same language (a submission's question is often a published thread's title)."""
    lang = field.rsplit("_", 1)[-1]
    fields = [field, f"title_{lang}", f"best_{lang}"]
    query = wq.Or([wq.Term(name, text_term, boost=weight * FIELD_BOOSTS[name])
                   for text_term, weight in terms for name in fields])
    return searcher.search(query, limit=limit)


def related_lists(table: dict[str, Row], limit: int = 5) -> dict[str, list[str]]:
    """Every exported thread's ``limit`` most like it, from the export's table (``search.export``).

    Key terms and scores are those of ``key_terms`` and Whoosh's BM25F for a boosted OR query of
    them (each term's score times its weight), with the statistics of a clean index: live threads
    only, exact field lengths, ties broken by canonical number. Only the key terms' (short) lists are
    built, from the table, so every list is computed again after any change, as it must be: any
    change moves the statistics that all lists depend on."""
    order = ordered_slugs(table)
    documents = len(order)
    ceiling = max(MIN_COMMON, min(documents * COMMON_SHARE, MAX_COMMON))
    related: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        text, title = f"text_{lang}", f"title_{lang}"
        mine = [(number, table[slug]) for number, slug in enumerate(order) if table[slug].lang == lang]
        found_in: Counter[str] = Counter()
        total = 0
        for _number, row in mine:
            found_in.update(row.field_terms(text))
            total += row.lengths.get(text, 0)
        rare = {term for term, count in found_in.items() if count <= ceiling}
        postings: dict[str, list[tuple[int, int, int]]] = {}
        for number, row in mine:
            frequencies = row.frequencies(text)
            length = length_to_byte(row.lengths.get(text, 0))
            for term in rare.intersection(frequencies):
                postings.setdefault(term, []).append((number, frequencies[term], length))
        average = average_length(total, documents)
        c1, c2 = BM25_K1 * (1 - BM25_B), BM25_K1 * BM25_B / average
        scored: dict[str, list[tuple[int, float]]] = {}
        for number, row in mine:
            frequencies = Counter(row.frequencies(title))
            frequencies.update(row.frequencies(text))
            weighted = sorted(((frequency * (math.log(documents / found_in[term]) + 1), term)
                               for term, frequency in frequencies.items() if term in rare), reverse=True)
            scores: dict[int, float] = {}
            for weight, term in weighted[:KEY_TERMS]:
                if term not in scored:
                    k = (BM25_K1 + 1) * (math.log(documents / (found_in[term] + 1)) + 1) * FIELD_BOOSTS[text]
                    scored[term] = [(other, k * tf / (tf + c1 + c2 * byte_to_length(byte)))
                                    for other, tf, byte in postings[term]]
                for other, score in scored[term]:
                    scores[other] = scores.get(other, 0.0) + weight * score
            scores.pop(number, None)
            related[order[number]] = [order[other] for other, _score in top(scores, limit)]
    return dict(sorted(related.items()))


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
