"""A form tool's CSV export (Google Forms, Microsoft Forms, any CSV): one row, one new thread.

The columns are named by a mapping, given on the command line (``--map title=Question,body=Détails``)
or in a small YAML file (``--mapping mapping.yml``, read with entraide's strict YAML reader):

* ``title`` (required), ``body`` (required; several columns joined with ``+`` make paragraphs),
* ``author``, ``date``, ``tags`` (comma-separated), ``id`` (a stable answer id; default: a hash of the
  row's mapped cells, so the same answer is the same submission on every run),
* ``date_format`` (``%d/%m/%Y %H:%M:%S``), when the dates are not ISO 8601.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from entraide.errors import shown
from entraide.importing.convert import clean_source_text
from entraide.importing.model import ExportError, Person, SourceExport, SourcePost, SourceThread
from entraide.importing.sources import parse_date, read_yaml
from entraide.importing.tables import read_file

KEYS = ("title", "body", "author", "date", "tags", "id", "date_format")
COMMON_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y/%m/%d %I:%M:%S %p", "%m/%d/%Y %H:%M:%S")


def parse_mapping(option: str | None, file: Path | None) -> dict[str, str]:
    """The column mapping from ``--map`` and/or ``--mapping``; unknown keys and missing ones are errors."""
    mapping: dict[str, str] = {}
    problems: list[str] = []
    if file is not None:
        from entraide.loading import yamlsafe

        root = read_yaml(file)
        if not isinstance(root, yamlsafe.Mapping):
            raise ExportError([f"{file}:1: expected a mapping such as 'title: Question'"])
        for key, (key_node, node) in root.entries.items():
            if not isinstance(node, yamlsafe.Scalar):
                problems.append(f"{file}:{key_node.line}: {key}: expected a column name")
                continue
            mapping[key] = node.text
    for part in (option or "").split(","):
        if part.strip():
            key, sep, column = part.partition("=")
            if not sep:
                problems.append(f"--map: '{shown(part)}' is not KEY=COLUMN")
            mapping[key.strip()] = column.strip()
    problems += [f"mapping: unknown key '{shown(key)}'; keys: {', '.join(KEYS)}" for key in mapping if key not in KEYS]
    problems += [
        f"mapping: '{key}' is required (the column holding it)" for key in ("title", "body") if key not in mapping
    ]
    if problems:
        raise ExportError(problems)
    return mapping


def read(path: Path, mapping: dict[str, str], site: str | None = None) -> SourceExport:
    export = SourceExport("csv", site or "formulaire", False, [])
    found = read_file(path)
    columns = set(found[0][1]) if found else set()
    wanted = [
        c
        for key in ("title", "body", "author", "date", "tags", "id")
        if key in mapping
        for c in mapping[key].split("+")
    ]
    if missing := [c for c in wanted if c.strip() not in columns and found]:
        raise ExportError(
            [f"{path}:1: no column '{shown(c)}' (columns: {', '.join(sorted(columns))})" for c in missing]
        )
    problems: list[str] = []
    for line, row in found:
        where = f"{path.name}:{line}"

        def cell(key: str, row: dict[str, str] = row) -> str:
            return "\n\n".join(
                clean_source_text(row.get(c.strip(), "")).strip()
                for c in mapping.get(key, "").split("+")
                if row.get(c.strip(), "").strip()
            )

        date = _date(cell("date"), mapping.get("date_format"), where, problems) if "date" in mapping else None
        if date is None and "date" in mapping:
            continue
        key = (
            cell("id")
            or hashlib.sha256(
                "\x1f".join(cell(k) for k in ("title", "body", "author", "date")).encode("utf-8")
            ).hexdigest()[:12]
        )
        author = cell("author")
        post = SourcePost(
            key=f"r{key}",
            author=Person(author.casefold(), author) if author else None,
            date=date or datetime.now().replace(microsecond=0),
            text=cell("body"),
            markup="markdown",
            where=where,
        )
        tags = tuple(t.strip() for t in cell("tags").split(",") if t.strip())
        export.threads.append(SourceThread(post.key, cell("title"), post, (), tags))
    if problems:
        raise ExportError(problems)
    return export


def _date(text: str, written: str | None, where: str, problems: list[str]) -> datetime | None:
    for form in [written] if written else list(COMMON_DATE_FORMATS):
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            continue
    return parse_date(text, where, problems)
