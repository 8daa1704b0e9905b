"""``entraide import FORMAT PATH``: existing discussions in, as submissions for moderation."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.options import config_option, echo_json, json_option, project, quiet_option, writes_project
from entraide.importing import formats, identity
from entraide.model import LANGUAGES
from entraide.wording import counted

PUBLIC_FORMATS = ("stackexchange", "discourse")


@click.command("import")
@click.argument("format_name", metavar="FORMAT", type=click.Choice(formats.FORMATS))
@click.argument("path", type=click.Path(path_type=Path))
@config_option
@click.option(
    "--basis",
    required=True,
    help='Why these posts may be published, recorded on each: "licence CC BY-SA de la source", '
    '"accord des membres, charte du 2025-03-01".',
)
@click.option(
    "--theme",
    required=True,
    type=identifiers.THEME_SLUG,
    help="The theme proposed for every imported thread (editors may change it).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default="fr", show_default=True, help="The posts' language.")
@click.option("--license", "license_", help="Licence (SPDX id) of posts whose export does not say theirs.")
@click.option("--source-url", help="The source's address (a Discourse forum's, a Slack workspace's…).")
@click.option("--site-name", help="The source's name shown in attributions (default: from the export).")
@click.option("--map", "map_option", help="csv: columns, e.g. 'title=Question,body=Contexte+Détails,author=Nom'.")
@click.option("--mapping", "mapping_file", type=click.Path(path_type=Path), help="csv: the mapping as a YAML file.")
@click.option(
    "--map-tags", "tag_map_file", type=click.Path(path_type=Path),
    help="A YAML file from the source's tags to tags (one, a list, or [] to drop): 'interviewing: recrutement'.",
)
@click.option("--add-tags", help="Tags given to every imported thread, comma-separated, e.g. 'import,workplace'.")
@click.option("--pseudonyms", "choice", flag_value=identity.PSEUDONYMS, help="A stable pseudonym per person.")
@click.option("--keep-names", "choice", flag_value=identity.NAMES, help="The names the source shows.")
@click.option(
    "--anonymous", "choice", flag_value=identity.ANONYMOUS, help="No name at all (internal sources' default)."
)
@quiet_option
@json_option
@writes_project
def import_command(
    format_name: str,
    path: Path,
    config_file: Path,
    basis: str,
    theme: str,
    lang: str,
    license_: str | None,
    source_url: str | None,
    site_name: str | None,
    map_option: str | None,
    mapping_file: Path | None,
    tag_map_file: Path | None,
    add_tags: str | None,
    choice: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Import an export's discussions as submissions: nothing is published before an editor accepts it.

    Threads become new-thread submissions, their replies reply submissions naming them. Running the
    same import again skips what is already pending, published or rejected. Public sources
    (stackexchange, discourse) keep the source's names; internal ones (slack, yammer, csv) are
    anonymous unless --pseudonyms or --keep-names is given.

    \b
    Example:
      entraide import stackexchange dump/workplace.stackexchange.com --theme carriere --lang en \\
          --basis "licence CC BY-SA de la source"
      entraide import slack export.zip --theme equipe --pseudonyms --basis "accord des membres, charte du 2025-03-01"
      entraide import discourse topics/ --theme conflits --map-tags tag-map.yml --add-tags import
    """
    from entraide.importing.forms import parse_mapping
    from entraide.importing.tagmap import tag_map
    from entraide.loading.loader import load_content

    if not basis.strip():
        raise click.UsageError("--basis must say why these posts may be published")
    found = project(config_file)
    tree = load_content(found.content_dir, base=found.root)
    mapping = parse_mapping(map_option, mapping_file) if format_name == "csv" else None
    tags = tag_map(tag_map_file, add_tags)
    export = formats.read(format_name, formats.Request(path, source_url, site_name, mapping))
    chosen = choice or (identity.NAMES if format_name in PUBLIC_FORMATS else identity.ANONYMOUS)
    from entraide.importing.writer import Settings, write  # the converter loads only for an import

    settings = Settings(theme=theme, lang=lang, basis=basis.strip(), identity=chosen, license=license_, tags=tags)
    total = (len(export.threads) + sum(len(t.replies) for t in export.threads)
             + sum(len(r.replies) for r in export.loose_replies))
    show_bar = not quiet and not as_json and sys.stderr.isatty()
    with click.progressbar(length=total, label="Importing", file=sys.stderr, show_pos=True, hidden=not show_bar) as bar:
        outcome = write(found, tree, export, settings, progress=bar.update)
    skipped = sum(outcome.skipped.values())
    if as_json:
        echo_json(
            {
                "ok": True,
                "format": format_name,
                "site": export.site,
                "identity": chosen,
                "threads": outcome.threads,
                "replies": outcome.replies,
                "written": outcome.written,
                "skipped": {reason.many: count for reason, count in sorted(outcome.skipped.items())},
            }
        )
        return
    if quiet:
        return
    details = "; ".join(reason(count) for reason, count in sorted(outcome.skipped.items()))
    click.echo(
        f"Imported {counted(outcome.threads, 'thread')} and {counted(outcome.replies, 'reply')} from {export.site} "
        f"into {found.show(found.submissions_dir)}/ as submissions ({chosen}); skipped {skipped}"
        + (f" ({details})" if details else "")
        + "."
    )
