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
from datetime import datetime
from functools import cached_property
from typing import Any

from entraide.importing.convert import one_line_title, to_markdown
from entraide.importing.identity import Identities
from entraide.importing.model import ExportError, LooseReplies, Markup, SourceExport, SourcePost, SourceThread
from entraide.importing.tagmap import TagMap
from entraide.loading import postfile
from entraide.loading.loader import MAX_BODY_CHARS, license_problem
from entraide.loading.schema import bind
from entraide.model import ContentTree, ReplyFields, ThreadFields, text_key
from entraide.moderation import journal, log, submissions
from entraide.project import Project
from entraide.slugs import MAX_SLUG_LENGTH, slugify
from entraide.wording import Noun
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


REJECTED_THREAD = Noun("replies to a rejected thread", "reply to a rejected thread")


@dataclass
class Outcome:
    written: list[str] = field(default_factory=list)
    skipped: dict[Noun, int] = field(default_factory=dict)
    threads: int = 0
    replies: int = 0

    def skip(self, reason: Noun, count: int = 1) -> None:
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
    if settings.theme not in tree.themes_by_slug:
        raise ExportError([f"--theme: unknown theme '{settings.theme}'; themes: {', '.join(tree.themes_by_slug)}"])
    decided: dict[str, str] = {}
    for entry in log.entries(project):
        if entry.get("action") in ("accept", "reject"):
            decided[str(entry.get("post"))] = str(entry["action"])
    run = _Run(
        tree,
        export,
        settings,
        Identities(settings.identity, export.site, settings.lang, export.people),
        _convert_all(export),
        {path.stem for path in submissions.submission_paths(project)},
        decided,
        Outcome(skipped=dict(export.skipped)),
    )
    for thread in export.threads:
        run.thread(thread)
        progress(1 + len(thread.replies))
    for loose in export.loose_replies:
        run.loose(loose)
        progress(len(loose.replies))
    if run.problems:
        raise ExportError(run.problems)
    if run.files:
        writes = {project.show(project.submissions_dir / f"{name}.md"): text for name, text in run.files.items()}
        entry = {
            "action": "import",
            "post": "",
            "source": f"{export.format}: {export.site}",
            "editor": "",
            "when": log.now(),
            "basis": settings.basis,
            "submissions": len(run.files),
        }
        journal.run(project, journal.Operation(entry=entry, writes=writes))
    run.outcome.written = sorted(run.files)
    return run.outcome


@dataclass
class _Run:
    """One import under way: what is already pending or decided, and the files it will write."""

    tree: ContentTree
    export: SourceExport
    settings: Settings
    identities: Identities
    converted: dict[int, str]
    pending: set[str]
    decided: dict[str, str]
    """Submission id → "accept" or "reject", from the moderation log."""
    outcome: Outcome
    files: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def thread(self, thread: SourceThread) -> None:
        thread_id = self.post_id(thread.key)
        state = _state(thread_id, self.pending, self.decided)
        opening_body = self.body(thread.opening)
        if state:
            self.outcome.skip(Noun.invariable(f"already {state}"))
        else:
            meta = _thread_meta(thread, self.settings, self.identities, self.export)
            text = _post_text(ThreadFields, meta, thread.opening, opening_body, self.tree, self.problems)
            if text is not None:
                self.files[thread_id] = text
                self.outcome.threads += 1
        if state == "rejected":
            self.outcome.skip(REJECTED_THREAD, len(thread.replies))
        else:
            self.replies(thread.replies, thread_id, thread.opening.date, {text_key(opening_body)})

    def loose(self, loose: LooseReplies) -> None:
        """Replies to a thread outside the export: one imported before (pending or published, by its
        submission id), else a published thread named by its slug."""
        thread_id = self.post_id(loose.key)
        state = _state(thread_id, self.pending, self.decided)
        published = self.tree.threads_by_slug.get(loose.slug)
        if state == "rejected":
            self.outcome.skip(REJECTED_THREAD, len(loose.replies))
        elif state:
            self.replies(loose.replies, thread_id, min(reply.date for reply in loose.replies), set())
        elif published is not None:
            self.replies(loose.replies, published.slug, published.date, set())
        else:
            self.problems += [
                f"{reply.where}: reply_to: '{loose.slug}' is not a thread of this export, of an earlier import, "
                "or a published thread"
                for reply in loose.replies
            ]

    def replies(self, posts: tuple[SourcePost, ...], thread_id: str, opening_date: datetime, seen: set[str]) -> None:
        """A thread's replies, each once (``seen``: the texts of its posts so far, never published twice)."""
        keys = {post.key for post in posts}
        for reply in posts:
            reply_id = self.post_id(reply.key)
            body = self.body(reply)
            if reply_state := _state(reply_id, self.pending, self.decided):
                self.outcome.skip(Noun.invariable(f"already {reply_state}"))
            elif text_key(body) in seen or text_key(body) in self.tree.posts_by_text:
                self.outcome.skip(Noun("replies with the same text as another post",
                                       "reply with the same text as another post"))
            else:
                answers = reply.answers
                answered = self.post_id(answers) if answers is not None and answers in keys else None
                meta = _reply_meta(reply, opening_date, thread_id, answered, self.settings, self.identities,
                                   self.export)
                text = _post_text(ReplyFields, meta, reply, body, self.tree, self.problems)
                if text is not None:
                    self.files[reply_id] = text
                    self.outcome.replies += 1
            seen.add(text_key(body))

    @cached_property
    def prefix(self) -> str:
        return id_prefix(self.export)

    def post_id(self, key: str) -> str:
        return post_id(self.prefix, key)

    def body(self, post: SourcePost) -> str:
        return _body(post, self.export, self.identities, self.converted)


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
    opening_date: datetime,
    thread_id: str,
    answered: str | None,
    settings: Settings,
    identities: Identities,
    export: SourceExport,
) -> dict[str, Any]:
    """``answered``: the submission id of the thread's reply this one answers, if any."""
    meta: dict[str, Any] = {"reply_to": thread_id}
    if answered is not None:
        meta["in_reply_to"] = answered
    meta.update(_common(reply, settings, identities, export))
    meta["date"] = max(reply.date, opening_date)  # a clock a second off must not break the thread
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
