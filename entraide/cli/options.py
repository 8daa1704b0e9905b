"""Options and helpers shared by several commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from entraide.errors import EntraideError

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


def content_paths(config_file: Path) -> tuple[Path, Path]:
    """The project folder and its content folder, as the entraide plugin in ``config_file`` sees them."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from builder.plugin import EntraidePlugin

    if not config_file.is_file():
        raise EntraideError(f"{config_file}: no such MkDocs configuration file (use -f to name one)")
    try:
        config = load_config(str(config_file))
    except MkDocsException as error:
        raise EntraideError(f"{config_file}: {error.format_message()}") from None
    root = config_file.resolve().parent
    for plugin in config.plugins.values():
        if isinstance(plugin, EntraidePlugin):
            return root, (root / (plugin.config.content_dir or config.docs_dir)).resolve()
    raise EntraideError(f"{config_file}: the entraide plugin is not enabled (plugins: - entraide)")
