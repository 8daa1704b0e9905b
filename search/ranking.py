"""Exact BM25F ranking over whole posting lists: the scores Whoosh computes, in a fraction of its time.

Whoosh scores a query match by match through a tree of matcher objects (about 4 µs a posting: a
common word at 100,000 threads took a quarter of a second), and even reading its posting blocks
through its own decoding (a Python generator per document number) cost more than the 50 ms a query
may take at that size. Here each posting list the query needs is read block by block from the index,
decoded and scored with numpy using Whoosh's own BM25F formula, statistics and one-byte field
lengths; the query tree is then evaluated over dense arrays of per-document scores (0: not found;
every BM25F score is positive), exactly as the site's script does (``static/entraide-search.js``):

* a word is the sum, over the text fields of the searched languages, of its term's score there;
* a prefix sums the terms, in every field, of the vocabulary's words that start with it (words as
  written, not stems: "salary*" finds "salary", whose stem is "salari");
* a phrase keeps the documents where Whoosh finds the words next to each other, scored as the sum of
  its words' scores;
* AND sums its parts and needs them all, OR sums those present, NOT removes documents;
* ``title:`` evaluates its part in the title fields only;
* a loose query (``Most``) sums its words' scores (and their adjacent pairs' joined forms), times a
  factor for how many of them one post holds together (``TOGETHER``), and also counts, per document,
  how many of its words it covers: ``rank`` orders by that count, then score.

Scores that differ only in their last bits (summing order) are ties, broken by document number (the
export's canonical numbers when it is current), as on the site. Reading blocks uses the W3 codec's
block attributes: ``tests/test_search_index.py`` checks the scores against Whoosh's own matchers,
so a change in Whoosh cannot go unnoticed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN as _LENGTHS_COLUMN
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search import vocabulary
from search.analysis import term
from search.documents import shard_key
from search.exported import ExportedPostings
from search.query import And, Most, Node, Or, Phrase, Prefix, Scoped, Word
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG, POSTS, TOGETHER

Scores = dict[int, float]
"""Document number → score (related threads, which deal in short lists)."""

LENGTHS = np.array([float(byte_to_length(byte)) for byte in range(256)])
TIE = 1e-9
"""Relative difference under which two scores are equal (as in the site's script)."""


class Ranker:
    """Evaluates parsed queries against one open searcher; posting lists are read once per query."""

    def __init__(self, searcher: Searcher, fields: list[str], exported: ExportedPostings | None = None):
        """``exported``: the index's export, current, to read postings from (``search.exported``).

        With it, documents are the export's (canonical numbers, live statistics: the site's scores);
        without it, Whoosh's own numbers and statistics."""
        self.searcher = searcher
        self.fields = fields
        self.exported = exported
        self.documents = exported.documents if exported is not None else searcher.doc_count_all()
        self._from_whoosh = exported.numbering(searcher)[1] if exported is not None else None
        self._lists: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self._lengths: dict[tuple[int, str], np.ndarray] = {}
        self._leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self._live: dict[int, np.ndarray | None] = {}
        self._words: dict[str, vocabulary.Words] = {}

    def vocabulary(self, key: str) -> vocabulary.Words:
        """The vocabulary's words filed under ``key`` (``search.vocabulary``): from the export when current."""
        if key not in self._words:
            if self.exported is not None:
                self._words[key] = self.exported.vocabulary(key)
            else:
                self._words[key] = vocabulary.from_index(self.searcher.reader(), key)
        return self._words[key]

    def known(self, word: str) -> bool:
        """Whether a searched field holds the term of ``word``."""
        return any(len(self.postings(name, term(word, FIELD_LANG[name]))[0]) for name in self.fields)

    # -- posting lists -------------------------------------------------------------------------

    def postings(self, field: str, text: str, keep: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, scores) of every live document holding ``text`` in ``field``, with the
        term's BM25F score there; numbers ascending.

        Lists are kept for the next call (a query reads each once) unless ``keep`` is false: a pass
        over every thread (related threads) would otherwise keep a good part of the index in memory."""
        key = (field, text)
        if key in self._lists:
            return self._lists[key]
        found = self._score_list(field, text)
        if keep:
            self._lists[key] = found
        return found

    def term_scores(self, field: str, text: str, keep: bool = True) -> Scores:
        """The same as a dictionary, for short lists."""
        ids, scores = self.postings(field, text, keep)
        return dict(zip(ids.tolist(), scores.tolist(), strict=True))

    def _score_list(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        if self.exported is not None:
            return self.exported.postings(field, text)
        searcher = self.searcher
        if not searcher.doc_frequency(field, text):
            return _EMPTY
        # Whoosh's BM25F, with its collection statistics: idf from document frequencies (deleted
        # documents included until compaction), the field's average length, and the term's boost.
        average = searcher.avg_field_length(field) or 1
        k = (BM25_K1 + 1) * searcher.idf(field, text) * FIELD_BOOSTS[field]
        c1 = BM25_K1 * (1 - BM25_B)
        c2 = BM25_K1 * BM25_B / average
        all_ids, all_scores = [], []
        for leaf, (reader, offset) in enumerate(self._leaves):
            if (field, text) not in reader:
                continue
            ids, tfs = posting_arrays(reader, field, text)
            live = self._live_mask(leaf, reader)
            if live is not None:
                keep = live[ids]
                ids, tfs = ids[keep], tfs[keep]
            lengths = LENGTHS[self._field_lengths(leaf, reader, field)[ids]]
            all_scores.append(k * tfs / (tfs + c1 + c2 * lengths))
            all_ids.append(ids + offset)
        if not all_ids:
            return _EMPTY
        return np.concatenate(all_ids), np.concatenate(all_scores)

    def _live_mask(self, leaf: int, reader) -> np.ndarray | None:  # type: ignore[no-untyped-def]
        if leaf not in self._live:
            self._live[leaf] = live_mask(reader)
        return self._live[leaf]

    def _field_lengths(self, leaf: int, reader, field: str) -> np.ndarray:  # type: ignore[no-untyped-def]
        """The one-byte length of ``field`` in every document of a segment, read in one piece."""
        key = (leaf, field)
        if key not in self._lengths:
            column = reader._perdoc._cached_reader(f"_{field}_len", _LENGTHS_COLUMN)
            count = reader.doc_count_all()
            raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
            self._lengths[key] = np.frombuffer(raw + bytes(count - len(raw)), dtype=np.uint8)
        return self._lengths[key]

    def _dense(self, parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        scores = np.zeros(self.documents)
        for ids, values in parts:
            scores[ids] += values  # one term's documents are distinct: no lost additions
        return scores

    # -- the query tree ------------------------------------------------------------------------

    def evaluate(self, node: Node) -> np.ndarray:
        """Every document's score for ``node``: an array indexed by document number, 0 where not found."""
        if isinstance(node, Word):
            return self._dense(self.postings(name, term(node.text, FIELD_LANG[name])) for name in self.fields)
        if isinstance(node, Prefix):
            return self._dense(self.postings(name, text) for name, text in self.prefix_terms(node))
        if isinstance(node, Phrase):
            return _sum([self._phrase(name, node) for name in self.fields], self.documents)
        if isinstance(node, Or):
            return _sum([self.evaluate(child) for child in node.children], self.documents)
        if isinstance(node, Most):
            return self.rank(node)[0]
        if isinstance(node, Scoped):
            outer = self.fields
            self.fields = [name for name in outer if name.startswith(f"{node.part}_")]
            try:
                return self.evaluate(node.children[0])
            finally:
                self.fields = outer
        assert isinstance(node, And)
        scores = _intersection([self.evaluate(child) for child in node.children], self.documents)
        for child in node.excluded:
            scores[self.evaluate(child) > 0] = 0.0
        return scores

    def rank(self, node: Node) -> tuple[np.ndarray, np.ndarray | None]:
        """(scores, coverage): for a loose query, how many of its words each document covers (a word
        is covered by its own match or by its pair's joined form); None for a strict query."""
        if not isinstance(node, Most):
            return self.evaluate(node), None
        parts = [self.evaluate(child) for child in node.children]
        covered = [part > 0 for part in parts]
        pairs = []
        for at, pair in enumerate(node.pairs):
            if pair is not None:
                scores = self.evaluate(pair)
                pairs.append(scores)
                covered[at] = covered[at] | (scores > 0)
                covered[at + 1] = covered[at + 1] | (scores > 0)
        return _sum(parts + pairs, self.documents) * self.together(node), np.sum(covered, axis=0)

    def together(self, node: Most) -> np.ndarray:
        """Each document's factor for how many of the query's words one of its posts holds together
        (``TOGETHER``): 1 when no post holds two of them, ``1 + TOGETHER`` when one holds them all,
        growing with the square of the share in between (two words of three together: a quarter)."""
        words = len(node.children)
        if words < 2:
            return np.ones(self.documents)
        best = np.zeros(self.documents)
        for parts in POSTS:
            fields = [name for name in self.fields if name.split("_", 1)[0] in parts]
            marked = [self._found_in(child, fields) for child in node.children]
            for at, pair in enumerate(node.pairs):
                if pair is not None:
                    joined = self._found_in(pair, fields)
                    marked[at] = marked[at] | joined
                    marked[at + 1] = marked[at + 1] | joined
            best = np.maximum(best, np.sum(marked, axis=0))
        share = np.maximum(best - 1, 0) / (words - 1)
        return 1 + TOGETHER * (share * share)

    def _found_in(self, node: Node, fields: list[str]) -> np.ndarray:
        """Where a word or a prefix of a loose query is found in one of ``fields`` (False for the rest)."""
        found = np.zeros(self.documents, dtype=bool)
        if isinstance(node, Word):
            lists = [self.postings(name, term(node.text, FIELD_LANG[name])) for name in fields]
        elif isinstance(node, Prefix):
            lists = [self.postings(name, text) for name, text in self.prefix_terms(node) if name in fields]
        else:
            lists = []
        for ids, _scores in lists:
            found[ids] = True
        return found

    def prefix_words(self, prefix: str) -> list[str]:
        """The vocabulary's words starting with ``prefix`` (at least 3 letters: one file)."""
        return [word for word, _found_in in self.vocabulary(shard_key(prefix)) if word.startswith(prefix)]

    def prefix_terms(self, node: Prefix) -> list[tuple[str, str]]:
        words = self.prefix_words(node.text)
        return sorted({(name, term(word, FIELD_LANG[name])) for word in words for name in self.fields})

    def _phrase(self, field: str, node: Phrase) -> np.ndarray:
        """The words' summed scores in ``field``, for the documents where Whoosh finds the phrase."""
        texts = [term(word, FIELD_LANG[field]) for word in node.words]
        scores = _intersection([self._dense([self.postings(field, text)]) for text in texts], self.documents)
        if not scores.any():
            return scores
        matcher = wq.Phrase(field, texts).matcher(self.searcher, self.searcher.boolean_context())
        found = np.zeros(self.documents, dtype=bool)
        if matcher.is_active():
            ids = np.fromiter(matcher.all_ids(), dtype=np.int64)
            if self._from_whoosh is not None:
                ids = self._from_whoosh[ids]
                ids = ids[ids >= 0]
            found[ids] = True
        scores[~found] = 0.0
        return scores

    def query_terms(self, node: Node, lang: str) -> set[str]:
        """The terms of ``node`` in the text field of ``lang``: what snippets highlight."""
        if isinstance(node, Word):
            return {term(node.text, lang)}
        if isinstance(node, Prefix):
            return {text for name, text in self.prefix_terms(node) if FIELD_LANG[name] == lang}
        if isinstance(node, Phrase):
            return {term(word, lang) for word in node.words}
        pairs = node.pairs if isinstance(node, Most) else ()
        nodes = [*node.children, *(pair for pair in pairs if pair is not None)]
        return set().union(*(self.query_terms(child, lang) for child in nodes))


_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0))


def live_mask(reader) -> np.ndarray | None:  # type: ignore[no-untyped-def]
    """For one segment, True at each live document number; None when nothing is deleted."""
    if not reader.has_deletions():
        return None
    mask = np.ones(reader.doc_count_all(), dtype=bool)
    mask[np.fromiter(reader.deleted_docs_set, dtype=np.int64)] = False
    return mask


def posting_arrays(reader, field: str, text: str | bytes, weights: bool = True):  # type: ignore[no-untyped-def]
    """(document numbers, term frequencies) of a posting list of one segment, as numpy arrays,
    deleted documents included: callers filter them in bulk, or need not (facets count found ones).

    Each block's data is Whoosh's pickled tuple: document numbers (delta-encoded unless stored as
    bytes) and weights (None when all are 1, one float when all are equal)."""
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids_parts, tf_parts = [], []
    while matcher.is_active():
        if isinstance(matcher, W3LeafMatcher):
            if matcher._data is None:
                matcher._read_data()
            raw_ids, raw_weights = matcher._data[0], matcher._data[1]
            ids = np.asarray(raw_ids, dtype=np.int64)
            if not matcher._byteids:
                ids = np.cumsum(ids)
            if weights:
                if raw_weights is None or isinstance(raw_weights, float):
                    tf_parts.append(np.full(len(ids), 1.0 if raw_weights is None else raw_weights))
                else:
                    tf_parts.append(np.asarray(raw_weights, dtype=np.float64))
            ids_parts.append(ids)
            if matcher._lastblock:
                break
            matcher._next_block()
        else:  # postings inlined in the term's information: read one by one
            ids_parts.append(np.array([matcher.id()], dtype=np.int64))
            tf_parts.append(np.array([matcher.weight()], dtype=np.float64))
            matcher.next()
    ids = np.concatenate(ids_parts) if ids_parts else _EMPTY[0]
    if not weights:
        return ids, None
    return ids, (np.concatenate(tf_parts) if tf_parts else _EMPTY[1])


def top(scores: Scores | np.ndarray, limit: int, coverage: np.ndarray | None = None) -> list[tuple[int, float]]:
    """The ``limit`` best (document, score) pairs: best first, ties by document number; with
    ``coverage``, the documents covering most words first."""
    if coverage is not None and isinstance(scores, np.ndarray):
        best: list[tuple[int, float]] = []
        for count in sorted(set(coverage[scores > 0].tolist()), reverse=True):
            if len(best) >= limit:
                break
            best += top(np.where(coverage == count, scores, 0.0), limit - len(best))
        return best
    if isinstance(scores, dict):
        if not scores:
            return []
        docnums = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
        values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))
    else:
        docnums = np.flatnonzero(scores)
        values = scores[docnums]
    if not len(docnums):
        return []
    chosen_values = values if len(values) <= limit else np.partition(values, len(values) - limit)[len(values) - limit:]
    floor_value = float(chosen_values.min())
    floor = floor_value * (1 - TIE) if floor_value > 0 else floor_value * (1 + TIE)
    chosen = values >= floor
    candidates = list(zip(docnums[chosen].tolist(), values[chosen].tolist(), strict=True))
    return sorted(candidates, key=functools.cmp_to_key(_compare))[:limit]


def _compare(x: tuple[int, float], y: tuple[int, float]) -> int:
    tolerance = TIE * max(abs(x[1]), abs(y[1]))
    if abs(x[1] - y[1]) > tolerance:
        return -1 if x[1] > y[1] else 1
    return x[0] - y[0]


def _sum(parts: list[np.ndarray], size: int) -> np.ndarray:
    total = np.zeros(size)
    for part in parts:
        total += part
    return total


def _intersection(parts: list[np.ndarray], size: int) -> np.ndarray:
    """The summed scores of the documents found by every part."""
    if not parts:
        return np.zeros(size)
    total = _sum(parts, size)
    for part in parts:
        total[part == 0] = 0.0
    return total
