"""The intermediate form every adapter produces: threads and posts with their provenance.

An adapter only reads its export; turning text into Markdown, choosing names, ids and writing files
is shared (``convert``, ``identity``, ``writer``), so a new source is one small module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from entraide.errors import EntraideError
from entraide.wording import Noun, counted

Markup = Literal["html", "markdown"]

MENTION_OPEN = "\ue000"
MENTION_CLOSE = "\ue001"
"""An adapter writes a mention of a person as ``MENTION_OPEN + person key + MENTION_CLOSE`` (private-use
characters, removed from every source text first), so that ``identity`` names them as it names authors."""


def mention(key: str) -> str:
    return f"{MENTION_OPEN}{key}{MENTION_CLOSE}"


@dataclass(frozen=True)
class Person:
    key: str
    """Stable at the source (a user id, a username)."""
    name: str | None
    """The name the source shows, if any."""


@dataclass(frozen=True)
class SourcePost:
    key: str
    """Stable id of the post at the source, as a slug part (``q12``, ``a15``, ``1712345678-000100``)."""
    author: Person | None
    date: datetime
    """Naive UTC."""
    text: str
    """The source's text with ``convert.clean_source_text`` applied, then mention markers added."""
    markup: Markup
    where: str
    """Where it is in the export, for messages: ``Posts.xml: row Id=12``."""
    url: str | None = None
    license: str | None = None
    best: bool = False
    """The source marked it as the answer (accepted, solved)."""
    answers: str | None = None
    """The key of the earlier reply of the same thread this one answers (not the opening post)."""


@dataclass(frozen=True)
class SourceThread:
    key: str
    title: str
    opening: SourcePost
    replies: tuple[SourcePost, ...]
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LooseReplies:
    """Replies to a thread that is not in this export: one imported before, or a published one."""

    key: str
    """The key the thread had at its import (its submission id is made from it, as for any thread)."""
    slug: str
    """The reference as the source wrote it, which may be a published thread's slug."""
    replies: tuple[SourcePost, ...]


@dataclass
class SourceExport:
    """Everything an adapter read from one export."""

    format: str
    site: str
    """The source's name as readers know it (``workplace.stackexchange.com``, ``Slack``)."""
    public: bool
    """Public sources keep names by default; internal ones are anonymous unless told otherwise."""
    threads: list[SourceThread]
    base_url: str | None = None
    """Relative links and images in the posts are made absolute against it."""
    people: dict[str, Person] = field(default_factory=dict)
    """Everyone a mention may name, by key."""
    loose_replies: list[LooseReplies] = field(default_factory=list)
    """Replies whose thread the export does not hold (a form's reply rows to an earlier answer)."""
    skipped: dict[Noun, int] = field(default_factory=dict)
    """What the adapter left out on purpose, by reason (``bot messages``: 3)."""

    def skip(self, reason: Noun, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


class ExportError(EntraideError):
    """An export that cannot be imported: every problem, each naming its file and record."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        summary = f"{counted(len(problems), 'problem')} in the export; nothing was imported."
        super().__init__("\n".join([*problems, summary]))
