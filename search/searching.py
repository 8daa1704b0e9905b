"""Ranked search over the index: the CLI's side of the search (the site's script mirrors it).

A query is parsed (``search.query``), ranked exactly by ``search.ranking`` (Whoosh's BM25F over whole
posting lists), filtered by theme, tags and language, and its best threads get highlighted snippets
from Whoosh's highlighter.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter, UppercaseFormatter
from whoosh.highlight import highlight as highlighted
from whoosh.scoring import BM25F

from search.analysis import STEMS
from search.documents import FRAGMENT_CHARS
from search.exported import ExportedPostings
from search.facets import Facets, facet_counts, load_table
from search.index import SearchIndex
from search.posts import best_reply, matcher
from search.query import Most, any_of, parse
from search.ranking import Ranker, top
from search.schema import BM25_B, BM25_K1, FIELD_LANG, LANGUAGES, TEXT_FIELDS
from search.spelling import correct

WEIGHTING = BM25F(B=BM25_B, K1=BM25_K1)
SNIPPET_SOURCE = 20_000
"""Snippets are cut from the first 20,000 characters of a thread: its question and first replies."""


@dataclass
class Hit:
    rank: int
    slug: str
    title: str
    theme: str
    lang: str
    tags: tuple[str, ...]
    date: datetime
    replies: int
    score: float
    docnum: int
    snippet: str = ""
    partial: bool = False
    """Found by a loose query without every word (``search.query.Most``)."""
    reply: str | None = None
    """The reply holding the query's words, when it is not the opening post (``search.posts``)."""

    def as_json(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "slug": self.slug,
            "url": f"/{self.slug}/" + (f"#reply-{self.reply}" if self.reply else ""),
            "title": self.title,
            "theme": self.theme,
            "lang": self.lang,
            "tags": list(self.tags),
            "date": self.date.isoformat(),
            "replies": self.replies,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "partial": self.partial,
        }


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    seconds: float = 0.0
    facets: Facets = field(default_factory=dict)
    """With ``facets=True``: the threads found, counted by theme, language and tag."""
    partial: int = 0
    """Threads holding some of a loose query's words but not all, ranked after the ``total``."""
    corrections: list[tuple[str, str]] = field(default_factory=list)
    """(typed, searched instead): words no searched field holds, corrected from the vocabulary."""
    elsewhere: int = 0
    """When the theme or tag filters leave nothing: how many threads the query finds without them."""


def fields_for(languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [name for name in TEXT_FIELDS if FIELD_LANG[name] in languages]


def search(
    index: SearchIndex,
    text: str,
    *,
    theme: str | None = None,
    tags: tuple[str, ...] = (),
    lang: str | None = None,
    limit: int = 10,
    snippets: bool = True,
    highlight: str = "terminal",
    facets: bool = False,
) -> Results:
    """The ``limit`` best threads for ``text``; ``highlight`` is "terminal", "plain" ([word]), "html" or "none".

    With ``facets``, also how the threads found (all of them, not only the ``limit`` shown) divide
    between themes, languages and tags."""
    started = time.perf_counter()
    node = parse(text)
    results = Results(query=text, total=0)
    if node is None:
        results.seconds = time.perf_counter() - started
        return results
    ix = index.open()
    with ix.searcher(weighting=WEIGHTING) as searcher:
        exported = ExportedPostings.open(index.folder, ix)
        ranker = Ranker(searcher, fields_for((lang,) if lang else LANGUAGES), exported)
        node, results.corrections = correct(node, ranker.known, ranker.vocabulary)
        scores, coverage = ranker.rank(node)
        wanted = len(node.children) if isinstance(node, Most) else 0
        full: np.ndarray = scores > 0 if coverage is None else np.asarray(coverage == wanted)
        to_whoosh, from_whoosh = exported.numbering(searcher) if exported is not None else (None, None)
        filters = [wq.Term("theme", theme)] if theme else []
        filters += [wq.Term("tags", tag.lower()) for tag in tags]
        if filters:
            allowed = np.zeros(len(scores), dtype=bool)
            ids = np.fromiter(searcher.docs_for_query(wq.And(filters)), dtype=np.int64)
            if from_whoosh is not None:
                ids = from_whoosh[ids]
                ids = ids[ids >= 0]
            allowed[ids] = True
            unfiltered = int(np.count_nonzero(full & (scores > 0)))
            scores[~allowed] = 0.0
        found = np.flatnonzero(full & (scores > 0))
        results.total = len(found)
        results.partial = int(np.count_nonzero(scores)) - results.total
        if filters and not np.count_nonzero(scores):
            results.elsewhere = unfiltered
        if facets:
            counted = found if results.total else np.flatnonzero(scores)
            if to_whoosh is not None:
                counted = to_whoosh[counted]
            results.facets = facet_counts(load_table(index.folder, ix), counted)
        for rank, (docnum, score) in enumerate(top(scores, limit, coverage), 1):
            stored = searcher.stored_fields(int(to_whoosh[docnum]) if to_whoosh is not None else docnum)
            hit = Hit(
                rank=rank,
                slug=stored["slug"],
                title=stored["title"],
                theme=stored["theme"],
                lang=stored["lang"],
                tags=tuple(tag for tag in stored.get("tags", "").split(",") if tag),
                date=stored["date"],
                replies=stored.get("replies", 0),
                score=score,
                docnum=docnum,
                partial=not full[docnum],
            )
            terms = ranker.query_terms(node, stored["lang"])
            starts = [(str(reply), int(offset)) for reply, offset in stored.get("starts", [])]
            matches = matcher(terms, STEMS[stored["lang"]])
            hit.reply = best_reply(stored.get("body", "")[:FRAGMENT_CHARS], starts, matches)
            if snippets:
                hit.snippet = _snippet(searcher, stored, terms, highlight)
            results.hits.append(hit)
    results.seconds = time.perf_counter() - started
    return results


def wider_query(
    index: SearchIndex, text: str, *, theme: str | None = None, tags: tuple[str, ...] = (), lang: str | None = None,
) -> str | None:
    """For plain words that found nothing, the query for any of them ("a OR b"), but only if it finds
    a thread with the same filters: a suggestion that finds nothing too would lead nowhere. The
    site's script checks its suggestion the same way."""
    wider = any_of(text)
    if wider is None:
        return None
    found = search(index, wider, theme=theme, tags=tags, lang=lang, limit=1, snippets=False)
    return wider if found.total else None


def _letters_table() -> dict[int, str]:
    """Accented Latin letters to their base letter, one character for one, so positions are kept."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    return table


_LETTERS = _letters_table()
WINDOW_BEFORE, WINDOW_AFTER = 1000, 2500


def _window(source: str, terms: set[str]) -> str:
    """The part of ``source`` around the first word that starts like a query term.

    The highlighter analyses (tokenises, folds, stems) all the text it is given, which took most of
    a query's time for ten long threads; stems are nearly always the start of the folded word, so a
    plain search of the folded text finds where to look. When none is found the whole source is used.
    """
    if len(source) <= WINDOW_BEFORE + WINDOW_AFTER or not terms:
        return source
    folded = source.lower().translate(_LETTERS)
    found = [match.start() for text in terms if (match := re.search(r"(?<!\w)" + re.escape(text), folded))]
    if not found:
        return source
    start = max(0, min(found) - WINDOW_BEFORE)
    start = source.find(" ", start) + 1 if start else 0  # a word boundary, never inside a word
    return source[start : start + WINDOW_BEFORE + WINDOW_AFTER]


class _TerminalFormatter(UppercaseFormatter):
    """Matched words in bold (ANSI) for a terminal."""

    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return "\x1b[1m" + self._text(text[token.startchar : token.endchar]) + "\x1b[22m"


class _PlainFormatter(UppercaseFormatter):
    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return "[" + self._text(text[token.startchar : token.endchar]) + "]"


class _UnmarkedFormatter(UppercaseFormatter):
    """Matched words as they are (JSON: the snippet as text)."""

    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return self._text(text[token.startchar : token.endchar])


def _formatter(kind: str):  # type: ignore[no-untyped-def]
    if kind == "html":
        return HtmlFormatter(tagname="mark", between=" … ")
    if kind == "terminal":
        return _TerminalFormatter(between=" … ")
    if kind == "none":
        return _UnmarkedFormatter(between=" … ")
    return _PlainFormatter(between=" … ")


def _snippet(searcher, stored: dict, terms: set[str], kind: str) -> str:  # type: ignore[no-untyped-def]
    """The passages of the thread's text with the most matched words, else its beginning."""
    body = stored.get("body", "")
    source = _window(body[:SNIPPET_SOURCE], terms)
    analyzer = searcher.schema[f"text_{stored['lang']}"].analyzer
    fragmenter = ContextFragmenter(maxchars=240, surround=60)
    snippet = highlighted(source, terms, analyzer, fragmenter, _formatter(kind), top=2) if terms else ""
    if snippet:
        return one_line(snippet)
    return one_line(body[:200]) + ("…" if len(body) > 200 else "")


_BREAKABLE = re.compile(r"[^\S\u00a0\u202f]+")
"""Runs of spaces a line may break at: the no-break spaces of French typography are not among them."""


def one_line(text: str) -> str:
    """``text`` on one line, each run of spaces one space, its no-break spaces kept (the site's
    script does the same to its snippets)."""
    return _BREAKABLE.sub(" ", text).strip(" ")
