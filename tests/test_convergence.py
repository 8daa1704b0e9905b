"""Incremental == clean: whatever happened before a build, its ``site/`` is a clean build's, byte for byte.

"Clean" is a fresh copy of the content (no ``.entraide/``, no previous site) built once. Each test
brings a project to the same content by another history — concurrent builds, builds killed
(SIGKILL) at named points of the index, export and page writing, a sequence of moderation decisions
and curation — and compares the next build's site with the clean one, file for file.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, REPO, cli_in, example_project
from tests.sitetree import assert_same_site

BIN = Path(sys.executable).parent
WORDS = [
    "équipe", "réunion", "conflit", "planning", "manager", "projet", "client", "télétravail", "feedback",
    "entretien", "objectif", "confiance", "recrutement", "carrière", "formation", "priorité", "délai",
]
THEMES = """\
themes:
  - slug: equipe
    title: {fr: "Équipe", en: "Team"}
  - slug: carriere
    title: {fr: "Carrière", en: "Career"}
"""


def entraide(project: Path, *args: str, kill_at: str | None = None, **env: str) -> subprocess.Popen:
    """Start ``entraide ARGS`` in ``project`` as a separate process (killing itself at ``kill_at``)."""
    environ = {key: value for key, value in os.environ.items() if key != "ENTRAIDE_TEST_KILL_AT"}
    environ.update(env, NO_MKDOCS_2_WARNING="1")
    if kill_at:
        environ["ENTRAIDE_TEST_KILL_AT"] = kill_at
    return subprocess.Popen([BIN / "entraide", *args], cwd=project, env=environ, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def thread_text(n: int, rng: random.Random, day: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 60)))
    return (
        f'---\ntitle: "Sujet {rng.choice(WORDS)} {n}"\ntheme: {"equipe" if n % 2 else "carriere"}\n'
        f"tags: [{rng.choice(['conflit', 'feedback', 'planning'])}]\nlang: fr\nauthor: \"Auteur {n}\"\n"
        f"date: 2025-03-{day:02d}\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n{body}\n"
    )


def reply_text(n: int, rng: random.Random, day: int) -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 30)))
    return f'---\nauthor: "Membre {n}"\ndate: 2025-04-{day:02d} 10:00\nconsent: true\n---\n{body}\n'


def small_project(root: Path, threads: int = 14) -> Path:
    """A project of ``threads`` short threads sharing a small vocabulary: related lists, tags and
    search postings that every change moves."""
    rng = random.Random(11)
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(per_page=5), encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content/threads").mkdir(parents=True)
    (root / "content/themes.yml").write_text(THEMES, encoding="utf-8")
    for n in range(threads):
        folder = root / f"content/threads/fil-{n:02d}"
        folder.mkdir()
        (folder / "thread.md").write_text(thread_text(n, rng, 1 + n), encoding="utf-8")
        for r in range(n % 3):
            (folder / f"2025-04-{1 + r:02d}-membre.md").write_text(reply_text(r, rng, 1 + r), encoding="utf-8")
    return root


def clean_copy(project: Path, target: Path) -> Path:
    """The same content in a fresh folder (as a fresh clone has it), built once."""
    target.mkdir(parents=True)
    for name in ("content", "templates"):
        shutil.copytree(project / name, target / name)
    shutil.copy(project / "mkdocs.yml", target / "mkdocs.yml")
    result = cli_in(target, "build", "-q")
    assert result.exit_code == 0, result.output
    return target


def add_newer_thread(project: Path) -> None:
    """The usual change: a new thread, newer than every other one."""
    folder = project / "content/threads/fil-nouveau"
    folder.mkdir()
    (folder / "thread.md").write_text(thread_text(99, random.Random(5), 28), encoding="utf-8")


def change_threads(project: Path) -> None:
    """The other changes: a thread removed, a reply added to another, a new thread dated before others."""
    shutil.rmtree(project / "content/threads/fil-03")
    (project / "content/threads/fil-05/2025-04-20-nouveau.md").write_text(
        reply_text(7, random.Random(6), 20), encoding="utf-8"
    )
    folder = project / "content/threads/fil-ancien"
    folder.mkdir()
    (folder / "thread.md").write_text(thread_text(50, random.Random(7), 1), encoding="utf-8")


def test_concurrent_builds_leave_the_site_of_a_clean_build(tmp_path):
    """3 rounds of two `entraide build` at once (cold, after a new thread, after other changes)."""
    project = small_project(tmp_path / "project")
    for change in (None, add_newer_thread, change_threads):
        if change is not None:
            change(project)
        both = [entraide(project, "build", "-q"), entraide(project, "build", "-q")]
        for code, output in map(finished, both):
            assert code == 0 and "Traceback" not in output, output
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")


KILLS = [
    ("index-before-commit", add_newer_thread),
    ("index-committed", add_newer_thread),
    ("export-before-manifest", add_newer_thread),
    ("build-rendering", add_newer_thread),
    ("index-adding", change_threads),
    ("index-before-commit", change_threads),
    ("index-committed", change_threads),
    ("export-postings", change_threads),
    ("export-fragments", change_threads),
    ("related-computed", change_threads),
    ("build-before-swap", change_threads),
]


@pytest.fixture(scope="module")
def built_small(tmp_path_factory):
    """A small project built once, and clean builds of it after each kind of change."""
    base = tmp_path_factory.mktemp("convergence")
    project = small_project(base / "project")
    assert cli_in(project, "build", "-q").exit_code == 0
    cleans = {}
    for change in (add_newer_thread, change_threads):
        changed = base / f"changed-{change.__name__}"
        shutil.copytree(project, changed, symlinks=True)
        change(changed)
        cleans[change] = clean_copy(changed, base / f"clean-{change.__name__}") / "site"
    return project, cleans


@pytest.mark.parametrize(("kill_at", "change"), KILLS, ids=[kill for kill, _change in KILLS])
def test_a_build_killed_anywhere_then_rebuilt_is_a_clean_build(built_small, tmp_path, kill_at, change):
    source, cleans = built_small
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    change(project)
    code, output = finished(entraide(project, "build", "-q", kill_at=kill_at))
    assert code == -signal.SIGKILL, f"{kill_at} was not reached: {output}"
    code, output = finished(entraide(project, "build", "-q"))
    assert code == 0, output
    assert_same_site(project / "site", cleans[change])


def test_decisions_and_curation_then_build_is_a_clean_build(tmp_path, run):
    """accept (reply, thread), withdraw (thread, reply), curate, with builds in between."""
    project = example_project(tmp_path / "example")
    submissions = project / "submissions"
    submissions.mkdir(exist_ok=True)
    (submissions / "2026-10-01-hugo.md").write_text(
        "---\nreply_to: conflit-entre-deux-collaborateurs\nauthor: \"Hugo T.\"\ndate: 2026-10-01 10:00\n"
        "consent: true\n---\nParlez-leur séparément, puis ensemble : un conflit se règle en réunion.\n",
        encoding="utf-8",
    )
    (submissions / "2026-10-02-planning.md").write_text(
        "---\ntitle: \"Planning des congés et conflit d'équipe\"\ntheme: conflits\ntags: [conflit]\nlang: fr\n"
        "author: \"Inès R.\"\ndate: 2026-10-02 09:00\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n"
        "Deux collaborateurs veulent les mêmes semaines de congés. Comment arbitrer sans conflit ?\n",
        encoding="utf-8",
    )
    steps = [
        ("accept", "2026-10-01-hugo"),
        ("build",),
        ("withdraw", "async-standups-do-they-work", "--reason", "Demande de l'auteur"),
        ("build",),
        ("accept", "2026-10-02-planning", "--slug", "planning-des-conges"),
        ("curate", "becoming-manager-of-former-peers", "--feature", "--related", "planning-des-conges"),
        ("build",),
        ("withdraw", "conflit-entre-deux-collaborateurs/2026-10-01-hugo", "--reason", "Propos identifiants"),
        ("build",),
    ]
    for step in steps:
        result = run(project, *step, *(("--editor", "Anne E.") if step[0] != "build" else ()))
        assert result.exit_code == 0, (step, result.output)
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")


def test_two_clones_build_the_same_bytes_on_different_days(tmp_path):
    """Cold builds in two folders, on two build dates (MkDocs reads SOURCE_DATE_EPOCH)."""
    first = example_project(tmp_path / "one", build=False)
    second = example_project(tmp_path / "two", build=False)
    builds = [entraide(first, "build", "-q"), entraide(second, "build", "-q", SOURCE_DATE_EPOCH="1900000000")]
    for code, output in map(finished, builds):
        assert code == 0, output
    assert_same_site(first / "site", second / "site")
