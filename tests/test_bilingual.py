"""The interface in English, selected in mkdocs.yml: strings, dates (Babel), page and thread languages."""

from __future__ import annotations

import re

import feedparser
import pytest

from tests.conftest import REPO, example_project


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("  language: fr", "  language: en")
    assert "language: en" in config
    return example_project(tmp_path_factory.mktemp("english") / "project", mkdocs_yml=config) / "site"


def test_english_interface_strings_and_dates(english_site):  # type: ignore[no-untyped-def]
    home = (english_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="en"', home)
    assert "Latest discussions" in home and "Dernières discussions" not in home
    french = (english_site / "collaborateur-proche-du-burn-out/index.html").read_text(encoding="utf-8")
    assert '<h1 lang="fr">' in french and '<div class="ent-post__body" lang="fr">' in french
    assert '<div class="entraide entraide-thread">' in french  # the interface around it is English
    assert "Anonymous member" in french and "Membre anonyme" not in french
    assert re.search(r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}", french)
    assert not re.search(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}", french)


def test_english_search_page_and_feed(english_site):  # type: ignore[no-untyped-def]
    search = (english_site / "search/index.html").read_text(encoding="utf-8")
    assert "Search the discussions" in search and 'data-lang="en"' in search
    assert '<option value="">All languages</option>' in search
    feed = feedparser.parse((english_site / "feed.xml").read_bytes())
    assert feed.feed.language == "en"
    contributors = (english_site / "contributors/index.html").read_text(encoding="utf-8")
    assert "Anonymous posts: 8" in contributors
