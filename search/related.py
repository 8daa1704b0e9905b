"""Threads like a given one: related threads on pages (from the export's table, so that they are a
clean build's whatever the index's history), duplicates in moderation (from the index).

Both take the key terms of a text — its words weighted by frequency in the text times rarity in the
collection (tf·idf) — and look them up as an OR query in the fields of the same language that say
what a thread asks: its opening post (and summary), and for related threads its tags and theme too,
not the replies' long tail (``search.schema``).
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

RELATED_FLOOR = 0.15
"""A related thread scores at least this share of the thread's own score for its key terms: below it,
a list shows fewer threads, or none, rather than noise."""
RELATED_PARTS = ("text", "topics")
"""The fields, in the thread's language, where a thread's key terms are looked up in the others: what
they ask, and their tags and theme (editors' judgement of what a thread is about). Chosen with
``bench/related_quality.py``: on the example content, 67 % of the listed threads share the thread's
theme or a tag, 2.1 listed a thread, against 24 % and 4.9 looking up the text alone with no floor."""


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


def related_lists(
    table: dict[str, Row], limit: int = 5, floor: float | None = None, parts: tuple[str, ...] | None = None
) -> dict[str, list[str]]:
    """Every exported thread's ``limit`` most like it, from the export's table (``search.export``).

    Key terms and scores are those of ``key_terms`` and Whoosh's BM25F for a boosted OR query of
    them (each term's score times its weight) in the ``RELATED_PARTS`` fields of the thread's
    language, with the statistics of a clean index: live threads only, exact field lengths, ties
    broken by canonical number. A thread is listed only if it reaches ``RELATED_FLOOR`` of the
    thread's own score. Only the key terms' (short) lists are built, from the table, so every list is
    computed again after any change, as it must be: any change moves the statistics that all lists
    depend on."""
    order = ordered_slugs(table)
    documents = len(order)
    ceiling = max(MIN_COMMON, min(documents * COMMON_SHARE, MAX_COMMON))
    least_share = RELATED_FLOOR if floor is None else floor
    related: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        fields = [f"{part}_{lang}" for part in (RELATED_PARTS if parts is None else parts)]
        mine = [(number, table[slug]) for number, slug in enumerate(order) if table[slug].lang == lang]
        rare: dict[str, set[str]] = {}
        found_in: dict[str, Counter[str]] = {}
        postings: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
        lengths: dict[str, tuple[float, float]] = {}
        for name in fields:
            counts: Counter[str] = Counter()
            total = 0
            for _number, row in mine:
                counts.update(row.field_terms(name))
                total += row.lengths.get(name, 0)
            found_in[name] = counts
            rare[name] = {term for term, count in counts.items() if count <= ceiling}
            for number, row in mine:
                frequencies = row.frequencies(name)
                length = length_to_byte(row.lengths.get(name, 0))
                for term in rare[name].intersection(frequencies):
                    postings.setdefault((name, term), []).append((number, frequencies[term], length))
            average = average_length(total, documents)
            lengths[name] = (BM25_K1 * (1 - BM25_B), BM25_K1 * BM25_B / average)
        text = f"text_{lang}"
        scored: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for number, row in mine:
            frequencies = Counter(row.frequencies(f"title_{lang}"))
            for name in fields:
                frequencies.update(row.frequencies(name))
            weighted = sorted(((frequency * (math.log(documents / found_in[text][term]) + 1), term)
                               for term, frequency in frequencies.items()
                               if term in rare[text]), reverse=True)
            scores: dict[int, float] = {}
            for weight, term in weighted[:KEY_TERMS]:
                for name in fields:
                    key = (name, term)
                    if key not in postings:
                        continue
                    if key not in scored:
                        c1, c2 = lengths[name]
                        k = (BM25_K1 + 1) * (math.log(documents / (found_in[name][term] + 1)) + 1) * FIELD_BOOSTS[name]
                        scored[key] = [(other, k * tf / (tf + c1 + c2 * byte_to_length(byte)))
                                       for other, tf, byte in postings[key]]
                    for other, score in scored[key]:
                        scores[other] = scores.get(other, 0.0) + weight * score
            own = scores.pop(number, 0.0)  # the thread against its own key terms: the best score there is
            kept = {other: score for other, score in scores.items() if score >= own * least_share}
            related[order[number]] = [order[other] for other, _score in top(kept, limit)]
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
