"""The intermediate form → files in ``submissions/``: ids, fields, checks, and one crash-safe write.

Every post gets an id made from its source and its id there, so the same source post is always the
same submission: a second run skips what is pending, published or rejected, and says how many. All
posts are built and checked (with the schema of ``entraide check``) before anything is written; then
they are written in one journal operation (``entraide.moderation.journal``) with one log entry, so a
crash leaves either none of them or all of them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from entraide.importing.convert import one_line_title, to_markdown
from entraide.importing.identity import Identities
from entraide.importing.model import ExportError, Markup, SourceExport, SourcePost, SourceThread
from entraide.importing.tagmap import TagMap
from entraide.loading import postfile
from entraide.loading.loader import MAX_BODY_CHARS, license_problem
from entraide.loading.schema import bind
from entraide.model import ContentTree, ReplyFields, ThreadFields, text_key
from entraide.moderation import journal, log, submissions
from entraide.project import Project
from entraide.slugs import MAX_SLUG_LENGTH, slugify
from entraide.writing import emit


@dataclass(frozen=True)
class Settings:
    """What the editor running the import chose."""

    theme: str
    lang: str
    basis: str
    identity: str
    license: str | None = None
    """For posts whose export does not say their licence."""
    tags: TagMap = field(default_factory=TagMap)
    """How the source's tags become the threads' tags."""


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    threads: int = 0
    replies: int = 0

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count


def id_prefix(export: SourceExport) -> str:
    """``se-workplace-stackexchange-com``: the part of every id that names the source."""
    short = {"stackexchange": "se", "discourse": "discourse", "slack": "slack", "yammer": "viva", "csv": "form"}
    return slugify(f"{short.get(export.format, export.format)}-{export.site}")[:40].rstrip("-")


def post_id(prefix: str, key: str) -> str:
    return f"{prefix}-{slugify(key)}"[:MAX_SLUG_LENGTH].rstrip("-")


def write(
    project: Project,
    tree: ContentTree,
    export: SourceExport,
    settings: Settings,
    *,
    progress: Callable[[int], None] = lambda done: None,
) -> Outcome:
    """Turn ``export`` into pending submissions; raise ``ExportError`` (nothing written) on any problem."""
    outcome = Outcome(skipped=dict(export.skipped))
    if settings.theme not in tree.themes_by_slug:
        raise ExportError([f"--theme: unknown theme '{settings.theme}'; themes: {', '.join(tree.themes_by_slug)}"])
    pending = {path.stem for path in submissions.submission_paths(project)}
    decided: dict[str, str] = {}
    for entry in log.entries(project):
        if entry.get("action") in ("accept", "reject"):
            decided[str(entry.get("post"))] = str(entry["action"])
    identities = Identities(settings.identity, export.site, settings.lang, export.people)
    prefix = id_prefix(export)
    converted = _convert_all(export)
    files: dict[str, str] = {}
    problems: list[str] = []
    for thread in export.threads:
        thread_id = post_id(prefix, thread.key)
        state = _state(thread_id, pending, decided)
        opening_body = _body(thread.opening, export, identities, converted)
        if state:
            outcome.skip(f"already {state}")
        else:
            text = _post_text(
                ThreadFields,
                _thread_meta(thread, settings, identities, export),
                thread.opening,
                opening_body,
                tree,
                problems,
            )
            if text is not None:
                files[thread_id] = text
                outcome.threads += 1
        if state == "rejected":
            outcome.skip("replies to a rejected thread", len(thread.replies))
            progress(1 + len(thread.replies))
            continue
        seen = {text_key(opening_body)}
        for reply in thread.replies:
            reply_id = post_id(prefix, reply.key)
            body = _body(reply, export, identities, converted)
            if reply_state := _state(reply_id, pending, decided):
                outcome.skip(f"already {reply_state}")
            elif text_key(body) in seen or text_key(body) in tree.posts_by_text:
                outcome.skip("replies with the same text as another post")
            else:
                meta = _reply_meta(reply, thread, thread_id, settings, identities, export)
                reply_text = _post_text(ReplyFields, meta, reply, body, tree, problems)
                if reply_text is not None:
                    files[reply_id] = reply_text
                    outcome.replies += 1
            seen.add(text_key(body))
        progress(1 + len(thread.replies))
    if problems:
        raise ExportError(problems)
    if files:
        writes = {project.show(project.submissions_dir / f"{name}.md"): text for name, text in files.items()}
        entry = {
            "action": "import",
            "post": "",
            "source": f"{export.format}: {export.site}",
            "editor": "",
            "when": log.now(),
            "basis": settings.basis,
            "submissions": len(files),
        }
        journal.run(project, journal.Operation(entry=entry, writes=writes))
    outcome.written = sorted(files)
    return outcome


def _state(submission_id: str, pending: set[str], decided: dict[str, str]) -> str:
    if submission_id in pending:
        return "pending"
    return {"accept": "published", "reject": "rejected"}.get(decided.get(submission_id, ""), "")


def _body(post: SourcePost, export: SourceExport, identities: Identities, converted: dict[int, str]) -> str:
    text = converted.get(id(post))
    if text is None:
        text = to_markdown(post.text, post.markup, post.url or export.base_url)
    return identities.mentions(text)


PARALLEL_FROM = 1_000
"""From this many posts, the HTML → Markdown conversion (most of an import's time) runs on every core."""


def _convert_all(export: SourceExport) -> dict[int, str]:
    """Every post's Markdown by ``id(post)``, converted in worker processes for a large export."""
    posts = [post for thread in export.threads for post in (thread.opening, *thread.replies)]
    cores = os.cpu_count() or 1
    if len(posts) < PARALLEL_FROM or cores < 2:
        return {}
    jobs = [(post.text, post.markup, post.url or export.base_url) for post in posts]
    with ProcessPoolExecutor(max_workers=cores, mp_context=multiprocessing.get_context("fork")) as pool:
        texts = list(pool.map(_convert_one, jobs, chunksize=max(1, len(jobs) // (cores * 8))))
    return {id(post): text for post, text in zip(posts, texts, strict=True)}


def _convert_one(job: tuple[str, Markup, str | None]) -> str:
    return to_markdown(*job)


def _common(post: SourcePost, settings: Settings, identities: Identities, export: SourceExport) -> dict[str, Any]:
    shown = identities.author(post.author)
    return {
        "author": shown.author,
        "anonymous": shown.anonymous,
        "date": post.date,
        "consent": True,
        "license": post.license or settings.license,
        "source": post.url,
        "source_site": export.site,
        "source_author": shown.source_author,
        "basis": settings.basis,
    }


def _thread_meta(
    thread: SourceThread, settings: Settings, identities: Identities, export: SourceExport
) -> dict[str, Any]:
    title = one_line_title(identities.mentions(thread.title), fallback=thread.key)
    meta: dict[str, Any] = {
        "title": title,
        "theme": settings.theme,
        "tags": settings.tags.tags_of(thread.tags),
        "lang": settings.lang,
    }
    return {**meta, **_common(thread.opening, settings, identities, export)}


def _reply_meta(
    reply: SourcePost,
    thread: SourceThread,
    thread_id: str,
    settings: Settings,
    identities: Identities,
    export: SourceExport,
) -> dict[str, Any]:
    meta = {"reply_to": thread_id, **_common(reply, settings, identities, export)}
    meta["date"] = max(reply.date, thread.opening.date)  # a clock a second off must not break the thread
    if reply.best:
        meta["source_best"] = True
    if meta["anonymous"] is False:
        del meta["anonymous"]
    return meta


def _post_text(
    schema: type[ThreadFields] | type[ReplyFields],
    meta: dict[str, Any],
    post: SourcePost,
    body: str,
    tree: ContentTree,
    problems: list[str],
) -> str | None:
    """The submission's text, checked with the schema ``entraide check`` uses; problems name the record."""
    before = len(problems)
    if meta.get("license") is None:
        if not any("give --license" in problem for problem in problems):  # once: it is the same answer for all
            problems.append(f"{post.where}: the export does not say its posts' licence: give --license")
    elif problem := license_problem(meta["license"], tree.licenses):
        problems.append(f"{post.where}: license: {problem}")
    if not body.strip():
        problems.append(f"{post.where}: the post has no text")
    elif len(body) > MAX_BODY_CHARS:
        problems.append(f"{post.where}: the text is {len(body)} characters long; at most {MAX_BODY_CHARS} allowed")
    if len(problems) > before:
        return None
    text = "---\n" + emit(meta) + "\n---\n\n" + body + "\n"
    raw = postfile.split(postfile.decode(text.encode("utf-8")))
    bind(schema, raw.meta, lambda line, name, message: problems.append(f"{post.where}: {name}: {message}"))
    return text if len(problems) == before else None
