"""``mkdocs.yml`` read as data: the few settings entraide's own commands need, and nothing run.

MkDocs' ``load_config`` imports every hook and plugin the file names, so a pull request adding
``hooks:`` to ``mkdocs.yml`` would run its Python inside ``entraide check``. Only ``entraide build``
and ``serve`` (which *are* builds of that configuration) load it for real; every other command reads
it here, from the YAML parser's event stream, where no tag is ever constructed: ``!ENV`` is resolved
as MkDocs does (an environment variable, or the default given), and any other tag
(``!!python/name:…``, ``!relative``…) stays an opaque ``Tagged`` value. ``INHERIT`` is followed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml import events

from entraide.errors import EntraideError

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64
MAX_INHERIT = 8
NULLS = ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Tagged:
    """A value under a YAML tag entraide does not interpret: kept, never constructed."""

    tag: str
    line: int


def read(path: Path, *, depth: int = 0) -> dict[str, Any]:
    """The top-level mapping of the MkDocs configuration ``path``, with ``INHERIT`` merged in."""
    if not path.is_file():  # a FIFO or a device would block or never end
        raise EntraideError(f"{path}: not a regular file; a MkDocs configuration is a YAML file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise EntraideError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_BYTES:
        raise EntraideError(f"{path}: larger than {MAX_BYTES // 1024} KB; not a MkDocs configuration")
    try:
        root = _parse(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise EntraideError(f"{path}: not UTF-8 text ({error.reason})") from None
    except _ReadError as error:
        raise EntraideError(f"{path}:{error.line}: {error.message}") from None
    if root is None:
        return {}
    if not isinstance(root, dict):
        raise EntraideError(f"{path}: a MkDocs configuration must be a mapping of settings")
    parent = root.pop("INHERIT", None)
    if parent is None:
        return root
    if not isinstance(parent, str) or depth >= MAX_INHERIT:
        raise EntraideError(f"{path}: INHERIT must name one configuration file (at most {MAX_INHERIT} levels)")
    return _merge(read((path.parent / parent).resolve(), depth=depth + 1), root)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' inheritance: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


class _ReadError(ValueError):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _parse(text: str) -> Any:
    parser = _Loader(text)
    try:
        return _Builder().run(parser)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise _ReadError(mark.line + 1 if mark else 1, f"invalid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:  # pragma: no cover - libyaml reports marks for all we know
        raise _ReadError(1, f"invalid YAML: {error}") from None
    finally:
        parser.dispose()


class _Builder:
    """Plain dicts, lists and strings from parser events; aliases share their anchor's value."""

    def __init__(self) -> None:
        self.anchors: dict[str, Any] = {}
        self.nodes = 0

    def run(self, parser: Any) -> Any:
        self.parser = parser
        root = None
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, events.DocumentStartEvent):
                root = self.node(parser.get_event(), 0)
                break
        return root

    def node(self, event: Any, depth: int) -> Any:
        line = event.start_mark.line + 1
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _ReadError(line, "too large or too deeply nested for a MkDocs configuration")
        if isinstance(event, events.AliasEvent):
            if event.anchor not in self.anchors:
                raise _ReadError(line, f"unknown alias *{event.anchor}")
            return self.anchors[event.anchor]
        tag = getattr(event, "tag", None)
        if isinstance(event, events.ScalarEvent):
            value: Any = None if (event.style is None and event.value in NULLS) else event.value
        elif isinstance(event, events.SequenceStartEvent):
            value = []
            while not isinstance(item := self.parser.get_event(), events.SequenceEndEvent):
                value.append(self.node(item, depth + 1))
        elif isinstance(event, events.MappingStartEvent):
            value = {}
            while not isinstance(key_event := self.parser.get_event(), events.MappingEndEvent):
                key = self.node(key_event, depth + 1)
                item = self.node(self.parser.get_event(), depth + 1)
                if isinstance(key, str):
                    value[key] = item  # a non-text key means nothing to entraide: left out
        else:
            raise _ReadError(line, f"unexpected YAML event {type(event).__name__}")
        if tag is not None:
            value = _env(value, line) if tag == "!ENV" else Tagged(tag, line)
        if getattr(event, "anchor", None):
            self.anchors[event.anchor] = value
        return value


def _env(value: Any, line: int) -> Any:
    """``!ENV NAME`` or ``!ENV [NAME, OTHER…, default]``: the first variable set, else the default."""
    names = value if isinstance(value, list) else [value]
    if not names or not all(isinstance(name, str | None) for name in names):
        return Tagged("!ENV", line)
    candidates, default = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    for name in candidates:
        if name and name in os.environ:
            return os.environ[name]
    return default
