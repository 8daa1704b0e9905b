"""Slack workspace or channel export: the zip, or its folder (``channels.json``, ``users.json``, and
one ``<channel>/<YYYY-MM-DD>.json`` list of messages per channel and day).

A thread is a parent message (``thread_ts`` equal to its ``ts``) and the messages whose ``thread_ts``
names it, in time order. Messages without replies are not discussions and are left out, as are bot
messages, joins, leaves, topic changes and other system messages (every ``subtype`` but
``thread_broadcast``); an edited message is imported as last edited. Slack's mrkdwn becomes Markdown;
``<@U123>`` mentions follow the identity choice (anonymous by default: Slack is internal).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from entraide.importing.archive import Export
from entraide.importing.convert import clean_source_text
from entraide.importing.model import ExportError, Person, SourceExport, SourcePost, SourceThread, mention
from entraide.importing.sources import load_json, parse_date, text_of
from entraide.wording import Noun

_ANGLE = re.compile(r"<([^<>|]+)(?:\|([^<>]*))?>")
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]+?)(?<=\S)~(?![\w~])")
KEPT_SUBTYPES = {None, "thread_broadcast"}


def mrkdwn(text: str) -> str:
    """Slack's mrkdwn as Markdown: links, mentions, ``*bold*``, ``_italic_``, ``~strike~``."""

    def angle(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("@"):
            return mention(target[1:])
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return "@" + (label or target[1:].split("^")[0])
        return f"[{label}]({target})" if label else target

    text = _ANGLE.sub(angle, clean_source_text(text))
    text = _BOLD.sub(r"**\1**", text)
    text = _ITALIC.sub(r"*\1*", text)
    text = _STRIKE.sub(r"~~\1~~", text)
    return html.unescape(text)  # Slack escapes only & < >; the renderer shows them as text


def read(path: Path, site: str | None = None) -> SourceExport:
    export_files = Export(path)
    names = export_files.names()
    channels = _json(export_files, "channels.json", required=True)
    users = _json(export_files, "users.json", required=False) or []
    export = SourceExport("slack", site or "Slack", False, [])
    for user in users if isinstance(users, list) else []:
        if isinstance(user, dict) and user.get("id"):
            profile = user["profile"] if isinstance(user.get("profile"), dict) else {}
            name = text_of(profile.get("display_name")) or text_of(user.get("real_name")) or text_of(user.get("name"))
            export.people[user["id"]] = Person(user["id"], name or None)
    problems: list[str] = []
    for channel in channels if isinstance(channels, list) else []:
        if not isinstance(channel, dict) or not channel.get("name"):
            continue
        messages: list[tuple[dict[str, Any], str]] = []
        for name in names:
            if name.startswith(f"{channel['name']}/") and name.endswith(".json"):
                day = load_json(export_files.read(name) or b"[]", export_files.where(name))
                if not isinstance(day, list):
                    problems.append(f"{export_files.where(name)}: expected a list of messages")
                    continue
                messages += [(m, f"{name}: message ts={m.get('ts', '?')}") for m in day if isinstance(m, dict)]
        _threads(export, str(channel.get("id") or channel["name"]), messages, problems)
    if problems:
        raise ExportError(problems)
    return export


def _json(export: Export, name: str, *, required: bool) -> Any:
    data = export.read(name)
    if data is None:
        if required:
            raise ExportError([f"{export.where(name)}: not found: a Slack export holds channels.json"])
        return None
    return load_json(data, export.where(name))


def _threads(
    export: SourceExport, channel: str, messages: list[tuple[dict[str, Any], str]], problems: list[str]
) -> None:
    parents: dict[str, SourcePost] = {}
    replies: dict[str, list[SourcePost]] = {}
    for message, where in messages:
        if message.get("subtype") not in KEPT_SUBTYPES or message.get("bot_id") or not message.get("user"):
            export.skip(Noun("bot, join and other system messages", "bot, join or other system message"))
            continue
        ts = text_of(message.get("ts"))
        date = parse_date(ts, where, problems)
        if date is None:
            continue
        user = str(message["user"])
        post = SourcePost(
            key=f"{channel}-{ts}".replace(".", "-"),
            author=export.people.get(user, Person(user, None)),
            date=date,
            text=mrkdwn(text_of(message.get("text"))),
            markup="markdown",
            where=where,
        )
        thread_ts = text_of(message.get("thread_ts"))
        if not thread_ts or thread_ts == ts:
            parents[ts] = post
        else:
            replies.setdefault(thread_ts, []).append(post)
    for ts, parent in sorted(parents.items(), key=lambda item: item[1].date):
        answers = sorted(replies.pop(ts, []), key=lambda p: (p.date, p.key))
        if not answers:
            export.skip(Noun("messages without replies (not a discussion)",
                             "message without replies (not a discussion)"))
            continue
        export.threads.append(SourceThread(parent.key, _first_words(parent.text), parent, tuple(answers)))
    if replies:
        export.skip(Noun("replies whose parent message is not in the export",
                         "reply whose parent message is not in the export"), sum(len(r) for r in replies.values()))


def _first_words(text: str) -> str:
    from entraide.importing.convert import title_from_text

    return title_from_text(text, fallback="Discussion")
