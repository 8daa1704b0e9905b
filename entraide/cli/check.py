"""``entraide check``: validate the content tree and the pending submissions, every problem at once."""

from __future__ import annotations

from pathlib import Path

import click

from entraide.cli.options import config_option, echo_json, format_option, json_option, project, quiet_option
from entraide.errors import ContentError, Problem
from entraide.loading.loader import load_content
from entraide.model import ContentTree
from entraide.moderation import checkpaths, journal, submissions
from entraide.wording import counted


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@config_option
@format_option
@quiet_option
@json_option
def check(paths: tuple[Path, ...], config_file: Path, output_format: str, quiet: bool, as_json: bool) -> None:
    """Validate content/ and submissions/: every problem is listed as FILE:LINE: FIELD: MESSAGE.

    Submissions are also checked against the published content (theme, thread replied to, free id)
    and screened: personal data (e-mail addresses, phone numbers…), links other than http(s) and
    mailto, relative links and oversized posts are errors; raw HTML is a warning. With PATHS, only
    problems in those files or folders are reported; a .md file elsewhere (a draft of `entraide new`
    in drafts/) is checked as a submission, and a path that does not exist or holds no post is an error.
    Exit status: 0 without errors (warnings allowed), 1 otherwise.

    \b
    Example:
      entraide check
      entraide check submissions/ --format github
      entraide check drafts/2025-11-20-conflit-dans-mon-equipe.md
    """
    found = project(config_file, report_planted=True)
    problems: list[Problem] = []
    if planted := journal.legacy_problem(found, base=Path.cwd()):
        problems.append(planted)
    tree: ContentTree | None = None
    try:
        tree = load_content(found.content_dir, base=Path.cwd())
    except ContentError as error:
        problems += error.problems
    pending = submissions.check_all(found, tree, base=Path.cwd())
    elsewhere, unchecked = checkpaths.outside_posts(found, paths, tree, base=Path.cwd())
    from search.service import similar_threads  # the search stack loads only when needed
    similar = similar_threads(found.search_dir, submissions.new_thread_texts(pending + elsewhere))
    submissions.flag_duplicates(pending + elsewhere, similar, base=Path.cwd())
    problems += [p for s in pending for p in s.problems]
    if paths:
        wanted = [path.resolve() for path in paths]
        problems = [p for p in problems if any(_within(Path(p.path).resolve(), w) for w in wanted)]
    problems += unchecked + [p for s in elsewhere for p in s.problems]
    problems.sort(key=lambda p: (p.path, p.line))  # stable: the order found within a line is kept
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        echo_json(
            {
                "ok": not errors,
                "problems": [p.as_dict() for p in problems],
                "threads": len(tree.threads) if tree else None,
                "replies": tree.reply_count if tree else None,
                "themes": len(tree.themes) if tree else None,
                "submissions": len(pending),
            }
        )
    elif output_format == "github":
        for problem in problems:
            click.echo(problem.github())
    else:
        for problem in problems:  # on stdout, so that the list can be piped (grep, less); the exit status tells
            click.echo(str(problem))
        if not quiet:
            click.echo(_summary(problems, errors, tree, len(pending), paths))
    if errors:
        raise SystemExit(1)


def _summary(
    problems: list[Problem], errors: list[Problem], tree: ContentTree | None, pending: int, paths: tuple[Path, ...]
) -> str:
    if problems:
        files = len({p.path for p in problems})
        warnings = len(problems) - len(errors)
        parts = [counted(len(errors), "problem")]
        if warnings:
            parts.append(counted(warnings, "warning"))
        return f"{' and '.join(parts)} in {counted(files, 'file')}."
    if paths:
        return f"Checked {counted(len(paths), 'path')}: no problem."
    assert tree is not None
    return (
        f"Checked {counted(len(tree.threads), 'thread')}, {counted(tree.reply_count, 'reply')}, "
        f"{counted(len(tree.themes), 'theme')} and {counted(pending, 'submission')}: no problem."
    )


def _within(path: Path, wanted: Path) -> bool:
    return path == wanted or wanted in path.parents
