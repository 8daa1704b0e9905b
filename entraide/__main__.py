"""`python -m entraide`: the same as the `entraide` command."""

from entraide.cli import run

run()
