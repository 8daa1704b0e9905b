"""``entraide stats``: where the knowledge base stands, for editors."""

from __future__ import annotations

from pathlib import Path

import click

from entraide.cli.options import config_option, echo_json, json_option, project
from entraide.wording import counted


@click.command()
@click.option("-n", "--top", type=click.IntRange(1, 100), default=10, show_default=True, help="Rows of the top lists.")
@config_option
@json_option
def stats(top: int, config_file: Path, as_json: bool) -> None:
    """Threads per theme, threads without a reply, the moderation queue, tags and contributors.

    Anonymous posts never count towards a name.

    \b
    Example:
      entraide stats
      entraide stats --json --top 20
    """
    from entraide.loading.loader import load_content
    from entraide.moderation import submissions
    from entraide.moderation.arrival import age_days, arrivals
    from entraide.stats import anonymous_posts, contributors, tag_counts

    found = project(config_file)
    tree = load_content(found.content_dir, base=found.root)
    pending = submissions.check_all(found, tree)
    arrived = arrivals(found, [s.path for s in pending])
    ages = sorted(age for age in (age_days(arrived.get(s.path)) for s in pending) if age is not None)
    unanswered = [thread for thread in tree.threads if not thread.replies]
    per_theme = [(theme.slug, len(tree.threads_in(theme.slug))) for theme in tree.themes]
    people = contributors(tree)[:top]
    tags = tag_counts(tree)[:top]
    data = {
        "threads": len(tree.threads),
        "replies": tree.reply_count,
        "themes": dict(per_theme),
        "without_reply": [thread.slug for thread in unanswered],
        "queue": {
            "pending": len(pending),
            "oldest_days": ages[-1] if ages else None,
            "median_days": ages[len(ages) // 2] if ages else None,
        },
        "tags": dict(tags),
        "contributors": [person.as_dict() for person in people],
        "anonymous_posts": anonymous_posts(tree),
    }
    if as_json:
        echo_json(data)
        return
    click.echo(f"{_count(len(tree.threads), 'thread')}, {_count(tree.reply_count, 'reply')}, "
               f"{_count(len(tree.themes), 'theme')}")
    click.echo("\nThreads per theme:")
    width = max((len(slug) for slug, _ in per_theme), default=0)
    for slug, count in per_theme:
        click.echo(f"  {slug:<{width}}  {count:>5}")
    click.echo(f"\nWithout a reply: {len(unanswered)}")
    for thread in unanswered[:top]:
        click.echo(f"  {thread.slug}  ({thread.date:%Y-%m-%d})")
    queue = data["queue"]
    if pending:
        click.echo(f"\nModeration queue: {len(pending)} pending, oldest {_count(queue['oldest_days'], 'day')}, "  # type: ignore[index]
                   f"median {_count(queue['median_days'], 'day')}")  # type: ignore[index]
    else:
        click.echo("\nModeration queue: empty")
    click.echo("\nMost used tags:")
    width = max((len(tag) for tag, _ in tags), default=0)
    for tag, count in tags:
        click.echo(f"  {tag:<{width}}  {count:>5}")
    click.echo("\nMost active contributors:")
    width = max((len(person.name) for person in people), default=0)
    for person in people:
        counts = [_count(person.best_replies, "best reply", "best replies"), _count(person.threads, "thread"),
                  _count(person.replies, "reply", "replies")]
        click.echo(f"  {person.name:<{width}}  " + ", ".join(counts))
    click.echo(f"  and {_count(data['anonymous_posts'], 'anonymous post')}, counted for no one")  # type: ignore[arg-type]


def _count(n: int, one: str, many: str | None = None) -> str:
    return counted(n, one, many)
