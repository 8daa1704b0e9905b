"""The query language readers and editors type, parsed into a small tree.

It is the part of Whoosh's default syntax that both the CLI and the site's script run, with the same
meaning::

    conflit équipe            both words (AND is implied)
    conflit OR tension        either word
    conflit NOT télétravail   the first without the second (also: conflit -télétravail)
    "entretien annuel"        a phrase: the words next to each other, in that order (“…” and «…» too)
    manag*                    any word starting with "manag" (3 letters at least)
    (retard OR délai) client  parentheses group
    title:conflit             in the titles only (also titre:), before a word, a phrase or a group
    co-worker                 either the joined word ("coworker", which the index also holds for
                              every hyphenated compound) or its parts

A query of plain words (no operator, phrase, parenthesis or ``title:``) is loose (``Most``): threads
with every word come first, then those with most of them; two adjacent words also match as one
("co worker" finds "coworker"). Anything else is strict, as written.

Operators are written in capitals, as in Whoosh. Words go through ``search.analysis`` (folding,
stop words, one stemmer per field language) when the tree becomes a Whoosh query
(``search.searching``). ``static/entraide-search.js`` holds the same parser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from entraide.errors import EntraideError
from search.analysis import COMPOUND_PATTERN, STOP_WORDS, fold, joined, words

MIN_PREFIX = 3
MAX_QUERY_LENGTH = 500


class QueryError(EntraideError):
    """A query that cannot be understood; the message says why and where."""


@dataclass(frozen=True)
class Word:
    """One folded word (stemmed later, per field language)."""

    text: str


@dataclass(frozen=True)
class Prefix:
    text: str


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]
    excluded: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Scoped:
    """``title:…``: its one child searched in the fields of one part of the schema only."""

    part: str
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Most:
    """Plain words, loosely: a thread matches with any of ``children`` and ranks by how many of the
    query's words it covers first, its score second. ``pairs[i]``, when set, is the joined form of
    children ``i`` and ``i + 1`` ("co" "worker" → "coworker"), which covers both."""

    children: tuple[Node, ...]
    pairs: tuple[Word | None, ...]


Node = Word | Prefix | Phrase | And | Or | Scoped | Most

SCOPES = {"title": "title", "titre": "title"}
"""Field names a query may put before a word (``title:conflit``), and the schema part they search."""
FILTER_FIELDS = ("theme", "thème", "tag", "tags", "lang", "langue", "language", "author", "auteur", "date")
"""Field names that look searchable but are filters (or not indexed): a clear error, not zero results."""
_FIELD = re.compile(r"([^\W\d_]+):(.*)", re.S)

_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)(?P<end>"?)|(?P<word>[^\s()"]+))')


def _tokens(query: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    position = 0
    while True:
        match = _TOKEN.match(query, position)
        if not match or match.end() == position:
            break
        position = match.end()
        if match.group("open"):
            found.append(("(", "("))
        elif match.group("close"):
            found.append((")", ")"))
        elif match.group("phrase") is not None:
            if not match.group("end"):
                raise QueryError(f'unclosed quote in the query: "{match.group("phrase")}')
            found.append(("phrase", match.group("phrase")))
        else:
            word = match.group("word")
            if word in ("AND", "OR", "NOT"):
                found.append((word, word))
            elif word.startswith("-") and len(word) > 1:
                found.append(("NOT", "-"))
                found.extend(_word_tokens(word[1:]))
            else:
                found.extend(_word_tokens(word))
    return found


def _word_tokens(word: str) -> list[tuple[str, str]]:
    """A word, or ``title:`` and the word after it; a filter's name before a colon is an error."""
    match = _FIELD.fullmatch(word)
    name = match.group(1).lower() if match else ""
    if match and name in SCOPES:
        rest = match.group(2)
        return [("scope", SCOPES[name])] + ([("word", rest)] if rest else [])
    if match and name in FILTER_FIELDS:
        raise QueryError(f"'{match.group(1)}:' cannot be searched in the query, only title: can; "
                         "filter by theme, tag or language instead")
    return [("word", word)]


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.at = 0

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node | None:
        node = self.or_expr()
        if self.peek() == ")":
            raise QueryError("unbalanced parenthesis in the query: ')' without '('")
        return node

    def or_expr(self) -> Node | None:
        children = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            children.append(self.and_expr())
        kept = _unique([child for child in children if child is not None])
        kept = _unique([grand for child in kept for grand in (child.children if isinstance(child, Or) else (child,))])
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        required: list[Node] = []
        excluded: list[Node] = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                continue
            negative = False
            while self.peek() == "NOT":
                self.take()
                negative = not negative
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("NOT must be followed by a word, a phrase or a group")
            node = self.atom()
            if node is not None:
                (excluded if negative else required).append(node)
        required = _unique(_flatten(required))
        excluded = _unique(excluded)
        if not required:
            if excluded:
                raise QueryError("a query needs at least one word that is not excluded by NOT")
            return None
        if len(required) == 1 and not excluded:
            return required[0]
        return And(tuple(required), tuple(excluded))

    def atom(self) -> Node | None:
        kind, text = self.take()
        if kind == "scope":
            if self.peek() in (None, ")", "OR", "AND", "NOT", "scope"):
                raise QueryError(f"{text}: must be followed by a word, a phrase or a group")
            child = self.atom()
            return Scoped(text, (child,)) if child is not None else None
        if kind == "(":
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError("unbalanced parenthesis in the query: '(' without ')'")
            self.take()
            return node
        if kind == "phrase":
            found = words(text)
            if len(found) <= 1:
                return Word(found[0]) if found else None
            return Phrase(tuple(found))
        return _word(text)


def _word(text: str) -> Node | None:
    if text.endswith("*"):
        stem = text.rstrip("*")
        pieces = re.findall(r"[^\W_]+", stem)
        if not pieces or "*" in stem:
            raise QueryError(f"'{text}': a wildcard goes at the end of a word, as in manag*")
        prefix = fold(pieces[-1])
        if len(prefix) < MIN_PREFIX:
            raise QueryError(f"'{text}': a prefix needs at least {MIN_PREFIX} letters, as in manag*")
        leading: list[Node] = [Word(word) for word in words(" ".join(pieces[:-1]))]
        return _all(leading + [Prefix(prefix)])
    if "*" in text or "?" in text.rstrip("?"):
        raise QueryError(f"'{text}': only a trailing * is supported, as in manag*")
    nodes: list[Node] = []
    for piece in _COMPOUND_OR_WORD.finditer(text):
        parts = _all([Word(word) for word in words(piece.group())])
        whole = joined(piece.group()) if piece.group("compound") else ""
        if whole and whole not in STOP_WORDS:
            nodes.append(Or((Word(whole), parts)) if parts is not None and parts != Word(whole) else Word(whole))
        elif parts is not None:
            nodes.append(parts)
    return _all(nodes)


_COMPOUND_OR_WORD = re.compile(rf"(?P<compound>{COMPOUND_PATTERN})|[^\W_]+")


def _flatten(nodes: list[Node]) -> list[Node]:
    """``a (b c)`` is ``a b c``: nested ANDs without exclusions merge into their parent."""
    flat: list[Node] = []
    for node in nodes:
        flat.extend(node.children if isinstance(node, And) and not node.excluded else (node,))
    return flat


def _all(nodes: list[Node]) -> Node | None:
    nodes = _unique(_flatten(nodes))
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _unique(nodes: list[Node]) -> list[Node]:
    seen: list[Node] = []
    for node in nodes:
        if node not in seen:
            seen.append(node)
    return seen


QUOTES = str.maketrans({quote: '"' for quote in "“”„«»"})
"""Typographic quotes read as the plain one: phones type “ ” for ", French keyboards « »."""


def normalise(query: str) -> str:
    return unicodedata.normalize("NFC", query).translate(QUOTES).strip()


OPERATORS = ("AND", "OR", "NOT")
ONLY_COMMON = "only words too common to search for (le, the, de…): add a word that says what you are looking for"


def parse(query: str) -> Node | None:
    """The tree of ``query``; None when it holds only stop words. Raises QueryError when malformed."""
    query = normalise(query)
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is too long ({len(query)} characters, at most {MAX_QUERY_LENGTH})")
    tokens = _tokens(query)
    node = _Parser(tokens).parse()
    if node is None and any(kind == "word" and text not in OPERATORS for kind, text in tokens):
        raise QueryError(ONLY_COMMON)
    if isinstance(node, And) and not node.excluded and all(kind == "word" for kind, _text in tokens):
        return loose(node.children)
    return node


def loose(children: tuple[Node, ...]) -> Most:
    """Plain words as a loose query, with the joined form of each pair of adjacent plain words."""
    pairs: list[Word | None] = []
    for first, second in zip(children, children[1:], strict=False):
        both = first.text + second.text if isinstance(first, Word) and isinstance(second, Word) else ""
        pairs.append(Word(both) if both and both not in STOP_WORDS else None)
    return Most(children, tuple(pairs))


def any_of(query: str) -> str | None:
    """For a query of plain words that finds nothing, the query for any of them ("a OR b"); else None."""
    tokens = _tokens(normalise(query)[:MAX_QUERY_LENGTH])
    if len(tokens) < 2 or any(kind != "word" for kind, _text in tokens):
        return None
    return " OR ".join(text for _kind, text in tokens)
