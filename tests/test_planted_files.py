"""Links and special files planted in a checkout are refused by every build, never followed or published.

Generated: each kind of planted file (a link to the checkout's git credentials, to a system file, to
a folder outside; a FIFO) at each place a build reads (the stylesheet, a page template, a theme
override, a static file of the theme folder), with ``entraide build`` and with plain ``mkdocs build``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import valid_files, write_project
from tests.test_build_safety import tree_digest

BIN = Path(sys.executable).parent
SECRET = "[remote \"origin\"]\n\turl = https://token-do-not-publish@forge.example/x.git\n"

PLACES = [
    "templates/assets/entraide.css",
    "templates/thread.html",
    "templates/theme/main.html",
    "templates/theme/leak.txt",
    "templates/assets/extra",
]


def _plant(project: Path, place: str, kind: str) -> None:
    target = project / place
    if target.is_file():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "git-config":
        os.symlink(os.path.relpath(project / ".git" / "config", target.parent), target)
    elif kind == "system-file":
        os.symlink("/etc/passwd", target)
    elif kind == "folder-outside":
        os.symlink("/etc", target)
    elif kind == "fifo":
        os.mkfifo(target)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A built project with a git config holding a secret, and its site's digest: each case plants in a copy."""
    root = tmp_path_factory.mktemp("planted")
    project = write_project(root / "project", valid_files())
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(SECRET, encoding="utf-8")
    done = subprocess.run([BIN / "entraide", "build", "--quiet"], cwd=project, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "XDG_STATE_HOME": str(root / "state")})
    assert done.returncode == 0, done.stderr
    return project, tree_digest(project / "site")


@pytest.mark.parametrize("tool", ["entraide", "mkdocs"])
@pytest.mark.parametrize("kind", ["git-config", "system-file", "folder-outside", "fifo"])
@pytest.mark.parametrize("place", PLACES)
def test_a_planted_file_is_refused_and_nothing_is_published(built, tmp_path, place, kind, tool):
    project, before = built
    project = Path(shutil.copytree(project, tmp_path / "project", symlinks=True))
    assert tree_digest(project / "site") == before
    _plant(project, place, kind)
    done = subprocess.run([BIN / tool, "build"], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    expected = "is a symbolic link; entraide reads only regular files" if kind != "fifo" else "is not a regular file"
    assert f"{place}:0: {expected}" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(project / "site") == before
    for path in (project / "site").rglob("*"):
        assert path.is_dir() or "token-do-not-publish" not in path.read_text(errors="replace")
        assert path.is_dir() or "root:x:0:0" not in path.read_text(errors="replace")


def test_a_theme_folder_outside_the_project_is_not_published(make_project, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("not for the site", encoding="utf-8")
    project = make_project(valid_files())
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", f"  font: false\n  custom_dir: {outside}\n"))
    done = subprocess.run([BIN / "entraide", "build"], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"{outside / 'secret.txt'}:0: is outside the project; entraide never publishes it" in done.stderr
    assert not (project / "site").exists()


def test_a_templates_folder_that_is_a_link_is_refused(make_project, tmp_path):
    project = make_project(valid_files())
    real = tmp_path / "real-templates"
    (project / "templates").rename(real)
    os.symlink(real, project / "templates")
    done = subprocess.run([BIN / "entraide", "build"], cwd=project, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "templates:0: is a symbolic link; entraide reads only regular files" in done.stderr


@pytest.mark.parametrize("planted", [".entraide/search/meta.json", "site/index.html"])
def test_a_committed_search_index_or_site_is_never_trusted(make_project, planted):
    project = make_project(valid_files())
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    (project / planted).parent.mkdir(parents=True)
    (project / planted).write_text("{}", encoding="utf-8")
    subprocess.run([*git, "add", "-f", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "x"], cwd=project, check=True)
    for tool in ("entraide", "mkdocs"):
        done = subprocess.run([BIN / tool, "build"], cwd=project, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1
        assert f"{planted}: committed to git, but the search index and the site are built on this machine" in done.stderr
        assert "Traceback" not in done.stderr
    assert (project / planted).read_text() == "{}"
