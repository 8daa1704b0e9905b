"""State a checkout could carry is never trusted: the journal lives outside it and is sealed, a file at
the old journal place is reported and never replayed, and ``mkdocs.yml`` is read as data by every
command but ``build`` and ``serve`` (no hook, no plugin, no ``!!python/name:`` is imported).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from entraide.project import Project
from tests.conftest import valid_files
from tests.test_crash_safety import entraide, log_lines
from tests.test_moderation import sub_reply

BIN = Path(sys.executable).parent
PLANTED = {
    "entry": {"op": "x", "action": "accept", "post": "forged", "editor": "Anne E.", "when": "2025-01-01T00:00:00Z"},
    "writes": {"content/threads/conflit-collegues/thread.md": "---\ntitle: pwned\n---\npwned\n"},
    "deletes": ["content/threads/conflit-collegues/2025-03-05-karim.md"],
    "id": "x",
}
LEGACY = (
    "moderation/.journal.json:1: never replayed: entraide keeps its moderation journal outside the checkout, so this "
    "file was planted (by a pull request?) or left over by an older entraide; inspect it, take again any decision it "
    "holds, then delete it"
)


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}


@pytest.fixture
def planted(make_project) -> Path:
    project = make_project({**valid_files(), "moderation/.journal.json": json.dumps(PLANTED)})
    return project


def test_check_reports_a_journal_at_the_old_place_and_never_replays_it(planted):
    before = snapshot(planted)
    done = entraide(planted, "check")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [LEGACY, "1 problem in 1 file."] and done.stderr == ""
    assert snapshot(planted) == before and log_lines(planted) == []


@pytest.mark.parametrize("command", [["review"], ["accept", "2025-06-02-hugo", "--editor", "A"], ["build"]])
def test_every_other_command_and_the_build_refuse_in_the_same_words(planted, command):
    (planted / "submissions").mkdir(exist_ok=True)
    (planted / "submissions/2025-06-02-hugo.md").write_text(sub_reply())
    before = snapshot(planted)
    done = entraide(planted, *command)
    assert (done.returncode, done.stderr) == (1, "Error: " + LEGACY.replace(":1:", ":", 1) + "\n")
    assert snapshot(planted) == before and log_lines(planted) == [] and not (planted / "site").exists()


def test_plain_mkdocs_build_refuses_in_the_same_words(planted):
    done = subprocess.run([BIN / "mkdocs", "build"], cwd=planted, capture_output=True, text=True)
    assert done.returncode == 1
    assert "entraide: " + LEGACY.replace(":1:", ":", 1) in done.stderr
    assert not (planted / "site").exists()


def interrupted_accept(make_project) -> tuple[Path, Path]:
    """A project whose accept was killed right after its journal was committed, and that journal."""
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    project = make_project(files)
    killed = entraide(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.", kill_at="journal-written")
    assert killed.returncode == -signal.SIGKILL
    return project, Project.from_config(project / "mkdocs.yml").journal_file


def test_the_journal_lives_outside_the_checkout_with_a_private_key(make_project, private_state):
    project, journal = interrupted_accept(make_project)
    assert private_state in journal.parents and project not in journal.parents
    key = journal.parent / "journal.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(journal.parent.stat().st_mode) == 0o700
    assert entraide(project, "check").returncode == 0  # replayed: it was sealed here
    assert not journal.exists() and (project / "content/threads/conflit-collegues/2025-06-02-hugo.md").is_file()


def test_in_a_git_repository_the_journal_is_in_the_git_directory(make_project):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    project = make_project(files)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    killed = entraide(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.", kill_at="journal-written")
    assert killed.returncode == -signal.SIGKILL
    journal = project / ".git/entraide/journal.json"
    assert Project.from_config(project / "mkdocs.yml").journal_file == journal and journal.is_file()
    assert stat.S_IMODE((journal.parent / "journal.key").stat().st_mode) == 0o600
    assert entraide(project, "review", "--json").returncode == 0
    assert not journal.exists() and [e["post"] for e in log_lines(project)] == ["2025-06-02-hugo"]


def test_a_tampered_journal_is_refused_and_nothing_is_replayed(make_project):
    project, journal = interrupted_accept(make_project)
    sealed = json.loads(journal.read_text())
    sealed["record"]["operations"][0]["writes"] = PLANTED["writes"]
    journal.write_text(json.dumps(sealed))
    before = snapshot(project)
    done = entraide(project, "check")
    assert (done.returncode, done.stderr) == (1, (
        f"Error: {journal}: this moderation journal is not replayed (its HMAC does not match: this machine did not "
        "write it, or it was changed since). Inspect it: take again any decision it holds that moderation/log.jsonl "
        "does not list, then delete the file\n"
    ))
    assert snapshot(project) == before and log_lines(project) == []
    assert (project / "submissions/2025-06-02-hugo.md").is_file()


def test_a_journal_without_its_key_is_refused(make_project):
    project, journal = interrupted_accept(make_project)
    (journal.parent / "journal.key").unlink()
    done = entraide(project, "review")
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: {journal}: this moderation journal is not replayed (no key to verify it "
        f"({journal.parent / 'journal.key'} is missing)). Inspect it: take again any decision it holds that "
        "moderation/log.jsonl does not list, then delete the file\n"
    )


HOOK = "from pathlib import Path\nPath({marker!r}).write_text('ran')\n"


def test_check_and_moderation_commands_read_mkdocs_yml_as_data(make_project, tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    files["hooks/evil.py"] = HOOK.format(marker=str(marker))
    files["evilmod.py"] = HOOK.format(marker=str(marker)) + "index = None\n"
    project = make_project(files)
    config = (project / "mkdocs.yml").read_text().replace("docs_dir: content", "docs_dir: !ENV [ENTRAIDE_DOCS, docs]")
    config += "hooks:\n  - hooks/evil.py\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:evilmod.index\n"
    (project / "mkdocs.yml").write_text(config)
    env = {"ENTRAIDE_DOCS": "content", "PYTHONPATH": str(project)}
    for command in (["check"], ["review"], ["stats"], ["index"], ["search", "conflit"], ["reject", "2025-06-02-hugo", "--reason", "Non", "--editor", "A"]):
        done = subprocess.run([BIN / "entraide", *command], cwd=project, capture_output=True, text=True, env={**os.environ, **env})
        assert done.returncode == 0, (command, done.stderr)
        assert not marker.exists(), command
    monkeypatch.setenv("ENTRAIDE_DOCS", "content")
    assert Project.from_config(project / "mkdocs.yml").content_dir == project / "content"
