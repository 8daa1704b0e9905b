"""Figures about the published content, for `entraide stats` and the contributors page.

Contributors are counted by display name (case, accents and spacing ignored, as for four-eyes);
anonymous posts never count towards a name: they are reported only as a total.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from entraide.model import ContentTree, ReplyFields, ThreadFields


def person_key(name: str) -> str:
    """The identity of a display name: "Claire M." and "claire m" are the same person."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).replace(".", " ").split())


@dataclass
class Contributor:
    name: str
    threads: int = 0
    replies: int = 0
    best_replies: int = 0

    @property
    def posts(self) -> int:
        return self.threads + self.replies

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "threads": self.threads, "replies": self.replies, "best_replies": self.best_replies}


def _named(fields: ThreadFields | ReplyFields) -> str | None:
    return None if fields.anonymous or not fields.author else fields.author


def contributors(tree: ContentTree) -> list[Contributor]:
    """Named contributors, most best replies first, then most posts, then by name."""
    found: dict[str, Contributor] = {}

    def credit(name: str) -> Contributor:
        return found.setdefault(person_key(name), Contributor(name))

    for thread in tree.threads:
        if name := _named(thread.fields):
            credit(name).threads += 1
        for reply in thread.replies:
            if name := _named(reply.fields):
                contributor = credit(name)
                contributor.replies += 1
                if reply.id == thread.fields.best_reply:
                    contributor.best_replies += 1
    return sorted(found.values(), key=lambda c: (-c.best_replies, -c.posts, person_key(c.name)))


def anonymous_posts(tree: ContentTree) -> int:
    return sum(
        (1 if thread.fields.anonymous else 0) + sum(1 for reply in thread.replies if reply.fields.anonymous)
        for thread in tree.threads
    )


def tag_counts(tree: ContentTree) -> list[tuple[str, int]]:
    counts = Counter(tag for thread in tree.threads for tag in thread.fields.tags)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
