"""How text becomes index terms, in French and English — the one definition the site's script mirrors.

The chain is: words (letters and digits, so apostrophes and hyphens split "d’équipe" into "d" and
"équipe"), lower case, accents and ligatures folded ("équipe" → "equipe", "œuvre" → "oeuvre"), stop
words of both languages and one-letter words dropped (so French elisions vanish), then the Snowball
stemmer of the field's language.

Folding comes before stemming so that "equipe" typed without accents and "équipe" give the same term.
The stemmers are Snowball 2.2's (PyStemmer 2.x); the browser runs the JavaScript build of the same
algorithms (``search/static/vendor``), and ``tests/test_search_site.py`` checks both agree. Stop words
are the union of Whoosh's French and English lists, the same for every field: a French stop word
typed in a query must not turn into a required English term.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import CompositeAnalyzer
from whoosh.lang.stopwords import stoplists

WORD_PATTERN = r"[^\W_]+"
"""A word: letters and digits. The site's script uses ``[\\p{L}\\p{N}]+``."""

LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}
MIN_WORD = 2

STEMMER_NAMES = {"fr": "french", "en": "english"}


def fold(text: str) -> str:
    """Lower case, no accents, no ligatures: what a reader may type for what an author wrote."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return "".join(LIGATURES.get(char, char) for char in text)


fold_word = lru_cache(maxsize=200_000)(fold)
"""``fold`` for single words, which repeat: cached."""


EXTRA_STOP_WORDS = {
    "fr": "les cette cet ca cela ceci celui celle ceux celles comme tout tous toute toutes tres aussi ou dont si "
    "sans sous entre vers chez quand alors donc ni car est etre avoir fait faire peut plus moins bien deja encore",
    "en": "i'm it's don't can will would could should also just about into than then there their them they",
}
"""Whoosh's lists miss some of the most frequent words ("les" among them)."""

STOP_WORDS: frozenset[str] = frozenset(
    fold(word)
    for lang in ("fr", "en")
    for word in list(stoplists[lang]) + EXTRA_STOP_WORDS[lang].split()
    if "'" not in word
)


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMER_NAMES[lang])


def singular_fr(word: str) -> str:
    """Drop a French plural "s" before stemming, where Snowball's own last step would drop it.

    Snowball reads the "-it" of "conflit" as a verb ending ("confl") but keeps "conflits" whole
    ("conflit"); taking the plural off first gives both the same stem, as for "manager(s)".
    """
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "aiosu":
        return word[:-1]
    return word


@lru_cache(maxsize=100_000)
def stem_fr(word: str) -> str:
    return str(_stemmer("fr").stemWord(singular_fr(word)))


@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    return str(_stemmer("en").stemWord(word))


STEMS = {"fr": stem_fr, "en": stem_en}


class FoldFilter(Filter):
    """Lower case and fold accents (see :func:`fold`)."""

    def __call__(self, tokens: Iterator) -> Iterator:  # type: ignore[override]
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


class SnowballFilter(Filter):
    """Stem with the Snowball algorithm of one language; stopped tokens are left alone.

    It names the language rather than holding a stemmer, so that the schema Whoosh pickles into the
    index stays small and loadable.
    """

    def __init__(self, lang: str):
        self.lang = lang

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SnowballFilter) and other.lang == self.lang

    def __hash__(self) -> int:
        return hash(("SnowballFilter", self.lang))

    def __call__(self, tokens: Iterator) -> Iterator:  # type: ignore[override]
        stem = STEMS[self.lang]
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


COMPOUND_PATTERN = r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+"
"""Words joined by hyphens ("co-worker", "burn-out"). The site's script uses the same with ``\\p{L}\\p{N}``."""
_COMPOUND = re.compile(COMPOUND_PATTERN)


def joined(compound: str) -> str:
    """A hyphenated compound written as one word, folded: "Co-Worker" → "coworker"."""
    return "".join(fold_word(match.group()) for match in _WORD.finditer(compound))


class CompoundTokenizer(RegexTokenizer):
    """Words, and after each hyphenated compound its joined form, at the position of its last part.

    "co-worker" is then found by "coworker" (and by "co-worker", which a query reads as either form):
    writers hyphenate and join compounds freely, readers too."""

    def __init__(self) -> None:
        super().__init__(WORD_PATTERN)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,  # type: ignore[no-untyped-def, override]
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        compounds = list(_COMPOUND.finditer(value)) if tokenize else []
        parent = super().__call__(value, positions=positions, chars=chars or bool(compounds),
                                  keeporiginal=keeporiginal, removestops=removestops, start_pos=start_pos,
                                  start_char=start_char, tokenize=tokenize, mode=mode, **kwargs)
        if not compounds:
            yield from parent
            return
        pending = iter(compounds)
        compound = next(pending, None)
        for token in parent:
            yield token
            while compound is not None and compound.end() + start_char < token.endchar:
                compound = next(pending, None)
            if compound is not None and compound.end() + start_char == token.endchar:
                text, startchar = token.text, token.startchar
                token.text, token.joined = joined(compound.group()), True
                token.startchar = compound.start() + start_char
                yield token
                token.text, token.startchar, token.joined = text, startchar, False
                compound = next(pending, None)


class CompoundStopFilter(StopFilter):
    """Whoosh's stop filter, renumbering positions as it does, except that a joined compound takes
    the position of the word before it: "co-worker made" keeps "worker made" a phrase."""

    def __init__(self) -> None:
        super().__init__(stoplist=STOP_WORDS, minsize=MIN_WORD)

    def __call__(self, tokens: Iterator) -> Iterator:  # type: ignore[override]
        pos = None
        for token in tokens:
            text = token.text
            if len(text) >= self.min and text not in self.stops:
                if token.positions:
                    if pos is None:
                        pos = token.pos
                    elif not getattr(token, "joined", False):
                        pos += 1
                    token.pos = pos
                token.stopped = False
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token


def analyzer(lang: str) -> CompositeAnalyzer:
    """The Whoosh analyzer of a text field in ``lang``."""
    return CompositeAnalyzer(
        CompoundTokenizer(),
        FoldFilter(),
        CompoundStopFilter(),
        SnowballFilter(lang),
    )


def vocabulary_analyzer() -> CompositeAnalyzer:
    """The words as written (folded, joined compounds too), unstemmed: prefixes and spelling use them."""
    return CompositeAnalyzer(CompoundTokenizer(), FoldFilter(), CompoundStopFilter())


_WORD = re.compile(WORD_PATTERN)


def words(text: str) -> list[str]:
    """Folded words of ``text`` with stop words and one-letter words removed (before stemming)."""
    folded = (fold_word(match.group()) for match in _WORD.finditer(text))
    return [word for word in folded if len(word) >= MIN_WORD and word not in STOP_WORDS]


def index_words(text: str) -> list[str]:
    """``words``, plus the joined form of each hyphenated compound: the words the index holds of ``text``."""
    compounds = (joined(match.group()) for match in _COMPOUND.finditer(text))
    return words(text) + [word for word in compounds if word not in STOP_WORDS]


def term(word: str, lang: str) -> str:
    """The index term of one folded word in a field of ``lang``."""
    return STEMS[lang](word)


@lru_cache(maxsize=200_000)
def _kept(word: str) -> str | None:
    """A word as written → its folded form, or None when the index drops it (stop word, one letter)."""
    folded = fold_word(word)
    return folded if len(folded) >= MIN_WORD and folded not in STOP_WORDS else None


def indexed_words(text: str) -> list[tuple[str, int]]:
    """(folded word, position) of every word the index keeps of ``text``, in order: what
    ``analyzer``'s tokenizer, folding and stop filter give (joined compounds included), in one pass
    over the text with cached per-word results instead of a chain of filters per token.

    Positions are as ``CompoundStopFilter`` numbers them: the first kept word keeps its place among
    all words, the next ones follow it, a joined compound shares the place of the word before it."""
    if not _HYPHENS.search(text):  # no compound: positions follow from the first kept word
        mapped = list(map(_kept, _WORD.findall(text)))
        kept = [word for word in mapped if word is not None]
        if not kept:
            return []
        first = next(number for number, word in enumerate(mapped) if word is not None)
        return list(zip(kept, range(first, first + len(kept)), strict=True))
    ends = {match.end(): joined(match.group()) for match in _COMPOUND.finditer(text)}
    found: list[tuple[str, int]] = []
    pos = -1
    for number, match in enumerate(_WORD.finditer(text)):
        word = _kept(match.group())
        if word is not None:
            pos = number if pos < 0 else pos + 1
            found.append((word, pos))
        compound = ends.get(match.end())
        if compound is not None:
            word = _kept(compound)
            if word is not None:
                pos = number if pos < 0 else pos
                found.append((word, pos))
    return found


_HYPHENS = re.compile("[-\u2010\u2011]")


def field_postings(words: list[tuple[str, int]], lang: str) -> dict[str, list[int]]:
    """Term → positions in a field of ``lang``, from ``indexed_words``: what Whoosh indexes."""
    stem = STEMS[lang]
    postings: dict[str, list[int]] = {}
    for word, pos in words:
        postings.setdefault(stem(word), []).append(pos)
    return postings
