"""The form's fields, as typed data, and the submission they make.

A posted form becomes a ``PostForm``; ``submission`` turns it into the very metadata ``entraide new``
writes and ``problems`` runs the result through the checks of ``entraide check``. Those checks stop
at the first stage that fails (a field that cannot be read hides the screening of the text), so a
failing field is replaced by a harmless stand-in and the text checked again, a few times at most:
the person sees every problem at once, each beside its field, from the same code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from entraide.composing import check_text, submission_text
from entraide.model import LANGUAGES, LICENSES, ContentTree
from entraide.moderation.submissions import Submission
from entraide.slugs import slugify

FIELDS = ("title", "theme", "tags", "lang", "body", "author", "anonymous", "consent", "license")
"""The form's fields, in page order: the error summary lists problems in this order."""

FIELD_OF = {"": "body", "reply_to": "general", "id": "general", "date": "general"}
"""A problem's field in the submission file → the form field it is shown beside."""

MAX_ROUNDS = 4


@dataclass(frozen=True)
class PostForm:
    """What the person typed, kept as typed so that the form can show it again."""

    reply_to: str = ""
    title: str = ""
    theme: str = ""
    tags: str = ""
    lang: str = "fr"
    body: str = ""
    author: str = ""
    anonymous: bool = False
    consent: bool = False
    license: str = LICENSES[0]

    @property
    def is_reply(self) -> bool:
        return bool(self.reply_to)

    @classmethod
    def from_fields(cls, data: Any, reply_to: str = "", default_lang: str = "fr") -> PostForm:
        """From posted form fields (a mapping of strings); unknown or missing fields read as empty."""

        def text(name: str) -> str:
            value = data.get(name, "")
            return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else ""

        lang = text("lang") or default_lang
        return cls(
            reply_to=reply_to,
            title=text("title").strip(),
            theme=text("theme").strip(),
            tags=text("tags"),
            lang=lang,
            body=text("body"),
            author=text("author").strip(),
            anonymous=text("anonymous") == "yes",
            consent=text("consent") == "yes",
            license=text("license") or LICENSES[0],
        )

    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    def key(self) -> str:
        """A hash of everything typed: the same post sent twice has the same key, hence the same id."""
        data = json.dumps([self.reply_to, self.title, self.theme, self.tag_list(), self.lang, self.body.strip(),
                           self.author, self.anonymous, self.consent, self.license], ensure_ascii=False)
        return hashlib.sha256(data.encode("utf-8")).hexdigest()

    def submission_id(self) -> str:
        """``<words>-<hash>``: readable in the queue, and derived from the content alone."""
        words = slugify(self.title if not self.is_reply else f"reponse-{self.reply_to}")
        if len(words) > 40:
            words = words[:41].rsplit("-", 1)[0]
        return f"{words.strip('-') or 'message'}-{self.key()[:12]}"


def metadata(form: PostForm, date: datetime) -> dict[str, object]:
    """The front matter ``entraide new`` writes for the same answers, in its order."""
    fields: dict[str, object] = {}
    if form.is_reply:
        fields["reply_to"] = form.reply_to
    else:
        fields["title"] = form.title
        fields["theme"] = form.theme
        fields["tags"] = form.tag_list()
        fields["lang"] = form.lang
    fields["author"] = form.author or None
    fields["anonymous"] = form.anonymous
    fields["date"] = date.replace(second=0, microsecond=0)
    fields["consent"] = form.consent
    if not form.is_reply:
        fields["license"] = form.license
    return fields


def submission(form: PostForm, date: datetime) -> str:
    return submission_text(metadata(form, date), form.body)


@dataclass
class Outcome:
    """Every blocking problem by form field, and the checked submission (when it could be read)."""

    errors: dict[str, list[str]]
    checked: Submission | None

    @property
    def ok(self) -> bool:
        return not self.errors


def problems(form: PostForm, tree: ContentTree | None, base: Path, date: datetime) -> Outcome:
    """The problems ``entraide check`` finds in the submission ``form`` makes, every one of them."""
    errors: dict[str, list[str]] = {}
    current, first = form, None
    for _round in range(MAX_ROUNDS):
        checked = check_text(form.submission_id(), submission(current, date), tree, base)
        first = first or checked
        failed = set()
        for problem in checked.problems:
            if problem.severity != "error":
                continue
            name = FIELD_OF.get(problem.field, problem.field)
            name = name if name in FIELDS or name == "general" else "general"
            if problem.message not in errors.setdefault(name, []):
                errors[name].append(problem.message)
            failed.add(name)
        if checked.fields is not None or not failed:
            break
        stand_in = _stand_in(current, failed, tree)
        if stand_in == current:
            break
        current = stand_in
    return Outcome(errors, first if not errors else None)


def _stand_in(form: PostForm, failed: set[str], tree: ContentTree | None) -> PostForm:
    """``form`` with each failed field replaced by a value that passes, to let later checks run."""
    changes: dict[str, object] = {}
    if "title" in failed:
        changes["title"] = "Question"
    if "theme" in failed and tree is not None and tree.themes:
        changes["theme"] = tree.themes[0].slug
    if "tags" in failed:
        changes["tags"] = ""
    if "lang" in failed:
        changes["lang"] = LANGUAGES[0]
    if "author" in failed:
        changes["author"] = "Membre"
    if "consent" in failed:
        changes["consent"] = True
    if "license" in failed:
        changes["license"] = LICENSES[0]
    return replace(form, **changes)  # type: ignore[arg-type]
