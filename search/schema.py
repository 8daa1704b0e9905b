"""The Whoosh schema: one document per published thread.

Text is indexed once per language, in fields named ``<part>_<lang>`` (``title_fr``, ``text_en``…), so
that each field has one analyzer and one stemmer; a French thread fills only the ``_fr`` fields.
Queries search every text field, each with its own analysis, so a query needs no language. Titles and
best replies weigh more than the rest (``FIELD_BOOSTS``); the site's script reads the same weights
from the exported ``meta.json``.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.system import pack_uint

from search.analysis import analyzer, vocabulary_analyzer


class Analysed(dict):
    """A field's value already analysed (term → positions, or word → count): ``AnalysedText``
    indexes it as is, so each document's text is analysed once, for the index and the export alike."""


class AnalysedText(TEXT):
    """A text field that also takes an ``Analysed`` value. Queries and the highlighter still use its
    analyzer, which gives the same terms (``search.analysis.indexed_words``)."""

    def index(self, value, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(value, Analysed):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        for text, found in value.items():
            if isinstance(found, int):  # a word's count (the vocabulary field has no positions)
                yield text.encode("utf-8"), found, found * boost, pack_uint(found)
            else:
                yield text.encode("utf-8"), len(found), len(found) * boost, self.format.encode(found)

LANGUAGES = ("fr", "en")
PARTS = ("title", "text", "best", "topics", "replies")
PART_BOOSTS = {"title": 3.0, "text": 1.0, "best": 2.0, "topics": 2.0, "replies": 0.3}
"""Query-time weights: a word in the title counts three times, in the best reply or the topics twice,
in the opening post (``text``, with the summary) once, and in the other replies 0.3 times.

``replies`` is the long tail of a thread: a long questionnaire whose replies each mention one of a
query's words must not outrank a short thread whose opening post asks about them together
(``bench/search_quality.py`` measures it: at 0.3 the expected thread came first most often, against
0.5, 0.7 and 1.0; ``tests/test_search_site.py`` checks the property on generated threads).

``topics`` holds the thread's tags and its theme's title: a thread tagged "télétravail" is about
télétravail even when its text never writes the word."""

POSTS = (("title", "text"), ("best",))
"""The parts that are one post each: the opening post with its title, and the best reply (``replies``
is every other reply together, ``topics`` the tags and the theme: neither is one post)."""
TOGETHER = 1.5
"""How much more a loose query's thread scores when one of its posts holds all the query's words than
when they are scattered over its posts (2.5 times; in between, with the square of the share): words
written together are about one thing. Chosen with ``bench/search_quality.py``'s scattered-words
queries (0.5 and 1.0 left a thread with one word in its title and the others in two replies first;
nothing else moved from 0 to 3); the site's script reads it from ``meta.json``."""

TEXT_FIELDS: tuple[str, ...] = tuple(f"{part}_{lang}" for part in PARTS for lang in LANGUAGES)
FIELD_BOOSTS = {f"{part}_{lang}": PART_BOOSTS[part] for part in PARTS for lang in LANGUAGES}
FIELD_LANG = {f"{part}_{lang}": lang for part in PARTS for lang in LANGUAGES}

VOCABULARY = "words"
"""The words of a thread as written (folded, unstemmed, joined compounds too): not searched, but its
lexicon is the index's vocabulary, with each word's document frequency, for prefixes ("salary*" is
every word starting so, whatever its stem) and spelling corrections (``search.spelling``)."""

BM25_B = 0.75
BM25_K1 = 1.2

SCHEMA_VERSION = 7
"""Bumped whenever fields or analysis change: an index of another version is rebuilt."""


def make_schema() -> Schema:
    fields: dict[str, object] = {
        "slug": ID(stored=True, unique=True, sortable=True),
        "digest": STORED(),
        "title": STORED(),
        "body": STORED(),
        "theme": ID(stored=True, sortable=True),
        "tags": KEYWORD(stored=True, commas=True, lowercase=True),
        "lang": ID(stored=True),
        "date": DATETIME(stored=True),
        "replies": STORED(),
        "starts": STORED(),
    }
    fields[VOCABULARY] = AnalysedText(analyzer=vocabulary_analyzer(), phrase=False)
    for name in TEXT_FIELDS:
        fields[name] = AnalysedText(analyzer=analyzer(FIELD_LANG[name]), phrase=True)
    return Schema(**fields)
