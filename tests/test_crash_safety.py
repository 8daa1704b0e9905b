"""Accept, reject and withdraw killed (SIGKILL) at every step: never lost, never duplicated.

The process kills itself at a named checkpoint (``ENTRAIDE_TEST_KILL_AT``), a real kill with no
cleanup. The next entraide command finds the tree either untouched (killed before the journal was
committed) or completes the operation from the journal, so the submission is either still pending or
fully moved with exactly one log entry.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from entraide.project import Project
from tests.conftest import THREAD, valid_files
from tests.test_moderation import sub_reply

BIN = Path(sys.executable).parent
CHECKPOINTS = ["before-journal", "journal-written", "written", "logged", "deleted"]


def entraide(project: Path, *args: str, kill_at: str | None = None) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "ENTRAIDE_TEST_KILL_AT"}
    if kill_at:
        env["ENTRAIDE_TEST_KILL_AT"] = kill_at
    return subprocess.run([BIN / "entraide", *args], cwd=project, env=env, capture_output=True, text=True)


def journal_file(project: Path) -> Path:
    """Where the moderation journal of ``project`` lives: outside the checkout."""
    return Project.from_config(project / "mkdocs.yml").journal_file


def log_lines(project: Path) -> list[dict]:
    path = project / "moderation/log.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_accept_killed_at_any_step(make_project, checkpoint):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    project = make_project(files)
    pending = project / "submissions/2025-06-02-hugo.md"
    original = pending.read_text()
    filed = project / "content/threads/conflit-collegues/2025-06-02-hugo.md"

    killed = entraide(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.", kill_at=checkpoint)
    assert killed.returncode == -signal.SIGKILL
    assert journal_file(project).exists() == (checkpoint != "before-journal")

    after = entraide(project, "review", "--json")  # any command finishes what was committed
    assert after.returncode == 0, after.stderr
    assert not journal_file(project).exists() and not (project / "moderation/.journal.json").exists()
    if checkpoint == "before-journal":
        assert pending.read_text() == original and not filed.exists() and log_lines(project) == []
    else:
        assert not pending.exists() and filed.is_file()
        assert "Parlez-leur séparément." in filed.read_text()
        assert [(e["action"], e["post"]) for e in log_lines(project)] == [("accept", "2025-06-02-hugo")]
    assert entraide(project, "check").returncode == 0
    assert entraide(project, "build", "--quiet").returncode == 0


@pytest.mark.parametrize("checkpoint", ["journal-written", "logged"])
def test_reject_killed_then_recovered(make_project, checkpoint):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    project = make_project(files)
    killed = entraide(project, "reject", "2025-06-02-hugo", "--reason", "Hors sujet", "--editor", "A", kill_at=checkpoint)
    assert killed.returncode == -signal.SIGKILL
    assert entraide(project, "check").returncode == 0
    assert not (project / "submissions/2025-06-02-hugo.md").exists()
    assert [(e["action"], e["reason"]) for e in log_lines(project)] == [("reject", "Hors sujet")]


@pytest.mark.parametrize("checkpoint", ["journal-written", "written", "logged", "deleted"])
def test_withdraw_killed_then_recovered(make_project, checkpoint):
    files = valid_files()
    files["content/threads/autre/thread.md"] = THREAD.replace(
        "license: CC-BY-SA-4.0", "license: CC-BY-SA-4.0\nrelated: [conflit-collegues]"
    )
    project = make_project(files)
    killed = entraide(project, "withdraw", "conflit-collegues", "--reason", "Demande", "--editor", "A", kill_at=checkpoint)
    assert killed.returncode == -signal.SIGKILL
    # A plain MkDocs build refuses to publish a half-done takedown.
    if journal_file(project).exists():
        blocked = subprocess.run([BIN / "mkdocs", "build"], cwd=project, capture_output=True, text=True)
        assert blocked.returncode == 1 and "interrupted" in blocked.stderr
    assert entraide(project, "build", "--quiet").returncode == 0
    assert not (project / "content/threads/conflit-collegues").exists()
    assert not (project / "site/conflit-collegues").exists()
    assert "related" not in (project / "content/threads/autre/thread.md").read_text()
    assert len(log_lines(project)) == 1
