"""The ``entraide`` command: a thin layer over the library, one module per verb.

Every error a user can cause is an ``EntraideError`` (a ``click.ClickException``): click prints its
message and exits with status 1, so no traceback ever reaches a user. The group itself is a backstop:
an error no command foresaw still ends as one line and status 1 (``ENTRAIDE_TRACEBACK=1`` shows it whole).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from entraide import __version__
from entraide.cli.build import build
from entraide.cli.check import check
from entraide.cli.checkpr import check_pr
from entraide.cli.curate import curate, themes
from entraide.cli.decide import accept, reject, withdraw
from entraide.cli.importing import import_command
from entraide.cli.intake import intake
from entraide.cli.new import new
from entraide.cli.redact import redact
from entraide.cli.review import review, show
from entraide.cli.search import index_command, search_command
from entraide.cli.serve import serve
from entraide.cli.stats import stats
from entraide.cli.tags import tags


class EntraideGroup(click.Group):
    """The ``entraide`` group: turns an unforeseen exception into one clean line and status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from entraide.errors import EntraideError, error_json

        try:
            return self._invoke(ctx)
        except EntraideError as error:
            from entraide.cli.options import JSON_WANTED, echo_json

            if not ctx.meta.get(JSON_WANTED):
                raise
            echo_json(error_json(error))  # a script that asked for JSON gets JSON, whatever happened
            ctx.exit(1)

    def _invoke(self, ctx: click.Context) -> Any:
        from entraide.errors import EntraideError, shown

        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except Exception as error:
            if os.environ.get("ENTRAIDE_TRACEBACK"):
                raise
            if isinstance(error, OSError) and error.strerror:
                where = f"{shown(error.filename, 200)}: " if error.filename else ""
                raise EntraideError(f"{where}{error.strerror}") from None
            raise EntraideError(
                f"unexpected error ({type(error).__name__}: {shown(error, 200)}); "
                "set ENTRAIDE_TRACEBACK=1 to see where, and please report it"
            ) from None


@click.group(cls=EntraideGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="entraide")
def main() -> None:
    """Moderated discussions between managers, published as a static, searchable site.

    \b
    Contributors:
      entraide new        write a submission (prompts, or flags for scripts)
      entraide check      validate content/ and submissions/, every problem with file and line
      entraide check-pr   check a pull request with the base branch's code (CI: --base SHA --head SHA)
      entraide intake     serve the submission form (for contributors without git)
    Editors:
      entraide review     the moderation queue;  entraide show ID: one submission
      entraide accept ID… (or --all) / reject ID… --reason / redact ID / withdraw SLUG --reason
      entraide tags       list, add, alias, rename the tags of content/tags.yml
      entraide themes     list, add, edit, move, remove themes;  entraide curate SLUG: takeaways, best reply…
      entraide stats      threads per theme, unanswered threads, queue, tags, contributors
      entraide import     bring an export in (Stack Exchange, Discourse, Slack, Viva Engage, CSV) as submissions
    Site:
      entraide build      build site/ atomically;  entraide serve: live preview
      entraide search     search published threads;  entraide index: refresh the index
    """


_exit_quickly = False


def exit_quickly() -> None:
    """Let this process end without freeing what it holds object by object (``run``). A large build keeps
    millions of objects until it ends: freeing them one by one at exit took 2.3 s of a 10,000-thread
    rebuild, after its work was done and written."""
    global _exit_quickly
    _exit_quickly = True


def run() -> None:
    """The ``entraide`` program (and ``python -m entraide``): ``main``, then an exit that skips the
    interpreter's teardown when the command asked for it (its files are written and closed, its
    output is flushed here). Tests call ``main`` itself, which never ends the process."""
    try:
        main()
    except SystemExit as exit:
        if not _exit_quickly:
            raise
        code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        if not isinstance(exit.code, (int, type(None))):
            print(exit.code, file=sys.stderr)
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


COMMANDS = (
    new, check, check_pr, review, show, accept, reject, redact, withdraw, themes, curate, build, serve, search_command,
    index_command, stats, intake, tags, import_command,
)
for command in COMMANDS:
    main.add_command(command)
