"""End to end: the bundled example content, built by ``entraide build`` exactly as a user would."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from entraide.cli import main
from tests.conftest import REPO
from tests.htmlsite import listed_threads, nav_links, page, reply_ids, text


def front_matter(path: Path) -> dict[str, str]:
    """A deliberately naive reading of top-level ``key: value`` lines, independent of the loader."""
    block = path.read_text(encoding="utf-8").split("---\n")[1]
    pairs = (line.split(":", 1) for line in block.splitlines() if re.match(r"^[a-z_]+:", line))
    return {key: value.strip().strip('"') for key, value in pairs}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("example")
    for name in ("mkdocs.yml", "templates", "content"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    import os

    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert re.fullmatch(
        r"Built \d+ threads \(\d+ replies\) in \d+ themes: \d+ pages in site/, 0 warnings, [\d.]+ s; search: indexed \d+ threads\n",
        result.stdout,
    ), result.stdout
    return project


def threads(project: Path) -> list[Path]:
    return sorted(path for path in (project / "content/threads").iterdir() if path.is_dir())


def test_the_example_is_big_and_varied_enough(example):
    folders = threads(example)
    replies = [p for folder in folders for p in folder.glob("*.md") if p.name != "thread.md"]
    metas = [front_matter(folder / "thread.md") for folder in folders]
    assert len(folders) >= 30 and len(replies) >= 80
    assert len({meta["theme"] for meta in metas}) >= 6
    assert {meta["lang"] for meta in metas} == {"fr", "en"}
    assert any("summary" in meta and "best_reply" in meta for meta in metas)
    assert any(not any(p.name != "thread.md" for p in folder.glob("*.md")) for folder in folders)


def test_every_thread_and_theme_has_a_page(example):
    site = example / "site"
    for folder in threads(example):
        title = front_matter(folder / "thread.md")["title"]
        html = page(site, folder.name)
        assert re.search(r"<h1( lang=\"en\")?>", html) and title.split(" ")[0] in text(html)
    themes = re.findall(r"^  - slug: (\S+)", (example / "content/themes.yml").read_text(), re.M)
    assert len(themes) >= 6
    for slug in themes:
        assert (site / "themes" / slug / "index.html").is_file()


def test_theme_pages_list_their_threads_newest_first(example):
    site = example / "site"
    by_theme: dict[str, list[tuple[str, str]]] = {}
    for folder in threads(example):
        meta = front_matter(folder / "thread.md")
        by_theme.setdefault(meta["theme"], []).append((meta["date"], folder.name))
    for theme, entries in by_theme.items():
        html = page(site, f"themes/{theme}")
        slugs = lambda part: [href.strip("./").split("/")[-1] for href in listed_threads(part)]  # noqa: E731
        listed = slugs(html.split('id="latest"')[-1])
        featured = slugs(html.split('id="latest"')[0].split('id="featured"')[-1]) if 'id="featured"' in html else []
        expected = [slug for _, slug in sorted(entries, reverse=True) if slug not in featured]
        assert listed == expected, theme


def test_thread_pages_show_replies_in_date_order(example):
    site = example / "site"
    checked = 0
    for folder in threads(example):
        replies = [(front_matter(p)["date"], p.stem) for p in folder.glob("*.md") if p.name != "thread.md"]
        html = page(site, folder.name)
        assert reply_ids(html) == [stem for _, stem in sorted(replies)]
        checked += len(replies)
    assert checked >= 80


def test_anonymous_authors_names_reach_no_file_of_the_site(example):
    names = set()
    for path in (example / "content/threads").rglob("*.md"):
        meta = front_matter(path)
        if meta.get("anonymous") == "true" and meta.get("author"):
            names.add(meta["author"])
    assert len(names) >= 3
    leaks = []
    for built in (example / "site").rglob("*"):
        if built.is_file():
            data = built.read_bytes()
            leaks += [(str(built), name) for name in names if name.encode() in data or name.split()[-1].encode() in data]
    assert leaks == []
    assert any("Membre anonyme" in p.read_text() for p in (example / "site").rglob("index.html"))


def test_raw_content_is_never_copied_and_lunr_search_is_off(example):
    site = example / "site"
    assert not list(site.rglob("*.md")) and not list(site.rglob("*.yml"))
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / "assets/javascripts/lunr").exists() and not (site / "assets/javascripts/workers").exists()
    assert not list(site.rglob("*.map"))  # Material's engine and source maps, which no page fetches
    assert list((site / "assets/javascripts").glob("bundle.*.min.js"))  # Material's own script stays


def test_navigation_lists_home_and_themes_never_threads(example):
    site = example / "site"
    folder = threads(example)[0]
    links = nav_links(page(site, folder.name))
    themes = re.findall(r"^  - slug: (\S+)", (example / "content/themes.yml").read_text(), re.M)
    assert len(links) == len(themes) + 4  # home, each theme, all threads, tags, contributors (search: in the header)
    assert not any(other.name in link for link in links for other in threads(example))


def test_curated_thread_shows_takeaways_and_marks_the_best_reply(example):
    site = example / "site"
    curated = [f for f in threads(example) if "best_reply" in front_matter(f / "thread.md")]
    assert curated
    for folder in curated:
        best = front_matter(folder / "thread.md")["best_reply"]
        html = page(site, folder.name)
        assert 'class="admonition-title" id="takeaways">' in html
        assert f'<article class="ent-post ent-reply ent-reply--best" id="reply-{best}">' in html
        assert f'href="#reply-{best}"' in html


def test_every_post_has_a_permalink(example):
    folder = next(f for f in threads(example) if len(list(f.glob("*.md"))) > 1)
    html = page(example / "site", folder.name)
    anchors = re.findall(r'<article class="ent-post[^"]*" id="([^"]+)"', html)
    assert anchors[0] == "post" and len(anchors) == len(list(folder.glob("*.md")))
    for anchor in anchors:
        assert f'<a class="ent-permalink" href="#{anchor}"' in html


def test_english_threads_are_marked_english_on_a_french_site(example):
    site = example / "site"
    english = [f for f in threads(example) if front_matter(f / "thread.md")["lang"] == "en"]
    assert english
    for folder in english:
        html = page(site, folder.name)
        assert '<h1 lang="en">' in html and '<div class="ent-post__body" lang="en">' in html
    assert '<html lang="fr"' in page(site, "")


def test_home_lists_themes_with_counts_and_latest_threads(example):
    html = page(example / "site", "")
    assert re.search(r'class="ent-theme-card__count">\d+ discussions?</span>', html)
    assert len(listed_threads(html.split('id="latest"')[1])) == 10


def test_tags_index_and_tag_pages(example):
    site = example / "site"
    html = page(site, "tags")
    tag_links = re.findall(r'class="ent-tag" href="([^"]+)">', html)
    assert len(tag_links) >= 10
    first = tag_links[0].strip("./").split("/")[-1]
    assert listed_threads(page(site, f"tags/{first}"))


def test_a_thread_without_replies_says_so_once(make_project, run):
    from tests.conftest import THEMES, THREAD

    project = make_project({"content/themes.yml": THEMES, "content/threads/seul/thread.md": THREAD})
    assert run(project, "build").exit_code == 0
    html = (project / "site/seul/index.html").read_text(encoding="utf-8")
    assert '<p class="ent-no-reply" id="replies">Pas encore de réponse.</p>' in html
    assert "0 réponse</h2>" not in html and html.count('id="replies"') == 1
