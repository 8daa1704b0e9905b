"""A published thread as one index document, and the digest that tells whether it changed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from entraide.collation import folded
from entraide.markup import plain_text, typeset
from entraide.model import ContentTree, Thread
from search.analysis import field_postings, indexed_words
from search.schema import LANGUAGES, PARTS, SCHEMA_VERSION, VOCABULARY, Analysed

PlainText = Callable[[str, str], str]
"""A post's plain text from its Markdown and language: ``entraide.markup.plain_text``, or a build's
renderer that makes the page's HTML from the same parse (``builder.posthtml``)."""


def plain_text_of(text: str, lang: str) -> str:
    return plain_text(text, lang)


KEY_LENGTH = 3
FRAGMENT_CHARS = 3000
"""A result's fragment (the site's ``d/<docnum>.json``) holds the first 3,000 characters of its text."""
"""Terms are exported in files named by their first three letters (see ``search.export``)."""


def shard_key(text: str) -> str:
    """The export file a term lives in: its first letters, padded so short terms get their own."""
    return text[:KEY_LENGTH].ljust(KEY_LENGTH, "_")


@dataclass(frozen=True)
class IndexDocument:
    slug: str
    lang: str
    title: str
    text: str
    best: str
    topics: str
    lead: str
    """The summary and the opening post: the ``text`` fields (``text`` itself is every post, stored)."""
    tail: str
    """The replies but the best one: the ``replies`` fields, weighed less (``search.schema``)."""
    theme: str
    tags: tuple[str, ...]
    date: datetime
    replies: int
    digest: str
    starts: tuple[tuple[str, int], ...] = ()
    """Each reply's id and where it starts in ``text`` (UTF-16 units, as the site's script counts):
    a result links to the reply holding the query's words (``search.posts``)."""

    @cached_property
    def postings(self) -> dict[str, dict[str, list[int]]]:
        """Each text field this document fills → term → positions: its one analysis."""
        return {name: found for name, found in self._analysed[0].items() if found}

    @cached_property
    def words(self) -> dict[str, int]:
        """The vocabulary's words of this document (folded, unstemmed) → how often it writes them."""
        return self._analysed[1]

    @cached_property
    def _analysed(self) -> tuple[dict[str, dict[str, list[int]]], dict[str, int]]:
        parts = {"title": self.title, "text": self.lead, "best": self.best, "topics": self.topics,
                 "replies": self.tail}
        postings: dict[str, dict[str, list[int]]] = {}
        words: dict[str, int] = {}
        for part in PARTS:
            found = indexed_words(parts[part])
            postings[f"{part}_{self.lang}"] = field_postings(found, self.lang)
            for word, _pos in found:  # the vocabulary: every part (each post is in one part only)
                words[word] = words.get(word, 0) + 1
        return postings, words

    def lengths(self) -> dict[str, int]:
        """Each filled text field's length as Whoosh counts it (its terms' frequencies summed)."""
        return {name: sum(map(len, found.values())) for name, found in self.postings.items()}

    def fields(self) -> dict[str, object]:
        """Keyword arguments for ``IndexWriter.add_document``, its text fields already analysed."""
        values: dict[str, object] = {
            "slug": self.slug,
            "digest": self.digest,
            "title": self.title,
            "body": self.text,
            "theme": self.theme,
            "tags": ",".join(self.tags),
            "lang": self.lang,
            "date": self.date.replace(tzinfo=None),
            "replies": self.replies,
            "starts": [list(start) for start in self.starts],
            VOCABULARY: Analysed(self.words),
        }
        for name, found in self.postings.items():
            values[name] = Analysed(found)
        return values

    def field_terms(self) -> dict[str, set[str]]:
        """The terms of each text field this document fills, as the index holds them."""
        return {name: set(found) for name, found in self.postings.items()}


def _posts(thread: Thread) -> tuple[list[str], str]:
    fields = thread.fields
    posts = [thread.body] + [reply.body for reply in thread.replies]
    if fields.summary:
        posts.insert(0, fields.summary)
    best = next((reply.body for reply in thread.replies if reply.id == fields.best_reply), "")
    return posts, best


@dataclass(frozen=True)
class Topics:
    """What a thread is about besides its text, in the thread's language: its theme's title and its
    tags' labels (a French thread tagged ``conflit`` is about « Conflit », an English one about
    "Conflict", so that grouping twins into one tag loses no reader's word)."""

    theme_title: str = ""
    tag_labels: tuple[str, ...] = ()


def topics_of(thread: Thread, tree: ContentTree) -> Topics:
    theme = tree.themes_by_slug.get(thread.theme)
    return Topics(theme.title(thread.lang) if theme else "",
                  tuple(tree.tag_label(tag, thread.lang) for tag in thread.fields.tags))


def topics_text(thread: Thread, topics: Topics) -> str:
    """The topics as words: each tag's label, and its name when it reads otherwise (hyphens read as
    spaces), then the theme's title."""
    words: list[str] = []
    for tag, label in zip(thread.fields.tags, topics.tag_labels or thread.fields.tags, strict=True):
        words += [label] if folded(label) == folded(tag) else [label, tag.replace("-", " ")]
    return "\n".join([*words, topics.theme_title])


def thread_digest(thread: Thread, topics: Topics = Topics()) -> str:
    """A hash of everything the index holds of a thread: equal digests, nothing to re-index.

    Each part is hashed with its length before it, so that no two different threads can give the
    same stream of bytes (and no text needs escaping, which made this the slow part of a rebuild).
    """
    fields = thread.fields
    posts, best = _posts(thread)
    parts = [str(SCHEMA_VERSION), fields.title, fields.theme, topics.theme_title, fields.lang, fields.date.isoformat(),
             best, str(len(fields.tags)), *fields.tags, str(len(topics.tag_labels)), *topics.tag_labels,
             str(len(posts)), *posts,
             *(reply.id for reply in thread.replies)]
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:32]


def utf16_length(text: str) -> int:
    """The length of ``text`` as JavaScript counts it (characters outside the BMP count two)."""
    return len(text.encode("utf-16-le")) // 2


def thread_document(thread: Thread, topics: Topics = Topics(), plain: PlainText = plain_text_of) -> IndexDocument:
    """What the index knows of a thread: its text, never its authors. ``topics`` are in the thread's
    language (``topics_of``). The title and the text are typeset as the thread's page prints them
    (``entraide.markup.typeset``): results and snippets, in the CLI and on the site, show the page's
    French spacing."""
    fields = thread.fields
    posts, best = _posts(thread)
    digest = thread_digest(thread, topics)
    lang = fields.lang
    assert lang in LANGUAGES
    texts = [typeset(plain(post, lang), lang) for post in posts]
    text = "\n\n".join(texts)
    first_reply = len(texts) - len(thread.replies)
    starts, at = [], 0
    for number, piece in enumerate(texts):
        if number >= first_reply:
            starts.append((thread.replies[number - first_reply].id, utf16_length(text[:at])))
        at += len(piece) + 2
    return IndexDocument(
        slug=thread.slug,
        lang=fields.lang,
        title=typeset(fields.title, lang),
        text=text,
        best=typeset(plain(best, lang), lang) if best else "",
        lead="\n\n".join(texts[:first_reply]),
        tail="\n\n".join(piece for number, piece in enumerate(texts[first_reply:])
                            if thread.replies[number].id != fields.best_reply),
        topics=topics_text(thread, topics),
        theme=fields.theme,
        tags=tuple(fields.tags),
        date=fields.date,
        replies=len(thread.replies),
        digest=digest,
        starts=tuple(starts),
    )
