"""Exact BM25F ranking over whole posting lists: the scores Whoosh computes, in a fraction of its time.

Whoosh scores a query match by match through a tree of matcher objects (about 4 µs a posting: a
common word at 100,000 threads took a quarter of a second). Here each posting list the query needs is
read block by block from the index and scored in one tight loop with Whoosh's own BM25F formula,
statistics and one-byte field lengths; the query tree is then evaluated over per-document scores,
exactly as the site's script does (``static/entraide-search.js``):

* a word is the sum, over the text fields of the searched languages, of its term's score there;
* a prefix sums every term of every field that starts with it;
* a phrase keeps the documents where Whoosh finds the words next to each other, scored as the sum of
  its words' scores;
* AND sums its parts and needs them all, OR sums those present, NOT removes documents;
* ``title:`` evaluates its part in the title fields only.

Scores that differ only in their last bits (summing order) are ties, broken by document number, as
on the site. Reading blocks uses the W3 codec's block attributes: ``tests/test_search_index.py``
checks the scores against Whoosh's own matchers, so a change in Whoosh cannot go unnoticed.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN as _LENGTHS_COLUMN
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search.analysis import term
from search.query import And, Node, Or, Phrase, Prefix, Scoped, Word
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG

Scores = dict[int, float]
"""Document number → score."""

LENGTHS = [float(byte_to_length(byte)) for byte in range(256)]
TIE = 1e-9
"""Relative difference under which two scores are equal (as in the site's script)."""


class Ranker:
    """Evaluates parsed queries against one open searcher; posting lists are read once per query."""

    def __init__(self, searcher: Searcher, fields: list[str]):
        self.searcher = searcher
        self.fields = fields
        self.documents = searcher.doc_count_all()
        self._lists: dict[tuple[str, str], Scores] = {}
        self._lengths: dict[tuple[int, str], bytes] = {}
        self._leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]

    # -- posting lists -------------------------------------------------------------------------

    def term_scores(self, field: str, text: str, keep: bool = True) -> Scores:
        """Every live document holding ``text`` in ``field``, with the term's BM25F score there.

        Lists are kept for the next call (a query reads each once) unless ``keep`` is false: a pass
        over every thread (related threads) would otherwise keep a good part of the index in memory."""
        key = (field, text)
        if key in self._lists:
            return self._lists[key]
        scores = self._score_list(field, text)
        if keep:
            self._lists[key] = scores
        return scores

    def _score_list(self, field: str, text: str) -> Scores:
        scores: Scores = {}
        searcher = self.searcher
        if not searcher.doc_frequency(field, text):
            return scores
        # Whoosh's BM25F, with its collection statistics: idf from document frequencies (deleted
        # documents included until compaction), the field's average length, and the term's boost.
        average = searcher.avg_field_length(field) or 1
        k = (BM25_K1 + 1) * searcher.idf(field, text) * FIELD_BOOSTS[field]
        c1 = BM25_K1 * (1 - BM25_B)
        c2 = BM25_K1 * BM25_B / average
        for leaf, (reader, offset) in enumerate(self._leaves):
            if (field, text) not in reader:
                continue
            lengths = self._field_lengths(leaf, reader, field)
            deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
            for ids, weights in posting_blocks(reader, field, text):
                for docnum, tf in zip(ids, weights, strict=True):
                    if deleted and docnum in deleted:
                        continue
                    scores[docnum + offset] = k * tf / (tf + c1 + c2 * LENGTHS[lengths[docnum]])
        return scores

    def _field_lengths(self, leaf: int, reader, field: str) -> bytes:  # type: ignore[no-untyped-def]
        """The one-byte length of ``field`` in every document of a segment, read in one piece."""
        key = (leaf, field)
        if key not in self._lengths:
            column = reader._perdoc._cached_reader(f"_{field}_len", _LENGTHS_COLUMN)
            count = reader.doc_count_all()
            raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
            self._lengths[key] = raw + bytes(count - len(raw))
        return self._lengths[key]

    # -- the query tree ------------------------------------------------------------------------

    def evaluate(self, node: Node) -> Scores:
        if isinstance(node, Word):
            return _sum(self.term_scores(name, term(node.text, FIELD_LANG[name])) for name in self.fields)
        if isinstance(node, Prefix):
            return _sum(self.term_scores(name, text) for name, text in self.prefix_terms(node))
        if isinstance(node, Phrase):
            return _sum(self._phrase(name, node) for name in self.fields)
        if isinstance(node, Or):
            return _sum(self.evaluate(child) for child in node.children)
        if isinstance(node, Scoped):
            outer = self.fields
            self.fields = [name for name in outer if name.startswith(f"{node.part}_")]
            try:
                return self.evaluate(node.children[0])
            finally:
                self.fields = outer
        assert isinstance(node, And)
        scores = _intersection([self.evaluate(child) for child in node.children])
        for child in node.excluded:
            for docnum in self.evaluate(child):
                scores.pop(docnum, None)
        return scores

    def prefix_terms(self, node: Prefix) -> list[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for reader, _offset in self._leaves:
            for name in self.fields:
                found.update((name, text.decode("utf-8")) for text in reader.expand_prefix(name, node.text))
        return sorted(found)

    def _phrase(self, field: str, node: Phrase) -> Scores:
        """The words' summed scores in ``field``, for the documents where Whoosh finds the phrase."""
        texts = [term(word, FIELD_LANG[field]) for word in node.words]
        scores = _intersection([self.term_scores(field, text) for text in texts])
        if not scores:
            return scores
        matcher = wq.Phrase(field, texts).matcher(self.searcher, self.searcher.boolean_context())
        found = set(matcher.all_ids()) if matcher.is_active() else set()
        return {docnum: score for docnum, score in scores.items() if docnum in found}

    def query_terms(self, node: Node, lang: str) -> set[str]:
        """The terms of ``node`` in the text field of ``lang``: what snippets highlight."""
        if isinstance(node, Word):
            return {term(node.text, lang)}
        if isinstance(node, Prefix):
            return {text for name, text in self.prefix_terms(node) if FIELD_LANG[name] == lang}
        if isinstance(node, Phrase):
            return {term(word, lang) for word in node.words}
        return set().union(*(self.query_terms(child, lang) for child in node.children))


def top(scores: Scores, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (document, score) pairs: best first, ties by document number."""
    if not scores:
        return []
    best = heapq.nlargest(limit, scores.values())
    floor = best[-1] * (1 - TIE) if best[-1] > 0 else best[-1] * (1 + TIE)
    candidates = [(docnum, score) for docnum, score in scores.items() if score >= floor]
    return sorted(candidates, key=functools.cmp_to_key(_compare))[:limit]


def _compare(x: tuple[int, float], y: tuple[int, float]) -> int:
    tolerance = TIE * max(abs(x[1]), abs(y[1]))
    if abs(x[1] - y[1]) > tolerance:
        return -1 if x[1] > y[1] else 1
    return x[0] - y[0]


def _sum(parts: Iterable[Scores]) -> Scores:
    total: Scores = {}
    for part in parts:
        if not total:
            total = dict(part)
            continue
        get = total.get
        for docnum, score in part.items():
            total[docnum] = get(docnum, 0.0) + score
    return total


def _intersection(parts: list[Scores]) -> Scores:
    if not parts:
        return {}
    parts = sorted(parts, key=len)  # the rarest first: it bounds the work
    result = dict(parts[0])
    for part in parts[1:]:
        result = {docnum: score + part[docnum] for docnum, score in result.items() if docnum in part}
    return result


def posting_blocks(reader, field: str, text: str | bytes, weights: bool = True):  # type: ignore[no-untyped-def]
    """(document numbers, term frequencies or None) of each block of a posting list of one segment,
    deleted documents included: callers filter them in bulk, or need not (facets count found ones)."""
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if weights and matcher._weights is None:
            matcher._read_weights()
        yield matcher._ids, matcher._weights if weights else None
        if matcher._lastblock:
            break
        matcher._next_block()

