"""``entraide serve``: preview the site, rebuilt and reloaded whenever content/ or templates/ change."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from entraide.cli.options import config_option
from entraide.errors import EntraideError


@click.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP:PORT to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config_file: Path, dev_addr: str, open_browser: bool) -> None:
    """Serve a live preview: every change to a post or a template rebuilds and reloads the page.

    A content problem is printed with its file and line; the preview keeps the last good build.

    \b
    Example:
      entraide serve --dev-addr 127.0.0.1:8080
    """
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise EntraideError(f"{config_file}: no such MkDocs configuration file (use -f to name one)")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        mkdocs_serve.serve(
            config_file=str(config_file), dev_addr=dev_addr, open_in_browser=open_browser, livereload=True
        )
    except MkDocsException as error:
        raise EntraideError(error.format_message()) from None
    finally:
        logger.removeHandler(handler)
