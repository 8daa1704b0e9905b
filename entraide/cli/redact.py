"""``entraide redact``: rewrite names, companies or addresses in a submission, diff shown first."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.decide import editor_option
from entraide.cli.options import config_option, project, writes_project
from entraide.errors import EntraideError
from entraide.moderation import decisions


@click.command()
@click.argument("submission_id", metavar="ID", type=identifiers.SUBMISSION_ID)
@config_option
@click.option(
    "--replace", "replacements", multiple=True, metavar="OLD=NEW", help="Replace every OLD by NEW (repeatable)."
)
@click.option("--personal-data", is_flag=True, help="Replace every e-mail address, phone number… the check found.")
@click.option("--yes", is_flag=True, help="Save without asking.")
@editor_option
@writes_project
def redact(
    submission_id: str,
    config_file: Path,
    replacements: tuple[str, ...],
    personal_data: bool,
    yes: bool,
    editor: str | None,
) -> None:
    """Redact a pending submission: the diff is shown, then saved once you confirm.

    \b
    Example:
      entraide redact 2025-11-20-conflit --replace "Société Durand=mon entreprise" --personal-data
    """
    pairs = []
    for item in replacements:
        old, sep, new = item.partition("=")
        if not sep or not old:
            raise EntraideError(f"--replace {item!r}: write OLD=NEW")
        pairs.append((old, new))
    if not pairs and not personal_data:
        raise EntraideError("nothing to redact: give --replace OLD=NEW or --personal-data")
    found = project(config_file)
    before, after, count = decisions.redaction(found, submission_id, pairs, personal_data=personal_data)
    if count == 0:
        click.echo("Nothing matched: the submission is unchanged.")
        return
    name = f"submissions/{submission_id}.md"
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), name, name + " (redacted)", lineterm=""):
        colour = "green" if line.startswith("+") else "red" if line.startswith("-") else None
        click.echo(click.style(line, fg=colour) if colour and not line.startswith(("+++", "---")) else line)
    if not yes:
        if not sys.stdin.isatty():  # a script or CI: nothing to confirm with, so nothing done is a failure
            click.echo("Not saved: no terminal to confirm on; run again with --yes to save.", err=True)
            sys.exit(1)
        if not click.confirm(f"Save these {count} replacements?", default=False):
            click.echo("Not saved.")
            return
    editor_name = decisions.editor_name(found, editor)
    click.echo(decisions.save_redaction(found, submission_id, after, count, editor=editor_name).summary)
