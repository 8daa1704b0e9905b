"""Options and helpers shared by several commands."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from entraide.project import Project

F = TypeVar("F", bound=Callable[..., Any])


def config_option(function: F) -> F:
    return click.option(
        "-f",
        "--config-file",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("mkdocs.yml"),
        show_default=True,
        help="The site's MkDocs configuration; paths in it are relative to it.",
    )(function)


def format_option(function: F) -> F:
    """``--format text|github``: problems as compilers print them, or as GitHub annotations."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "github"]),
        default="text",
        show_default=True,
        help="github: print GitHub Actions annotations, shown on the pull request's diff.",
    )(function)


def quiet_option(function: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="Print only problems: no progress, no summary.")(function)


JSON_WANTED = "entraide.json"
"""``ctx.meta`` key set by ``--json``: the group then prints a refusal as JSON too (``errors.as_json``)."""


def _remember_json(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[JSON_WANTED] = True
    return value


def json_option(function: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, callback=_remember_json, help="Print the result as JSON on stdout."
    )(function)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def progress_bar(label: str, quiet: bool) -> Any:
    """A click progress bar on an interactive terminal; ``None`` otherwise (CI logs stay clean)."""
    if quiet or not sys.stderr.isatty():
        return None
    return click.progressbar(length=1, label=label, file=sys.stderr, show_pos=True)


def project(config_file: Path, *, report_planted: bool = False) -> Project:
    """The project described by ``config_file``, with any interrupted moderation finished first.

    A journal at the old place in the checkout stops every command before it reads or writes,
    except ``check`` (``report_planted``), which lists it among the problems it reports. Finishing an
    interrupted decision writes ``content/`` and ``moderation/``: that happens under the project's
    lock, even for commands that otherwise only read.
    """
    from entraide.locking import project_lock
    from entraide.moderation.journal import recover, refuse_legacy

    found = Project.from_config(config_file)
    if not report_planted:
        refuse_legacy(found)
    if found.journal_file.exists():
        with project_lock(found.root):
            recover(found)
    return found


def writes_project(function: F) -> F:
    """Run the command under the project's lock (``entraide.locking``): it writes the index, the site,
    the content or the moderation log, which no two commands may do at once.

    The command reads everything it decides from only once it holds the lock, so the second of two
    identical commands sees the first one's result (an accepted submission is no longer pending)."""

    @functools.wraps(function)
    def locked(*args: Any, **kwargs: Any) -> Any:
        from entraide.locking import project_lock

        config_file = kwargs.get("config_file")
        if not isinstance(config_file, Path) or not config_file.is_file():
            return function(*args, **kwargs)  # the command reports the missing configuration itself
        with project_lock(config_file.resolve().parent):
            return function(*args, **kwargs)

    return locked  # type: ignore[return-value]
