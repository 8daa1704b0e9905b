"""A form tool's CSV export (Google Forms, Microsoft Forms, any CSV): one row, one new thread.

The columns are named by a mapping, given on the command line (``--map title=Question,body=Détails``)
or in a small YAML file (``--mapping mapping.yml``, read with entraide's strict YAML reader):

* ``title`` (required), ``body`` (required; several columns joined with ``+`` make paragraphs),
* ``author``, ``date``, ``tags`` (comma-separated), ``id`` (a stable answer id; default: a hash of the
  row's mapped cells, so the same answer is the same submission on every run),
* ``reply_to``: a row whose cell is not empty is a reply, to the row of that ``id`` (in this file or
  in one imported before) or to the published thread of that slug,
* ``date_format`` (``%d/%m/%Y %H:%M:%S``), when the dates are not ISO 8601.
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import datetime
from pathlib import Path

from entraide.errors import shown
from entraide.importing.convert import clean_source_text
from entraide.importing.model import ExportError, LooseReplies, Person, SourceExport, SourcePost, SourceThread
from entraide.importing.sources import parse_date, read_yaml
from entraide.importing.tables import read_file

KEYS = ("title", "body", "author", "date", "tags", "id", "reply_to", "date_format")
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
        for key in ("title", "body", "author", "date", "tags", "id", "reply_to")
        if key in mapping
        for c in mapping[key].split("+")
    ]
    if missing := [c for c in wanted if c.strip() not in columns and found]:
        raise ExportError(
            [f"{path}:1: no column '{shown(c)}' (columns: {', '.join(sorted(columns))})" for c in missing]
        )
    problems: list[str] = []
    threads: dict[str, SourceThread] = {}
    rows: dict[str, SourcePost] = {}
    answers: dict[str, str] = {}
    # a reply row's key → the id its reply_to cell names
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
        answered = cell("reply_to")
        hashed = ("title", "body", "author", "date", "reply_to") if answered else ("title", "body", "author", "date")
        key = cell("id") or hashlib.sha256("\x1f".join(cell(k) for k in hashed).encode("utf-8")).hexdigest()[:12]
        if f"r{key}" in rows:
            problems.append(f"{where}: id '{shown(key)}' is also the id of {rows[f'r{key}'].where}")
            continue
        author = cell("author")
        post = SourcePost(
            key=f"r{key}",
            author=Person(author.casefold(), author) if author else None,
            date=date or datetime.now().replace(microsecond=0),
            text=cell("body"),
            markup="markdown",
            where=where,
        )
        rows[post.key] = post
        if answered:
            answers[post.key] = answered
        else:
            tags = tuple(t.strip() for t in cell("tags").split(",") if t.strip())
            threads[post.key] = SourceThread(post.key, cell("title"), post, (), tags)
    if problems:
        raise ExportError(problems)
    _file_replies(export, threads, rows, answers)
    return export


def _file_replies(
    export: SourceExport, threads: dict[str, SourceThread], rows: dict[str, SourcePost], answers: dict[str, str]
) -> None:
    """Each reply row under its thread: the row it names, or the thread of the reply row it names
    (then it answers that reply); replies to a thread outside the file are left to the writer."""
    under: dict[str, list[SourcePost]] = {}
    for key, named in answers.items():
        parent, root, seen = f"r{named}", named, {key}
        while parent in answers and parent not in seen:  # a reply row to a reply row: up to its thread
            seen.add(parent)
            root = answers[parent]
            parent = f"r{root}"
        post = rows[key]
        if f"r{named}" in answers:
            post = dataclasses.replace(post, answers=f"r{named}")
        under.setdefault(root, []).append(post)
    for root, posts in under.items():
        posts.sort(key=lambda post: (post.date, post.key))
        if (key := f"r{root}") in threads:
            threads[key] = dataclasses.replace(threads[key], replies=tuple(posts))
        else:
            export.loose_replies.append(LooseReplies(key, root, tuple(posts)))
    export.threads = list(threads.values())


def _date(text: str, written: str | None, where: str, problems: list[str]) -> datetime | None:
    for form in [written] if written else list(COMMON_DATE_FORMATS):
        try:
            return datetime.strptime(text.strip(), form)
        except ValueError:
            continue
    return parse_date(text, where, problems)
