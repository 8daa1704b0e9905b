"""Without Chromium the browser tests are skipped with the reason; CI (``ENTRAIDE_REQUIRE_BROWSER=1``) skips none.

Each case runs pytest in a subprocess, with this suite's configuration and conftest, on a tiny test
file, with a PATH that holds no Chromium and no ``CHROMIUM`` variable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.browser import MISSING
from tests.conftest import REPO

TINY = """\
import pytest


def test_plain():
    assert True


def test_in_chromium(browser):
    raise AssertionError("never run without Chromium")


def test_in_a_shared_context(shared_context):
    raise AssertionError("never run without Chromium")
"""


def pytest_in(tmp_path: Path, source: str, *args: str, require: bool = False, chromium: str | None = None):  # type: ignore[no-untyped-def]
    """Run pytest on ``source`` as this suite would, with no Chromium on the PATH."""
    test = tmp_path / "tiny" / "test_tiny.py"
    test.parent.mkdir(exist_ok=True)
    test.write_text(source, encoding="utf-8")
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("CHROMIUM", "ENTRAIDE_REQUIRE_BROWSER", "PYTEST_ADDOPTS", "PYTEST_XDIST_WORKER")}
    env["PATH"] = str(empty)
    if require:
        env["ENTRAIDE_REQUIRE_BROWSER"] = "1"
    if chromium is not None:
        env["CHROMIUM"] = chromium
    command = [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml"), "--rootdir", str(REPO),
               "-p", "tests.conftest", "-n", "0", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "base"),
               *args, str(test)]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


def test_without_chromium_the_browser_tests_are_skipped_with_the_reason(tmp_path):
    done = pytest_in(tmp_path, TINY)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed, 2 skipped" in done.stdout
    assert done.stdout.count(MISSING) == 1 and "SKIPPED [2]" in done.stdout, done.stdout
    assert MISSING == "Chromium not found: apt-get install chromium (or set CHROMIUM=/path)"


def test_every_test_using_the_browser_is_marked(tmp_path):
    done = pytest_in(tmp_path, TINY, "--collect-only", "-q", "-m", "browser")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_in_chromium" in done.stdout and "test_in_a_shared_context" in done.stdout
    assert "test_plain" not in done.stdout


def test_ci_makes_a_missing_chromium_an_error(tmp_path):
    done = pytest_in(tmp_path, TINY, require=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 2 errors" in done.stdout
    assert MISSING in done.stdout and "ENTRAIDE_REQUIRE_BROWSER=1 requires every browser test to run" in done.stdout


def test_a_chromium_named_by_the_variable_that_is_not_there_is_missing(tmp_path):
    done = pytest_in(tmp_path, TINY, chromium=str(tmp_path / "no-such-chromium"))
    assert done.returncode == 0 and "1 passed, 2 skipped" in done.stdout, done.stdout + done.stderr


def test_ci_fails_a_run_that_skipped_anything(tmp_path):
    source = "import pytest\n\n\ndef test_plain():\n    pass\n\n\ndef test_skipped():\n    pytest.skip('no reason')\n"
    done = pytest_in(tmp_path, source, require=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed, 1 skipped" in done.stdout
    assert "ENTRAIDE_REQUIRE_BROWSER=1: 1 test(s) skipped, and CI must run every one" in done.stdout
    assert pytest_in(tmp_path, source).returncode == 0  # outside CI, a skip is a skip
