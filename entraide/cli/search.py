"""``entraide search`` and ``entraide index``: the editors' side of the search index."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from entraide import identifiers
from entraide.cli.options import (
    config_option,
    echo_json,
    json_option,
    progress_bar,
    project,
    quiet_option,
    writes_project,
)
from entraide.errors import EntraideError
from entraide.loading.loader import known_names
from entraide.model import LANGUAGES
from entraide.suggestions import hint
from entraide.tagging import suggest
from entraide.wording import counted


def _check_filters(content_dir: Path, theme: str | None, tags: tuple[str, ...]) -> tuple[str, ...]:
    """Refuse a --theme or --tag the content does not know: a typo must not read as "0 threads found".
    The tags to filter by: an alias (a twin's word, another spelling) is its tag, as threads write it."""
    names = known_names(content_dir)
    if names is None:
        return tags
    themes, vocabulary = names
    problems = []
    canonical: list[str] = []
    if theme is not None and theme not in themes:
        problems.append(f"--theme: unknown theme '{theme}'{hint(theme, themes)} (themes: {', '.join(themes)})")
    for tag in (part.strip() for value in tags for part in value.split(",")):
        if tag and vocabulary.canonical(tag) is None:
            close = suggest(tag, vocabulary)
            problems.append(f"--tag: unknown tag '{tag}'{f'; did you mean {close!r}?' if close else ''} "
                            "(`entraide tags` lists them)")
        elif tag:
            canonical.append(vocabulary.canonical(tag) or tag)
    if problems:
        raise EntraideError("\n".join(problems))
    return tuple(dict.fromkeys(canonical))


@click.command(name="search")
@click.argument("query", nargs=-1, required=True)
@click.option("--theme", type=identifiers.THEME_SLUG, help="Only threads of this theme (its slug).")
@click.option(
    "--tag", "tags", type=identifiers.TAGS, multiple=True,
    help="Only threads with this tag (repeat for several).",
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="Only threads in this language.")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=10, show_default=True, help="How many results.")
@config_option
@json_option
def search_command(
    query: tuple[str, ...], theme: str | None, tags: tuple[str, ...], lang: str | None, limit: int,
    config_file: Path, as_json: bool,
) -> None:
    """Search published threads, best first, with the matching words highlighted.

    Below the results, the threads found are counted by theme, language and tag (facets), to narrow
    the search with --theme, --lang or --tag.

    \b
    Syntax (the site's search box understands the same):
      conflit équipe             both words (accents and plurals do not matter)
      conflit OR tension         either word
      conflit NOT télétravail    exclude a word (also: -télétravail)
      "entretien annuel"         a phrase
      manag*                     a prefix, 3 letters at least
      title:conflit              in titles only (also title:"a phrase", title:(a OR b))
    \b
    Example:
      entraide search "equipe teletravail"
      entraide search feedback --lang en --limit 5 --json
    """
    from search.index import SearchIndex
    from search.searching import search, wider_query

    found = project(config_file)
    tags = _check_filters(found.content_dir, theme, tags)
    index = SearchIndex(found.search_dir / "index")
    highlight = "none" if as_json else ("terminal" if sys.stdout.isatty() else "plain")
    results = search(index, " ".join(query), theme=theme, tags=tags, lang=lang, limit=limit, highlight=highlight,
                     facets=True)
    if as_json:
        echo_json({"query": results.query, "total": results.total, "partial": results.partial,
                   "corrections": [{"typed": typed, "searched": better} for typed, better in results.corrections],
                   "elsewhere": results.elsewhere,
                   "hits": [hit.as_json() for hit in results.hits], "facets": results.facets})
        return
    for typed, better in results.corrections:
        click.echo(f"No thread holds '{typed}': searched for '{better}' instead")
    partial_shown = False
    for hit in results.hits:
        if hit.partial and not partial_shown:
            click.echo("Partial matches (some of the words):")
            partial_shown = True
        where = f"[{hit.theme}, {hit.lang}, {hit.date:%Y-%m-%d}]"
        click.echo(f"{hit.rank:>2}. {hit.title}  {where}  score {hit.score:.2f}")
        click.echo(f"    /{hit.slug}/")
        if hit.snippet:
            click.echo(f"    {hit.snippet}")
    if results.total:
        for name, label in (("theme", "themes"), ("lang", "languages"), ("tags", "tags")):
            click.echo(f"  {label}: {_facet_line(results.facets[name])}")
    shown = f"{len(results.hits)} shown" if results.total > len(results.hits) else ""
    timing = f" ({results.seconds * 1000:.0f} ms)"
    partial = f", {results.partial} with some of the words" if results.partial else ""
    click.echo(f"{counted(results.total, 'thread')} found" + partial + (f", {shown}" if shown else "") + timing)
    if results.elsewhere:
        click.echo(f"{results.elsewhere} found without the --theme/--tag filters")
    if not results.total and not results.partial:
        wider = wider_query(index, " ".join(query), theme=theme, tags=tags, lang=lang)
        if wider:
            filters = "".join(f" --{name} {value}" for name, value in (("theme", theme), ("lang", lang)) if value)
            filters += "".join(f" --tag {tag}" for tag in tags)
            click.echo(f'No thread holds all these words; for any of them: entraide search "{wider}"{filters}')


def _facet_line(counts: dict[str, int], most: int = 8) -> str:
    """``conflits 4 · feedback 2 · …`` (the ``most`` largest, then how many values were left out)."""
    shown = " · ".join(f"{value} {count}" for value, count in list(counts.items())[:most])
    rest = len(counts) - most
    return (shown + (f" · and {rest} more" if rest > 0 else "")) if counts else "none"


@click.command(name="index")
@click.option("--rebuild", is_flag=True, help="Re-index every thread instead of only the changed ones.")
@config_option
@quiet_option
@json_option
@writes_project
def index_command(rebuild: bool, config_file: Path, quiet: bool, as_json: bool) -> None:
    """Bring the search index and its static export up to date with content/.

    Only new, changed and removed threads are re-indexed (each thread's content is hashed).
    `entraide build` does this too; use this command to search from the CLI without building.

    \b
    Example:
      entraide index
      entraide index --rebuild --json
    """
    from entraide.loading.loader import load_content
    from search.service import refresh

    proj = project(config_file)
    tree = load_content(proj.content_dir)
    bar = progress_bar("Indexing", quiet or as_json)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.length = total
            bar.update(done - bar.pos)

    try:
        refreshed = refresh(proj.search_dir, tree, rebuild=rebuild, progress=progress)
    finally:
        if bar is not None:
            bar.render_finish()
    report, exported = refreshed.update, refreshed.export
    if as_json:
        echo_json({**report.as_dict(), "export": exported.summary(), "export_seconds": round(exported.seconds, 3)})
    elif not quiet:
        seconds = report.seconds + exported.seconds
        click.echo(f"Search index: {report.summary()}; export {exported.summary()} ({seconds:.2f} s)")
