"""``entraide build`` run as a program (``python -m entraide``), as editors and CI run it.

The program leaves through a quick exit once the site is published (``entraide.cli.run``): its
output must still be whole, its exit status right, and a failed build must still print its problems
and leave the previous site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import THREAD, valid_files

PHASES = {"inputs", "load content", "search", "plan", "pages", "finish", "publish"}


def program(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entraide", *args], cwd=project, capture_output=True,
                          text=True, timeout=300)


def test_the_program_prints_its_whole_summary_and_the_phases_of_the_build(make_project):
    project = make_project(valid_files())
    done = program(project, "build", "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["pages"] > 0 and (project / "site" / "index.html").is_file()
    assert set(summary["phases"]) == PHASES
    assert all(seconds >= 0 for seconds in summary["phases"].values())
    assert sum(summary["phases"].values()) <= summary["seconds"]
    again = program(project, "build", "--json")
    assert json.loads(again.stdout)["up_to_date"] is True
    assert set(json.loads(again.stdout)["phases"]) == {"inputs"}
    plain = program(project, "build")
    assert plain.returncode == 0 and plain.stdout.startswith("Built 1 threads") and plain.stdout.endswith("\n")


def test_a_failed_build_still_says_why_with_status_1_and_keeps_the_site(make_project):
    project = make_project(valid_files())
    assert program(project, "build").returncode == 0
    home = (project / "site" / "index.html").read_bytes()
    thread = next((project / "content" / "threads").iterdir()) / "thread.md"
    thread.write_text(THREAD.replace("theme: conflits", "theme: nowhere"), encoding="utf-8")
    failed = program(project, "build")
    assert failed.returncode == 1
    assert "thread.md" in failed.stderr and "theme" in failed.stderr and "Traceback" not in failed.stderr
    assert (project / "site" / "index.html").read_bytes() == home
    as_json = program(project, "build", "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stdout)["ok"] is False
