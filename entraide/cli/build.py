"""``entraide build``: build the site atomically and print a one-line summary."""

from __future__ import annotations

from pathlib import Path

import click

from entraide.cli.options import (
    config_option,
    echo_json,
    json_option,
    progress_bar,
    project,
    quiet_option,
    writes_project,
)


@click.command()
@config_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to put the site (default: site_dir of mkdocs.yml).",
)
@click.option("-s", "--strict", is_flag=True, help="Fail on any MkDocs warning.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes that render pages (default: every core on a site of 400 pages or more, else 1).",
)
@quiet_option
@json_option
@writes_project
def build(
    config_file: Path, site_dir: Path | None, strict: bool, jobs: int | None, quiet: bool, as_json: bool
) -> None:
    """Build the site into a fresh folder and swap it in only when the build succeeded.

    A failed build lists what went wrong and leaves the previous site untouched.

    \b
    Example:
      entraide build
      entraide build --site-dir /tmp/preview --json
      entraide build --jobs 1
    """
    from builder.sitebuild import build_site
    from entraide.cli import exit_quickly

    project(config_file)  # finishes a moderation operation a crash interrupted, before reading content
    bar = progress_bar("Building pages", quiet or as_json)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    try:
        result = build_site(config_file, site_dir=site_dir, strict=strict, progress=progress, jobs=jobs)
    finally:
        if bar is not None:
            bar.render_finish()
    exit_quickly()  # the site is published and the summary below is all that is left to do
    if as_json:
        echo_json(result.as_dict())
        return
    if not quiet:
        for warning in result.warnings:
            click.echo(f"WARNING: {warning}", err=True)
        click.echo(result.summary())
