"""``entraide check-pr``: the pull-request check, with this checkout's code on the PR's commit read as data."""

from __future__ import annotations

from pathlib import Path

import click

from entraide.cli.options import config_option, format_option, quiet_option
from entraide.moderation.pullrequest import PullRequestCheck, check_pull_request
from entraide.project import Project
from entraide.wording import counted


@click.command("check-pr")
@click.option("--base", required=True, metavar="REV", help="The branch the pull request goes into (its commit).")
@click.option("--head", required=True, metavar="REV", help="The pull request's commit; fetched, not checked out.")
@config_option
@format_option
@quiet_option
def check_pr(base: str, head: str, config_file: Path, output_format: str, quiet: bool) -> None:
    """Check a pull request: it may only add or change submissions, and they must pass `entraide check`.

    Run it in a checkout of the base branch, with the pull request's commit fetched but not checked
    out: the code and configuration that run are the base's, the pull request's files are only read
    from git. Every path the pull request touches outside submissions/ (code, templates, workflows,
    content/, moderation/, mkdocs.yml…), every link, submodule, executable or special file, and every
    problem of its submissions is listed as FILE:LINE: FIELD: MESSAGE. Exit status: 0 without errors,
    1 otherwise.

    \b
    Example:
      git fetch origin "$HEAD_SHA"
      entraide check-pr --base "$BASE_SHA" --head "$HEAD_SHA" --format github
    """
    found = Project.from_config(config_file)  # read as data: nothing it names is imported
    result = check_pull_request(found, base, head)
    if output_format == "github":
        for problem in result.problems:
            click.echo(problem.github())
    else:
        for problem in result.problems:
            click.echo(str(problem), err=True)
    if not quiet:
        click.echo(_summary(result), err=bool(result.problems) and output_format == "text")
    if result.errors:
        raise SystemExit(1)


def _summary(result: PullRequestCheck) -> str:
    files = _count(result.changed, "file") + " changed"
    if not result.problems:
        return f"Checked the pull request ({files}, {_count(result.submissions, 'submission')}): no problem."
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    parts = [_count(errors, "problem")] + ([_count(warnings, "warning")] if warnings else [])
    paths = len({p.path for p in result.problems})
    return f"{' and '.join(parts)} in {_count(paths, 'file')} of the pull request ({files})."


def _count(number: int, noun: str) -> str:
    return counted(number, noun)
