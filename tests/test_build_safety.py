"""A failed build never touches the previous site; plain ``mkdocs build`` behaves the same way."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import THREAD, reply, valid_files
from tests.htmlsite import listed_threads, page, reply_ids

BIN = Path(sys.executable).parent


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_build_then_broken_content_leaves_the_site_byte_identical(make_project, run):
    project = make_project(valid_files())
    assert run(project, "build").exit_code == 0
    before = tree_digest(project / "site")
    assert "conflit-collegues/index.html" in before

    broken = project / "content/threads/conflit-collegues/2025-03-05-karim.md"
    broken.write_text(reply(date="demain"), encoding="utf-8")
    (project / "content/threads/nouveau").mkdir()
    (project / "content/threads/nouveau/thread.md").write_text(THREAD.replace("lang: fr", "lang: de"), encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/threads/conflit-collegues/2025-03-05-karim.md:4: date: expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found 'demain'",
        "content/threads/nouveau/thread.md:5: lang: expected one of fr, en; found 'de'",
        "2 problems in 2 files.",
    ]
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_template_error_keeps_the_previous_site(make_project, run):
    project = make_project(valid_files())
    assert run(project, "build").exit_code == 0
    before = tree_digest(project / "site")
    (project / "templates/thread.html").write_text("{{ view.no_such_field }}", encoding="utf-8")
    result = run(project, "build")
    assert result.exit_code == 1
    assert "Error: the build failed: entraide: template error:" in result.stderr
    assert "no_such_field" in result.stderr
    assert tree_digest(project / "site") == before


def test_successful_rebuild_replaces_the_site_and_drops_removed_pages(make_project, run):
    files = valid_files()
    files["content/threads/second/thread.md"] = THREAD.replace("2025-03-04", "2025-04-01")
    project = make_project(files)
    assert run(project, "build").exit_code == 0
    assert (project / "site/second/index.html").is_file()
    import shutil

    shutil.rmtree(project / "content/threads/second")
    result = run(project, "build")
    assert result.exit_code == 0
    assert not (project / "site/second").exists()
    assert listed_threads(page(project / "site", "themes/conflits")) == ["../../conflit-collegues/"]


def test_stale_folder_of_a_killed_build_is_cleaned(make_project, run):
    project = make_project(valid_files())
    stale = project / ".site-build-999999999"
    stale.mkdir()
    (stale / "half.html").write_text("half")
    assert run(project, "build").exit_code == 0
    assert not stale.exists()


def test_cli_never_shows_a_traceback(make_project):
    files = valid_files()
    files["content/themes.yml"] = "themes: [\n"
    project = make_project(files)
    for command in (["check"], ["build"], ["build", "-f", "missing.yml"]):
        done = subprocess.run([BIN / "entraide", *command], cwd=project, capture_output=True, text=True)
        assert done.returncode == 1, command
        assert "Traceback" not in done.stderr + done.stdout
    done = subprocess.run([BIN / "entraide", "check"], cwd=project, capture_output=True, text=True)
    assert done.stdout.splitlines()[0].startswith("content/themes.yml:2: invalid YAML:")


def test_plain_mkdocs_build_works_and_reports_content_problems(make_project):
    project = make_project(valid_files())
    done = subprocess.run([BIN / "mkdocs", "build", "--quiet"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert reply_ids(page(project / "site", "conflit-collegues")) == ["2025-03-05-karim", "2025-03-06-anon"]

    (project / "content/threads/conflit-collegues/thread.md").write_text(THREAD.replace("lang: fr", "lang: no"))
    done = subprocess.run([BIN / "mkdocs", "build"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 1
    assert "content/threads/conflit-collegues/thread.md:5: lang: expected one of fr, en; found 'no'" in done.stderr
    assert "Traceback" not in done.stderr


def test_pagination_of_a_theme(make_project, run):
    files = valid_files()
    for day in range(10, 15):
        files[f"content/threads/fil-{day}/thread.md"] = THREAD.replace("2025-03-04", f"2025-05-{day}")
    project = make_project(files, per_page=2)
    assert run(project, "build").exit_code == 0
    site = project / "site"
    pages = [listed_threads(page(site, "themes/conflits"))]
    pages += [listed_threads(page(site, f"themes/conflits/page/{n}")) for n in (2, 3)]
    slugs = [[href.strip("./").split("/")[-1] for href in hrefs] for hrefs in pages]
    assert slugs == [["fil-14", "fil-13"], ["fil-12", "fil-11"], ["fil-10", "conflit-collegues"]]
    assert not (site / "themes/conflits/page/4").exists()
    assert 'rel="next"' in page(site, "themes/conflits") and 'rel="prev"' in page(site, "themes/conflits/page/3")
    assert "Page 2 sur 3" in page(site, "themes/conflits/page/2")


def test_build_json_summary(make_project, run):
    import json

    project = make_project(valid_files())
    result = run(project, "build", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["threads"], data["replies"], data["themes"], data["warnings"]) == (1, 2, 2, [])
    # home, tags index, 2 themes, 2 tags, 1 thread, search, contributors, contribute, all threads
    assert data["pages"] == 1 + 1 + 2 + 2 + 1 + 1 + 1 + 1 + 1


def test_site_dir_option(make_project, run, tmp_path):
    project = make_project(valid_files())
    target = tmp_path / "elsewhere" / "public"
    target.parent.mkdir()
    result = run(project, "build", "--site-dir", str(target), "--quiet")
    assert result.exit_code == 0 and result.stdout == ""
    assert (target / "conflit-collegues/index.html").is_file()
    assert not (project / "site").exists()
    assert os.listdir(target.parent) == ["public"]


def _plain_build(tool: str, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / tool, "build", *args], cwd=project, capture_output=True, text=True)


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_plain_build_with_a_late_failure_keeps_the_previous_site(make_project, tool):
    project = make_project(valid_files())
    done = _plain_build(tool, project, "--quiet")
    assert done.returncode == 0, done.stderr
    before = tree_digest(project / "site")
    assert "conflit-collegues/index.html" in before
    (project / "templates/thread.html").write_text("{{ view.no_such_field }}", encoding="utf-8")
    done = _plain_build(tool, project)
    assert done.returncode == 1
    assert "no_such_field" in done.stderr and "the previous site is kept" in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("tool", ["mkdocs", "properdocs"])
def test_plain_build_replaces_the_site_in_one_step(make_project, tool):
    project = make_project(valid_files())
    assert _plain_build(tool, project, "--quiet").returncode == 0
    (project / "site/stale.html").write_text("left from an older build", encoding="utf-8")
    thread = project / "content/threads/conflit-collegues/thread.md"
    thread.write_text(thread.read_text(encoding="utf-8").replace("que faire ?", "que faire maintenant ?"), encoding="utf-8")
    done = _plain_build(tool, project, "--quiet")
    assert done.returncode == 0, done.stderr
    assert not (project / "site/stale.html").exists()
    assert "que faire maintenant" in page(project / "site", "conflit-collegues")
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_plain_strict_build_with_a_warning_keeps_the_previous_site(make_project):
    project = make_project(valid_files())
    assert _plain_build("mkdocs", project, "--quiet").returncode == 0
    before = tree_digest(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "nav:\n  - Accueil: index.md\n  - Absent: absent.md\n")
    done = _plain_build("mkdocs", project, "--strict")
    assert done.returncode == 1
    assert "absent.md" in done.stderr and "the previous site is kept" in done.stderr
    assert tree_digest(project / "site") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_a_featured_thread_appears_once_on_its_theme_pages(make_project, run):
    files = valid_files()
    for day in range(10, 15):
        files[f"content/threads/fil-{day}/thread.md"] = THREAD.replace("2025-03-04", f"2025-05-{day}")
    files["content/themes.yml"] = files["content/themes.yml"].replace(
        "  - slug: conflits\n", "  - slug: conflits\n    featured: [fil-12]\n"
    )
    project = make_project(files, per_page=2)
    assert run(project, "build").exit_code == 0
    site = project / "site"
    first = page(site, "themes/conflits")
    featured = first.split('<h2 id="featured">', 1)[1].split('<h2 id="latest">', 1)[0]
    assert "fil-12/" in featured
    listed = [listed_threads(page(site, f"themes/conflits{'' if n == 1 else f'/page/{n}'}")) for n in (1, 2, 3)]
    slugs = [href.strip("./").split("/")[-1] for hrefs in listed for href in hrefs]
    assert slugs.count("fil-12") == 1, slugs
    assert sorted(slugs) == ["conflit-collegues", "fil-10", "fil-11", "fil-12", "fil-13", "fil-14"]
    assert not (site / "themes/conflits/page/4").exists()
    assert "6 discussions" in first


def test_every_discussion_is_listed_once_on_paginated_pages_linked_from_home(make_project, run):
    files = valid_files()
    for day in range(10, 15):
        files[f"content/threads/fil-{day}/thread.md"] = THREAD.replace("2025-03-04", f"2025-05-{day}")
    project = make_project(files, per_page=4)
    assert run(project, "build").exit_code == 0
    site = project / "site"
    assert '<a href="discussions/">Toutes les discussions (6)</a>' in page(site, "")
    listed = [listed_threads(page(site, "discussions")), listed_threads(page(site, "discussions/page/2"))]
    slugs = [[href.strip("./").split("/")[-1] for href in hrefs] for hrefs in listed]
    assert slugs == [["fil-14", "fil-13", "fil-12", "fil-11"], ["fil-10", "conflit-collegues"]]
    assert not (site / "discussions/page/3").exists()
    assert "Page 2 sur 2" in page(site, "discussions/page/2")
