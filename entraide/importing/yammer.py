"""Viva Engage (Yammer) network data export: ``Messages.csv``, with ``Users.csv`` and ``Groups.csv``.

``thread_id`` groups the messages of a conversation; the message whose ``id`` is its ``thread_id`` opens
it, the others are its replies in time order; ``replied_to_id`` says which message each one answers,
so a reply to a reply says so on its page (« En réponse à … »).
Private conversations, private groups and deleted messages are never imported. ``[[user:123]]``
mentions follow the identity choice (anonymous by default: Viva Engage is internal).
"""

from __future__ import annotations

import re
from pathlib import Path

from entraide.importing.convert import clean_source_text, title_from_text
from entraide.importing.model import ExportError, Person, SourceExport, SourcePost, SourceThread, mention
from entraide.importing.sources import parse_date
from entraide.importing.tables import read_file
from entraide.wording import Noun

_USER = re.compile(r"\[\[user:(\d+)\]\]")
_OTHER_REF = re.compile(r"\[\[(?:tag|group|topic):\d+\]\]")


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def read(path: Path, site: str | None = None) -> SourceExport:
    folder = path if path.is_dir() else path.parent
    export = SourceExport("yammer", site or "Viva Engage", False, [])
    if (folder / "Users.csv").is_file():
        for _line, row in read_file(folder / "Users.csv"):
            if row.get("id"):
                export.people[row["id"]] = Person(row["id"], row.get("name") or None)
    private_groups = set()
    if (folder / "Groups.csv").is_file():
        private_groups = {row["id"] for _l, row in read_file(folder / "Groups.csv") if _yes(row.get("private"))}
    messages_file = path if path.is_file() else folder / "Messages.csv"
    problems: list[str] = []
    threads: dict[str, list[tuple[SourcePost, str]]] = {}
    for line, row in read_file(messages_file):
        where = f"{messages_file.name}:{line}: message id={row.get('id') or '?'}"
        if not row.get("id") or not row.get("thread_id"):
            problems.append(f"{where}: id and thread_id are required (is this Messages.csv?)")
            continue
        if (
            _yes(row.get("in_private_conversation"))
            or _yes(row.get("in_private_group"))
            or row.get("group_id") in private_groups
        ):
            export.skip(Noun("private messages and private groups (never imported)",
                             "private message or private group (never imported)"))
            continue
        if row.get("deleted_at") or row.get("deleted_by_id"):
            export.skip(Noun.regular("deleted message"))
            continue
        date = parse_date((row.get("created_at") or "").replace(" UTC", "+00:00"), where, problems)
        if date is None:
            continue
        sender = row.get("sender_id") or ""
        text = _OTHER_REF.sub("", _USER.sub(lambda m: mention(m.group(1)), clean_source_text(row.get("body", ""))))
        post = SourcePost(
            key=f"m{row['id']}",
            author=export.people.get(sender, Person(sender, None)) if sender else None,
            date=date,
            text=text,
            markup="markdown",
            where=where,
            answers=(f"m{row['replied_to_id']}"
                     if row.get("replied_to_id") not in (None, "", row["thread_id"]) else None),
        )
        threads.setdefault(row["thread_id"], []).append((post, row["id"]))
    if problems:
        raise ExportError(problems)
    for thread_id, posts in threads.items():
        opening = next((post for post, message_id in posts if message_id == thread_id), None)
        if opening is None:
            export.skip(Noun("replies whose conversation start is not in the export",
                             "reply whose conversation start is not in the export"), len(posts))
            continue
        replies = sorted((post for post, message_id in posts if message_id != thread_id), key=lambda p: (p.date, p.key))
        export.threads.append(
            SourceThread(f"m{thread_id}", title_from_text(opening.text, "Discussion"), opening, tuple(replies))
        )
    export.threads.sort(key=lambda thread: thread.opening.date)
    return export
