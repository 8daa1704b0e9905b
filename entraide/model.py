"""The content model, declared once.

On disk (see the README for a full example)::

    content/themes.yml                    the editors' themes, in display order
    content/threads/<slug>/thread.md      the opening post; it carries the thread's metadata
    content/threads/<slug>/<reply-id>.md  one file per accepted reply
    submissions/<id>.md                   pending posts (a new thread, or a reply with reply_to)

The ``*Fields`` classes are the front-matter schemas: each field's kind, whether it is required and
what it is for are declared here and nowhere else. ``Thread``, ``Reply``, ``Theme`` and
``ContentTree`` are what the rest of the code works with.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from entraide.loading.characters import without_invisible
from entraide.loading.schema import (
    Choice,
    Flag,
    License,
    ListOf,
    PerLanguage,
    Slug,
    Tag,
    Text,
    Url,
    When,
    spec,
)

LANGUAGES = ("fr", "en")
LICENSE_URLS = {
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-SA-3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
}
"""Licences every site knows (SPDX ids); editors add others in content/licenses.yml."""
LICENSES = ("CC-BY-SA-4.0", "CC-BY-4.0", "CC0-1.0")
"""The licences offered to a new contributor (`entraide new`, the form); CC-BY-SA-3.0 is for imports."""
OPENING_POST_NAME = "thread.md"

_MAX_SUMMARY = 4_000
MAX_TAG_LABEL = 40


@dataclass(frozen=True)
class ThreadFields:
    """Front matter of an opening post: the thread's metadata and the editors' curation."""

    title: str = field(
        default="", metadata=spec(Text(200, display=True), required=True, doc="The question or story, in one line.")
    )
    theme: str = field(default="", metadata=spec(Slug(), required=True, doc="Slug of a theme in content/themes.yml."))
    tags: tuple[str, ...] = field(default=(), metadata=spec(ListOf(Tag(), max_items=8), doc="Up to 8 tags."))
    lang: str = field(
        default="", metadata=spec(Choice(LANGUAGES), required=True, doc="Language of the thread: fr or en.")
    )
    author: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Display name; required unless anonymous.")
    )
    anonymous: bool = field(default=False, metadata=spec(Flag(), doc="true: shown as an anonymous member."))
    date: datetime = field(default=datetime.min, metadata=spec(When(), required=True, doc="When it was posted."))
    consent: bool = field(default=False, metadata=spec(Flag(), required=True, doc="The author agrees to publication."))
    license: str = field(default="", metadata=spec(License(), required=True, doc="Licence of the text (SPDX id)."))
    source: str | None = field(default=None, metadata=spec(Url(), doc="Imported: the post's address at its source."))
    source_site: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Imported: the source's name, as readers know it.")
    )
    source_author: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Imported: the author's name as the source shows it.")
    )
    basis: str | None = field(
        default=None, metadata=spec(Text(300), doc="Imported: the basis for publication (a licence, an agreement).")
    )
    summary: str | None = field(
        default=None, metadata=spec(Text(_MAX_SUMMARY, multiline=True), doc="Editors' takeaways, Markdown.")
    )
    best_reply: str | None = field(default=None, metadata=spec(Slug(), doc="Id of the reply editors mark as best."))
    featured: bool = field(default=False, metadata=spec(Flag(), doc="Editors feature the thread."))
    related: tuple[str, ...] = field(
        default=(), metadata=spec(ListOf(Slug(), max_items=5), doc="Related thread slugs.")
    )


@dataclass(frozen=True)
class ReplyFields:
    """Front matter of a reply. ``reply_to`` is required in submissions, optional once filed."""

    reply_to: str | None = field(default=None, metadata=spec(Slug(), doc="Slug of the thread replied to."))
    in_reply_to: str | None = field(
        default=None, metadata=spec(Slug(), doc="Id of the earlier reply of the same thread that this one answers.")
    )
    author: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Display name; required unless anonymous.")
    )
    anonymous: bool = field(default=False, metadata=spec(Flag(), doc="true: shown as an anonymous member."))
    date: datetime = field(default=datetime.min, metadata=spec(When(), required=True, doc="When it was posted."))
    consent: bool = field(default=False, metadata=spec(Flag(), required=True, doc="The author agrees to publication."))
    license: str | None = field(default=None, metadata=spec(License(), doc="Defaults to the thread's licence."))
    source: str | None = field(default=None, metadata=spec(Url(), doc="Imported: the post's address at its source."))
    source_site: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Imported: the source's name, as readers know it.")
    )
    source_author: str | None = field(
        default=None, metadata=spec(Text(80, display=True), doc="Imported: the author's name as the source shows it.")
    )
    basis: str | None = field(
        default=None, metadata=spec(Text(300), doc="Imported: the basis for publication (a licence, an agreement).")
    )
    source_best: bool = field(
        default=False, metadata=spec(Flag(), doc="Imported: the source marked it as the answer; accepting it makes it the best reply.")
    )


@dataclass(frozen=True)
class ThemeFields:
    """One entry of content/themes.yml; the list order is the display order."""

    slug: str = field(default="", metadata=spec(Slug(), required=True, doc="URL name of the theme."))
    title: dict[str, str] = field(
        default_factory=dict,
        metadata=spec(PerLanguage(LANGUAGES, Text(80, display=True)), required=True, doc="Title per language."),
    )
    description: dict[str, str] = field(
        default_factory=dict,
        metadata=spec(PerLanguage(LANGUAGES, Text(600, multiline=True)), doc="Description per language."),
    )
    featured: tuple[str, ...] = field(
        default=(), metadata=spec(ListOf(Slug(), max_items=10), doc="Featured thread slugs, shown first.")
    )


@dataclass(frozen=True)
class TagFields:
    """One entry of content/tags.yml, the controlled vocabulary of tags (optional file)."""

    name: str = field(default="", metadata=spec(Tag(), required=True, doc="The tag as threads write it."))
    labels: dict[str, str] = field(
        default_factory=dict,
        metadata=spec(PerLanguage(LANGUAGES, Text(MAX_TAG_LABEL, display=True), "{fr: Conflit, en: Conflict}"),
                      doc="What readers see, per interface language; the name where none is given."),
    )
    aliases: tuple[str, ...] = field(
        default=(), metadata=spec(ListOf(Tag(), max_items=20), doc="Other spellings that mean this tag.")
    )


@dataclass(frozen=True)
class LicenseFields:
    """One entry of content/licenses.yml: a licence editors allow besides the built-in ones."""

    id: str = field(default="", metadata=spec(License(), required=True, doc="The SPDX id, e.g. CC-BY-SA-2.5."))
    url: str = field(default="", metadata=spec(Url(), required=True, doc="Where readers can read the licence."))


@dataclass(frozen=True)
class TagVocabulary:
    """The allowed tags, their aliases and their labels; a tree without content/tags.yml allows any tag.

    A tag is one name (its page's address, what threads write) whatever the language: French and
    English twins (conflit, conflict) are one tag, the twin an alias, each shown by its label.
    """

    names: tuple[str, ...]
    aliases: dict[str, str]
    """Alias → tag name."""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    """Tag name → interface language → label; a language without one shows the name."""

    def label(self, tag: str, lang: str) -> str:
        """What a reader of the ``lang`` interface sees for ``tag``."""
        return self.labels.get(tag, {}).get(lang, tag)

    def canonical(self, tag: str) -> str | None:
        """The allowed tag ``tag`` stands for (itself, or the name of the alias), else None."""
        if tag in self.names:
            return tag
        return self.aliases.get(tag)

    def problem(self, tag: str) -> str | None:
        """Why ``tag`` cannot be used as written, or None."""
        if tag in self.names:
            return None
        if tag in self.aliases:
            return f"tag '{tag}' is spelled '{self.aliases[tag]}' in content/tags.yml"
        from entraide.tagging import suggest

        close = suggest(tag, self)
        hint = f"; did you mean '{close}'?" if close else ""
        return f"tag '{tag}' is not in content/tags.yml{hint} (editors add new tags there)"


@dataclass(frozen=True)
class Theme:
    fields: ThemeFields
    position: int

    @property
    def slug(self) -> str:
        return self.fields.slug

    def title(self, lang: str) -> str:
        return _in_language(self.fields.title, lang)

    def description(self, lang: str) -> str:
        return _in_language(self.fields.description, lang) if self.fields.description else ""


@dataclass(frozen=True)
class Reply:
    """An accepted reply; ``id`` is its file name without ``.md``."""

    id: str
    source: Path
    fields: ReplyFields
    body: str
    license: str

    @property
    def date(self) -> datetime:
        return self.fields.date


@dataclass(frozen=True)
class Thread:
    """An accepted thread: its opening post and its replies in date order."""

    slug: str
    source: Path
    fields: ThreadFields
    body: str
    replies: tuple[Reply, ...]

    @property
    def title(self) -> str:
        return self.fields.title

    @property
    def theme(self) -> str:
        return self.fields.theme

    @property
    def lang(self) -> str:
        return self.fields.lang

    @property
    def date(self) -> datetime:
        return self.fields.date

    @property
    def last_activity(self) -> datetime:
        return self.replies[-1].date if self.replies else self.date


@dataclass
class ContentTree:
    """Everything published: themes in order and threads newest first."""

    root: Path
    themes: list[Theme]
    threads: list[Thread]
    vocabulary: TagVocabulary | None = None
    licenses: dict[str, str] = field(default_factory=lambda: dict(LICENSE_URLS))
    """Every licence a post may carry: SPDX id → address of its text."""
    themes_by_slug: dict[str, Theme] = field(init=False)
    threads_by_slug: dict[str, Thread] = field(init=False)

    def __post_init__(self) -> None:
        self.themes_by_slug = {theme.slug: theme for theme in self.themes}
        self.threads_by_slug = {thread.slug: thread for thread in self.threads}
        self._by_theme: dict[str, list[Thread]] = {}
        for thread in self.threads:
            self._by_theme.setdefault(thread.theme, []).append(thread)

    def tag_label(self, tag: str, lang: str) -> str:
        """The label of ``tag`` in the ``lang`` interface (the tag itself without a vocabulary)."""
        return self.vocabulary.label(tag, lang) if self.vocabulary is not None else tag

    def threads_in(self, theme: str) -> list[Thread]:
        """The theme's threads, newest first (indexed once: every listing page asks)."""
        return list(self._by_theme.get(theme, ()))

    @property
    def reply_count(self) -> int:
        return sum(len(thread.replies) for thread in self.threads)

    @cached_property
    def posts_by_text(self) -> dict[str, str]:
        """``text_key`` of every published post → where it is (``slug`` or ``slug/reply-id``)."""
        found: dict[str, str] = {}
        for thread in self.threads:
            found.setdefault(text_key(thread.body), thread.slug)
            for reply in thread.replies:
                found.setdefault(text_key(reply.body), f"{thread.slug}/{reply.id}")
        return found


def text_key(body: str) -> str:
    """The same for two texts a reader would take for one: case, spacing, invisible characters and
    compatibility forms (full-width letters…) do not count. Finds a post submitted, or filed, twice."""
    folded = without_invisible(unicodedata.normalize("NFKC", body)).casefold()
    return hashlib.sha256(" ".join(folded.split()).encode("utf-8")).hexdigest()


def _in_language(values: dict[str, str], lang: str) -> str:
    """The text in ``lang``, else in the other language: a theme may be written in one only."""
    if lang in values:
        return values[lang]
    return next(iter(values.values()), "")
