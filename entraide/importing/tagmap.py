"""A source's tags as entraide tags: the editor's map (``--map-tags``), added tags (``--add-tags``), spelling.

A source tag the map does not name is spelt as a tag: lowercase words joined by hyphens, with the
signs that carry meaning in technical vocabularies said in words, so that ``c++``, ``c#`` and ``c``
stay three tags (``c-plus-plus``, ``c-sharp``, ``c``) and ``.net`` becomes ``dot-net``. The map
names source tags as the export writes them (case and accents ignored) and gives each the tags it
becomes: one, several, or none (``[]``: dropped)::

    # tag-map.yml
    conflict-resolution: conflit
    interviewing: [recrutement, entretien]
    off-topic: []
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from entraide.errors import shown
from entraide.identifiers import tag_problem
from entraide.importing.model import ExportError
from entraide.importing.sources import read_yaml

MAX_TAGS = 8
_SIGNS = (("++", " plus plus "), ("+", " plus "), ("#", " sharp "), ("&", " and "), ("@", " at "))
_NOT_WORD = re.compile(r"[^\w]+|_+")


def spelt(name: str) -> str | None:
    """``name`` as an entraide tag, or ``None`` when nothing of it is a word."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    if text.startswith("."):
        text = "dot " + text[1:]
    for sign, words in _SIGNS:
        text = text.replace(sign, words)
    tag = _NOT_WORD.sub("-", text).strip("-")[:40].strip("-")
    return tag if tag and tag_problem(tag) is None else None


def _key(name: str) -> str:
    """How the map matches a source tag: case, accents and surrounding spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class TagMap:
    mapped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """By ``_key`` of the source tag: the tags it becomes (empty: dropped)."""
    added: tuple[str, ...] = ()
    """Given to every imported thread."""

    def tags_of(self, names: Iterable[str]) -> tuple[str, ...]:
        """A thread's tags: mapped or spelt source tags in their order, then the added ones; at most 8."""
        found: list[str] = []
        for name in names:
            targets = self.mapped.get(_key(name))
            if targets is None:
                one = spelt(name)
                targets = (one,) if one else ()
            found += [tag for tag in targets if tag not in found]
        found += [tag for tag in self.added if tag not in found]
        return tuple(found[:MAX_TAGS])


def tag_map(file: Path | None, added: str | None) -> TagMap:
    """The editor's choices, every problem of both options reported at once (file and line named)."""
    problems: list[str] = []
    mapped = _read(file, problems) if file is not None else {}
    extra: list[str] = []
    for part in (added or "").split(","):
        tag = part.strip()
        if not tag:
            continue
        if problem := tag_problem(tag):
            problems.append(f"--add-tags: {problem}")
        elif tag not in extra:
            extra.append(tag)
    if problems:
        raise ExportError(problems)
    return TagMap(mapped, tuple(extra))


def _read(file: Path, problems: list[str]) -> dict[str, tuple[str, ...]]:
    from entraide.loading import yamlsafe

    try:
        root = read_yaml(file)
    except ExportError as error:
        problems += error.problems  # reported with the --add-tags ones
        return {}
    if root is None:
        return {}
    if not isinstance(root, yamlsafe.Mapping):
        problems.append(f"{file}:1: expected a mapping from source tags to tags ('interviewing: recrutement')")
        return {}
    mapped: dict[str, tuple[str, ...]] = {}
    seen: dict[str, int] = {}
    for name, (key_node, node) in root.entries.items():
        where = f"{file}:{key_node.line}: {shown(name)}"
        if (key := _key(name)) in seen:
            problems.append(f"{where}: already mapped on line {seen[key]}")
            continue
        seen[key] = key_node.line
        if isinstance(node, yamlsafe.Scalar) and node.is_null:
            values: list[yamlsafe.Node] = []
        elif isinstance(node, yamlsafe.Sequence):
            values = list(node.items)
        else:
            values = [node]
        targets: list[str] = []
        for value in values:
            if not isinstance(value, yamlsafe.Scalar):
                problems.append(f"{where}: expected a tag or a list of tags")
            elif problem := tag_problem(value.text.strip()):
                problems.append(f"{file}:{value.line}: {shown(name)}: {problem}")
            elif value.text.strip() not in targets:
                targets.append(value.text.strip())
        mapped[key] = tuple(targets)
    return mapped
