"""Ranked search over the index: a parsed query becomes an explicit Whoosh query tree.

Building the Whoosh query ourselves (rather than through Whoosh's parser) pins its meaning, which the
site's script reproduces term for term:

* a word is an OR, over every text field of the searched languages, of the word's term in that
  field's language, weighted by the field's boost;
* a prefix is an OR of every term of every field that starts with it;
* a phrase is an OR over fields of Whoosh phrases;
* AND sums its parts' scores and needs them all, OR sums those that match, NOT removes documents.

Scores are Whoosh's BM25F; equal scores rank by document number, as in Whoosh.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import collectors, matching
from whoosh import query as wq
from whoosh.highlight import ContextFragmenter, HtmlFormatter, UppercaseFormatter
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from search.analysis import term
from search.index import SearchIndex
from search.query import And, Node, Or, Phrase, Prefix, Word, parse
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG, LANGUAGES, TEXT_FIELDS

WEIGHTING = BM25F(B=BM25_B, K1=BM25_K1)
SNIPPET_SOURCE = 20_000
"""Snippets are cut from the first 20,000 characters of a thread: its question and first replies."""


class _AndNotMatcher(matching.AndNotMatcher):
    """Whoosh's AndNotMatcher, checking the first candidate too.

    Whoosh 2.7's version only looks at the excluded side for the first candidate when both sides
    start on the same document, so "a NOT b" returns the first document of "a" even when it holds
    "b" (seen with phrases: the site, which excludes correctly, disagreed with the CLI).
    """

    def _find_first(self) -> None:
        if self.a.is_active() and self.b.is_active():
            if self.b.id() < self.a.id():
                self.b.skip_to(self.a.id())
            if self.b.is_active() and self.a.id() == self.b.id():
                self._find_next()


class Excluding(wq.AndNot):
    """``a`` without the documents of ``b``, scored as ``a`` (Whoosh's AndNot with the fix above)."""

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _AndNotMatcher(scored, excluded)


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

    def as_json(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "slug": self.slug,
            "url": f"/{self.slug}/",
            "title": self.title,
            "theme": self.theme,
            "lang": self.lang,
            "tags": list(self.tags),
            "date": self.date.isoformat(),
            "replies": self.replies,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit] = field(default_factory=list)
    seconds: float = 0.0


def fields_for(languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    return [name for name in TEXT_FIELDS if FIELD_LANG[name] in languages]


def to_whoosh(node: Node, searcher: Searcher, fields: list[str]) -> wq.Query:
    """The Whoosh query of a parsed query (see the module's docstring for the rules)."""
    if isinstance(node, Word):
        return wq.Or([wq.Term(name, term(node.text, FIELD_LANG[name]), boost=FIELD_BOOSTS[name]) for name in fields])
    if isinstance(node, Prefix):
        reader = searcher.reader()
        terms = [
            wq.Term(name, text.decode("utf-8") if isinstance(text, bytes) else text, boost=FIELD_BOOSTS[name])
            for name in fields
            for text in reader.expand_prefix(name, node.text)
        ]
        return wq.Or(terms) if terms else wq.NullQuery
    if isinstance(node, Phrase):
        return wq.Or(
            [
                wq.Phrase(name, [term(word, FIELD_LANG[name]) for word in node.words], boost=FIELD_BOOSTS[name])
                for name in fields
            ]
        )
    if isinstance(node, Or):
        return wq.Or([to_whoosh(child, searcher, fields) for child in node.children])
    assert isinstance(node, And)
    required = wq.And([to_whoosh(child, searcher, fields) for child in node.children])
    if not node.excluded:
        return required
    return Excluding(required, wq.Or([to_whoosh(child, searcher, fields) for child in node.excluded]))


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
) -> Results:
    """The ``limit`` best threads for ``text``; ``highlight`` is "terminal", "html" or "none"."""
    started = time.perf_counter()
    node = parse(text)
    results = Results(query=text, total=0)
    if node is None:
        results.seconds = time.perf_counter() - started
        return results
    ix = index.open()
    with ix.searcher(weighting=WEIGHTING) as searcher:
        fields = fields_for((lang,) if lang else LANGUAGES)
        whoosh_query = to_whoosh(node, searcher, fields)
        filters = [wq.Term("theme", theme)] if theme else []
        filters += [wq.Term("tags", tag.lower()) for tag in tags]
        # One pass over every match (no block skipping): it ranks and counts at once, where the
        # block-skipping default needs a second full pass to count (and ignores the filter there).
        top = collectors.TopCollector(limit=limit, usequality=False, replace=0)  # exact: no matcher pruning
        collector: collectors.Collector = top
        # No TermsCollector: it records the matched terms of every match; highlighting the ten shown
        # needs only the query's terms (3 times less work on common words at 100,000 threads).
        if filters:  # outermost: the filter must see every match first
            collector = collectors.FilterCollector(collector, allow=wq.And(filters))
        searcher.search_with_collector(whoosh_query, collector)
        found = collector.results()
        results.total = top.count()  # the ranking collector's own count: matches that passed the filter
        if snippets:
            found.fragmenter = ContextFragmenter(maxchars=240, surround=60)
            found.formatter = _formatter(highlight)
        for rank, hit in enumerate(found, 1):
            stored = hit.fields()
            result = Hit(
                rank=rank,
                slug=stored["slug"],
                title=stored["title"],
                theme=stored["theme"],
                lang=stored["lang"],
                tags=tuple(tag for tag in stored.get("tags", "").split(",") if tag),
                date=stored["date"],
                replies=stored.get("replies", 0),
                score=hit.score,
                docnum=hit.docnum,
            )
            if snippets:
                result.snippet = _snippet(hit, stored)
            results.hits.append(result)
    results.seconds = time.perf_counter() - started
    return results


class _TerminalFormatter(UppercaseFormatter):
    """Matched words in bold (ANSI) for a terminal."""

    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return "\x1b[1m" + self._text(text[token.startchar : token.endchar]) + "\x1b[22m"


class _PlainFormatter(UppercaseFormatter):
    def format_token(self, text, token, replace=False):  # type: ignore[no-untyped-def]
        return "[" + self._text(text[token.startchar : token.endchar]) + "]"


def _formatter(kind: str):  # type: ignore[no-untyped-def]
    if kind == "html":
        return HtmlFormatter(tagname="mark", between=" … ")
    if kind == "terminal":
        return _TerminalFormatter(between=" … ")
    return _PlainFormatter(between=" … ")


def _snippet(hit, stored: dict) -> str:  # type: ignore[no-untyped-def]
    """The passages of the thread's text with the most matched words, else its beginning."""
    body = stored.get("body", "")
    snippet = hit.highlights(f"text_{stored['lang']}", text=body[:SNIPPET_SOURCE], top=2)
    if snippet:
        return " ".join(snippet.split())
    return " ".join(body[:200].split()) + ("…" if len(body) > 200 else "")
