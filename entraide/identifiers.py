"""Every name a user types on the command line, checked once, before any path is built from it.

Submission ids, thread slugs, reply ids and theme slugs become file and folder names, so each must be
a slug (``entraide.slugs``): no ``/``, no ``..``, no absolute path, no Windows device name. Tags are
checked as posts write them. The click parameter types below make every command use these checks;
the library calls ``require`` again where it builds a path, so no other caller can skip them.
"""

from __future__ import annotations

from typing import Any

import click

from entraide.errors import EntraideError, shown
from entraide.slugs import slug_problem

SUBMISSION = "submission id"
THREAD = "thread slug"
REPLY = "reply id"
THEME = "theme slug"
KINDS = (SUBMISSION, THREAD, REPLY, THEME)


def problem(value: str, kind: str) -> str | None:
    """Why ``value`` cannot be a ``kind``, or ``None`` when it can."""
    if kind not in KINDS:  # pragma: no cover - a programming error
        raise ValueError(kind)
    if value != value.strip() or "/" in value or "\\" in value or value.startswith((".", "~")) or ":" in value:
        return f"'{shown(value)}' is not a valid {kind}: give a name, not a path"
    found = slug_problem(value, reserved=kind == THREAD)
    return f"{kind} {found}" if found else None


def require(value: str, kind: str) -> str:
    """``value`` if it is a valid ``kind``; otherwise an ``EntraideError`` saying why."""
    if found := problem(value, kind):
        raise EntraideError(found)
    return value


def thread_or_reply(value: str) -> tuple[str, str | None]:
    """``SLUG`` or ``SLUG/REPLY-ID``, each part checked: ``SLUG/`` is not the whole thread."""
    slug, sep, reply_id = value.partition("/")
    if sep and (not reply_id or "/" in reply_id):
        raise EntraideError(f"'{shown(value)}' is neither SLUG nor SLUG/REPLY-ID")
    require(slug, THREAD)
    return slug, require(reply_id, REPLY) if sep else None


def tag_problem(value: str) -> str | None:
    """Why ``value`` cannot be a tag, as a post's ``tags:`` would say."""
    from entraide.loading.schema import FieldError, Tag
    from entraide.loading.yamlsafe import Scalar

    try:
        Tag().convert(Scalar(1, value))
    except FieldError as error:
        return error.message
    return None


class Identifier(click.ParamType):
    """A click parameter that must be a valid ``kind`` (optionally the empty string, to unset)."""

    def __init__(self, kind: str, *, allow_empty: bool = False, thread_or_reply: bool = False):
        self.kind = kind
        self.allow_empty = allow_empty
        self.thread_or_reply = thread_or_reply
        self.name = kind

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if self.allow_empty and text == "":
            return text
        try:
            if self.thread_or_reply:
                thread_or_reply(text)
            else:
                require(text, self.kind)
        except EntraideError as error:
            raise EntraideError(f"{_label(param)}{error.message}") from None
        return text


class TagList(click.ParamType):
    """Comma-separated tags, each checked as a post's tag; kept as the text given.

    ``deferred``: checked later by the command itself, with every other answer (``entraide new``
    reports a bad tag together with a wrong theme or missing consent, rather than stopping on it
    alone). Tags build no path, so nothing is at risk meanwhile."""

    name = "tags"

    def __init__(self, *, deferred: bool = False):
        self.deferred = deferred

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if self.deferred:
            return text
        for tag in (part.strip() for part in text.split(",")):
            if tag and (found := tag_problem(tag)):
                raise EntraideError(f"{_label(param)}{found}")
        return text


def _label(param: click.Parameter | None) -> str:
    """``--theme: `` or ``ID: ``, so the message says which value was refused (exit status 1, as for
    every user error, rather than click's usage status)."""
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return f"{param.opts[-1]}: "
    name = param.human_readable_name
    if name.endswith("..."):  # several ids, "[ID]...": each refused one is still "ID: "
        name = name[:-3].strip("[]")
    return f"{name}: "


SUBMISSION_ID = Identifier(SUBMISSION)
THREAD_SLUG = Identifier(THREAD)
THEME_SLUG = Identifier(THEME)
REPLY_ID = Identifier(REPLY)
TARGET = Identifier(THREAD, thread_or_reply=True)
TAGS = TagList()
FORM_TAGS = TagList(deferred=True)
