"""Strict YAML: a tree of plain strings with line numbers, nothing YAML would guess.

Contributors' YAML is untrusted, so it is read from the parser's *event stream* instead of being
constructed by a loader. That gives us, in one place:

* no tags (``!!python/object``, ``!!str``…), no anchors, no aliases, a single document;
* duplicate keys refused, keys must be plain strings;
* every scalar kept as the text that was written — ``lang: no``, ``version: 1.10`` or ``time: 12:30``
  stay ``"no"``, ``"1.10"`` and ``"12:30"``; the schema decides what a field's text means;
* caps on size, depth and number of nodes;
* the line of every node, so that a problem can point at it.

Events come from libyaml (through PyYAML's C binding, already a dependency of MkDocs) because it
parses about twenty times faster than a pure-Python parser: it matters at 50,000 posts. Round-trip
editing of files that humans maintain (``content/themes.yml``) is done with ruamel.yaml elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from entraide.errors import shown

try:  # libyaml's parser; PyYAML's wheels ship it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_YAML_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_NODES = 5_000
MAX_KEY_LENGTH = 64


class YamlError(ValueError):
    """The YAML text is malformed or uses a forbidden feature; ``line`` is 1-based in the file and
    ``field`` the key whose value holds the problem (``""`` when none is known)."""

    def __init__(self, line: int, message: str, field: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


@dataclass
class Node:
    """A YAML value as written: ``Scalar``, ``Sequence`` or ``Mapping``, with its line."""

    line: int


@dataclass
class Scalar(Node):
    text: str
    quoted: bool = False

    @property
    def is_null(self) -> bool:
        """An empty plain value, ``~`` or ``null``: the key is present but says nothing."""
        return not self.quoted and self.text in ("", "~", "null", "Null", "NULL")


@dataclass
class Sequence(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Mapping(Node):
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None


def kind_of(node: Node) -> str:
    """A user-facing name for a node's kind, used in messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "a single value"


def parse(text: str, *, first_line: int = 1) -> Node | None:
    """Parse one YAML document strictly; ``None`` for an empty document.

    ``first_line`` is the file line on which ``text`` starts, so lines in errors are file lines.
    """
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlError(first_line, f"front matter is larger than {MAX_YAML_BYTES // 1024} KB")
    offset = first_line - 1
    builder = _TreeBuilder(offset)
    parser = _Loader(text)
    try:
        feed, next_event = builder.feed, parser.get_event
        while parser.check_event():
            feed(next_event())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 + offset if mark else first_line
        problem = error.problem or error.context or "malformed YAML"
        raise YamlError(line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports marks for all we know
        raise YamlError(first_line, f"invalid YAML: {error}") from None
    finally:
        parser.dispose()
    return builder.root


class _TreeBuilder:
    """Turns parser events into ``Node``s, refusing what the module docstring lists."""

    def __init__(self, offset: int):
        self.offset = offset
        self.root: Node | None = None
        self.stack: list[Node] = []
        self.pending_key: list[Scalar | None] = []
        self.container_keys: list[str] = []
        """For each open mapping or list, the key it is the value of ("" for the root or a list item)."""
        self.documents = 0
        self.nodes = 0

    def line(self, event: Any) -> int:
        return event.start_mark.line + 1 + self.offset

    def feed(self, event: Any) -> None:  # libyaml's events; PyYAML's stubs type them loosely
        kind = type(event)
        if kind is events.ScalarEvent:
            self.check_node(event)
            self.add(Scalar(event.start_mark.line + 1 + self.offset, event.value, event.style not in (None, "")), event)
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            self.stack.pop()
            self.pending_key.pop()
            self.container_keys.pop()
        elif kind is events.MappingStartEvent:
            self.check_node(event)
            self.open(Mapping(self.line(event)), event)
        elif kind is events.SequenceStartEvent:
            self.check_node(event)
            self.open(Sequence(self.line(event)), event)
        elif kind is events.AliasEvent:
            raise YamlError(self.line(event), "YAML aliases (*name) are not allowed", self.field(event))
        elif kind is events.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise YamlError(self.line(event), "only one YAML document is allowed")

    def check_node(self, event: Any) -> None:
        """No anchor, no tag, and not too many values."""
        if event.anchor is not None:
            raise YamlError(self.line(event), "YAML anchors (&name) are not allowed", self.field(event))
        tag = event.tag  # type: ignore[attr-defined]
        if tag is not None:  # "!!str", "!custom" and the bare "!" alike: the author wrote a tag
            raise YamlError(self.line(event), f"YAML tags ({shown(tag)}) are not allowed", self.field(event))
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError(self.line(event), f"more than {MAX_NODES} YAML values")

    def field(self, event: Any) -> str:
        """The key whose value ``event`` belongs to (the innermost one), or the key it is itself."""
        if self.stack and isinstance(self.stack[-1], Mapping):
            key = self.pending_key[-1]
            if key is not None:
                return shown(key.text)
            if type(event) is events.ScalarEvent:
                return shown(event.value)  # a key written with a tag or an anchor
        return next((key for key in reversed(self.container_keys) if key), "")

    def open(self, node: Node, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(self.line(event), f"YAML nested deeper than {MAX_DEPTH} levels")
        key = self.pending_key[-1] if self.pending_key else None
        self.container_keys.append(shown(key.text) if key is not None else "")
        self.add(node, event)
        self.stack.append(node)
        self.pending_key.append(None)

    def add(self, node: Node, event: Any) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = self.pending_key[-1]
        if key is None:
            if not isinstance(node, Scalar):
                raise YamlError(node.line, "a key must be a plain name, not a list or mapping")
            if len(node.text) > MAX_KEY_LENGTH:
                raise YamlError(node.line, f"key longer than {MAX_KEY_LENGTH} characters")
            if node.text in parent.entries:
                first = parent.entries[node.text][0].line
                raise YamlError(
                    node.line, f"duplicate key '{shown(node.text)}' (first set on line {first})", shown(node.text)
                )
            self.pending_key[-1] = node
        else:
            parent.entries[key.text] = (key, node)
            self.pending_key[-1] = None
