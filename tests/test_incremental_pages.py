"""Incremental pages: after each kind of change, ``entraide build`` renders only what changed, and its site
is a clean build's, byte for byte; a template or configuration change renders everything again.

Each case builds the example project, applies one change, builds again (the incremental build, which
links unchanged pages from the published site), and compares with a clean build of the same files in a
fresh folder. The ``--json`` summary says how many pages were linked instead of rendered.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, cli_in, example_project
from tests.sitetree import assert_same_site, files_of
from tests.test_convergence import clean_copy

THREAD = "conflit-entre-deux-collaborateurs"
EDITOR = ("--editor", "Anne E.")


def new_thread(project: Path) -> None:
    folder = project / "content/threads/planning-des-conges"
    folder.mkdir()
    (folder / "thread.md").write_text(
        "---\ntitle: \"Planning des congés et conflit d'équipe\"\ntheme: conflits\ntags: [conflit]\nlang: fr\n"
        "author: \"Inès R.\"\ndate: 2026-10-02 09:00\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n"
        "Deux collaborateurs veulent les mêmes semaines de congés. Comment arbitrer sans conflit ?\n",
        encoding="utf-8",
    )


def new_reply(project: Path) -> None:
    (project / f"content/threads/{THREAD}/2026-10-01-hugo.md").write_text(
        "---\nauthor: \"Hugo T.\"\ndate: 2026-10-01 10:00\nconsent: true\n---\n"
        "Parlez-leur séparément, puis ensemble : un conflit se règle en réunion.\n",
        encoding="utf-8",
    )


def withdrawal(project: Path) -> None:
    result = cli_in(project, "withdraw", "async-standups-do-they-work", "--reason", "Demande de l'auteur", *EDITOR)
    assert result.exit_code == 0, result.output


def curation(project: Path) -> None:
    result = cli_in(project, "curate", "becoming-manager-of-former-peers", "--feature", *EDITOR)
    assert result.exit_code == 0, result.output


def edited_post(project: Path) -> None:
    path = project / f"content/threads/{THREAD}/thread.md"
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\nMise à jour : ils se parlent à nouveau.\n",
                    encoding="utf-8")


def theme_description_edit(project: Path) -> None:
    _edit(project / "content/themes.yml", "tensions dans l’équipe, médiation", "tensions dans l’équipe")


def theme_title_edit(project: Path) -> None:
    """The navigation lists every theme: every page shows the new title."""
    _edit(project / "content/themes.yml", 'fr: "Conflits et tensions"', 'fr: "Conflits"')


def tag_label_edit(project: Path) -> None:
    """The pages showing the tag (its threads, the lists holding them, its page, the index, the
    search filter) show the new label."""
    _edit(project / "content/tags.yml", "labels: {fr: charge de travail, en: workload}",
          "labels: {fr: charge de boulot, en: workload}")


def twin_grouping(project: Path) -> None:
    """Two tags become one: the absorbed tag's pages go, its threads show the other tag."""
    result = cli_in(project, "tags", "twin", "télétravail", "hybride", "--lang", "en", "--label", "hybrid and remote",
                    *EDITOR)
    assert result.exit_code == 0, result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page_template_edit(project: Path) -> None:
    path = project / "templates/thread.html"
    path.write_text(path.read_text(encoding="utf-8") + "\n<!-- revu -->\n", encoding="utf-8")


def theme_override_edit(project: Path) -> None:
    path = project / "templates/theme/partials/copyright.html"
    path.write_text(path.read_text(encoding="utf-8") + "\n<!-- revu -->\n", encoding="utf-8")


def configuration_edit(project: Path) -> None:
    _edit(project / "mkdocs.yml", "site_name: Entraide entre managers", "site_name: Entraide et managers")


def nothing(project: Path) -> None:
    pass


CONTENT_CHANGES: list[Callable[[Path], None]] = [nothing, new_thread, new_reply, withdrawal, curation, edited_post,
                                                 theme_description_edit, tag_label_edit, twin_grouping]
SITE_WIDE_CHANGES: list[Callable[[Path], None]] = [theme_title_edit, page_template_edit, theme_override_edit,
                                                   configuration_edit]


def build(project: Path) -> dict:
    result = cli_in(project, "build", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("change", CONTENT_CHANGES + SITE_WIDE_CHANGES, ids=lambda change: change.__name__)
def test_an_incremental_build_is_a_clean_build(tmp_path, change):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path / "project")
    before = files_of(project / "site")
    change(project)
    summary = build(project)
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
    pages = summary["pages"]
    if change in SITE_WIDE_CHANGES:
        assert summary["reused"] == 0, "a template or configuration change must render every page again"
        return
    changed = {name for name, data in files_of(project / "site").items() if before.get(name) != data}
    html_changed = {name for name in changed if name.endswith(".html")}
    rendered = pages - summary["reused"]
    assert rendered >= len(html_changed & _pages(project)), "a page that changed was linked from the old site"
    if change is nothing:
        assert rendered == 0 and not html_changed
    else:
        assert 0 < rendered < pages / 2, f"{rendered} of {pages} pages rendered for one change"


def _pages(project: Path) -> set[str]:
    """The generated pages (the 404 and the sitemap are rendered by MkDocs on every build)."""
    manifest = json.loads((project / ".entraide/pages.json").read_text(encoding="utf-8"))
    return set(manifest["pages"])


def test_every_page_is_linked_from_the_published_site_when_nothing_changed(tmp_path):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path / "project")
    inodes = {path: path.stat().st_ino for path in (project / "site").rglob("index.html")}
    summary = build(project)
    assert summary["reused"] == summary["pages"]
    assert all(path.stat().st_ino == inode for path, inode in inodes.items() if path.exists())


def test_a_site_published_otherwise_is_rendered_whole(tmp_path):  # type: ignore[no-untyped-def]
    """A site the manifest does not describe (another build, a copy) is never linked from."""
    project = example_project(tmp_path / "project")
    copy = tmp_path / "copy"
    shutil.copytree(project / "site", copy)
    shutil.rmtree(project / "site")
    copy.rename(project / "site")
    page = project / f"site/{THREAD}/index.html"
    page.write_text("altered", encoding="utf-8")
    summary = build(project)
    assert summary["reused"] == 0
    assert "altered" not in page.read_text(encoding="utf-8")


def test_the_navigation_cache_prints_materials_own_navigation(tmp_path):  # type: ignore[no-untyped-def]
    """The same site with entraide's navigation override and without it (Material's partial rendered
    for every page): byte for byte the same. Two threads per listing page give pages at every depth
    (``themes/<slug>/page/2/`` sees its theme's entry in the navigation as ``../../``)."""
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("per_page: 20", "per_page: 2")
    cached = example_project(tmp_path / "cached", mkdocs_yml=yml)
    plain = example_project(tmp_path / "plain", build=False, mkdocs_yml=yml)
    (plain / "templates/theme/partials/nav.html").unlink()
    build(plain)
    assert (cached / "site/themes/conflits/page/2/index.html").is_file()
    assert_same_site(cached / "site", plain / "site")
    assert (REPO / "templates/theme/partials/nav.html").is_file()


def test_a_build_with_nothing_changed_does_nothing_and_says_so(tmp_path):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path / "project")
    site = (project / "site").stat().st_ino
    result = cli_in(project, "build")
    assert result.exit_code == 0, result.output
    assert "up to date: nothing changed since the last build" in result.output
    assert (project / "site").stat().st_ino == site


@pytest.mark.parametrize("damage", ["index", "export", "journal", "post"])
def test_a_build_with_its_state_damaged_or_its_content_touched_is_not_skipped(tmp_path, damage):  # type: ignore[no-untyped-def]
    """Skipping needs the very inputs of the published build, a complete search index and export, and
    no interrupted moderation operation: otherwise the build runs (and repairs, or refuses)."""
    project = example_project(tmp_path / "project")
    if damage == "index":
        shutil.rmtree(project / ".entraide/search/index")
    elif damage == "export":
        (project / ".entraide/search/export/.incomplete").write_text("", encoding="utf-8")
    elif damage == "journal":
        from entraide.project import Project

        journal = Project(project, project / "mkdocs.yml", project / "content").journal_file
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_text("{}", encoding="utf-8")
    else:
        edited_post(project)
    result = cli_in(project, "build", "--json")
    if damage == "journal":
        assert result.exit_code != 0 or not json.loads(result.output)["up_to_date"], result.output
        return
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert not summary["up_to_date"]
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")
    assert cli_in(project, "search", "conflit").exit_code == 0
