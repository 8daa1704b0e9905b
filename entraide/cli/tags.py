"""``entraide tags list|add|alias|rename``: the tag vocabulary (``content/tags.yml``) and its use."""

from __future__ import annotations

from pathlib import Path

import click

from entraide import tagging
from entraide.cli.decide import editor_option
from entraide.cli.options import config_option, echo_json, json_option, project, writes_project
from entraide.moderation import decisions
from entraide.wording import counted


@click.group()
def tags() -> None:
    """The tag vocabulary, content/tags.yml: list, add, alias, rename (comments kept).

    \b
    Example:
      entraide tags list
      entraide tags add mentorat --alias mentor
      entraide tags alias conflit friction
      entraide tags rename burn-out épuisement --keep-alias
    """


@tags.command("list")
@config_option
@json_option
def list_tags(config_file: Path, as_json: bool) -> None:
    """Each tag with its aliases and how many published threads and pending submissions use it."""
    uses, outside = tagging.usage(project(config_file))
    if as_json:
        echo_json({"tags": [vars(use) | {"aliases": list(use.aliases)} for use in uses], "outside": outside})
        return
    for use in uses:
        aliases = f"  (also {', '.join(use.aliases)})" if use.aliases else ""
        click.echo(f"{use.name:<28} {use.threads:>4} thread{'s' * (use.threads != 1)}"
                   f"{f', {use.submissions} pending' if use.submissions else ''}{aliases}")
    click.echo(f"{counted(len(uses), 'tag')}.")


@tags.command("add")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, metavar="SPELLING", help="Another spelling (repeatable).")
@config_option
@editor_option
@writes_project
def add_tag(name: str, aliases: tuple[str, ...], config_file: Path, editor: str | None) -> None:
    """Add a tag to the vocabulary, in alphabetical place; logged.

    \b
    Example:
      entraide tags add mentorat --alias mentor --alias mentoring
    """
    found = project(config_file)
    click.echo(tagging.add(found, name, aliases, editor=decisions.editor_name(found, editor)))


@tags.command("alias")
@click.argument("name")
@click.argument("spelling")
@config_option
@editor_option
@writes_project
def alias_tag(name: str, spelling: str, config_file: Path, editor: str | None) -> None:
    """Make SPELLING an alias of the tag NAME: accept and curate then write it as NAME; logged.

    \b
    Example:
      entraide tags alias conflit friction
    """
    found = project(config_file)
    click.echo(tagging.alias(found, name, spelling, editor=decisions.editor_name(found, editor)))


@tags.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--keep-alias", is_flag=True, help="Keep OLD as an alias of NEW.")
@config_option
@editor_option
@writes_project
def rename_tag(old: str, new: str, keep_alias: bool, config_file: Path, editor: str | None) -> None:
    """Rename a tag (or merge it into NEW when NEW is a tag already) in content/tags.yml, in every
    published thread and in every pending submission, as one crash-safe, logged operation.

    A tag only submissions use (an import's) can be renamed to a tag of the vocabulary.

    \b
    Example:
      entraide tags rename burn-out épuisement --keep-alias
      entraide tags rename conflict conflit
    """
    found = project(config_file)
    click.echo(tagging.rename(found, old, new, editor=decisions.editor_name(found, editor), keep_alias=keep_alias))
