"""Field kinds and the binder that turns a strict YAML mapping into a typed data class.

A data class declares its fields once, each with ``spec(kind, ...)`` in the field's metadata: the
kind says how the written text becomes a value, the spec whether it is required. ``bind`` reports
*every* problem of a mapping (unknown keys with a "did you mean" hint, missing fields, bad values)
before giving up on it.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from entraide import clock
from entraide.errors import shown
from entraide.loading import characters
from entraide.loading.yamlsafe import Mapping, Node, Scalar, Sequence, kind_of
from entraide.slugs import slug_problem

T = TypeVar("T")


class FieldError(ValueError):
    """A value does not fit its field; ``node`` locates it (``None``: the field's own line).

    ``code`` and ``details`` name the rule broken and its values, so that a prompt can word the
    refusal in its own language (``entraide new``); ``message`` is how ``entraide check`` says it."""

    def __init__(self, message: str, node: Node | None = None, *, code: str = "",
                 details: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.node = node
        self.code = code
        self.details = details or {}

    @property
    def each(self) -> list[FieldError]:
        """The problems this error stands for: itself, or each one a list of values had."""
        return [self]


class FieldErrors(FieldError):
    """Several problems in one field (a list with more than one bad item): each is reported, so
    that one check shows them all rather than one per round."""

    def __init__(self, errors: list[FieldError]):
        first = errors[0]
        super().__init__(first.message, first.node, code=first.code, details=first.details)
        self.errors = errors

    @property
    def each(self) -> list[FieldError]:
        return list(self.errors)


class Kind:
    """How the YAML written for a field becomes a Python value."""

    description = "a value"

    def convert(self, node: Node) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @staticmethod
    def scalar(node: Node, what: str) -> Scalar:
        if not isinstance(node, Scalar):
            raise FieldError(f"expected {what}, found {kind_of(node)}", node)
        return node


@dataclass(frozen=True)
class Text(Kind):
    """Text on one line (or several with ``multiline``), stripped, with a length cap.

    Text a reader would not see (only spaces, invisible characters or ``&nbsp;``) is empty. A
    ``display`` text (a name, a title) also refuses invisible and direction-changing characters and
    words that mix look-alike scripts: what is shown must be what is written.
    """

    max_length: int = 200
    multiline: bool = False
    display: bool = False

    def convert(self, node: Node) -> str:
        text = self.scalar(node, "text").text.strip()
        if not text or characters.is_blank(text):
            raise FieldError("must not be empty" + (" (it holds only invisible characters)" if text else ""), node,
                             code="blank" if text else "empty")
        if not self.multiline and "\n" in text:
            raise FieldError("must fit on one line", node, code="multiline")
        if len(text) > self.max_length:
            raise FieldError(f"is {len(text)} characters long; at most {self.max_length} allowed", node,
                             code="too-long", details={"length": str(len(text)), "max": str(self.max_length)})
        if self.display:
            display_problem(text, node)
        return text


def display_problem(text: str, node: Node | None = None) -> None:
    """Refuse (``FieldError``) what would make ``text`` look other than it is; it is never altered."""
    if hidden := characters.hidden_character(text, allow_emoji_joiner=True):
        raise FieldError(
            f"contains the invisible or direction-changing character {characters.describe(hidden)}; "
            "it is refused here: remove it",
            node,
            code="hidden-character",
            details={"character": characters.describe(hidden)},
        )
    if mixed := characters.mixed_script_word(text):
        word, scripts = mixed
        names = " and ".join(script.title() for script in scripts)
        raise FieldError(
            f"the word '{shown(word)}' mixes {names} letters, which look alike; it is refused: "
            "write each word in one alphabet",
            node,
            code="mixed-script",
            details={"word": shown(word), "scripts": "/".join(script.title() for script in scripts)},
        )


@dataclass(frozen=True)
class Flag(Kind):
    """``true`` or ``false`` and nothing else: ``yes``, ``on`` or ``1`` are refused, not guessed."""

    def convert(self, node: Node) -> bool:
        text = self.scalar(node, "true or false").text.strip()
        if text in ("true", "True", "TRUE"):
            return True
        if text in ("false", "False", "FALSE"):
            return False
        raise FieldError(f"expected true or false, found '{shown(text)}'", node)


@dataclass(frozen=True)
class Choice(Kind):
    """One of a fixed set of words, compared exactly."""

    choices: tuple[str, ...] = ()

    def convert(self, node: Node) -> str:
        text = self.scalar(node, "one of " + ", ".join(self.choices)).text.strip()
        if text not in self.choices:
            raise FieldError(f"expected one of {', '.join(self.choices)}; found '{shown(text)}'", node)
        return text


@dataclass(frozen=True)
class Slug(Kind):
    """A slug as ``entraide.slugs`` defines it."""

    def convert(self, node: Node) -> str:
        text = self.scalar(node, "a slug").text.strip()
        if problem := slug_problem(text):
            raise FieldError(problem, node)
        return text


_SPDX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")


@dataclass(frozen=True)
class License(Kind):
    """An SPDX licence id (``CC-BY-SA-4.0``); which ones a site accepts is checked against its list
    (the built-in licences and content/licenses.yml) once the whole tree is known."""

    def convert(self, node: Node) -> str:
        text = self.scalar(node, "a licence id").text.strip()
        if not _SPDX.match(text):
            raise FieldError(f"expected an SPDX licence id such as CC-BY-SA-4.0; found '{shown(text)}'", node)
        return text


@dataclass(frozen=True)
class Url(Kind):
    """An http(s) address, checked as a link in a post would be (after decoding, no other scheme)."""

    max_length: int = 500

    def convert(self, node: Node) -> str:
        from entraide.markup import decoded_url

        text = self.scalar(node, "an address").text.strip()
        if len(text) > self.max_length:
            raise FieldError(f"is {len(text)} characters long; at most {self.max_length} allowed", node)
        if not re.match(r"^https?://[^/\\\s]+", decoded_url(text), re.IGNORECASE) or any(c.isspace() for c in text):
            raise FieldError(f"expected an http(s) address such as https://example.org/t/1; found '{shown(text)}'",
                             node)
        return text


_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?$")
EARLIEST = datetime(1970, 1, 1)
LATEST_YEAR = 2100
"""Dates outside 1970–2100 (UTC) are typing mistakes, and at the edges of ``datetime`` they overflow
when an offset is applied or a day is added: refused at load time, so nothing later ever sees one."""


@dataclass(frozen=True)
class When(Kind):
    """A date, optionally with a time: ``2025-03-04``, ``2025-03-04 09:40`` or ISO 8601.

    Values are naive datetimes in the community's time zone (``entraide.clock``): no offset means
    that zone's wall-clock time, a written offset is converted to it.
    """

    def convert(self, node: Node) -> datetime:
        text = self.scalar(node, "a date").text.strip()
        if not _WHEN.match(text):
            raise FieldError(f"expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found '{shown(text)}'", node)
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise FieldError(f"'{text}' is not a real date", node) from None
        window = f"'{text}' is out of range: dates must fall between 1970-01-01 and {LATEST_YEAR}-12-31 (UTC)"
        if not EARLIEST.year <= value.year <= LATEST_YEAR:
            raise FieldError(window, node)
        # the window holds for the instant (UTC) when an offset is written, for the wall-clock time otherwise
        instant = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
        if not EARLIEST <= instant < datetime(LATEST_YEAR + 1, 1, 1):
            raise FieldError(window, node)
        value = clock.local(value)  # years 1969..2101 here: no overflow
        if value > clock.now() + timedelta(days=2):
            raise FieldError(f"'{text}' is in the future", node)
        return value


@dataclass(frozen=True)
class ListOf(Kind):
    """A YAML list of values of one kind, without duplicates."""

    item: Kind = Text()
    max_items: int = 20

    def convert(self, node: Node) -> tuple[Any, ...]:
        if not isinstance(node, Sequence):
            raise FieldError(f"expected a list such as [a, b], found {kind_of(node)}", node)
        errors: list[FieldError] = []
        if len(node.items) > self.max_items:
            errors.append(FieldError(f"has {len(node.items)} items; at most {self.max_items} allowed", node,
                                     code="too-many",
                                     details={"count": str(len(node.items)), "max": str(self.max_items)}))
        values: list[Any] = []
        for item in node.items:  # every bad item is reported, not only the first
            try:
                value = self.item.convert(item)
            except FieldError as error:
                errors += error.each
                continue
            if value in values:
                errors.append(FieldError(f"'{shown(value)}' is listed twice", item, code="twice",
                                         details={"value": shown(value)}))
                continue
            values.append(value)
        if len(errors) > 1:
            raise FieldErrors(errors)
        if errors:
            raise errors[0]
        return tuple(values)


_TAG = re.compile(r"^[^\W_](?:[\w-]*[^\W_])?$")


@dataclass(frozen=True)
class Tag(Kind):
    """A tag: lowercase words joined by hyphens; accents welcome (``télétravail``)."""

    max_length: int = 40

    def convert(self, node: Node) -> str:
        text = self.scalar(node, "a tag").text.strip()
        if not text:
            raise FieldError("a tag must not be empty", node, code="empty")
        tag = {"tag": shown(text)}
        if len(text) > self.max_length:
            raise FieldError(f"tag '{shown(text)}' is longer than {self.max_length} characters", node,
                             code="tag-too-long", details={**tag, "max": str(self.max_length)})
        if text != text.lower() or not _TAG.match(text) or "_" in text:
            raise FieldError(
                f"tag '{shown(text)}' must be lowercase words joined by hyphens, such as 'prise-de-parole'",
                node,
                code="tag-shape",
                details=tag,
            )
        if mixed := characters.mixed_script_word(text):
            scripts = ' and '.join(sorted(mixed[1])).title()
            raise FieldError(f"tag '{shown(text)}' mixes {scripts} letters, "
                             "which look alike; write it in one alphabet", node,
                             code="tag-mixed-script", details={**tag, "scripts": scripts.replace(" and ", "/")})
        return text


@dataclass(frozen=True)
class PerLanguage(Kind):
    """Text per interface language: ``{fr: …, en: …}``; at least one of them. A text alone is in the
    first language, unless ``example`` is given: then the mapping is required, and shown as an example."""

    languages: tuple[str, ...] = ("fr", "en")
    text: Text = Text()
    example: str = ""

    def convert(self, node: Node) -> dict[str, str]:
        if isinstance(node, Scalar) and self.example:
            raise FieldError(f"expected a mapping of languages such as {self.example}, found text", node)
        if isinstance(node, Scalar):
            return {self.languages[0]: self.text.convert(node)}
        if not isinstance(node, Mapping):
            raise FieldError(f"expected text or a mapping of languages, found {kind_of(node)}", node)
        values: dict[str, str] = {}
        for key, (key_node, value) in node.entries.items():
            if key not in self.languages:
                raise FieldError(f"unknown language '{shown(key)}'; expected {', '.join(self.languages)}", key_node)
            values[key] = self.text.convert(value)
        if not values:
            raise FieldError("must give the text in at least one language", node)
        return values


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    required: bool
    doc: str


def spec(kind: Kind, *, required: bool = False, doc: str = "") -> dict[str, FieldSpec]:
    """Field metadata for ``dataclasses.field(metadata=...)``."""
    return {"spec": FieldSpec(kind, required, doc)}


Report = Callable[[int, str, str], None]
"""``report(line, field, message)``: how ``bind`` hands a problem to its caller."""


def field_specs(cls: type) -> dict[str, FieldSpec]:
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def bind(cls: type[T], mapping: Mapping, report: Report, *, what: str = "front matter") -> T | None:
    """Build ``cls`` from ``mapping``; report every problem and return ``None`` if there was one."""
    values, ok = bind_values(cls, mapping, report, what=what)
    return cls(**values) if ok else None


def bind_values(
    cls: type, mapping: Mapping, report: Report, *, what: str = "front matter"
) -> tuple[dict[str, Any], bool]:
    """The values of ``mapping`` that fit their field, and whether all did (every problem reported).

    The values that fit are kept even when others did not, so that rules across fields (consent,
    an author unless anonymous) are checked in the same pass."""
    specs = field_specs(cls)
    values: dict[str, Any] = {}
    ok = True
    for key, (key_node, node) in mapping.entries.items():
        if key not in specs:
            ok = False
            close = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(specs)}"
            report(key_node.line, key, f"unknown field{hint}")
            continue
        if isinstance(node, Scalar) and node.is_null:
            continue
        try:
            values[key] = specs[key].kind.convert(node)
        except FieldError as error:
            ok = False
            for each in error.each:
                report(each.node.line if each.node is not None else key_node.line, key, each.message)
    for name, field_spec in specs.items():
        if not field_spec.required or name in values:
            continue
        entry = mapping.entries.get(name)
        if entry is None:
            report(mapping.line, name, f"missing required field in the {what}")
        elif isinstance(entry[1], Scalar) and entry[1].is_null:
            report(entry[0].line, name, "must not be empty")
        ok = False
    return values, ok
