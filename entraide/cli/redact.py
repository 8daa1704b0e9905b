"""``entraide redact``: rewrite names, companies or addresses in a submission, diff shown first."""

from __future__ import annotations

from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.confirming import confirmed, diff_lines, show_diff
from entraide.cli.decide import editor_option
from entraide.cli.options import config_option, echo_json, json_option, project, writes_project
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
@json_option
@writes_project
def redact(
    submission_id: str,
    config_file: Path,
    replacements: tuple[str, ...],
    personal_data: bool,
    yes: bool,
    editor: str | None,
    as_json: bool,
) -> None:
    """Redact a pending submission: the diff is shown, then saved once you confirm.

    \b
    Example:
      entraide redact 2025-11-20-conflit --replace "Société Durand=mon entreprise" --personal-data
      entraide redact 2025-11-20-conflit --personal-data --yes --json
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
        if as_json:
            echo_json({"ok": True, "submission": submission_id, "replacements": 0, "diff": [],
                       "message": "Nothing matched: the submission is unchanged."})
        else:
            click.echo("Nothing matched: the submission is unchanged.")
        return
    name = f"submissions/{submission_id}.md"
    diff = diff_lines(before, after, name, name + " (redacted)")
    if as_json:
        if not yes:
            raise EntraideError("--json prints what was saved: add --yes (the diff is shown without --json)")
    else:
        show_diff(diff)
        if not confirmed("Save this replacement?" if count == 1 else f"Save these {count} replacements?", yes=yes):
            click.echo("Not saved.")
            return
    editor_name = decisions.editor_name(found, editor)
    outcome = decisions.save_redaction(found, submission_id, after, count, editor=editor_name)
    if as_json:
        echo_json({"ok": True, "submission": submission_id, "replacements": count, "file": outcome.target,
                   "diff": diff, "message": outcome.summary})
    else:
        click.echo(outcome.summary)
