"""Fixtures that build real project trees (mkdocs.yml, templates, content) from ``{path: text}`` dicts."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from entraide.cli import main

REPO = Path(__file__).resolve().parent.parent
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_NEEDED = 4 << 30
"""The whole suite's temporary files take well under this."""


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Temporary projects go to memory (tmpfs) when the machine has room and no ``--basetemp`` is given.

    entraide fsyncs every write that must survive a crash; on a disk each fsync is a flush that the
    suite's thousands of builds, journals and moderation decisions wait for (five times the run time of
    the moderation tests). On tmpfs the same calls run and return at once. xdist's workers take
    sub-folders of this one."""
    if config.option.basetemp or hasattr(config, "workerinput") or not MEMORY_FOLDER.is_dir():
        return
    status = os.statvfs(MEMORY_FOLDER)
    if status.f_bavail * status.f_frsize < MEMORY_NEEDED or not os.access(MEMORY_FOLDER, os.W_OK):
        return
    folder = tempfile.mkdtemp(prefix="entraide-tests-", dir=MEMORY_FOLDER)
    config.option.basetemp = folder
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))

MKDOCS_YML = """\
site_name: Test site
docs_dir: content
theme:
  name: material
  language: fr
  font: false
plugins:
  - entraide:
      per_page: {per_page}
"""

THEMES = """\
# Editors' themes
themes:
  - slug: conflits
    title: {fr: "Conflits et tensions", en: "Conflicts"}
    description:
      fr: "Désaccords dans l'équipe."
  - slug: running
    title:
      en: "Running"
"""

THREAD = """\
---
title: "Conflit entre deux collègues : que faire ?"
theme: conflits
tags: [conflit, médiation]
lang: fr
author: "Claire M."
anonymous: false
date: 2025-03-04
consent: true
license: CC-BY-SA-4.0
---
Deux personnes de mon équipe ne se parlent plus.
"""

REPLY = """\
---
author: "{author}"
anonymous: {anonymous}
date: {date}
consent: true
---
{text}
"""


def reply(author: str = "Karim B.", date: str = "2025-03-05 09:40", text: str = "Voyez-les séparément.",
          anonymous: bool = False) -> str:
    return REPLY.format(author=author, date=date, text=text, anonymous=str(anonymous).lower())


def valid_files() -> dict[str, str]:
    """A small valid tree: one theme with a thread and two replies."""
    return {
        "content/themes.yml": THEMES,
        "content/threads/conflit-collegues/thread.md": THREAD,
        "content/threads/conflit-collegues/2025-03-05-karim.md": reply(),
        "content/threads/conflit-collegues/2025-03-06-anon.md": reply(
            "Sophie Lemaire", "2025-03-06 10:00", "Même chose chez moi.", anonymous=True
        ),
    }


def write_project(project: Path, files: dict[str, str | bytes], *, per_page: int = 20) -> Path:
    """Write a project in ``project``: mkdocs.yml, the real templates/, and the given files (dedented)."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(per_page=per_page), encoding="utf-8")
    if not (project / "templates").exists():
        shutil.copytree(REPO / "templates", project / "templates")
    for name, text in files.items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return project


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """``write_project`` in the test's own folder (or ``root``)."""

    def make(files: dict[str, str | bytes], *, per_page: int = 20, root: Path | None = None) -> Path:
        return write_project(root or tmp_path / "project", files, per_page=per_page)

    return make


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the CLI in a project folder, as a user would, and return click's result."""

    def invoke(project: Path, *args: str) -> Result:
        monkeypatch.chdir(project)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def cli_in(project: Path, *args: str) -> Result:
    """Run the CLI in ``project`` as a user would there (for module-scoped fixtures; tests use ``run``)."""
    import os

    cwd = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def example_project(target: Path, *, build: bool = True, mkdocs_yml: str | None = None) -> Path:
    """A copy of the repository's example project in ``target``, built with ``entraide build``."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "content"):
        shutil.copytree(REPO / name, target / name)
    (target / "mkdocs.yml").write_text(mkdocs_yml or (REPO / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    if build:
        result = cli_in(target, "build")
        assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (Debian's package) under Playwright, shared by the browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, MISSING, chromium_path, find_chromium

    if find_chromium() is None:  # only with ENTRAIDE_REQUIRE_BROWSER=1: otherwise skipped at collection
        pytest.fail(f"{MISSING}; {REQUIRE_BROWSER}=1 requires every browser test to run", pytrace=False)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shared_context(browser):  # type: ignore[no-untyped-def]
    """One browser context for a module's pages that only read a site: its scripts and styles come from cache."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """entraide's per-user state folder (journals of projects outside git) lives in a temporary folder."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("XDG_STATE_HOME", str(folder))
    return folder


LONGEST_FIRST = (
    "test_search_site.py", "test_hostile_fields_in_browser.py", "test_incremental_pages.py", "test_planted_files.py",
    "test_public_site_quality.py", "test_parallel_build.py", "test_convergence.py", "test_examples.py",
    "test_broken_inputs.py",
)
"""The files that take longest (measured with --durations=0), started first so that no worker is left
alone with one of them at the end: xdist gives each worker whole files, in collection order."""


REQUIRE_BROWSER = "ENTRAIDE_REQUIRE_BROWSER"
"""Set to 1 (CI does, in .ci/run): a missing Chromium is an error, and a run that skipped any test fails."""
BROWSER_FIXTURES = ("browser", "shared_context")


def browser_required() -> bool:
    return os.environ.get(REQUIRE_BROWSER, "") not in ("", "0")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses Chromium (it asks for a browser fixture, directly or through another
    fixture), and skip them at once when there is no Chromium: no site is built for a test that
    cannot run. With ``ENTRAIDE_REQUIRE_BROWSER=1`` they run, and fail on the missing browser."""
    from tests.browser import MISSING, find_chromium

    missing = find_chromium() is None and not browser_required()
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in BROWSER_FIXTURES):
            item.add_marker(pytest.mark.browser)
        if missing and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=MISSING))
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its own order


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With ``ENTRAIDE_REQUIRE_BROWSER=1``, a run that skipped a test fails: CI runs every test."""
    if not browser_required() or hasattr(session.config, "workerinput"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"{REQUIRE_BROWSER}=1: {len(skipped)} test(s) skipped, and CI must run every one",
                            red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
