"""Pending submissions: read with the same strict loader as published posts, then checked against them.

A submission is ``submissions/<id>.md``: a new thread (the fields of an opening post, without the
editors' curation fields) or a reply naming its thread with ``reply_to``. On top of the schema, a
submission is checked against the published content (its theme exists, the thread it replies to
exists, its id is free) and screened (``screening``): personal data blocks acceptance.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from entraide.errors import Problem
from entraide.errors import shown as shown_value
from entraide.loading import postfile, safefile, yamlsafe
from entraide.loading.loader import Collector, read_post_file
from entraide.model import OPENING_POST_NAME, ContentTree, ReplyFields, TagVocabulary, Thread, ThreadFields, text_key
from entraide.moderation import screening
from entraide.project import Project
from entraide.slugs import MAX_SLUG_LENGTH, slug_problem, slugify

EDITOR_FIELDS = ("summary", "best_reply", "featured", "related")
IGNORED_NAMES = {"README.md"}
SLUG_LENGTH = 60

# Which findings block acceptance, and which are only shown.
BLOCKING_CODES = {screening.PERSONAL_DATA, screening.LINK_SCHEME, screening.RELATIVE_LINK, screening.OVERSIZED}


@dataclass
class Submission:
    id: str
    path: Path
    fields: ThreadFields | ReplyFields | None
    body: str = ""
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    read_problems: list[Problem] = field(default_factory=list, repr=False)
    """What reading the file found (schema, id), kept apart so that ``cross_check`` can come later."""
    screened: list[Problem] = field(default_factory=list, repr=False)
    raw_fields: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    """For a submission whose front matter has errors: its text values as written, still screened."""
    """What the screening found: computed once, whatever the content it is later checked against."""

    @property
    def is_reply(self) -> bool:
        return isinstance(self.fields, ReplyFields)

    @property
    def valid(self) -> bool:
        """Readable and consistent: everything but screening findings is fine."""
        return self.fields is not None and not [p for p in self.problems if p.severity == "error" and not p.code]

    @property
    def personal_data(self) -> list[Problem]:
        return [p for p in self.problems if p.code == screening.PERSONAL_DATA]

    def blocking(self, override_personal_data: bool = False) -> list[Problem]:
        """Problems that stop ``accept``; personal data can be overridden with a reason."""
        return [
            p
            for p in self.problems
            if p.severity == "error" and not (override_personal_data and p.code == screening.PERSONAL_DATA)
        ]

    @property
    def title(self) -> str:
        if isinstance(self.fields, ThreadFields):
            return self.fields.title
        if isinstance(self.fields, ReplyFields):
            return f"reply to {self.fields.reply_to}"
        return "(unreadable)"

    @property
    def proposed_slug(self) -> str:
        """The thread slug ``accept`` uses unless told otherwise: the title, slugified."""
        if not isinstance(self.fields, ThreadFields):
            return ""
        slug = slugify(self.fields.title)[:SLUG_LENGTH].rstrip("-")
        return slug or self.id

    @property
    def date(self) -> datetime | None:
        return self.fields.date if self.fields is not None else None


@dataclass(frozen=True)
class Queue:
    """What a reply may name as its thread besides a published slug: an imported reply names its
    thread's submission id, still pending (it waits) or accepted (the log says under which slug)."""

    pending_threads: frozenset[str] = frozenset()
    accepted_threads: dict[str, str] = field(default_factory=dict)
    """Submission id → slug of the thread it became."""
    pending_replies: frozenset[str] = frozenset()
    """Pending replies, which a reply's ``in_reply_to`` may name: it is accepted after them."""
    accepted_replies: dict[str, str] = field(default_factory=dict)
    """Replies accepted earlier in the same batch → their thread's slug (not yet in the content tree)."""

    def thread_slug(self, reply_to: str, tree: ContentTree) -> str | None:
        """The published thread a reply's ``reply_to`` means, or None."""
        if reply_to in tree.threads_by_slug:
            return reply_to
        slug = self.accepted_threads.get(reply_to)
        return slug if slug in tree.threads_by_slug else None


def queue(project: Project) -> Queue:
    """The queue as replies see it: pending new threads, and accepted ones with their slugs."""
    from entraide.moderation import log

    accepted: dict[str, str] = {}
    for entry in log.entries(project):
        target = str(entry.get("target", ""))
        if entry.get("action") == "accept" and target.endswith("/" + OPENING_POST_NAME):
            accepted[str(entry.get("post"))] = Path(target).parent.name
    paths = submission_paths(project)
    replies = {path.stem for path in paths if names_a_thread(path)}
    return Queue(frozenset(path.stem for path in paths) - replies, accepted, frozenset(replies))


def names_a_thread(path: Path) -> bool:
    """Whether the front matter of ``path`` has a ``reply_to`` key (read line by line, not parsed: the
    queue only needs to know which pending posts are new threads; the check reads each one fully)."""
    if path.is_symlink() or not path.is_file():
        return False  # never opened (a FIFO would block): the check reports such a file itself
    try:
        lines = path.read_text("utf-8", "replace").lstrip("\ufeff").split("\n", 200)[1:200]
    except OSError:
        return False
    for line in lines:
        if line.rstrip() == "---":
            return False
        if line.startswith("reply_to:"):
            return True
    return False


def submission_paths(project: Project) -> list[Path]:
    folder = project.submissions_dir
    if folder.is_symlink() or not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix == ".md" and p.name not in IGNORED_NAMES and not p.name.startswith(".")
    )


def find(
    project: Project,
    submission_id: str,
    tree: ContentTree | None,
    base: Path | None = None,
    overrides: dict[str, yamlsafe.Node] | None = None,
) -> Submission:
    from entraide import identifiers
    from entraide.errors import EntraideError

    identifiers.require(submission_id, identifiers.SUBMISSION)
    path = project.submissions_dir / f"{submission_id}.md"
    if not os.path.lexists(path) or f"{submission_id}.md" in IGNORED_NAMES:
        decided = _decision(project, submission_id)
        if decided:
            raise EntraideError(f"'{submission_id}' is no longer pending: {decided}")
        known = ", ".join(p.stem for p in submission_paths(project)) or "the queue is empty"
        raise EntraideError(f"no pending submission '{submission_id}' ({known})")
    return check(path, tree, base or project.root, queue(project), overrides)


def editor_overrides(theme: str | None, tags: tuple[str, ...] | None) -> dict[str, yamlsafe.Node]:
    """The fields an editor gives at acceptance (``--theme``, ``--tags``), as front matter would write
    them: the submission is checked with them instead of its own values."""
    given: dict[str, yamlsafe.Node] = {}
    if theme is not None:
        given["theme"] = yamlsafe.Scalar(1, theme, quoted=True)
    if tags is not None:
        given["tags"] = yamlsafe.Sequence(1, [yamlsafe.Scalar(1, tag, quoted=True) for tag in tags])
    return given


def _decision(project: Project, submission_id: str) -> str:
    """How the log says a submission left the queue ("accepted by Anne E. at …"), or ``""``.

    What the second of two editors deciding on the same submission at once is told."""
    from entraide.moderation import log

    done = {"accept": "accepted", "reject": "rejected", "author-withdraw": "withdrawn"}
    for entry in reversed(log.entries(project)):
        if entry.get("post") == submission_id and entry.get("action") in done:
            return f"{done[entry['action']]} by {entry.get('editor', '?')} at {entry.get('when', '?')}"
    return ""


def check_all(project: Project, tree: ContentTree | None, base: Path | None = None) -> list[Submission]:
    folder = project.submissions_dir
    if os.path.lexists(folder) and (problem := safefile.folder_problem(folder) or _not_a_folder(folder)):
        collector = Collector(base or project.root)
        collector.add(folder, 1, "", problem)
        return [Submission(folder.name, folder, None, problems=collector.problems)]
    waiting = queue(project)
    checked = [check(path, tree, base or project.root, waiting) for path in submission_paths(project)]
    _flag_pending_twins(checked, Collector(base or project.root))
    if tree is not None and tree.vocabulary is not None:
        _group_unknown_tags(checked, tree.vocabulary, Collector(base or project.root))
    return checked


def _group_unknown_tags(pending: list[Submission], vocabulary: TagVocabulary, collector: Collector) -> None:
    """A tag outside the vocabulary that several submissions use (an import's, typically) is one
    warning, on the first of them, with the count and the others' ids — not one warning per post."""
    users: dict[str, list[Submission]] = {}
    for submission in pending:
        if isinstance(submission.fields, ThreadFields):
            for tag in submission.fields.tags:
                if vocabulary.canonical(tag) is None:
                    users.setdefault(tag, []).append(submission)
    for tag, group in users.items():
        if len(group) < 2:
            continue
        prefix = f"tag '{tag}' "
        for submission in group:
            submission.problems = [
                p for p in submission.problems if not (p.code == "tag" and p.message.startswith(prefix))
            ]
        first, others = group[0], [s.id for s in group[1:]]
        named = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        message = f"{vocabulary.problem(tag)}; used by {len(group)} submissions (this one, {named}); " \
                  "editors choose at acceptance"
        first.problems.append(
            Problem(collector.show(first.path), first.lines.get("tags", 1), "tags", message, "warning", "tag")
        )
        first.problems.sort(key=lambda p: p.line)


def _not_a_folder(path: Path) -> str | None:
    return None if path.is_dir() else "is not a folder: pending submissions are files in a submissions/ folder"


def _flag_pending_twins(pending: list[Submission], collector: Collector) -> None:
    """Two pending submissions with the same text: the later one is flagged (once the first is
    accepted, the second is refused as a duplicate of what is published)."""
    first: dict[str, str] = {}
    for submission in pending:
        if submission.fields is None:
            continue
        key = text_key(submission.body)
        if key not in first:
            first[key] = submission.id
            continue
        submission.problems.append(
            Problem(
                collector.show(submission.path),
                submission.body_line,
                "",
                f"the same text as the pending submission '{first[key]}': accept only one of them",
                severity="warning",
                code=DUPLICATE,
            )
        )


def check(
    path: Path,
    tree: ContentTree | None,
    base: Path,
    waiting: Queue | None = None,
    overrides: dict[str, yamlsafe.Node] | None = None,
) -> Submission:
    """Read, validate, cross-check and screen one submission (``waiting``: the queue, for replies
    that name a pending or accepted thread submission; ``overrides``: fields an editor gives)."""
    submission = read(path, base, overrides)
    if tree is not None:
        cross_check(submission, tree, base, waiting)
    return submission


def read(path: Path, base: Path, overrides: dict[str, yamlsafe.Node] | None = None) -> Submission:
    """Read, validate and screen one submission, without checking it against published content.

    A batch of decisions reads every submission once, then checks each against the content as the
    batch will have changed it (a reply to a thread accepted in the same batch)."""
    collector = Collector(base)
    submission_id = path.stem
    if problem := slug_problem(submission_id):
        collector.add(path, 1, "id", f"submission file name {problem}")
    post = read_post_file(path, _schema, collector, extra_check=_no_editor_fields, overrides=overrides)
    if post is None:
        return _unbound(submission_id, path, base, collector, overrides or {})
    submission = Submission(submission_id, path, post.fields, post.body, post.body_line, post.lines)
    submission.read_problems = list(collector.problems)
    screening_collector = Collector(base)
    _screen(submission, screening_collector)
    submission.screened = screening_collector.problems
    submission.problems = sorted(submission.read_problems + submission.screened, key=lambda p: p.line)
    return submission


def _unbound(
    submission_id: str, path: Path, base: Path, collector: Collector, overrides: dict[str, yamlsafe.Node]
) -> Submission:
    """A submission whose front matter has errors, still screened (its body and its text fields as
    written) so that one check lists every problem: a pull request then needs one round, not one per
    field fixed."""
    submission = Submission(submission_id, path, None, problems=collector.problems, read_problems=collector.problems)
    try:
        raw = postfile.read_post(path)
    except (OSError, postfile.PostFormatError):
        return submission  # already reported: nothing readable to screen
    submission.body, submission.body_line = raw.body, raw.body_line
    from entraide.loading.loader import with_overrides

    for key, (key_node, value) in with_overrides(raw.meta, overrides).entries.items():
        submission.lines[key] = key_node.line
        if isinstance(value, yamlsafe.Scalar) and not value.is_null:
            submission.raw_fields[key] = (value.text,)
        elif isinstance(value, yamlsafe.Sequence):
            submission.raw_fields[key] = tuple(i.text for i in value.items if isinstance(i, yamlsafe.Scalar))
    screening_collector = Collector(base)
    _screen(submission, screening_collector)
    submission.screened = screening_collector.problems
    submission.problems = sorted(submission.read_problems + submission.screened, key=lambda p: p.line)
    return submission


def cross_check(submission: Submission, tree: ContentTree, base: Path, waiting: Queue | None = None) -> None:
    """Check a submission ``read`` found readable against the published content ``tree``."""
    if submission.fields is None:
        _cross_check_unbound(submission, tree, Collector(base))
        return
    collector = Collector(base)
    _cross_check(submission, tree, collector, waiting or Queue())
    found = submission.read_problems + collector.problems + submission.screened
    submission.problems = sorted(found, key=lambda p: p.line)  # stable: the order within a line is kept


def _theme_problem(theme: str, tree: ContentTree) -> str | None:
    from entraide import answers

    refusal = answers.theme(theme, tree)
    return refusal.message if refusal else None


def _cross_check_unbound(submission: Submission, tree: ContentTree, collector: Collector) -> None:
    """The theme, licence and tags of a submission whose other fields have errors, checked all the
    same (each as written, when it is well formed): one check lists every problem of the file."""
    from entraide.identifiers import tag_problem
    from entraide.loading.loader import license_problem

    path, raw = submission.path, submission.raw_fields
    judged = {p.field for p in submission.problems if p.severity == "error"}

    def one(name: str) -> str | None:
        values = raw.get(name, ())
        return values[0] if len(values) == 1 and name not in judged else None

    if "reply_to" not in raw and (theme := one("theme")) is not None and (problem := _theme_problem(theme, tree)):
        collector.add(path, submission.lines["theme"], "theme", problem)
    if (license := one("license")) is not None and (problem := license_problem(license, tree.licenses)):
        collector.add(path, submission.lines["license"], "license", problem)
    if tree.vocabulary is not None and "reply_to" not in raw:
        for tag in raw.get("tags", ()):
            tag = tag.strip()
            if tag_problem(tag) is None and tree.vocabulary.canonical(tag) is None and (
                problem := tree.vocabulary.problem(tag)
            ):
                collector.problems.append(
                    Problem(collector.show(path), submission.lines["tags"], "tags",
                            problem + "; editors choose at acceptance", severity="warning", code="tag")
                )
    submission.problems = sorted(submission.problems + collector.problems, key=lambda p: p.line)


def _schema(meta: yamlsafe.Mapping) -> type[ThreadFields] | type[ReplyFields]:
    return ReplyFields if "reply_to" in meta.entries else ThreadFields


def _no_editor_fields(meta: yamlsafe.Mapping, report: Callable[[int, str, str], None]) -> bool:
    ok = True
    for name in EDITOR_FIELDS:
        if name in meta.entries:
            report(meta.entries[name][0].line, name, "is set by editors, not in a submission")
            ok = False
    reply_to = meta.get("reply_to")
    if reply_to is not None and isinstance(reply_to, yamlsafe.Scalar) and reply_to.is_null:
        report(meta.entries["reply_to"][0].line, "reply_to", "must name the thread replied to")
        ok = False
    return ok


def _cross_check(submission: Submission, tree: ContentTree, collector: Collector, waiting: Queue) -> None:
    fields, path, lines = submission.fields, submission.path, submission.lines
    from entraide.loading.loader import license_problem

    if fields is not None and (problem := license_problem(fields.license, tree.licenses)):
        collector.add(path, lines["license"], "license", problem)
    if where := tree.posts_by_text.get(text_key(submission.body)):
        collector.add(path, submission.body_line, "", f"the same text is already published ({where}): a duplicate")
    if isinstance(fields, ThreadFields):
        if problem := _theme_problem(fields.theme, tree):
            collector.add(path, lines["theme"], "theme", problem)
        slug = submission.proposed_slug
        if slug in tree.threads_by_slug or (tree.root / "threads" / slug).exists():
            collector.problems.append(
                Problem(
                    collector.show(path),
                    lines["title"],
                    "title",
                    f"a thread '{slug}' already exists: accept with --slug, or make it a reply (reply_to: {slug})",
                    severity="warning",
                    code="slug-taken",
                )
            )
        elif len(slug) > MAX_SLUG_LENGTH:  # pragma: no cover - slugify truncates
            collector.add(path, lines["title"], "title", "too long to make a slug")
        for tag in fields.tags if tree.vocabulary else ():
            if (problem := tree.vocabulary.problem(tag)) and not tree.vocabulary.canonical(tag):  # type: ignore[union-attr]
                collector.problems.append(
                    Problem(collector.show(path), lines["tags"], "tags", problem + "; editors choose at acceptance",
                            severity="warning", code="tag")
                )
    elif isinstance(fields, ReplyFields):
        named = fields.reply_to or ""
        target = waiting.thread_slug(named, tree) or named
        thread = tree.threads_by_slug.get(target)
        if thread is None and named in waiting.pending_threads:
            collector.problems.append(
                Problem(collector.show(path), lines["reply_to"], "reply_to",
                        f"replies to the pending submission '{named}': accept that thread first",
                        severity="warning", code=WAITS_FOR_THREAD)
            )
        elif thread is None:
            from entraide import answers

            refusal = answers.thread(target, tree)
            collector.add(path, lines["reply_to"], "reply_to", refusal.message if refusal else target)
        elif fields.date < thread.date:
            collector.add(
                path,
                lines["date"],
                "date",
                f"{fields.date:%Y-%m-%d %H:%M} is before the thread's opening post ({thread.date:%Y-%m-%d %H:%M})",
            )
        elif (tree.root / "threads" / target / f"{submission.id}.md").exists() or submission.id == OPENING_POST_NAME[
            :-3
        ]:
            collector.add(path, 1, "id", f"thread '{target}' already has a post '{submission.id}': rename the file")
        if fields.in_reply_to and (problem := answered_problem(submission.id, fields.in_reply_to, thread, waiting)):
            collector.problems.append(
                Problem(collector.show(path), lines["in_reply_to"], "in_reply_to", problem, severity="warning",
                        code=WAITS_FOR_REPLY if fields.in_reply_to in waiting.pending_replies else ANSWERS_GONE)
            )


def answered_problem(reply_id: str, answered: str, thread: Thread | None, waiting: Queue) -> str | None:
    """Why the reply ``answered`` (a reply's ``in_reply_to``) is not there yet, or None when it is:
    published in ``thread``, or accepted before it in the same batch."""
    if answered == reply_id:
        return "a reply cannot answer itself: accepting files it as a reply to the thread"
    if thread is not None and (
        any(reply.id == answered for reply in thread.replies) or waiting.accepted_replies.get(answered) == thread.slug
    ):
        return None
    if answered in waiting.pending_replies:
        return f"answers the pending reply '{answered}': accept that reply first"
    return (f"answers reply '{answered}', which is neither published nor pending: "
            "accepting files it as a reply to the thread")


def screened_texts(submission: Submission) -> list[tuple[str, int, str]]:
    """``(text, first line, field)`` for the body and every text field of the front matter: personal
    data in an author name or a tag is published as surely as in the body."""
    texts = [(submission.body, submission.body_line, "")]
    if submission.fields is None:  # unbound: the fields as written
        for name, values in submission.raw_fields.items():
            texts += [(text, submission.lines.get(name, 1), name) for text in values if text]
        return texts
    for item in dataclasses.fields(submission.fields):
        value = getattr(submission.fields, item.name)
        values = value if isinstance(value, tuple) else (value,)
        line = submission.lines.get(item.name, 1)
        texts += [(text, line, item.name) for text in values if isinstance(text, str) and text]
    return texts


def findings(submission: Submission) -> list[tuple[screening.Finding, str]]:
    """Every screening finding of the submission, with the field it is in (``""``: the body)."""
    found: list[tuple[screening.Finding, str]] = []
    for text, first_line, field_name in screened_texts(submission):
        body = not field_name
        for finding in screening.screen(text, first_line if body else 1):
            if not body:  # a field is on one line: its findings are on that line, whatever the text says
                finding = dataclasses.replace(finding, line=first_line)
            found.append((finding, field_name))
    return found


def judged(finding: screening.Finding, field_name: str) -> tuple[str, str]:
    """How a screening finding in field ``field_name`` (``""``: the body) counts against a
    submission: its severity and the check's message."""
    if field_name and finding.code == screening.RAW_HTML:
        # A one-line field is plain text on every page, in every theme partial: markup there is refused.
        return "error", f"HTML is not allowed here, the {field_name} is plain text: remove {shown_value(finding.match)}"
    return ("error" if finding.code in BLOCKING_CODES else "warning"), finding.message


def _screen(submission: Submission, collector: Collector) -> None:
    shown = collector.show(submission.path)
    for finding, field_name in findings(submission):
        severity, message = judged(finding, field_name)
        collector.problems.append(Problem(shown, finding.line, field_name, message, severity, finding.code))


DUPLICATE = "duplicate"
WAITS_FOR_THREAD = "waits-for-thread"
WAITS_FOR_REPLY = "waits-for-reply"
ANSWERS_GONE = "answers-gone"
DUPLICATE_OVERLAP = 0.6
"""A published thread holding 60 % of a new thread's key terms is worth a look before accepting (chosen with
``bench/duplicate_quality.py``: precision 0.90 and recall 0.91 there, against 0.73 and 0.97 at half)."""


def new_thread_texts(pending: list[Submission]) -> dict[str, tuple[str, str, str]]:
    """Title, body and language of each readable new-thread submission, for duplicate detection."""
    return {
        s.id: (s.fields.title, s.body, s.fields.lang)
        for s in pending
        if isinstance(s.fields, ThreadFields)
    }


def flag_duplicates(pending: list[Submission], similar: dict[str, list], base: Path) -> None:  # type: ignore[type-arg]
    """Add a warning (never blocking) to each submission that looks like a published thread."""
    show = Collector(base).show
    for submission in pending:
        for candidate in similar.get(submission.id, []):
            if candidate.overlap < DUPLICATE_OVERLAP:
                continue
            submission.problems.append(
                Problem(
                    show(submission.path),
                    submission.lines.get("title", 1),
                    "title",
                    f"looks like the published thread '{candidate.slug}' "
                    f"({candidate.overlap:.0%} of its key terms, score {candidate.score:.1f}): a duplicate?",
                    severity="warning",
                    code=DUPLICATE,
                )
            )
