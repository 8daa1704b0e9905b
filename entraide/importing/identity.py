"""Who an imported post says wrote it, and how mentions of people read.

Three choices, stated on the command line: ``names`` (the source's names, kept as ``source_author``
too: the default for public sources, whose members published under those names), ``pseudonyms`` (a
stable pseudonym per person, the same for every post and mention) and ``anonymous`` (the default for
internal sources such as Slack, Viva Engage or a form, whose members never agreed to be named in
public: no name is written anywhere, mentions become « @membre »).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from entraide.importing.model import MENTION_CLOSE, MENTION_OPEN, Person
from entraide.loading.characters import without_invisible
from entraide.loading.schema import FieldError, display_problem

NAMES = "names"
PSEUDONYMS = "pseudonyms"
ANONYMOUS = "anonymous"
CHOICES = (NAMES, PSEUDONYMS, ANONYMOUS)

_MEMBER = {"fr": "Membre", "en": "Member"}
_SOMEONE = {"fr": "membre", "en": "member"}
_MENTION = re.compile(f"{MENTION_OPEN}([^{MENTION_CLOSE}]*){MENTION_CLOSE}")


@dataclass(frozen=True)
class Shown:
    """The identity fields of one post."""

    author: str | None
    anonymous: bool
    source_author: str | None


@dataclass(frozen=True)
class Identities:
    choice: str
    site: str
    lang: str
    people: dict[str, Person]

    def pseudonym(self, key: str) -> str:
        """``Membre 3F7A2C``: the same person gets the same pseudonym on every run of an import of
        this site, and nothing of their name or id can be read from it."""
        digest = hashlib.sha256(f"{self.site}\n{key}".encode()).hexdigest()[:6].upper()
        return f"{_MEMBER.get(self.lang, 'Membre')} {digest}"

    def author(self, person: Person | None) -> Shown:
        if person is None or self.choice == ANONYMOUS:
            return Shown(None, True, None)
        if self.choice == PSEUDONYMS:
            return Shown(self.pseudonym(person.key), False, None)
        name = publishable_name(person.name)
        if name is None:  # a name that cannot be shown as written: never guessed, never altered
            return Shown(self.pseudonym(person.key), False, None)
        return Shown(name, False, name)

    def mentions(self, text: str) -> str:
        """Every mention marker of ``text`` written as this choice names people."""
        return _MENTION.sub(lambda match: "@" + self._mentioned(match.group(1)), text)

    def _mentioned(self, key: str) -> str:
        if self.choice == ANONYMOUS:
            return _SOMEONE.get(self.lang, "membre")
        person = self.people.get(key, Person(key, None))
        shown = self.author(person)
        return shown.author or _SOMEONE.get(self.lang, "membre")


def publishable_name(name: str | None) -> str | None:
    """``name`` if a post's ``author`` can hold it (one line, 80 characters, no look-alike scripts)."""
    if not name:
        return None
    cleaned = " ".join(without_invisible(name).split())[:80].strip()
    if not cleaned:
        return None
    try:
        display_problem(cleaned)
    except FieldError:
        return None
    return cleaned
