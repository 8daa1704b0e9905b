"""Show an edit as a diff and ask before saving it: the one way ``redact`` and ``curate`` confirm."""

from __future__ import annotations

import difflib
import sys

import click

from entraide.errors import EntraideError


def diff_lines(before: str, after: str, name: str, new_name: str) -> list[str]:
    """A unified diff of two texts, one string per line."""
    return list(difflib.unified_diff(before.splitlines(), after.splitlines(), name, new_name, lineterm=""))


def show_diff(lines: list[str]) -> None:
    """The diff on stdout, added lines green and removed lines red on a terminal."""
    for line in lines:
        colour = "green" if line.startswith("+") else "red" if line.startswith("-") else None
        click.echo(click.style(line, fg=colour) if colour and not line.startswith(("+++", "---")) else line)


def confirmed(question: str, *, yes: bool) -> bool:
    """True when the edit may be saved: ``--yes``, or the person at the terminal agreed. Without a
    terminal there is nobody to ask, so leaving the file as it was is a failure (non-zero exit), not
    a success a script would take for a saved edit."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise EntraideError("Not saved: no terminal to confirm on; run again with --yes to save.")
    return click.confirm(question, default=False)
