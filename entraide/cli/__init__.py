"""The ``entraide`` command: a thin layer over the library, one module per verb.

Every error a user can cause is an ``EntraideError`` (a ``click.ClickException``): click prints its
message and exits with status 1, so no traceback ever reaches a user.
"""

from __future__ import annotations

import click

from entraide import __version__
from entraide.cli.build import build
from entraide.cli.check import check
from entraide.cli.serve import serve


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="entraide")
def main() -> None:
    """Moderated discussions between managers, published as a static, searchable site.

    \b
    Typical session:
      entraide check      validate content/ (every problem, with file and line)
      entraide build      build the site into site/, atomically
      entraide serve      preview it with live reload
    """


main.add_command(check)
main.add_command(build)
main.add_command(serve)
