"""Every example command of the README and of each command's --help runs against the example content.

The examples are parsed out of the README's ``sh`` blocks and the ``Example:`` sections of --help, so
a new example is tested without anyone listing it here. Each runs in its own copy of the example project.
Commands that need what the example content does not hold (a server, an export file, git commits, a
pending submission, a terminal) are named in ``NEEDS`` with the reason; every other command's examples run.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from entraide.cli import main
from tests.conftest import REPO, cli_in, example_project

NEEDS = {
    "serve": "a long-running server",
    "intake": "a long-running server",
    "import": "an export file from another forum",
    "check-pr": "two git commits",
    "new": "a terminal or a post's text on stdin",
    "accept": "a pending submission",
    "reject": "a pending submission",
    "redact": "a pending submission",
    "show": "a pending submission",
    "review": "a pending submission to review (with --release, a quarantined one)",
}
EXAMPLE_NEEDS = {
    "tags rename embauche recrutement": "a submission using a tag outside the vocabulary",
    shlex.join(["tags", "twin", "conflit", "conflict", "--lang", "en"]): "twins not grouped yet (the example's are)",
    shlex.join(["tags", "twin", "télétravail", "remote-work", "--lang", "en", "--label", "remote work"]):
        "twins not grouped yet (the example's are)",
    "check drafts/2025-11-20-conflit-dans-mon-equipe.md": "a draft kept by entraide new",
}
"""Single examples that need what the example content does not hold, by their command line."""


def _commands(text: str) -> list[str]:
    """``entraide …`` command lines of ``text``: continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line.startswith("entraide "):
            found.append(shlex.split(line, comments=True))
    return found


def _examples() -> list[tuple[str, list[str]]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    examples = [("README", args) for block in re.findall(r"```sh\n(.*?)```", readme, re.S) for args in _commands(block)]
    for name, command in sorted(main.commands.items()):
        subcommands = getattr(command, "commands", {})
        for sub in [None, *sorted(subcommands)]:
            words = [name] + ([sub] if sub else [])
            help_text = CliRunner().invoke(main, [*words, "--help"], terminal_width=200).output
            section = help_text.split("Example:", 1)[1] if "Example:" in help_text else ""
            examples += [(f"{' '.join(words)} --help", args) for args in _commands(section)]
    unique = {(where, tuple(args)): args for where, args in examples}
    return [(where, args) for (where, _), args in unique.items()]


EXAMPLES = _examples()
RUNNABLE = [(where, args) for where, args in EXAMPLES
            if args[1] not in NEEDS and shlex.join(args[1:]) not in EXAMPLE_NEEDS]


def test_every_example_left_out_still_exists():
    assert set(EXAMPLE_NEEDS) <= {shlex.join(args[1:]) for _where, args in EXAMPLES}


def test_the_examples_are_found():
    assert len(RUNNABLE) >= 25
    assert {args[1] for _where, args in EXAMPLES} - set(NEEDS) >= {"search", "curate", "withdraw", "themes", "tags"}


@pytest.mark.parametrize(("where", "args"), RUNNABLE, ids=[f"{w}: {shlex.join(a[1:])}" for w, a in RUNNABLE])
def test_every_example_runs_on_the_example_content(tmp_path: Path, where: str, args: list[str]):
    project = example_project(tmp_path / "example", build=False)
    (project / "takeaways.md").write_text("- Voir chacun séparément.\n- Écrire ce qui est décidé.\n", encoding="utf-8")
    rest = args[1:]
    if "mentorat" in rest and rest[:3] != ["themes", "add", "mentorat"] and rest[0] != "tags":
        assert cli_in(project, "themes", "add", "mentorat", "--title-fr", "Mentorat", "--title-en", "Mentoring",
                      "--editor", "Ed").exit_code == 0
    if rest[0] == "search":
        assert cli_in(project, "index").exit_code == 0
    if rest[0] in ("curate", "withdraw", "themes", "tags") and "--editor" not in rest and "list" not in rest:
        rest = [*rest, "--editor", "Ed"]
    result = cli_in(project, *rest)
    assert result.exit_code == 0, f"{where}: {shlex.join(args)}\n{result.output}"
