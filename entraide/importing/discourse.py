"""Discourse topics as its public API returns them: ``/t/<id>.json?include_raw=1``, one file per
topic, or a folder of such files.

Each topic is a thread: its first post the opening post, the others its replies in post order;
the post marked ``accepted_answer`` (the Solved plugin) is the best reply, and a post's
``reply_to_post_number`` says which earlier reply it answers. The rendered ``cooked``
HTML is converted (what readers saw, links resolved against the forum); ``raw`` is the fallback.
Whispers, moderator actions, hidden and deleted posts are left out. ``--source-url`` gives the
forum's address, which the JSON does not hold.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from entraide.importing.convert import clean_source_text
from entraide.importing.model import ExportError, Person, SourceExport, SourcePost, SourceThread, mention
from entraide.importing.sources import load_json, parse_date, read_bytes, text_of
from entraide.wording import Noun

_MENTION = re.compile(r'<a class="mention" href="[^"]*/u/([^"/]+)/?">@[^<]*</a>')


def read(path: Path, site_url: str | None) -> SourceExport:
    if not site_url:
        raise ExportError(
            [
                "--source-url: give the forum's address (https://forum.example.org): "
                "links, images and attributions point there"
            ]
        )
    base = site_url.rstrip("/")
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise ExportError([f"{path}: no .json topic file in this folder"])
    export = SourceExport("discourse", base.split("://", 1)[-1], True, [], base_url=base + "/")
    problems: list[str] = []
    for file in files:
        topic = load_json(read_bytes(file, "a Discourse topic"), str(file))
        thread = _thread(topic, file, base, export, problems)
        if thread is not None:
            export.threads.append(thread)
    if problems:
        raise ExportError(problems)
    return export


def _thread(topic: Any, file: Path, base: str, export: SourceExport, problems: list[str]) -> SourceThread | None:
    posts = topic.get("post_stream", {}).get("posts") if isinstance(topic, dict) else None
    if not isinstance(posts, list) or not posts or "id" not in topic:
        problems.append(f"{file}: not a Discourse topic (expected an object with id and post_stream.posts)")
        return None
    topic_id, slug = topic["id"], text_of(topic.get("slug")) or "topic"
    built: list[SourcePost] = []
    for number, post in enumerate(posts, start=1):
        where = f"{file.name}: post {post.get('post_number', number) if isinstance(post, dict) else number}"
        if not isinstance(post, dict):
            problems.append(f"{where}: expected an object")
            continue
        if post.get("post_type", 1) != 1 or post.get("hidden") or post.get("deleted_at"):
            export.skip(Noun("whispers, moderator actions, hidden or deleted posts",
                             "whisper, moderator action, hidden or deleted post"))
            continue
        date = parse_date(post.get("created_at"), where, problems)
        if date is None:
            continue
        username = text_of(post.get("username"))
        person = Person(username, text_of(post.get("name")) or username) if username else None
        if person:
            export.people.setdefault(username, person)
        cooked = text_of(post.get("cooked"))
        text = _MENTION.sub(lambda m: mention(m.group(1)), clean_source_text(cooked)) if cooked else None
        number = post.get("post_number", number)
        built.append(
            SourcePost(
                key=f"t{topic_id}-p{number}",
                author=person,
                date=date,
                text=text if text is not None else clean_source_text(text_of(post.get("raw"))),
                markup="html" if text is not None else "markdown",
                where=where,
                url=f"{base}/t/{slug}/{topic_id}/{number}",
                best=bool(post.get("accepted_answer")),
                answers=_answered(post.get("reply_to_post_number"), topic_id),
            )
        )
    if not built:
        return None
    tags = [t if isinstance(t, str) else text_of(t.get("name")) for t in topic.get("tags") or [] if t]
    title = clean_source_text(text_of(topic.get("title")))
    return SourceThread(f"t{topic_id}", title, built[0], tuple(built[1:]), tuple(tags))


def _answered(number: Any, topic_id: Any) -> str | None:
    """The key of the post a reply answers; None for the opening post (every reply answers it)."""
    return f"t{topic_id}-p{number}" if isinstance(number, int) and number > 1 else None
