"""Options and helpers shared by several commands."""

from __future__ import annotations

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


def quiet_option(function: F) -> F:
    return click.option("-q", "--quiet", is_flag=True, help="Print only problems: no progress, no summary.")(function)


def json_option(function: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")(function)


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
    except ``check`` (``report_planted``), which lists it among the problems it reports.
    """
    from entraide.moderation.journal import recover, refuse_legacy

    found = Project.from_config(config_file)
    if not report_planted:
        refuse_legacy(found)
    recover(found)
    return found
