"""``entraide accept``, ``reject`` and ``withdraw``: editors' decisions, one or a batch, logged and crash-safe."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from entraide import identifiers
from entraide.cli.options import (
    config_option,
    echo_json,
    json_option,
    progress_bar,
    project,
    quiet_option,
    writes_project,
)
from entraide.errors import EntraideError
from entraide.moderation import batch, decisions, submissions
from entraide.wording import counted

F = TypeVar("F", bound=Callable[..., Any])


def editor_option(function: F) -> F:
    return click.option(
        "--editor", help="Who decides (default: git config user.name). Recorded in the moderation log."
    )(function)


def _done(outcome: decisions.Outcome, as_json: bool) -> None:
    if as_json:
        echo_json({"action": outcome.action, "post": outcome.post, "target": outcome.target, "ok": True})
    else:
        click.echo(outcome.summary)


def _tags(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(tag.strip() for tag in value.split(",") if tag.strip())


@click.command()
@click.argument("submission_ids", metavar="[ID]...", nargs=-1, type=identifiers.SUBMISSION_ID)
@click.option(
    "--all", "every", is_flag=True,
    help="Every pending submission that has no problem; the others are listed with why, and stay pending.",
)
@config_option
@click.option(
    "--theme", type=identifiers.THEME_SLUG,
    help="File the thread under this theme instead of the one proposed (one ID only).",
)
@click.option(
    "--tags", type=identifiers.TAGS,
    help="Replace the proposed tags: comma-separated, e.g. 'conflit,médiation' (one ID only).",
)
@click.option(
    "--slug", type=identifiers.THREAD_SLUG, help="The thread's slug (its URL); default: from its title (one ID only)."
)
@click.option(
    "--allow-own", metavar="REASON", help="Accept posts you wrote yourself (named IDs only); the reason is logged."
)
@click.option(
    "--override-personal-data", metavar="REASON",
    help="Accept despite personal data the check found (named IDs only); logged.",
)
@editor_option
@json_option
@quiet_option
@writes_project
def accept(
    submission_ids: tuple[str, ...],
    every: bool,
    config_file: Path,
    theme: str | None,
    tags: str | None,
    slug: str | None,
    allow_own: str | None,
    override_personal_data: str | None,
    editor: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Publish pending submissions: each a new thread, or a reply in its thread.

    Refused while a submission has problems or personal data (redact it, or override with a
    reason), and when you wrote it yourself (another editor accepts it, or --allow-own REASON).
    --theme and --tags replace the proposed values: the values given are checked instead, and
    what was wrong with the proposed ones no longer blocks.
    Several IDs, or --all, are decided in one batch: each post is accepted on its own (one log
    entry each), a reply after the thread it answers when both are in the batch; the ones that
    cannot be accepted are listed with why, unknown tags grouped. Exit status 1 when a named ID
    could not be accepted (with --all, what stays pending is listed but is not a failure).

    \b
    Example:
      entraide accept 2025-11-20-conflit-dans-mon-equipe --theme conflits --tags conflit,médiation
      entraide accept 2025-11-20-conflit 2025-11-21-karim
      entraide accept --all --editor "Anne E."
    """
    if every and submission_ids:
        raise EntraideError("give the IDs to accept, or --all, not both")
    if not every and not submission_ids:
        raise EntraideError("which submissions? give their IDs (see `entraide review`), or --all")
    found = project(config_file)
    editor_name = decisions.editor_name(found, editor)
    if len(submission_ids) == 1:
        outcome = decisions.accept(
            found,
            submission_ids[0],
            editor=editor_name,
            theme=theme,
            tags=_tags(tags),
            slug=slug,
            allow_own=allow_own,
            override_personal_data=override_personal_data,
        )
        _done(outcome, as_json)
        return
    if theme or tags or slug:
        raise EntraideError("--theme, --tags and --slug apply to one submission: accept it on its own")
    if every and (allow_own or override_personal_data):
        raise EntraideError("--allow-own and --override-personal-data apply to the IDs you name, not to --all")
    result = _with_progress(
        "Accepting",
        quiet or as_json,
        lambda progress: batch.accept_many(
            found,
            None if every else list(submission_ids),
            editor=editor_name,
            allow_own=allow_own,
            override_personal_data=override_personal_data,
            progress=progress,
        ),
    )
    _batch_done(result, as_json, quiet, failed=bool(result.refused) and not every)  # --all: leftovers stay pending


@click.command()
@click.argument("submission_ids", metavar="[ID]...", nargs=-1, type=identifiers.SUBMISSION_ID)
@click.option("--all", "every", is_flag=True, help="Every pending submission: asks first (or give --yes).")
@config_option
@click.option("--reason", required=True, help="Why, in words the contributor can be told. Logged; the text is not.")
@click.option("--yes", is_flag=True, help="With --all: reject without asking.")
@editor_option
@json_option
@quiet_option
@writes_project
def reject(
    submission_ids: tuple[str, ...],
    every: bool,
    config_file: Path,
    reason: str,
    yes: bool,
    editor: str | None,
    as_json: bool,
    quiet: bool,
) -> None:
    """Reject pending submissions: each is deleted, and only its id, you and the reason are logged.

    Several IDs are rejected in one batch, each with its own log entry; an ID that is not pending
    is reported (exit status 1) and the others are still rejected. --all rejects the whole queue:
    it lists what it would reject and asks first (--yes to skip the question).

    \b
    Example:
      entraide reject 2025-11-20-pub --reason "Publicité, hors sujet"
      entraide reject 2025-11-20-pub 2025-11-21-pub --reason "Publicité"
      entraide reject --all --reason "Campagne de spam" --yes
    """
    if every and submission_ids:
        raise EntraideError("give the IDs to reject, or --all, not both")
    if not every and not submission_ids:
        raise EntraideError("which submissions? give their IDs (see `entraide review`), or --all")
    found = project(config_file)
    editor_name = decisions.editor_name(found, editor)
    if len(submission_ids) == 1:
        _done(decisions.reject(found, submission_ids[0], editor=editor_name, reason=reason), as_json)
        return
    ids = list(submission_ids) if submission_ids else [path.stem for path in submissions.submission_paths(found)]
    if every and not yes:
        _confirm_reject_all(ids)
    result = _with_progress(
        "Rejecting",
        quiet or as_json,
        lambda progress: batch.reject_many(found, ids, editor=editor_name, reason=reason, progress=progress),
    )
    _batch_done(result, as_json, quiet, failed=bool(result.refused))


def _confirm_reject_all(ids: list[str]) -> None:
    """--all without --yes: show the whole queue, then ask on a terminal, refuse elsewhere."""
    if not ids:
        return
    click.echo(f"This rejects all {counted(len(ids), 'pending submission')}:", err=True)
    for submission_id in ids:
        click.echo(f"  {submission_id}", err=True)
    if not sys.stdin.isatty():
        raise EntraideError("nothing rejected: confirm with --yes")
    if not click.confirm(f"Reject these {len(ids)}?", default=False, err=True):
        raise EntraideError("nothing rejected")


def _with_progress(label: str, quiet: bool, work: Callable[[batch.Progress], batch.BatchResult]) -> batch.BatchResult:
    bar = progress_bar(label, quiet)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    try:
        return work(progress)
    finally:
        if bar is not None:
            bar.render_finish()


def _batch_done(result: batch.BatchResult, as_json: bool, quiet: bool, *, failed: bool) -> None:
    """The refused posts (grouped by unknown tag) on stderr, then one summary line; exit status 1
    when ``failed``. JSON's ``ok`` is that same verdict, so a script reading either agrees."""
    if as_json:
        echo_json(
            {
                "action": result.action,
                "ok": not failed,
                "done": [{"post": o.post, "target": o.target} for o in result.done],
                "refused": [r.as_dict() for r in result.refused],
                "unknown_tags": result.unknown_tags,
                "seconds": round(result.seconds, 3),
            }
        )
    else:
        for line in report_lines(result):
            click.echo(line, err=True)
        if not quiet:
            click.echo(result.summary())
    if failed:
        raise SystemExit(1)


def report_lines(result: batch.BatchResult) -> list[str]:
    """What kept each refused post back; posts held back only by unknown tags are grouped by tag."""
    lines = []
    verb = {"accept": "accepted", "reject": "rejected"}[result.action]
    for refusal in result.refused:
        if refusal.unknown_tags:
            continue
        lines.append(f"not {verb}: {refusal.post}: {refusal.message.removeprefix(repr(refusal.post) + ' ')}")
        lines += [f"    {problem}" for problem in refusal.problems]
    if tags := result.unknown_tags:
        held = sum(1 for refusal in result.refused if refusal.unknown_tags)
        lines.append(
            f"not {verb}: {counted(held, 'submission')} with tags outside content/tags.yml "
            "(add them with `entraide tags add TAG`, or accept each with --tags):"
        )
        for tag, count in tags.items():
            posts = [r.post for r in result.refused if tag in r.unknown_tags]
            shown = ", ".join(posts[:3]) + (f" and {len(posts) - 3} more" if len(posts) > 3 else "")
            hint = result.hints.get(tag)
            lines.append(
                f"    '{tag}': {counted(count, 'submission')} ({shown})"
                + (f"; did you mean '{hint}'?" if hint else "")
            )
    return lines


@click.command()
@click.argument("target", metavar="SLUG[/REPLY-ID]", type=identifiers.TARGET)
@config_option
@click.option("--reason", required=True, help="Why it is taken down. Logged.")
@editor_option
@json_option
@writes_project
def withdraw(target: str, config_file: Path, reason: str, editor: str | None, as_json: bool) -> None:
    """Take published content down: a whole thread, or one reply (SLUG/REPLY-ID).

    References to it (best reply, related threads, featured lists) go with it; after the next build it
    is gone from every page and from the sitemap.

    \b
    Example:
      entraide withdraw conflit-entre-deux-collaborateurs --reason "Demande de l'autrice"
      entraide withdraw conflit-entre-deux-collaborateurs/2025-03-05-karim --reason "Propos identifiants"
    """
    found = project(config_file)
    _done(decisions.withdraw(found, target, editor=decisions.editor_name(found, editor), reason=reason), as_json)
