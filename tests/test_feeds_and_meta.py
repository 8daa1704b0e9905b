"""Atom feeds (checked with feedparser), OpenGraph, canonical links and the sitemap of the example site."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from entraide.loading.loader import load_content
from tests.conftest import cli_in, example_project

SITE_URL = "https://entraide.example.org/"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_project(tmp_path_factory.mktemp("feeds") / "project")


def test_site_feed_is_valid_atom_newest_first(example: Path) -> None:
    feed = feedparser.parse((example / "site/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Entraide entre managers"
    tree = load_content(example / "content")
    newest = sorted(tree.threads, key=lambda t: t.last_activity, reverse=True)
    assert [entry.link for entry in feed.entries] == [f"{SITE_URL}{t.slug}/" for t in newest]
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)
    first = feed.entries[0]
    assert first.title and first.summary and first.content[0].value.startswith("<p>")


def test_theme_feeds_hold_their_threads_only(example: Path) -> None:
    tree = load_content(example / "content")
    for theme in tree.themes:
        feed = feedparser.parse((example / f"site/themes/{theme.slug}/feed.xml").read_bytes())
        assert not feed.bozo
        expected = {f"{SITE_URL}{t.slug}/" for t in tree.threads_in(theme.slug)}
        assert {entry.link for entry in feed.entries} == expected
        assert all(entry.tags[0].term == theme.slug for entry in feed.entries)
    page = (example / "site/themes/conflits/index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate feed" type="application/atom+xml" title="Conflits et tensions — Entraide entre managers" href="feed.xml">' in page


def test_anonymous_authors_in_feeds(example: Path) -> None:
    feed = feedparser.parse((example / "site/feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith("/collaborateur-proche-du-burn-out/"))
    assert entry.author == "Membre anonyme"


def test_thread_page_has_opengraph_and_canonical(example: Path) -> None:
    page = (example / "site/conflit-entre-deux-collaborateurs/index.html").read_text(encoding="utf-8")
    meta = dict(re.findall(r'<meta property="og:([a-z_]+)" content="([^"]*)">', page))
    assert meta["title"] == "Conflit entre deux membres de mon équipe\u202f: comment intervenir\u202f?"
    assert meta["type"] == "article"
    assert meta["url"] == f"{SITE_URL}conflit-entre-deux-collaborateurs/"
    assert meta["description"].startswith("Bonjour à toutes et à tous")
    assert f'<link rel="canonical" href="{SITE_URL}conflit-entre-deux-collaborateurs/">' in page


def test_sitemap_lists_exactly_the_published_pages(example: Path) -> None:
    sitemap = (example / "site/sitemap.xml").read_text(encoding="utf-8")
    locations = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    pages = {
        SITE_URL + str(path.parent.relative_to(example / "site")).removeprefix(".") + "/"
        for path in (example / "site").rglob("index.html")
    }
    pages = {url.replace(SITE_URL + "/", SITE_URL) for url in pages}
    assert locations == pages
    tree = load_content(example / "content")
    assert {f"{SITE_URL}{t.slug}/" for t in tree.threads} <= locations


def test_contributors_page_credits_names_never_anonymous_posts(example: Path) -> None:
    page = (example / "site/contributors/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>', page)
    assert rows
    best = [int(row[1]) for row in rows]
    assert best == sorted(best, reverse=True)
    tree = load_content(example / "content")
    hidden = {
        post.fields.author
        for thread in tree.threads
        for post in (thread, *thread.replies)
        if post.fields.anonymous and post.fields.author
    }
    assert hidden and not any(name in page for name in hidden)
    assert "Messages anonymes\u202f: 8" in page


def test_stats_for_editors(example: Path) -> None:
    import json

    result = cli_in(example, "stats", "--json", "--top", "3")
    text = cli_in(example, "stats")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["threads"], data["replies"]) == (39, 140)
    assert data["without_reply"] == ["half-marathon-plan-with-a-busy-schedule"]
    assert sum(data["themes"].values()) == 39
    assert data["queue"] == {"pending": 0, "oldest_days": None, "median_days": None}
    assert len(data["contributors"]) == 3 and data["contributors"][0]["best_replies"] >= 1
    assert data["anonymous_posts"] == 8
    assert text.exit_code == 0 and text.output.startswith("39 threads, 140 replies, 11 themes\n")
    assert "and 8 anonymous posts, counted for no one" in text.output
    assert "\n  Agnès B.        1 best reply, 1 thread, 4 replies\n" in text.output


def test_excerpts_keep_french_spacing(make_project, run) -> None:
    from tests.conftest import THREAD, valid_files

    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace(
        "Deux personnes de mon équipe ne se parlent plus.", "Que faire ? Elles ne se parlent plus : « jamais »."
    )
    project = make_project(files)
    assert run(project, "build").exit_code == 0
    home = (project / "site/index.html").read_text(encoding="utf-8")
    assert "Que faire\u202f? Elles ne se parlent plus\u202f: «\u202fjamais\u202f»." in home


def _published(feed_text: str, slug: str) -> str:
    entry = feed_text.split(f"/{slug}/</id>")[1].split("</entry>")[0]
    found = re.search(r"<published>([^<]+)</published>", entry)
    assert found, entry
    return found.group(1)


def test_feed_times_carry_the_communitys_offset_winter_and_summer(example: Path) -> None:
    text = (example / "site/feed.xml").read_text(encoding="utf-8")  # time_zone defaults to Europe/Paris
    assert _published(text, "conflit-entre-deux-collaborateurs") == "2025-03-04T00:00:00+01:00"
    assert _published(text, "async-standups-do-they-work").endswith("+02:00")  # summer time in August


def test_time_zone_option_and_explicit_offsets(tmp_path: Path) -> None:
    from tests.conftest import REPO

    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      per_page: 20\n", "      per_page: 20\n      time_zone: America/Montreal\n")
    project = example_project(tmp_path / "project", build=False, mkdocs_yml=yml)
    opening = project / "content/threads/async-standups-do-they-work/thread.md"
    opening.write_text(re.sub(r"(?m)^date: .*$", "date: 2025-08-04T09:30:00+05:30", opening.read_text(), count=1))
    assert cli_in(project, "build", "-q").exit_code == 0
    text = (project / "site/feed.xml").read_text(encoding="utf-8")
    assert _published(text, "conflit-entre-deux-collaborateurs") == "2025-03-04T00:00:00-05:00"
    # written with its own offset: the same instant, in the community's time
    assert _published(text, "async-standups-do-they-work") == "2025-08-04T00:00:00-04:00"
    broken = yml.replace("America/Montreal", "Mars/Olympus_Mons")
    (project / "mkdocs.yml").write_text(broken, encoding="utf-8")
    result = cli_in(project, "build")
    assert result.exit_code != 0 and "time_zone 'Mars/Olympus_Mons' is not a known time zone" in result.output
