"""Decisions on many submissions at once: ``accept ID…``, ``accept --all``, ``reject ID… --reason``.

A batch reads the published content and screens every submission once, then decides each submission
as ``decisions`` would on its own (the same refusals, in the same words), against the content as the
batch will have left it: a reply to a thread accepted in the same batch is accepted after it, a second
post with the same text as one accepted before it is refused as a duplicate, two new threads cannot
take one slug. Each accepted or rejected post is then one ``journal`` operation with its own log
entry, committed to the journal in groups (``journal.run_all``): a batch killed at any point has
decided some posts completely, the next command finishes the group under way, and running the batch
again decides the rest. Nothing is rebuilt per post.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from entraide import identifiers, tagging
from entraide.errors import EntraideError, Problem
from entraide.model import OPENING_POST_NAME, ContentTree, ReplyFields, Thread, ThreadFields, text_key
from entraide.moderation import decisions, journal, submissions
from entraide.moderation.decisions import DecisionRefused, Outcome
from entraide.moderation.submissions import Submission
from entraide.project import Project
from entraide.wording import counted

GROUP = 50
"""Decisions committed together: one journal record, one log append and one sync of each folder."""

Progress = Callable[[int, int], None]
"""Called with (posts done, posts to do) as the batch goes."""


@dataclass(frozen=True)
class Refusal:
    """A submission the batch did not decide, and why (the words ``accept ID`` alone would use)."""

    post: str
    message: str
    problems: tuple[Problem, ...] = ()
    unknown_tags: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "post": self.post,
            "message": self.message,
            "problems": [p.as_dict() for p in self.problems],
            "unknown_tags": list(self.unknown_tags),
        }


@dataclass
class BatchResult:
    action: str
    done: list[Outcome] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    seconds: float = 0.0
    hints: dict[str, str] = field(default_factory=dict)
    """Unknown tag → the vocabulary's name it is most likely a typo of (only when close)."""

    def summary(self) -> str:
        """One line: how many posts were decided, of how many, how fast."""
        verb = {"accept": "Accepted", "reject": "Rejected"}[self.action]
        asked = len(self.done) + len(self.refused)
        line = f"{verb} {len(self.done)} of {counted(asked, 'submission')}"
        if self.action == "accept" and self.done:
            threads = sum(1 for o in self.done if o.target.endswith("/" + OPENING_POST_NAME))
            replies = len(self.done) - threads
            line += f" ({counted(threads, 'new thread')}, {counted(replies, 'reply')})"
        line += f" in {self.seconds:.1f} s"
        if self.refused:
            line += f"; {len(self.refused)} not {verb.lower()}, listed above"
        return line + "."

    @property
    def unknown_tags(self) -> dict[str, int]:
        """Each tag outside the vocabulary that kept posts back, with how many, most frequent first."""
        counts: dict[str, int] = {}
        for refusal in self.refused:
            for tag in refusal.unknown_tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def accept_many(
    project: Project,
    ids: list[str] | None,
    *,
    editor: str,
    allow_own: str | None = None,
    override_personal_data: str | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Accept the submissions ``ids`` (``None``: every pending one that has no problem)."""
    started = time.perf_counter()
    result = BatchResult("accept")
    tree = decisions.published(project)
    pending = _requested(project, ids, result)
    threads = [s for s in pending if isinstance(s.fields, ThreadFields)]
    replies = [s for s in pending if isinstance(s.fields, ReplyFields)]
    result.refused += [_refusal(s, _unreadable(s)) for s in pending if s.fields is None]
    planned: list[tuple[journal.Operation, Outcome]] = []
    texts: dict[str, str] = {}
    claimed: set[str] = set()
    new_threads: list[Thread] = []
    refused_slugs: dict[str, str] = {}
    options = {"allow_own": allow_own, "override_personal_data": override_personal_data}
    waiting = submissions.queue(project)  # read once: replies may name a thread's submission id
    for submission in threads:
        submissions.cross_check(submission, tree, project.root, waiting)
        try:
            plan = _plan(project, submission, tree, texts, claimed, editor, options, waiting)
        except DecisionRefused as refused:
            refused_slugs.setdefault(submission.proposed_slug, submission.id)
            refused_slugs.setdefault(submission.id, submission.id)
            result.refused.append(_refusal(submission, refused))
            continue
        planned.append(plan)
        slug = (project.root / plan[1].target).parent.name
        claimed.add(slug)
        waiting.accepted_threads[submission.id] = slug  # an imported reply naming it is accepted after it
        fields = submission.fields
        assert isinstance(fields, ThreadFields)
        new_threads.append(Thread(slug, project.root / plan[1].target, fields, submission.body, ()))
    after = ContentTree(tree.root, tree.themes, [*tree.threads, *new_threads], tree.vocabulary,
                        tree.licenses) if new_threads else tree
    for submission in _answered_first(replies):
        assert isinstance(submission.fields, ReplyFields)
        thread = submission.fields.reply_to or ""
        if thread in refused_slugs and thread not in after.threads_by_slug:
            why = f"replies to '{thread}', whose submission {refused_slugs[thread]} is not accepted"
            result.refused.append(Refusal(submission.id, f"'{submission.id}' {why}"))
            continue
        submissions.cross_check(submission, after, project.root, waiting)
        try:
            plan = _plan(project, submission, after, texts, claimed, editor, options, waiting)
        except DecisionRefused as refused:
            result.refused.append(_refusal(submission, refused))
            continue
        planned.append(plan)
        waiting.accepted_replies[submission.id] = (project.root / plan[1].target).parent.name
    _carry_out(project, planned, result, progress)
    result.refused.sort(key=lambda refusal: refusal.post)
    if tree.vocabulary is not None:
        hints = {tag: tagging.suggest(tag, tree.vocabulary) for tag in result.unknown_tags}
        result.hints = {tag: hint for tag, hint in hints.items() if hint}
    result.seconds = time.perf_counter() - started
    return result


def _answered_first(replies: list[Submission]) -> list[Submission]:
    """The replies in date order, each after the reply of the batch it answers (``in_reply_to``)."""
    by_id = {reply.id: reply for reply in replies}
    ordered: list[Submission] = []
    placed: set[str] = set()
    for reply in sorted(replies, key=lambda r: (r.date or datetime.min, r.id)):
        chain, seen = [reply], {reply.id}  # the reply, the one it answers, and so on up to one placed
        while (answered := getattr(chain[-1].fields, "in_reply_to", None)) in by_id and answered not in placed:
            if answered in seen:
                break  # a cycle: the replies wait for each other and are refused
            chain.append(by_id[answered])
            seen.add(answered)
        for link in reversed(chain):
            if link.id not in placed:
                placed.add(link.id)
                ordered.append(link)
    return ordered


def reject_many(
    project: Project, ids: list[str] | None, *, editor: str, reason: str, progress: Progress | None = None
) -> BatchResult:
    """Reject the submissions ``ids`` (``None``: every pending one), each logged with ``reason``."""
    started = time.perf_counter()
    result = BatchResult("reject")
    if not reason.strip():
        raise DecisionRefused("a rejection needs a --reason, which the contributor can be told")
    chosen = ids if ids is not None else [path.stem for path in submissions.submission_paths(project)]
    planned = []
    for submission_id in dict.fromkeys(chosen):
        try:
            planned.append(decisions.plan_reject(project, submission_id, editor=editor, reason=reason))
        except EntraideError as error:
            result.refused.append(Refusal(submission_id, error.message))
    _carry_out(project, planned, result, progress)
    result.seconds = time.perf_counter() - started
    return result


def _requested(project: Project, ids: list[str] | None, result: BatchResult) -> list[Submission]:
    """The submissions to decide, read and screened once; ids that are not pending are refused."""
    if ids is None:
        paths = submissions.submission_paths(project)
    else:
        paths = []
        for submission_id in dict.fromkeys(ids):
            try:
                identifiers.require(submission_id, identifiers.SUBMISSION)
                path = project.submissions_dir / f"{submission_id}.md"
                if not path.is_file():
                    submissions.find(project, submission_id, None)  # raises: not pending, and why
                paths.append(path)
            except EntraideError as error:
                result.refused.append(Refusal(submission_id, error.message))
    return [submissions.read(path, project.root) for path in paths]


def _plan(
    project: Project,
    submission: Submission,
    tree: ContentTree,
    texts: dict[str, str],
    claimed: set[str],
    editor: str,
    options: dict[str, str | None],
    waiting: submissions.Queue,
) -> tuple[journal.Operation, Outcome]:
    """One post's decision, refused as ``accept ID`` would refuse it, and as a duplicate of a post
    accepted earlier in the batch."""
    fields = submission.fields
    if isinstance(fields, ThreadFields) and tree.vocabulary is not None and submission.valid:
        unknown = tuple(t for t in fields.tags if tree.vocabulary.canonical(t) is None)
        if unknown:
            raise _UnknownTags(unknown)
    key = text_key(submission.body)
    if key in texts:
        raise DecisionRefused(f"'{submission.id}' has the same text as '{texts[key]}', accepted in this batch")
    plan = decisions.plan_accept(
        project,
        submission,
        tree,
        editor=editor,
        claimed=claimed,
        waiting=waiting,
        allow_own=options["allow_own"],
        override_personal_data=options["override_personal_data"],
    )
    texts[key] = submission.id
    return plan


class _UnknownTags(DecisionRefused):
    def __init__(self, tags: tuple[str, ...]):
        self.tags = tags
        super().__init__(f"unknown tag{'s' * (len(tags) != 1)} {', '.join(repr(t) for t in tags)}")


def _refusal(submission: Submission, refused: DecisionRefused) -> Refusal:
    tags = refused.tags if isinstance(refused, _UnknownTags) else ()
    return Refusal(submission.id, refused.headline, tuple(refused.problems), tags)


def _unreadable(submission: Submission) -> DecisionRefused:
    return DecisionRefused(f"'{submission.id}' has problems to fix first:", submission.blocking())


def _carry_out(
    project: Project, planned: list[tuple[journal.Operation, Outcome]], result: BatchResult, progress: Progress | None
) -> None:
    """The decisions in order, ``GROUP`` per journal record: a kill loses nothing (the next command
    finishes the group under way), and a rerun decides what is still pending."""
    for start in range(0, len(planned), GROUP):
        group = planned[start : start + GROUP]
        journal.run_all(project, [operation for operation, _outcome in group])
        result.done += [outcome for _operation, outcome in group]
        if progress is not None:
            progress(len(result.done), len(planned))
