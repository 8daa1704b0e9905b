"""Every command, run on every kind of broken tree, ends with a message and a status, never a traceback.

The commands are enumerated from the CLI itself, so a new command is covered (or the test says it is
missing from ``INVOCATIONS``). ``serve`` and ``intake`` are left out: they serve until stopped, and
read the content through the same loaders as ``build`` and ``check``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from entraide.cli import main
from tests.conftest import THREAD, reply, valid_files

SUB = "2025-06-02-hugo"
SUB_TEXT = """\
---
reply_to: conflit-collegues
author: "Hugo L."
anonymous: false
date: {date}
consent: true
---
Parlez-leur séparément.
"""
T = "content/threads/conflit-collegues"

INVOCATIONS: dict[str, list[str]] = {
    "new": ["new", "--no-input", "--lang", "fr", "--title", "Un titre", "--theme", "conflits", "--author", "A",
            "--consent", "--body-file", "BODY", "--id", "2025-06-09-nouveau"],
    "check": ["check"],
    "check-pr": ["check-pr", "--base", "HEAD", "--head", "HEAD"],
    "review": ["review", "--json"],
    "show": ["show", SUB],
    "accept": ["accept", SUB, "--editor", "Ed"],
    "reject": ["reject", SUB, "--reason", "r", "--editor", "Ed"],
    "redact": ["redact", SUB, "--personal-data", "--yes", "--editor", "Ed"],
    "withdraw": ["withdraw", "conflit-collegues", "--reason", "r", "--editor", "Ed"],
    "themes list": ["themes", "list"],
    "themes add": ["themes", "add", "nouveau", "--title-fr", "Nouveau", "--editor", "Ed"],
    "themes edit": ["themes", "edit", "conflits", "--title-fr", "Autre", "--editor", "Ed"],
    "themes move": ["themes", "move", "conflits", "--position", "2", "--editor", "Ed"],
    "themes remove": ["themes", "remove", "running", "--editor", "Ed"],
    "curate": ["curate", "conflit-collegues", "--feature", "--editor", "Ed"],
    "build": ["build", "-q"],
    "search": ["search", "conflit"],
    "index": ["index"],
    "stats": ["stats"],
    "tags list": ["tags", "list"],
    "tags add": ["tags", "add", "nouvelle", "--editor", "Ed"],
    "tags alias": ["tags", "alias", "conflit", "friction", "--editor", "Ed"],
    "tags rename": ["tags", "rename", "conflit", "désaccord", "--editor", "Ed"],
    "tags label": ["tags", "label", "conflit", "--lang", "en", "conflict", "--editor", "Ed"],
    "tags twin": ["tags", "twin", "conflit", "médiation", "--lang", "en", "--editor", "Ed"],
    "import": ["import", "stackexchange", str(Path(__file__).parent / "fixtures/import/stackexchange/workplace.stackexchange.com"),
               "--theme", "conflits", "--basis", "licence de la source"],
}
LEFT_OUT = {"serve", "intake"}
"""Servers that run until stopped: tested over HTTP (test_serve.py, test_intake_*.py), broken trees included."""


def _with_submission(date: str = "2025-06-02 18:00") -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = dict(valid_files())
    files[f"submissions/{SUB}.md"] = SUB_TEXT.format(date=date)
    return files


def _fifo(path: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        os.mkfifo(target)

    return plant


def _symlink(path: str, to: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        target = project / path
        if target.exists():
            target.unlink()
        target.symlink_to(to)

    return plant


def _remove(path: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        import shutil

        shutil.rmtree(project / path)

    return plant


def _replace_with_file(path: str) -> Callable[[Path], None]:
    def plant(project: Path) -> None:
        import shutil

        shutil.rmtree(project / path)
        (project / path).write_text("not a folder\n")

    return plant


TREES: dict[str, tuple[dict[str, str | bytes], Callable[[Path], None] | None]] = {
    "valid": (_with_submission(), None),
    "bad YAML in a thread": ({**_with_submission(), f"{T}/thread.md": THREAD.replace("tags: [conflit, médiation]",
                                                                                     "tags: [conflit")}, None),
    "YAML tag in a submission": (
        {**_with_submission(), f"submissions/{SUB}.md": SUB_TEXT.format(date="!!python/object:os.system x")}, None),
    "invalid UTF-8 in a reply": (
        {**_with_submission(), f"{T}/2025-03-05-karim.md": reply().encode() .replace(b"Voyez", b"V\xffyez")}, None),
    "C1 control in a submission": (
        {**_with_submission(), f"submissions/{SUB}.md": SUB_TEXT.format(date="2025-06-02").replace("Parlez",
                                                                                                 "Par\x85lez")},
        None),
    "overflowing date in a submission": (_with_submission("0001-01-01 00:00+01:00"), None),
    "overflowing date in a thread": (
        {**_with_submission(), f"{T}/thread.md": THREAD.replace("date: 2025-03-04", "date: 9999-12-31 23:59-01:00")},
        None),
    "FIFO submission": (_with_submission(), _fifo(f"submissions/{SUB}.md")),
    "FIFO reply": (_with_submission(), _fifo(f"{T}/2025-03-07-fifo.md")),
    "FIFO themes.yml": (_with_submission(), _fifo("content/themes.yml")),
    "symlinked thread.md": (_with_submission(), _symlink(f"{T}/thread.md", "/etc/passwd")),
    "symlinked submission": (_with_submission(), _symlink(f"submissions/{SUB}.md", "/etc/hostname")),
    "no content folder": (_with_submission(), _remove("content")),
    "submissions is a file": (_with_submission(), _replace_with_file("submissions")),
    "hostile names": ({**_with_submission(), "submissions/con.md": SUB_TEXT.format(date="2025-06-02"),
                       "content/threads/aux/thread.md": THREAD}, None),
    "bidi author": ({**_with_submission(), f"submissions/{SUB}.md": SUB_TEXT.format(date="2025-06-02").replace(
        "Hugo L.", "Hugo\u202e L.")}, None),
}


def _commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_every_command_is_in_the_table():
    assert set(_commands(main)) == set(INVOCATIONS) | LEFT_OUT


class Hung(Exception):
    pass


@pytest.mark.parametrize("command", list(INVOCATIONS))
@pytest.mark.parametrize("tree", list(TREES))
def test_no_command_shows_a_traceback_on_a_broken_tree(make_project, monkeypatch, tmp_path, tree, command):
    files, plant = TREES[tree]
    project = make_project(files)
    if plant is not None:
        plant(project)
    body = tmp_path / "body.md"
    body.write_text("Un message.\n", encoding="utf-8")
    args = [str(body) if arg == "BODY" else arg for arg in INVOCATIONS[command]]
    monkeypatch.chdir(project)

    def hung(signum, frame):  # noqa: ARG001 - a signal handler's signature
        raise Hung(f"{command} hung on {tree}")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    try:
        result = CliRunner().invoke(main, args, catch_exceptions=True)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.output}"
    )
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if tree != "valid" and command == "check":
        assert result.exit_code == 1, result.output
    for line in result.output.splitlines():
        assert "/etc/" not in line or "symbolic link" in line or "Traceback" not in line
    assert "root:" not in result.output  # nothing of /etc/passwd is ever shown
