"""The README documents every command and every front-matter field; CI runs the README's test command."""

from __future__ import annotations

import dataclasses
import re

import pytest
from click.testing import CliRunner

from entraide.cli import main
from entraide.model import ReplyFields, ThemeFields, ThreadFields
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_is_documented_with_an_example(command):
    assert f"entraide {command}" in README
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and f"entraide {command}" in result.output


@pytest.mark.parametrize("name", sorted({f.name for cls in (ThreadFields, ReplyFields) for f in dataclasses.fields(cls)}))
def test_every_post_field_is_in_the_readme_table(name):
    assert re.search(rf"^\| `{name}` \|", README, re.M)


def test_every_theme_field_appears_in_the_readme_example():
    for field in dataclasses.fields(ThemeFields):
        assert f"{field.name}:" in README


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    test_command = commands[1]
    assert "pytest" in test_command
    assert test_command in (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
