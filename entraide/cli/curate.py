"""``entraide themes`` and ``entraide curate``: the editors' side of the knowledge base."""

from __future__ import annotations

from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.confirming import confirmed, diff_lines, show_diff
from entraide.cli.decide import editor_option
from entraide.cli.options import config_option, echo_json, json_option, project, writes_project
from entraide.errors import EntraideError


def _editor(found, editor: str | None) -> str:  # type: ignore[no-untyped-def]
    from entraide.moderation.decisions import editor_name

    return editor_name(found, editor)


def _texts_options(function):  # type: ignore[no-untyped-def]
    for lang, name in (("en", "English"), ("fr", "French")):
        function = click.option(f"--description-{lang}", help=f"Description in {name}.")(function)
        function = click.option(f"--title-{lang}", help=f"Title in {name}.")(function)
    return function


@click.group()
def themes() -> None:
    """List and edit the themes in content/themes.yml (comments and order are kept).

    \b
    Example:
      entraide themes list
      entraide themes add mentorat --title-fr "Mentorat" --title-en "Mentoring" --after carriere
      entraide themes edit mentorat --description-fr "Trouver un mentor, en devenir un."
      entraide themes move mentorat --position 2
      entraide themes remove mentorat
    """


@themes.command(name="list")
@config_option
@json_option
def list_themes(config_file: Path, as_json: bool) -> None:
    """The themes in site order, with their number of threads and featured threads.

    \b
    Example:
      entraide themes list --json
    """
    from entraide.loading.loader import load_content

    found = project(config_file)
    tree = load_content(found.content_dir, base=found.root)
    rows = [
        {
            "slug": theme.slug,
            "title": theme.fields.title,
            "threads": len(tree.threads_in(theme.slug)),
            "featured": list(theme.fields.featured),
        }
        for theme in tree.themes
    ]
    if as_json:
        echo_json(rows)
        return
    width = max(len(row["slug"]) for row in rows)  # type: ignore[arg-type]
    for position, row in enumerate(rows, 1):
        title = " / ".join(row["title"].values())  # type: ignore[attr-defined]
        featured = f"  featured: {', '.join(row['featured'])}" if row["featured"] else ""  # type: ignore[arg-type]
        click.echo(f"{position:>2}. {row['slug']:<{width}}  {row['threads']:>4} threads  {title}{featured}")


@themes.command(name="add")
@click.argument("slug", type=identifiers.THEME_SLUG)
@_texts_options
@click.option("--after", metavar="SLUG", type=identifiers.THEME_SLUG, help="Put it after this theme (default: last).")
@editor_option
@config_option
@writes_project
def add(slug: str, title_fr: str | None, title_en: str | None, description_fr: str | None,
        description_en: str | None, after: str | None, editor: str | None, config_file: Path) -> None:
    """Add a theme, with its titles (and descriptions) in French and English.

    \b
    Example:
      entraide themes add mentorat --title-fr "Mentorat" --title-en "Mentoring" --after carriere
    """
    from entraide.curation import add_theme

    found = project(config_file)
    click.echo(add_theme(found, slug, {"fr": title_fr, "en": title_en},
                         {"fr": description_fr, "en": description_en}, after=after, editor=_editor(found, editor)))


@themes.command(name="edit")
@click.argument("slug", type=identifiers.THEME_SLUG)
@_texts_options
@editor_option
@config_option
@writes_project
def edit(slug: str, title_fr: str | None, title_en: str | None, description_fr: str | None,
         description_en: str | None, editor: str | None, config_file: Path) -> None:
    """Change a theme's titles or descriptions (the options given; the others are kept).

    \b
    Example:
      entraide themes edit mentorat --description-fr "Trouver un mentor, en devenir un."
    """
    from entraide.curation import edit_theme

    found = project(config_file)
    click.echo(edit_theme(found, slug, {"fr": title_fr, "en": title_en}, {"fr": description_fr, "en": description_en},
                          editor=_editor(found, editor)))


@themes.command(name="move")
@click.argument("slug", type=identifiers.THEME_SLUG)
@click.option("--before", metavar="SLUG", type=identifiers.THEME_SLUG, help="Put it just before this theme.")
@click.option("--after", metavar="SLUG", type=identifiers.THEME_SLUG, help="Put it just after this theme.")
@click.option("--position", type=int, help="Its place in the site's order: 1 for first.")
@editor_option
@config_option
@writes_project
def move(slug: str, before: str | None, after: str | None, position: int | None, editor: str | None,
         config_file: Path) -> None:
    """Change a theme's place in the site's order: give one of --before, --after or --position.

    \b
    Example:
      entraide themes move mentorat --position 2
      entraide themes move mentorat --after carriere
    """
    from entraide.curation import move_theme

    found = project(config_file)
    click.echo(move_theme(found, slug, before=before, after=after, position=position, editor=_editor(found, editor)))


@themes.command(name="remove")
@click.argument("slug", type=identifiers.THEME_SLUG)
@editor_option
@config_option
@writes_project
def remove(slug: str, editor: str | None, config_file: Path) -> None:
    """Remove a theme that no thread uses any more (move its threads first with `entraide curate --theme`).

    \b
    Example:
      entraide themes remove mentorat
    """
    from entraide.curation import remove_theme

    found = project(config_file)
    click.echo(remove_theme(found, slug, editor=_editor(found, editor)))


def _summary_replacement_confirmed(found, slug: str, summary: str, *, yes: bool, as_json: bool) -> bool:  # type: ignore[no-untyped-def]
    """Takeaways an editor wrote are not replaced unseen: the diff is shown and must be confirmed."""
    from entraide.curation import current_summary

    before = current_summary(found, slug)
    after = summary.strip()
    if not before or before == after:
        return True
    diff = diff_lines(before + "\n", after + "\n" if after else "", f"{slug}: summary", f"{slug}: summary (new)")
    if not as_json:
        show_diff(diff)
    return confirmed("Replace these takeaways?" if after else "Remove these takeaways?", yes=yes)


@click.command()
@click.argument("slug", type=identifiers.THREAD_SLUG)
@click.option("--title", help="A better title (the thread keeps its address).")
@click.option("--theme", type=identifiers.THEME_SLUG, help="Move the thread to this theme.")
@click.option("--tags", type=identifiers.TAGS, help="Replace the tags (comma-separated).")
@click.option("--summary", "summary_file", type=click.File("r", encoding="utf-8"),
              help="Takeaways (« À retenir ») from a Markdown file ('-': stdin); an empty file removes them.")
@click.option(
    "--best-reply", metavar="ID", type=identifiers.Identifier(identifiers.REPLY, allow_empty=True),
    help="Mark this reply as the best ('' to unmark).",
)
@click.option("--feature/--unfeature", default=None, help="Put the thread forward in its theme, or stop.")
@click.option(
    "--related", metavar="SLUG", type=identifiers.THREAD_SLUG, multiple=True,
    help="Related thread (repeat); replaces the list.",
)
@click.option("--no-related", is_flag=True, help="Remove the editors' related list (computed ones return).")
@click.option("--yes", is_flag=True, help="Replace existing takeaways without asking (for scripts).")
@editor_option
@config_option
@json_option
@writes_project
def curate(slug: str, title: str | None, theme: str | None, tags: str | None, summary_file,  # type: ignore[no-untyped-def]
           best_reply: str | None,
           feature: bool | None, related: tuple[str, ...], no_related: bool, yes: bool, editor: str | None,
           config_file: Path, as_json: bool) -> None:
    """Curate a published thread: title, theme, tags, takeaways, best reply, featured, related threads.

    \b
    Example:
      entraide curate conflit-entre-deux-collaborateurs --summary takeaways.md --yes --best-reply 2025-03-05-karim
      entraide curate async-standups-do-they-work --theme teletravail --feature
      entraide curate rituels-d-equipe-en-mode-hybride --title "Quels rituels garder en mode hybride ?"
      entraide curate dire-non-a-son-propre-manager --related collaborateur-proche-du-burn-out --tags charge-de-travail
    """
    from entraide.curation import ThreadEdit
    from entraide.curation import curate as curate_thread

    if title is None and theme is None and tags is None and summary_file is None and best_reply is None \
            and feature is None and not related and not no_related:
        raise EntraideError("nothing to curate: give --title, --theme, --tags, --summary, --best-reply, "
                            "--feature/--unfeature, --related or --no-related (see --help)")
    found = project(config_file)
    summary = summary_file.read() if summary_file is not None else None
    if summary is not None and not _summary_replacement_confirmed(found, slug, summary, yes=yes, as_json=as_json):
        click.echo("Not saved.")
        return
    edit = ThreadEdit(
        title=title,
        theme=theme,
        tags=tuple(t.strip() for t in tags.split(",") if t.strip()) if tags is not None else None,
        summary=summary,
        best_reply=best_reply,
        featured=feature,
        related=() if no_related else (tuple(related) if related else None),
    )
    message = curate_thread(found, slug, edit, editor=_editor(found, editor))
    if as_json:
        echo_json({"thread": slug, "message": message})
    else:
        click.echo(message)

