"""Editors' decisions, each one crash-safe ``journal`` operation with its moderation-log entry.

* ``accept``: a submission becomes ``content/threads/<slug>/thread.md`` or a reply file in its thread;
* ``reject``: a submission is deleted, the log keeps its id, the editor and the reason — never its text;
* ``withdraw``: published content is taken down (a thread and its replies, or one reply), and every
  reference to it (best reply, related threads, featured lists) is removed with it;
* ``redact``: a submission's text is rewritten (names, companies, addresses…) before acceptance.
"""

from __future__ import annotations

import dataclasses
import subprocess
from dataclasses import dataclass
from pathlib import Path

from entraide import identifiers
from entraide.composing import consent_statement
from entraide.errors import EntraideError, Problem
from entraide.loading.loader import load_content
from entraide.model import OPENING_POST_NAME, ContentTree, ReplyFields, Thread, ThreadFields
from entraide.moderation import journal, log, submissions
from entraide.moderation.submissions import Submission
from entraide.project import Project
from entraide.slugs import slug_problem
from entraide.stats import person_key
from entraide.suggestions import hint
from entraide.wording import counted
from entraide.writing import edited_post_text, post_text


class DecisionRefused(EntraideError):
    """A decision that cannot be taken as asked; nothing was changed."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.headline = message
        self.problems = list(problems or [])
        lines = [message] + [f"  {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Outcome:
    action: str
    post: str
    target: str
    summary: str


def editor_name(project: Project, given: str | None) -> str:
    """The editor deciding: ``--editor``, else git's ``user.name`` in the project."""
    if given and given.strip():
        return given.strip()
    try:
        done = subprocess.run(
            ["git", "config", "user.name"], cwd=project.root, capture_output=True, text=True, timeout=10
        )
        name = done.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if not name:
        raise EntraideError("who is deciding? give --editor NAME (or set git config user.name)")
    return name


def same_person(a: str | None, b: str | None) -> bool:
    """Loose comparison of two names: case, accents and spacing do not matter."""
    return bool(a and b) and person_key(a or "") == person_key(b or "")


def published(project: Project) -> ContentTree:
    """The published content, which must be clean before an editor changes it."""
    return load_content(project.content_dir, base=project.root)


def accept(
    project: Project,
    submission_id: str,
    *,
    editor: str,
    theme: str | None = None,
    tags: tuple[str, ...] | None = None,
    slug: str | None = None,
    allow_own: str | None = None,
    override_personal_data: str | None = None,
) -> Outcome:
    tree = published(project)
    submission = submissions.find(project, submission_id, tree)
    if (theme is not None or tags is not None) and not submission.is_reply and "reply_to" not in submission.raw_fields:
        # The editor's values replace the proposed ones: theirs are checked, the file's no longer block.
        submission = submissions.find(project, submission_id, tree, overrides=submissions.editor_overrides(theme, tags))
    operation, outcome = plan_accept(
        project,
        submission,
        tree,
        editor=editor,
        theme=theme,
        tags=tags,
        slug=slug,
        allow_own=allow_own,
        override_personal_data=override_personal_data,
    )
    journal.run(project, operation)
    return outcome


def plan_accept(
    project: Project,
    submission: Submission,
    tree: ContentTree,
    *,
    editor: str,
    theme: str | None = None,
    tags: tuple[str, ...] | None = None,
    slug: str | None = None,
    allow_own: str | None = None,
    override_personal_data: str | None = None,
    claimed: frozenset[str] | set[str] = frozenset(),
    waiting: submissions.Queue | None = None,
) -> tuple[journal.Operation, Outcome]:
    """The journal operation that accepts ``submission`` (checked against ``tree``), or
    ``DecisionRefused`` saying why it cannot be accepted; nothing is written. ``claimed``: thread
    slugs already taken by an earlier decision of the same batch."""
    submission_id = submission.id
    fields = submission.fields
    if fields is None or not submission.valid:
        raise DecisionRefused(f"'{submission_id}' has problems to fix first:", submission.blocking())
    if isinstance(fields, ThreadFields):
        fields = _retheme(fields, theme, tags, tree)
    elif theme or tags or slug:
        raise DecisionRefused("--theme, --tags and --slug apply to a new thread, not to a reply")
    if blocking := submission.blocking(override_personal_data=bool(override_personal_data)):
        hint = " (redact it with `entraide redact`, or override with --override-personal-data REASON)"
        raise DecisionRefused(f"'{submission_id}' cannot be accepted yet{hint}:", blocking)
    if same_person(editor, fields.author) and not allow_own:
        raise DecisionRefused(
            f"'{submission_id}' was written by {editor}: another editor must accept it (four-eyes), "
            "or give --allow-own REASON"
        )
    detached: str | None = None
    if isinstance(fields, ThreadFields):
        target_slug = slug or submission.proposed_slug
        if problem := slug_problem(target_slug, reserved=True):
            raise DecisionRefused(f"--slug {problem}")
        if target_slug in claimed or (project.content_dir / "threads" / target_slug).exists():
            raise DecisionRefused(f"a thread '{target_slug}' already exists: choose another --slug")
        target = project.content_dir / "threads" / target_slug / OPENING_POST_NAME
    else:
        named = str(fields.reply_to)
        queued = waiting or submissions.queue(project)
        thread_slug = queued.thread_slug(named, tree)
        if thread_slug is None:
            raise DecisionRefused(f"'{submission_id}' replies to '{named}', which is not a published thread yet: "
                                  "accept that thread first")
        fields = dataclasses.replace(fields, reply_to=thread_slug)
        target = project.content_dir / "threads" / thread_slug / f"{submission.id}.md"
        if target.exists():
            raise DecisionRefused(f"{project.show(target)} already exists: rename the submission file")
        fields, detached = _answered_reply(submission.id, fields, tree.threads_by_slug[thread_slug], queued)
    writes = {project.show(target): post_text(fields, submission.body)}
    if isinstance(fields, ReplyFields) and fields.source_best:
        thread = tree.threads_by_slug[str(fields.reply_to)]
        if thread.fields.best_reply is None:  # the source's answer, unless editors chose another one
            best = dataclasses.replace(thread.fields, best_reply=submission.id)
            planned = not thread.source.exists()  # accepted earlier in the same batch: not written yet
            writes[project.show(thread.source)] = (
                post_text(best, thread.body) if planned else _edited(thread.source, thread.fields, best)
            )
    entry = log_entry("accept", submission.id, editor, target=project.show(target))
    if consent := consent_statement(submission.path.read_text(encoding="utf-8")):
        entry["consent"] = consent  # the words the author agreed to, which the published file no longer holds
    if fields.basis:
        entry["basis"] = fields.basis  # on what grounds an import may be published
    if override_personal_data and submission.personal_data:
        entry["override_personal_data"] = override_personal_data
        entry["personal_data_lines"] = sorted({p.line for p in submission.personal_data})
    if allow_own:
        entry["allow_own"] = allow_own
    operation = journal.Operation(
        entry=entry,
        writes=writes,
        deletes=[project.show(submission.path)],
    )
    what = f"thread '{target.parent.name}'" if isinstance(fields, ThreadFields) else f"reply in '{fields.reply_to}'"
    if isinstance(fields, ReplyFields) and detached:
        what += f" (the reply it answered, '{detached}', is not published: it answers the thread)"
    outcome = Outcome("accept", submission.id, project.show(target), f"Accepted {submission.id} as {what}.")
    return operation, outcome


def _answered_reply(
    reply_id: str, fields: ReplyFields, thread: Thread, waiting: submissions.Queue
) -> tuple[ReplyFields, str | None]:
    """The reply's fields as they will be published, and the reply it answered if that one is gone.

    A reply that answers a pending reply waits for it, as a reply waits for its thread. One that
    answers a reply that was rejected or withdrawn keeps its text and answers the thread instead."""
    answered = fields.in_reply_to
    if not answered:
        return fields, None
    problem = submissions.answered_problem(reply_id, answered, thread, waiting)
    if problem is None:
        return fields, None
    if answered in waiting.pending_replies and answered != reply_id:
        raise DecisionRefused(f"'{reply_id}' {problem}")
    return dataclasses.replace(fields, in_reply_to=None), answered


def reject(project: Project, submission_id: str, *, editor: str, reason: str) -> Outcome:
    operation, outcome = plan_reject(project, submission_id, editor=editor, reason=reason)
    journal.run(project, operation)
    return outcome


def plan_reject(project: Project, submission_id: str, *, editor: str, reason: str) -> tuple[journal.Operation, Outcome]:
    """The journal operation that rejects a pending submission; an error if it is not pending."""
    if not reason.strip():
        raise DecisionRefused("a rejection needs a --reason, which the contributor can be told")
    identifiers.require(submission_id, identifiers.SUBMISSION)
    path = project.submissions_dir / f"{submission_id}.md"
    if not path.is_file():
        submissions.find(project, submission_id, None)  # raises with the list of pending ids
    entry = log_entry("reject", submission_id, editor, reason=reason.strip())
    operation = journal.Operation(entry=entry, deletes=[project.show(path)])
    return operation, Outcome("reject", submission_id, "", f"Rejected {submission_id}: {reason.strip()}")


def withdraw(project: Project, what: str, *, editor: str, reason: str) -> Outcome:
    """Take down a thread (``SLUG``) or one reply (``SLUG/REPLY-ID``), and every reference to it."""
    if not reason.strip():
        raise DecisionRefused("a takedown needs a --reason")
    slug, reply_id = identifiers.thread_or_reply(what)
    tree = published(project)
    thread = tree.threads_by_slug.get(slug)
    if thread is None:
        raise DecisionRefused(f"no published thread '{slug}'{hint(slug, tree.threads_by_slug)}")
    writes: dict[str, str] = {}
    deletes: list[str] = []
    if reply_id:
        reply = next((r for r in thread.replies if r.id == reply_id), None)
        if reply is None:
            known = ", ".join(r.id for r in thread.replies) or "it has no reply"
            raise DecisionRefused(f"thread '{slug}' has no reply '{reply_id}' ({known})")
        deletes.append(project.show(reply.source))
        if thread.fields.best_reply == reply_id:
            fields = dataclasses.replace(thread.fields, best_reply=None)
            writes[project.show(thread.source)] = _edited(thread.source, thread.fields, fields)
        for answer in thread.replies:  # the replies that answered it now answer the thread
            if answer.fields.in_reply_to == reply_id:
                detached = dataclasses.replace(answer.fields, in_reply_to=None)
                writes[project.show(answer.source)] = _edited(answer.source, answer.fields, detached)
    else:
        deletes += [project.show(r.source) for r in thread.replies]
        deletes += [project.show(thread.source), project.show(thread.source.parent)]
        for other in tree.threads:
            if slug in other.fields.related and other.slug != slug:
                related = tuple(s for s in other.fields.related if s != slug)
                writes[project.show(other.source)] = _edited(
                    other.source, other.fields, dataclasses.replace(other.fields, related=related)
                )
        themes_text = _themes_without(project, tree, slug)
        if themes_text is not None:
            writes[project.show(tree.root / "themes.yml")] = themes_text
    entry = log_entry("withdraw", what, editor, reason=reason.strip())
    journal.run(project, journal.Operation(entry=entry, writes=writes, deletes=deletes))
    return Outcome("withdraw", what, "", f"Withdrew {what}: gone from the site after the next build.")


def _edited(path: Path, old: ThreadFields | ReplyFields, new: ThreadFields | ReplyFields) -> str:
    """A published post's file with only the changed front-matter keys rewritten (its other lines,
    comments and body kept byte for byte)."""
    return edited_post_text(path.read_text(encoding="utf-8"), old, new)


REDACTED = {"fr": "[donnée personnelle retirée]", "en": "[personal data removed]"}


def _thread_language(project: Project, submission: Submission) -> str | None:
    """A reply's language is its thread's: the published one, or a thread submission pending beside it."""
    named = str(getattr(submission.fields, "reply_to", "") or "")
    if not named:
        return None
    try:
        tree = published(project)
    except EntraideError:
        return None
    slug = submissions.queue(project).thread_slug(named, tree) or named
    if (thread := tree.threads_by_slug.get(slug)) is not None:
        return thread.lang
    pending = project.submissions_dir / f"{named}.md"
    if pending.is_file():
        return getattr(submissions.check(pending, None, project.root).fields, "lang", None)
    return None


def redaction(
    project: Project, submission_id: str, replacements: list[tuple[str, str]], *, personal_data: bool = False
) -> tuple[str, str, int]:
    """The submission's text before and after the replacements (and, with ``personal_data``, every
    e-mail address, phone number… the screening found replaced by a placeholder); nothing is saved."""
    submission = submissions.find(project, submission_id, None)
    if submission.fields is None:
        raise DecisionRefused(f"'{submission_id}' cannot be read; fix it first:", submission.problems)
    from entraide.loading import postfile

    before = postfile.read_text(submission.path)
    after, count = before, 0
    pairs = list(replacements)
    if personal_data:
        lang = getattr(submission.fields, "lang", None) or _thread_language(project, submission) or "fr"
        pairs += [(m, REDACTED[lang]) for m in dict.fromkeys(_matches(submission))]
    for old, new in pairs:
        if not old:
            raise DecisionRefused("a replacement needs a text to replace")
        count += after.count(old)
        after = after.replace(old, new)
    return before, after, count


def _matches(submission: Submission) -> list[str]:
    from entraide.moderation import screening

    return [f.match for f, _field in submissions.findings(submission) if f.code == screening.PERSONAL_DATA]


def save_redaction(project: Project, submission_id: str, after: str, count: int, *, editor: str) -> Outcome:
    identifiers.require(submission_id, identifiers.SUBMISSION)
    path = project.submissions_dir / f"{submission_id}.md"
    from entraide.loading import postfile

    try:
        postfile.split(postfile.decode(after.encode("utf-8")))
    except postfile.PostFormatError as error:
        raise DecisionRefused(
            f"the redaction would break the file (line {error.line}: {error.message}); nothing saved"
        ) from None
    entry = log_entry("redact", submission_id, editor, replacements=count)
    journal.run(project, journal.Operation(entry=entry, writes={project.show(path): after}))
    said = f"Redacted {submission_id} ({counted(count, 'replacement')})."
    return Outcome("redact", submission_id, project.show(path), said)


def _retheme(fields: ThreadFields, theme: str | None, tags: tuple[str, ...] | None, tree: ContentTree) -> ThreadFields:
    if theme is not None:
        if theme not in tree.themes_by_slug:
            raise DecisionRefused(f"unknown theme '{theme}'; themes: {', '.join(tree.themes_by_slug)}")
        fields = dataclasses.replace(fields, theme=theme)
    chosen = tags if tags is not None else fields.tags
    return dataclasses.replace(fields, tags=editor_tags(chosen, tree, DecisionRefused))


def editor_tags(tags: tuple[str, ...], tree: ContentTree, error: type[EntraideError]) -> tuple[str, ...]:
    """Tags an editor gives, checked like a post's and written as the vocabulary names them
    (aliases replaced); a malformed or unknown tag is refused with ``error``."""
    from entraide.loading.schema import FieldError, Tag
    from entraide.loading.yamlsafe import Scalar

    checked = []
    for tag in tags:
        try:
            checked.append(Tag().convert(Scalar(1, tag)))
        except FieldError as problem:
            raise error(f"--tags: {problem.message}") from None
    if tree.vocabulary is None:
        return tuple(dict.fromkeys(checked))
    named = []
    for tag in checked:
        name = tree.vocabulary.canonical(tag)
        if name is None:
            raise error(f"{tree.vocabulary.problem(tag)}; choose tags with --tags")
        named.append(name)
    return tuple(dict.fromkeys(named))


def _themes_without(project: Project, tree: ContentTree, slug: str) -> str | None:
    """themes.yml without ``slug`` in any featured list, comments and order kept; ``None`` if unchanged."""
    if not any(slug in theme.fields.featured for theme in tree.themes):
        return None
    from entraide.roundtrip import dumped, loaded

    path = tree.root / "themes.yml"
    data = loaded(path.read_text(encoding="utf-8"))
    for theme in data["themes"]:
        featured = theme.get("featured")
        if featured is not None and slug in featured:
            featured.remove(slug)
    return dumped(data)


def log_entry(action: str, post: str, editor: str, **details: object) -> dict[str, object]:
    return {"action": action, "post": post, "editor": editor, "when": log.now(), **details}
