"""Counts in the CLI's sentences: a noun that agrees with its number ("1 thread", "2 threads").

English counts only 1 as singular ("0 threads"); French counts 0 and 1 ("0 réponse", "1 réponse",
"2 réponses"). Nouns with an irregular plural, and phrases whose noun is not their last word
("message without replies"), say both forms (``Noun``).
"""

from __future__ import annotations

from dataclasses import dataclass

_VOWELS = "aeiou"


def plural(noun: str) -> str:
    """The regular English plural of ``noun``: "reply" → "replies", "day" → "days", "box" → "boxes"."""
    if noun.endswith("y") and noun[-2:-1] not in _VOWELS:
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def singular(count: int, lang: str = "en") -> bool:
    """Whether ``count`` takes the singular: 1 in English, 0 and 1 in French."""
    return count in (0, 1) if lang == "fr" else count == 1


def counted(count: int, one: str, many: str | None = None, lang: str = "en") -> str:
    """``count`` and its noun: "1 reply", "3 replies" (``many`` for an irregular plural; French
    nouns say their plural or take an "s")."""
    if singular(count, lang):
        return f"{count} {one}"
    return f"{count} {many or (one + 's' if lang == 'fr' else plural(one))}"


@dataclass(frozen=True, order=True)
class Noun:
    """A noun phrase in both numbers, for counts of things named by a phrase ("deleted message")."""

    many: str
    one: str

    def __call__(self, count: int) -> str:
        return counted(count, self.one, self.many)

    @classmethod
    def regular(cls, one: str) -> Noun:
        return cls(plural(one), one)

    @classmethod
    def invariable(cls, words: str) -> Noun:
        """Words without a number of their own ("already pending")."""
        return cls(words, words)
