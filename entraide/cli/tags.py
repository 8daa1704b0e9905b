"""``entraide tags list|add|alias|rename``: the tag vocabulary (``content/tags.yml``) and its use."""

from __future__ import annotations

from pathlib import Path

import click

from entraide import tagging
from entraide.cli.decide import editor_option
from entraide.cli.options import config_option, echo_json, json_option, project, writes_project
from entraide.model import LANGUAGES
from entraide.moderation import decisions
from entraide.wording import counted

LANGUAGE = click.Choice(LANGUAGES)


@click.group()
def tags() -> None:
    """The tag vocabulary, content/tags.yml: list, add, alias, label, twin, rename (comments kept).

    \b
    Example:
      entraide tags list
      entraide tags add mentorat --alias mentor --label en=mentoring
      entraide tags alias conflit friction
      entraide tags label conflit --lang en conflict
      entraide tags twin conflit conflict --lang en
      entraide tags rename burn-out épuisement --keep-alias
    """


@tags.command("list")
@config_option
@json_option
def list_tags(config_file: Path, as_json: bool) -> None:
    """Each tag with its labels, its aliases and how many published threads and pending submissions
    use it. A language without a label shows the tag's name.

    \b
    Example:
      entraide tags list
      entraide tags list --json
    """
    uses, outside = tagging.usage(project(config_file))
    if as_json:
        echo_json({"tags": [vars(use) | {"aliases": list(use.aliases)} for use in uses], "outside": outside})
        return
    for use in uses:
        labels = "  " + " · ".join(f"{lang}: {text}" for lang, text in use.labels.items()) if use.labels else ""
        aliases = f"  (also {', '.join(use.aliases)})" if use.aliases else ""
        counts = (f"{use.threads:>4} thread{'s' * (use.threads != 1)}"
                  f"{f', {use.submissions} pending' if use.submissions else ''}")
        click.echo(f"{use.name:<28} {counts:<22}{labels}{aliases}".rstrip())
    click.echo(f"{counted(len(uses), 'tag')}.")


def _labels(values: tuple[str, ...]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value in values:
        lang, sep, text = value.partition("=")
        if not sep or lang not in LANGUAGES or not text.strip():
            raise click.BadParameter(f"expected LANG=TEXT with LANG one of {', '.join(LANGUAGES)}, such as "
                                     f"en=mentoring; found '{value}'", param_hint="--label")
        if lang in labels:
            raise click.BadParameter(f"the {lang} label is given twice", param_hint="--label")
        labels[lang] = text.strip()
    return labels


@tags.command("add")
@click.argument("name")
@click.option("--alias", "aliases", multiple=True, metavar="SPELLING", help="Another spelling (repeatable).")
@click.option("--label", "labels", multiple=True, metavar="LANG=TEXT",
              help="What readers of the LANG interface see (repeatable; default: the name).")
@config_option
@editor_option
@writes_project
def add_tag(name: str, aliases: tuple[str, ...], labels: tuple[str, ...], config_file: Path,
            editor: str | None) -> None:
    """Add a tag to the vocabulary, in alphabetical place; logged.

    \b
    Example:
      entraide tags add mentorat --alias mentor --alias mentoring
      entraide tags add mentorat --label fr=mentorat --label en=mentoring
    """
    found = project(config_file)
    chosen = _labels(labels)
    click.echo(tagging.add(found, name, aliases, editor=decisions.editor_name(found, editor), labels=chosen))


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


@tags.command("label")
@click.argument("name")
@click.argument("label", required=False)
@click.option("--lang", type=LANGUAGE, required=True, help="The interface language the label is for.")
@click.option("--remove", is_flag=True, help="Remove the label: that interface shows the tag's name.")
@config_option
@editor_option
@writes_project
def label_tag(name: str, label: str | None, lang: str, remove: bool, config_file: Path, editor: str | None) -> None:
    """Show the tag NAME as LABEL to readers of the LANG interface: on thread, listing and tag pages,
    the tags index and the search page. The tag's address and what posts write stay NAME; logged.

    \b
    Example:
      entraide tags label conflit --lang en conflict
      entraide tags label course-à-pied --lang fr "course à pied"
      entraide tags label conflit --lang en --remove
    """
    if remove == (label is not None):
        raise click.UsageError("give a LABEL, or --remove to show the tag's name")
    found = project(config_file)
    click.echo(tagging.label(found, name, lang, label, editor=decisions.editor_name(found, editor)))


@tags.command("twin")
@click.argument("name")
@click.argument("twin")
@click.option("--lang", type=LANGUAGE, required=True, help="The language TWIN is the word of.")
@click.option("--label", metavar="TEXT", help="NAME's label in LANG (default: TWIN's label there, or TWIN).")
@config_option
@editor_option
@writes_project
def twin_tag(name: str, twin: str, lang: str, label: str | None, config_file: Path, editor: str | None) -> None:
    """Group TWIN, the LANG word for the tag NAME, into NAME: one tag and one page, shown in LANG as
    TWIN (or --label). Every published thread and pending submission tagged TWIN is retagged NAME,
    and TWIN stays an alias, so accept and curate write it as NAME. One crash-safe, logged operation.

    NAME's address stays; TWIN's page goes (its threads are on NAME's). A label NAME already has in
    LANG is kept unless --label is given.

    \b
    Example:
      entraide tags twin conflit conflict --lang en
      entraide tags twin télétravail remote-work --lang en --label "remote work"
    """
    found = project(config_file)
    click.echo(tagging.twin(found, name, twin, lang, editor=decisions.editor_name(found, editor), text=label))


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
      entraide tags rename réorganisation changement
    """
    found = project(config_file)
    click.echo(tagging.rename(found, old, new, editor=decisions.editor_name(found, editor), keep_alias=keep_alias))
