"""``entraide accept``, ``reject`` and ``withdraw``: editors' decisions, logged and crash-safe."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from entraide import identifiers
from entraide.cli.options import config_option, echo_json, json_option, project, writes_project
from entraide.moderation import decisions

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
@click.argument("submission_id", metavar="ID", type=identifiers.SUBMISSION_ID)
@config_option
@click.option(
    "--theme", type=identifiers.THEME_SLUG,
    help="File the thread under this theme instead of the one proposed.",
)
@click.option(
    "--tags", type=identifiers.TAGS,
    help="Replace the proposed tags: comma-separated, e.g. 'conflit,médiation'.",
)
@click.option("--slug", type=identifiers.THREAD_SLUG, help="The thread's slug (its URL); default: from its title.")
@click.option("--allow-own", metavar="REASON", help="Accept a post you wrote yourself; the reason is logged.")
@click.option(
    "--override-personal-data", metavar="REASON", help="Accept despite personal data the check found; logged."
)
@editor_option
@json_option
@writes_project
def accept(
    submission_id: str,
    config_file: Path,
    theme: str | None,
    tags: str | None,
    slug: str | None,
    allow_own: str | None,
    override_personal_data: str | None,
    editor: str | None,
    as_json: bool,
) -> None:
    """Publish a pending submission: a new thread, or a reply in its thread.

    Refused while the submission has problems or personal data (redact it, or override with a
    reason), and when you wrote it yourself (another editor accepts it, or --allow-own REASON).

    \b
    Example:
      entraide accept 2025-11-20-conflit-dans-mon-equipe --theme conflits --tags conflit,médiation
    """
    found = project(config_file)
    outcome = decisions.accept(
        found,
        submission_id,
        editor=decisions.editor_name(found, editor),
        theme=theme,
        tags=_tags(tags),
        slug=slug,
        allow_own=allow_own,
        override_personal_data=override_personal_data,
    )
    _done(outcome, as_json)


@click.command()
@click.argument("submission_id", metavar="ID", type=identifiers.SUBMISSION_ID)
@config_option
@click.option("--reason", required=True, help="Why, in words the contributor can be told. Logged; the text is not.")
@editor_option
@json_option
@writes_project
def reject(submission_id: str, config_file: Path, reason: str, editor: str | None, as_json: bool) -> None:
    """Reject a pending submission: it is deleted, and only its id, you and the reason are logged.

    \b
    Example:
      entraide reject 2025-11-20-pub --reason "Publicité, hors sujet"
    """
    found = project(config_file)
    _done(decisions.reject(found, submission_id, editor=decisions.editor_name(found, editor), reason=reason), as_json)


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
