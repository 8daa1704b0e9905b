"""``entraide check``: validate the content tree and list every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from entraide.cli.options import config_option, content_paths, echo_json, json_option, quiet_option
from entraide.errors import ContentError, Problem
from entraide.loading.loader import load_content


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
@quiet_option
@json_option
def check(paths: tuple[Path, ...], config_file: Path, quiet: bool, as_json: bool) -> None:
    """Validate the content tree: every problem is listed as FILE:LINE: FIELD: MESSAGE.

    With PATHS, only problems in those files or folders are reported (links to the rest of the
    tree are still checked). Exit status: 0 when clean, 1 when there is a problem.

    \b
    Example:
      entraide check
      entraide check content/threads/conflit-entre-deux-collaborateurs
    """
    root, content_dir = content_paths(config_file)
    problems: list[Problem] = []
    counts = {"threads": 0, "replies": 0, "themes": 0}
    try:
        tree = load_content(content_dir, base=Path.cwd())
        counts = {"threads": len(tree.threads), "replies": tree.reply_count, "themes": len(tree.themes)}
    except ContentError as error:
        problems = error.problems
    if paths:
        wanted = [path.resolve() for path in paths]
        problems = [p for p in problems if any(_within(Path(p.path).resolve(), w) for w in wanted)]
    if as_json:
        echo_json({"ok": not problems, "problems": [p.as_dict() for p in problems], **counts})
    elif problems:
        raise ContentError(problems)
    elif not quiet:
        what = (
            f"{len(paths)} path{'s' * (len(paths) != 1)}"
            if paths
            else (f"{counts['threads']} threads, {counts['replies']} replies and {counts['themes']} themes")
        )
        click.echo(f"Checked {what}: no problem.")
    if problems:
        raise SystemExit(1)


def _within(path: Path, wanted: Path) -> bool:
    return path == wanted or wanted in path.parents
