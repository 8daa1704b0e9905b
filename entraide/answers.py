"""One answer for a post's front matter, checked on its own by the rules ``entraide check`` applies.

``entraide new`` asks for a post field by field and refuses a wrong answer when it is given, rather
than at the end. Each function here applies the very rule the check applies to the whole file (the
field's kind in the schema, the screening of text fields, the theme, thread and tag lookups) and
returns ``Refusal``s: the check's own English message, plus a code and its details, so that the
prompts can say it in their own language (``entraide.cli.refusals``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from entraide import suggestions
from entraide.errors import shown
from entraide.loading.schema import FieldError, ListOf, field_specs
from entraide.loading.yamlsafe import Scalar, Sequence
from entraide.model import ContentTree, ReplyFields, TagVocabulary, ThreadFields
from entraide.moderation import screening

UNKNOWN_THEME = "unknown-theme"
UNKNOWN_THREAD = "unknown-thread"
UNKNOWN_TAG = "unknown-tag"


@dataclass(frozen=True)
class Refusal:
    """Why an answer cannot be used: ``message`` as ``entraide check`` words it, ``code`` and
    ``details`` for a wording in another language."""

    code: str
    message: str
    details: dict[str, str] = field(default_factory=dict)


def theme(value: str, tree: ContentTree) -> Refusal | None:
    """Refused unless ``value`` is the slug of a theme of content/themes.yml."""
    if value in tree.themes_by_slug:
        return None
    if not value.strip():
        return Refusal("empty", "must not be empty")
    themes = list(tree.themes_by_slug)
    close = suggestions.closest(value, themes)
    tail = f"; did you mean '{close}'?" if close else f"; themes: {', '.join(themes)}"
    details = {"value": shown(value), "close": close or "", "themes": ", ".join(themes)}
    return Refusal(UNKNOWN_THEME, f"unknown theme '{shown(value)}'{tail}", details)


def thread(value: str, tree: ContentTree) -> Refusal | None:
    """Refused unless ``value`` is the slug of a published thread (what a reply's ``reply_to`` names)."""
    if value in tree.threads_by_slug:
        return None
    if not value.strip():
        return Refusal("empty", "must not be empty")
    close = suggestions.closest(value, tree.threads_by_slug)
    tail = f"; did you mean '{close}'?" if close else ""
    return Refusal(UNKNOWN_THREAD, f"no published thread '{shown(value)}'{tail}",
                   {"value": shown(value), "close": close or ""})


def tags(text: str, vocabulary: TagVocabulary | None) -> tuple[tuple[str, ...], list[Refusal]]:
    """The comma-separated ``text`` as a post's tags (aliases written as their tag's name), and
    every reason to refuse it: each tag's shape, the list's length, each tag outside the vocabulary."""
    from entraide.tagging import resolve, suggest

    kind = field_specs(ThreadFields)["tags"].kind
    assert isinstance(kind, ListOf)
    written = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    refusals = [_refusal(error) for error in _errors(kind.item, written)]
    if not refusals and (error := next(iter(_errors(kind, [written])), None)):
        refusals.append(_refusal(error))
    for tag in written:
        refusals += _screened(tag, "tags")
    if refusals:
        return (), refusals
    names: list[str] = []
    for tag in written:
        name = resolve(tag, vocabulary)
        if name is None:
            assert vocabulary is not None
            close = suggest(tag, vocabulary) or ""
            refusals.append(Refusal(UNKNOWN_TAG, vocabulary.problem(tag) or "", {"tag": shown(tag), "close": close}))
        elif name not in names:
            names.append(name)
    return tuple(names) if not refusals else (), refusals


def text_field(name: str, value: str, *, reply: bool = False) -> list[Refusal]:
    """Every reason to refuse ``value`` as the one-line field ``name`` of an opening post (or a reply):
    the schema's rule for the field, then what the screening blocks in it (personal data, HTML)."""
    kind = field_specs(ReplyFields if reply else ThreadFields)[name].kind
    errors = _errors(kind, [value])
    if errors:
        return [_refusal(errors[0])]
    return _screened(value, name)


def _errors(kind: object, values: list[str] | list[list[str]]) -> list[FieldError]:
    """What ``kind`` says of each value, written as a YAML scalar (or a list of them) would be."""
    found = []
    for value in values:
        node = Sequence(1, [Scalar(1, item) for item in value]) if isinstance(value, list) else Scalar(1, value)
        try:
            kind.convert(node)  # type: ignore[attr-defined]
        except FieldError as error:
            found += error.each
    return found


def _refusal(error: FieldError) -> Refusal:
    return Refusal(error.code or "invalid", error.message, dict(error.details))


def _screened(value: str, name: str) -> list[Refusal]:
    """The screening findings a submission would be refused for, had it ``value`` in field ``name``."""
    from entraide.moderation.submissions import judged

    refusals = []
    for finding in screening.screen(value):
        severity, message = judged(finding, name)
        if severity == "error":
            details = {"label": finding.label, "match": shown(finding.match, 60), "field": name}
            refusals.append(Refusal(finding.code, message, details))
    return refusals
