"""``entraide review`` and ``entraide show``: the moderation queue and one submission in full."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.options import config_option, echo_json, json_option, project
from entraide.errors import ContentError
from entraide.loading.loader import load_content
from entraide.model import ContentTree, ThreadFields
from entraide.moderation import quarantine, submissions
from entraide.moderation.arrival import age_days, arrivals
from entraide.moderation.submissions import Submission
from entraide.wording import counted


def _tree(found) -> ContentTree | None:  # type: ignore[no-untyped-def]
    try:
        return load_content(found.content_dir, base=found.root)
    except ContentError:
        return None  # the queue is still shown; `entraide check` lists the content's problems


def _status(submission: Submission) -> str:
    errors = [p for p in submission.problems if p.severity == "error"]
    warnings = len(submission.problems) - len(errors)
    if not submission.problems:
        return "ok"
    parts = []
    personal = [p for p in errors if p.code == "personal-data"]
    others = len(errors) - len(personal)
    if personal:
        parts.append(f"personal data on line {', '.join(str(n) for n in sorted({p.line for p in personal}))}")
    if others:
        parts.append(counted(others, "problem"))
    if warnings:
        parts.append(counted(warnings, "warning"))
    return ", ".join(parts)


ANONYMOUS_MEMBER = "anonymous member"
"""Who an anonymous post without a name is by (an import's default): the pages' « Membre anonyme »."""


def _author(submission: Submission) -> str:
    """The author as editors see them: the name (marked when the pages will not show it), a
    pseudonym, or "anonymous member"."""
    fields = submission.fields
    if fields is None:
        return "?"
    if fields.anonymous:
        return f"{fields.author} (anonymous)" if fields.author else ANONYMOUS_MEMBER
    return fields.author or "?"


def _as_dict(submission: Submission, arrived: datetime | None) -> dict[str, object]:
    fields = submission.fields
    return {
        "id": submission.id,
        "path": str(submission.path),
        "kind": "reply" if submission.is_reply else "thread" if fields else None,
        "title": submission.title,
        "reply_to": getattr(fields, "reply_to", None),
        "theme": getattr(fields, "theme", None),
        "author": fields.author if fields else None,
        "anonymous": fields.anonymous if fields else None,
        "date": fields.date.isoformat() if fields else None,
        "arrived": arrived.isoformat(timespec="seconds") if arrived else None,
        "age_days": age_days(arrived),
        "status": _status(submission),
        "problems": [p.as_dict() for p in submission.problems],
    }


@click.command()
@config_option
@json_option
@click.option("--quarantine", "show_quarantine", is_flag=True,
              help="List the posts the intake held back (quarantine/), with the reason.")
@click.option("--release", metavar="ID", help="Move a held-back post into submissions/, to review it as any other.")
def review(config_file: Path, as_json: bool, show_quarantine: bool, release: str | None) -> None:
    """The moderation queue: each pending submission with its check results and how long it has waited.

    The wait counts from the submission's arrival, not from its own date: the commit that added its
    file (in a git repository), else the file's modification time.

    \b
    Example:
      entraide review
      entraide review --json
      entraide review --quarantine
      entraide review --release ID
    """
    found = project(config_file)
    if release:
        released = quarantine.release(found, release)
        click.echo(f"Released {release} into {found.show(released)}: check it and review it as any submission.")
        return
    if show_quarantine:
        _show_quarantine(found, as_json)
        return
    pending = submissions.check_all(found, _tree(found))
    arrived = arrivals(found, [s.path for s in pending])
    from search.service import similar_threads  # the search stack loads only when needed
    similar = similar_threads(found.search_dir, submissions.new_thread_texts(pending))
    if as_json:
        echo_json(
            [_as_dict(s, arrived.get(s.path)) | {"similar": [vars(c) for c in similar.get(s.id, [])]} for s in pending]
        )
        return
    if not pending:
        click.echo("The queue is empty: no pending submission.")
        return
    click.echo(f"{counted(len(pending), 'pending submission')} (oldest first):")
    for submission in sorted(pending, key=lambda s: (s.path not in arrived, arrived.get(s.path), s.id)):
        age = age_days(arrived.get(submission.path))
        kind = f"reply → {submission.fields.reply_to}" if submission.is_reply else "thread"  # type: ignore[union-attr]
        status = _status(submission)
        colour = "green" if status == "ok" else "red" if "problem" in status or "personal" in status else "yellow"
        click.echo(f"  {submission.id}")
        title = submission.title if not submission.is_reply else ""
        click.echo(f"      {kind}{': ' + title if title else ''}")
        waiting = counted(age, "day") if age is not None else "?"
        click.echo(f"      by {_author(submission)} · waiting {waiting} · " + click.style(status, fg=colour))
        for candidate in similar.get(submission.id, []):
            likely = candidate.overlap >= submissions.DUPLICATE_OVERLAP
            flag = click.style(" likely duplicate", fg="yellow") if likely else ""
            share = f"{candidate.overlap:.0%} of key terms, score {candidate.score:.1f}"
            click.echo(f"      similar: {candidate.slug} ({share}){flag}")


def _show_quarantine(found, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    held = quarantine.held(found)
    if as_json:
        echo_json([vars(item) for item in held])
        return
    if not held:
        click.echo("The quarantine is empty: the intake held no post back.")
        return
    click.echo(f"{counted(len(held), 'held-back post')} in quarantine/ (never published):")
    for item in held:
        click.echo(f"  {item.id}")
        click.echo(f"      {item.reason}: {item.detail} · received {item.received}")


@click.command()
@click.argument("submission_id", metavar="ID", type=identifiers.SUBMISSION_ID)
@config_option
@json_option
def show(submission_id: str, config_file: Path, as_json: bool) -> None:
    """Show one pending submission: its fields, its check results and its text with line numbers.

    \b
    Example:
      entraide show 2025-11-20-conflit-dans-mon-equipe
    """
    found = project(config_file)
    submission = submissions.find(found, submission_id, _tree(found))
    if as_json:
        arrived = arrivals(found, [submission.path]).get(submission.path)
        echo_json({**_as_dict(submission, arrived), "body": submission.body})
        return
    fields = submission.fields
    click.echo(click.style(submission.id, bold=True) + f"  ({found.show(submission.path)})")
    if fields is not None:
        if isinstance(fields, ThreadFields):
            click.echo(f"  title    {fields.title}")
            click.echo(f"  theme    {fields.theme}    tags {', '.join(fields.tags) or '-'}    lang {fields.lang}")
            click.echo(f"  slug     {submission.proposed_slug} (change with accept --slug)")
        else:
            click.echo(f"  reply to {fields.reply_to}")
        click.echo(f"  author   {_author(submission)}    date {fields.date:%Y-%m-%d %H:%M}")
    click.echo(f"  checks   {_status(submission)}")
    for problem in submission.problems:
        colour = "yellow" if problem.severity == "warning" else "red"
        click.echo("    " + click.style(str(problem), fg=colour))
    if submission.body:
        click.echo("")
        flagged = {p.line for p in submission.problems}
        for number, line in enumerate(submission.body.split("\n"), start=submission.body_line):
            mark = "!" if number in flagged else " "
            click.echo(f"{number:4d}{mark} {line}")
