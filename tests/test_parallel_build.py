"""Builds on every core: pages rendered by forked workers, the search index written beside the build.

A build with ``--jobs 2`` forks a page worker even on the small example site, so these tests exercise
what large sites do by default: the site is a one-process build's, byte for byte, cold and after each
kind of change; a worker's failure fails the build with its message and publishes nothing; a worker
killed, or a build killed while its workers run, leaves the previous site and index as they were, no
process behind (the next command takes the project's lock at once), and the next build is clean.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import cli_in, example_project
from tests.sitetree import assert_same_site, files_of
from tests.test_convergence import clean_copy, entraide, finished
from tests.test_incremental_pages import CONTENT_CHANGES, SITE_WIDE_CHANGES, page_template_edit

QUICK_LOCK = {"ENTRAIDE_LOCK_TIMEOUT": "2"}
"""A command that waits longer than this for the lock found a worker still holding it."""


def _processes_in(folder: Path, patience: float = 2.0) -> list[int]:
    """Live processes working in ``folder`` (their current directory), once ``patience`` seconds passed."""
    deadline = time.monotonic() + patience
    while True:
        found = []
        for entry in os.listdir("/proc"):
            try:
                if os.readlink(f"/proc/{entry}/cwd") == str(folder.resolve()) and _alive(int(entry)):
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def build(project: Path, *args: str) -> dict:
    result = cli_in(project, "build", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_cold_build_on_two_cores_is_a_one_process_build(tmp_path):
    project = example_project(tmp_path / "project", build=False)
    summary = build(project, "--jobs", "2")
    assert summary["reused"] == 0 and summary["search"].startswith("indexed")
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
    assert json.loads(cli_in(project, "build", "--json", "--jobs", "2").output)["up_to_date"] is True


@pytest.mark.parametrize("change", CONTENT_CHANGES + SITE_WIDE_CHANGES, ids=lambda change: change.__name__)
def test_an_incremental_build_on_two_cores_is_a_clean_build(tmp_path, change):
    project = example_project(tmp_path / "project")
    change(project)
    summary = build(project, "--jobs", "2")
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
    if change in SITE_WIDE_CHANGES:
        assert summary["reused"] == 0
    elif change.__name__ != "nothing":
        assert 0 < summary["pages"] - summary["reused"] < summary["pages"] / 2


def test_a_page_workers_pages_are_kept_in_the_manifest_and_cache(tmp_path):
    """What a worker learnt (page keys, rendered posts) is merged: the next build reuses every page."""
    project = example_project(tmp_path / "project", build=False)
    build(project, "--jobs", "2")
    page_template_edit(project)
    first = build(project, "--jobs", "2")
    assert first["reused"] == 0
    (project / "content/threads/conflit-entre-deux-collaborateurs/2026-10-01-hugo.md").write_text(
        "---\nauthor: \"Hugo T.\"\ndate: 2026-10-01 10:00\nconsent: true\n---\nParlez-leur séparément.\n",
        encoding="utf-8",
    )
    second = build(project, "--jobs", "2")
    assert second["pages"] - second["reused"] < second["pages"] / 2, second
    manifest = json.loads((project / ".entraide/pages.json").read_text(encoding="utf-8"))
    assert len(manifest["pages"]) == second["pages"]


def test_a_template_error_in_a_worker_fails_the_build_with_its_message(tmp_path, run):
    project = example_project(tmp_path / "project")
    before = files_of(project / "site")
    (project / "templates/thread.html").write_text("{{ view.no_such_field }}", encoding="utf-8")
    result = run(project, "build", "--jobs", "2")
    assert result.exit_code == 1
    assert "Error: the build failed: entraide: template error:" in result.stderr
    assert "no_such_field" in result.stderr and "Traceback" not in result.stderr
    assert files_of(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize(
    ("kill_at", "message"),
    [
        ("worker", "a worker process was stopped by signal 9"),
        ("index-writer-commit", "the search index could not be written (stopped by signal 9)"),
    ],
)
def test_a_worker_killed_fails_the_build_and_the_next_one_is_clean(tmp_path, kill_at, message):
    project = example_project(tmp_path / "project")
    before = files_of(project / "site")
    (project / "content/threads/nouveau").mkdir()
    (project / "content/threads/nouveau/thread.md").write_text(
        "---\ntitle: \"Un fil de plus\"\ntheme: conflits\ntags: [conflit]\nlang: fr\nauthor: \"Inès R.\"\n"
        "date: 2026-10-02 09:00\nconsent: true\nlicense: CC-BY-SA-4.0\n---\nComment arbitrer les congés ?\n",
        encoding="utf-8",
    )
    if kill_at == "index-writer-commit":
        (project / ".entraide/search/index/entraide-version").write_text("0\n", encoding="utf-8")  # forces a rebuild
        index_before = files_of(project / ".entraide/search/index")
    code, output = finished(entraide(project, "build", "-q", "--jobs", "2", kill_at=kill_at))
    assert code == 1, output
    assert message in output and "Traceback" not in output
    assert files_of(project / "site") == before
    if kill_at == "index-writer-commit":  # a rebuild's index is swapped in only once whole
        assert files_of(project / ".entraide/search/index") == index_before
    assert not [p.name for p in (project / ".entraide/search").iterdir() if p.name.startswith(".index")]
    code, output = finished(entraide(project, "build", "-q", **QUICK_LOCK))
    assert code == 0, output
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")


@pytest.mark.parametrize("kill_at", ["workers-started", "index-adding#2"])
def test_a_build_killed_while_its_workers_run_leaves_none_behind(tmp_path, kill_at):
    """Killed while its page workers (or its index writer) run: they die with it and release the lock."""
    project = example_project(tmp_path / "project", build=False)
    code, output = finished(entraide(project, "build", "-q", "--jobs", "2", kill_at=kill_at))
    assert code == -signal.SIGKILL, output
    assert _processes_in(project) == [], "a worker outlived its build"
    code, output = finished(entraide(project, "build", "-q", "--jobs", "2", **QUICK_LOCK))  # the lock is free
    assert code == 0, output
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
    assert not [name for name in os.listdir(project) if name.startswith(".site")]


ORPHAN = """
import os, signal, sys, time
from pathlib import Path
from entraide.workers import fork_worker
pid = fork_worker()
if pid == 0:
    time.sleep(30)
    os._exit(0)
Path("worker.pid").write_text(str(pid))
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_forked_worker_dies_with_its_parent(tmp_path):
    """The mechanism itself: a worker that would sleep for 30 s is gone as soon as its parent is killed."""
    done = subprocess.run([sys.executable, "-c", ORPHAN], cwd=tmp_path, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    assert done.returncode == -signal.SIGKILL
    worker = int((tmp_path / "worker.pid").read_text())
    deadline = time.monotonic() + 2
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(worker), "the worker outlived its parent"


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _files_in(trash: Path) -> list[str]:
    """What the trash still holds besides its lock and skeletons' marks: files of retired sites."""
    return [str(path) for path in trash.rglob("*")
            if not path.is_dir() and path.name not in (".lock", ".skeleton.json")]


def test_the_previous_site_is_deleted_without_the_build_waiting_for_it(tmp_path):
    """Its folder goes into the state's trash and a detached process deletes its files, keeping its
    folders for the next build (``builder.trash``): no file is left, the next build takes the lock at
    once, and the published site is whole meanwhile."""
    project = example_project(tmp_path / "project")
    old_home = (project / "site/index.html").stat().st_ino
    code, output = finished(entraide(project, "build", "-q", "--jobs", "1"))  # nothing changed: no new site
    assert code == 0, output
    (project / "templates/home.html").write_text(
        (project / "templates/home.html").read_text(encoding="utf-8") + "\n<!-- revu -->\n", encoding="utf-8")
    code, output = finished(entraide(project, "build", "-q", **QUICK_LOCK))
    assert code == 0, output
    assert (project / "site/index.html").stat().st_ino != old_home
    trash = project / ".entraide/trash"
    deadline = time.monotonic() + 10
    while _files_in(trash) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _files_in(trash) == [], "the previous site was not deleted"
    assert len([name for name in os.listdir(trash) if name != ".lock"]) == 1, "one skeleton is kept, no more"
    assert not [name for name in os.listdir(project) if name.startswith(".site")]
    code, output = finished(entraide(project, "build", "-q", **QUICK_LOCK))
    assert code == 0, output
