"""Tag labels: one tag per pair of French and English twins, shown by its label in the interface's
language on every page that shows tags, and in the search page's filter and results.

The example project groups its twins (conflit/conflict, carrière/career…) and labels them; it is built
once with the French interface and once with the English one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from entraide.collation import sort_key
from tests.browser import serve
from tests.conftest import REPO, example_project, valid_files
from tests.htmlsite import listed_threads, page

FRENCH_THREAD = "conflit-entre-deux-collaborateurs"  # tags: conflit, médiation, communication
ENGLISH_THREAD = "async-standups-do-they-work"  # tags: télétravail (was remote-work), communication


@pytest.fixture(scope="module")
def french_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_project(tmp_path_factory.mktemp("labels-fr") / "project") / "site"


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("  language: fr", "  language: en")
    return example_project(tmp_path_factory.mktemp("labels-en") / "project", mkdocs_yml=config) / "site"


def tag_badges(html: str) -> list[tuple[str, str]]:
    """(href, label) of every tag badge of a page, in order."""
    return re.findall(r'<a class="ent-tag" href="([^"]+)">([^<]+)</a>', html)


def test_a_thread_page_shows_each_tag_by_its_label_in_the_interface_language(french_site, english_site):  # type: ignore[no-untyped-def]
    assert tag_badges(page(french_site, FRENCH_THREAD)) == [
        ("../tags/conflit/", "conflit"), ("../tags/mediation/", "médiation"), ("../tags/communication/", "communication")]
    assert tag_badges(page(english_site, FRENCH_THREAD)) == [
        ("../tags/conflit/", "conflict"), ("../tags/mediation/", "mediation"), ("../tags/communication/", "communication")]
    # an English thread tagged with the grouped twin: the French interface shows the French label
    assert tag_badges(page(french_site, ENGLISH_THREAD))[0] == ("../tags/teletravail/", "télétravail")
    assert tag_badges(page(english_site, ENGLISH_THREAD))[0] == ("../tags/teletravail/", "remote work")


def test_twins_share_one_tag_page_listing_the_threads_of_both_languages(french_site, english_site):  # type: ignore[no-untyped-def]
    for site in (french_site, english_site):
        assert not (site / "tags/conflict").exists() and not (site / "tags/remote-work").exists()
        threads = listed_threads(page(site, "tags/conflit"))
        assert "../../code-review-fights-between-two-seniors/" in threads  # English, was tagged 'conflict'
        assert f"../../{FRENCH_THREAD}/" in threads
    assert "<h1>Discussions avec l’étiquette «\u202fconflit\u202f»</h1>" in page(french_site, "tags/conflit")
    english = page(english_site, "tags/conflit")
    assert "<h1>Discussions tagged “conflict”</h1>" in english and "<title>Discussions tagged “conflict”" in english


def test_listing_pages_show_the_labels(english_site):  # type: ignore[no-untyped-def]
    theme = page(english_site, "themes/teletravail")
    labels = [label for _href, label in tag_badges(theme)]
    assert "remote work" in labels and "hybrid work" in labels and "télétravail" not in labels


def test_the_tags_index_is_in_dictionary_order_of_the_labels(french_site, english_site):  # type: ignore[no-untyped-def]
    french = [label for _href, label in tag_badges(page(french_site, "tags"))]
    english = [label for _href, label in tag_badges(page(english_site, "tags"))]
    assert french == sorted(french, key=sort_key) and english == sorted(english, key=sort_key)
    assert french.index("covoiturage") < french.index("débutant") < french.index("discrimination")  # é as e
    assert "charge de travail" in french and "workload" not in french
    assert "workload" in english and "charge de travail" not in english
    assert len(french) == len(english) == 33  # 41 tags, 8 pairs of twins grouped
    assert ("teletravail/", "remote work") in tag_badges(page(english_site, "tags"))


def test_the_search_filter_lists_the_tags_by_their_labels(french_site, english_site):  # type: ignore[no-untyped-def]
    def options(site: Path) -> list[tuple[str, str]]:
        select = re.search(r'<select id="ent-tag" name="tag">(.*?)</select>', page(site, "search"), re.S)
        assert select
        return re.findall(r'<option value="([^"]*)">([^<]*)</option>', select.group(1))

    french, english = options(french_site), options(english_site)
    assert french[0] == ("", "Toutes les étiquettes") and english[0] == ("", "All tags")
    assert ("teletravail", "télétravail") in french and ("teletravail", "remote work") in english
    assert [label for _v, label in english[1:]] == sorted((label for _v, label in english[1:]), key=sort_key)
    assert {value for value, _label in french} == {value for value, _label in english}


def test_the_search_export_holds_tag_addresses_only(french_site):  # type: ignore[no-untyped-def]
    """Labels are the page's (one export serves both interfaces); the export adds only each result's
    tag addresses and one small list per tag, fetched when a reader filters by it."""
    fragments = [json.loads(path.read_text(encoding="utf-8")) for path in (french_site / "search/d").glob("*.json")]
    tags = {fragment["slug"]: fragment.get("tags") for fragment in fragments}
    assert tags["code-review-fights-between-two-seniors"] == ["conflit", "communication"]
    assert (french_site / "search/tag/conflit.json").stat().st_size < 20
    assert not (french_site / "search/tag/conflict.json").exists()
    assert "remote work" not in (french_site / "search/meta.json").read_text(encoding="utf-8")


def test_feeds_carry_the_tag_and_its_label(english_site):  # type: ignore[no-untyped-def]
    feed = feedparser.parse((english_site / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith(f"/{FRENCH_THREAD}/"))
    assert {(tag.term, tag.label) for tag in entry.tags} >= {("conflit", "conflict"), ("médiation", "mediation")}


def test_a_search_for_the_twin_word_finds_threads_of_both_languages(french_site):  # type: ignore[no-untyped-def]
    """The English thread now tagged 'télétravail' is still about "remote work" (its label), and
    --tag takes an alias for its tag."""
    from tests.conftest import cli_in

    project = french_site.parent
    found = json.loads(cli_in(project, "search", "wfh OR remote", "--tag", "remote-work", "--json", "-n", "50").stdout)
    assert found["total"] > 0
    assert all("télétravail" in hit["tags"] for hit in found["hits"])


def test_the_search_page_filters_by_tag_and_shows_the_labels(english_site, shared_context):  # type: ignore[no-untyped-def]
    with serve(english_site) as base:
        page_ = shared_context.new_page()
        page_.goto(f"{base}search/?q=team+OR+%C3%A9quipe&tag=conflit")
        page_.wait_for_selector("[data-entraide-search][data-state=done]")
        slugs = page_.eval_on_selector_all("[data-search-results] > li", "items => items.map(li => li.dataset.slug)")
        assert "code-review-fights-between-two-seniors" in slugs and FRENCH_THREAD in slugs
        badges = page_.eval_on_selector_all(
            "[data-search-results] > li .ent-tag", "links => links.map(a => [a.href, a.textContent])")
        assert [f"{base}tags/conflit/", "conflict"] in badges
        assert all(label != "conflit" for _href, label in badges)
        assert page_.eval_on_selector("#ent-tag", "select => select.value") == "conflit"
        every = page_.eval_on_selector_all(
            "[data-search-results] > li", "items => items.map(li => Array.from(li.querySelectorAll('.ent-tag')).map(a => a.textContent))")
        assert all("conflict" in tags for tags in every)
        page_.select_option("#ent-tag", "")
        page_.wait_for_selector("[data-entraide-search][data-state=done]")
        assert "tag=" not in page_.url
        page_.close()


# -- content/tags.yml: the labels are checked with the rest of the content ---------------------------


@pytest.mark.parametrize(("vocabulary", "expected"), [
    ("tags:\n  - name: conflit\n    labels: {fr: Conflit, de: Konflikt}\n  - name: médiation\n",
     "content/tags.yml:3: labels: unknown language 'de'; expected fr, en"),
    ("tags:\n  - name: conflit\n    labels:\n      fr: Conflit\n      en: \"  \"\n  - name: médiation\n",
     "content/tags.yml:5: labels: must not be empty"),
    ("tags:\n  - name: conflit\n    labels: Conflit\n  - name: médiation\n",
     "content/tags.yml:3: labels: expected a mapping of languages such as {fr: Conflit, en: Conflict}, found text"),
    ("tags:\n  - name: conflit\n    labels: {fr: Conflit, fr: Dispute}\n  - name: médiation\n",
     "content/tags.yml:3: fr: duplicate key 'fr' (first set on line 3)"),
    ("tags:\n  - name: conflit\n    labels: {en: Mediation}\n  - name: médiation\n    labels: {en: médiation}\n",
     "content/tags.yml:5: labels: the en label 'médiation' looks like 'Mediation', the label of tag 'conflit' "
     "(line 2): two tags would look alike; give each its own label"),
    ("tags:\n  - name: conflict\n  - name: conflit\n    labels: {en: Conflict}\n  - name: médiation\n",
     "content/tags.yml:4: labels: the en label 'Conflict' of tag 'conflit' is how tag 'conflict' (line 2) shows: "
     "two tags would look alike; if they are twins, group them with `entraide tags twin conflit conflict --lang en`"),
])
def test_a_wrong_label_is_reported_with_its_line(make_project, run, vocabulary, expected):  # type: ignore[no-untyped-def]
    files = valid_files()
    files["content/tags.yml"] = vocabulary
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    assert expected in result.output.splitlines(), result.output


def test_a_twin_spelling_left_in_a_published_thread_is_refused_with_its_tag(make_project, run):  # type: ignore[no-untyped-def]
    """Aliases are written as their tag by accept and curate; a published thread must use the tag."""
    files = valid_files()
    files["content/tags.yml"] = "tags:\n  - name: conflit\n    labels: {en: conflict}\n    aliases: [conflict]\n  - name: médiation\n"
    thread = "content/threads/conflit-collegues/thread.md"
    files[thread] = files[thread].replace("tags: [conflit, médiation]", "tags: [conflict, médiation]")
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    assert f"{thread}:4: tags: tag 'conflict' is spelled 'conflit' in content/tags.yml" in result.output.splitlines()


def test_a_threads_tags_are_found_by_their_label_in_the_threads_language(make_project, run):  # type: ignore[no-untyped-def]
    """Its text never writes « brouille »: the tag's French label does (the thread is French); the
    English label is the English interface's, not this thread's words. The name still counts."""
    files = valid_files()
    files["content/tags.yml"] = "tags:\n  - name: conflit\n    labels: {fr: brouille, en: quarrel}\n  - name: médiation\n"
    project = make_project(files)
    assert run(project, "index").exit_code == 0

    def total(query: str) -> int:
        result = run(project, "search", query, "--json")
        assert result.exit_code == 0, result.output
        return int(json.loads(result.stdout)["total"])

    assert total("brouille") == 1 and total("conflit") == 1
    assert total("quarrel") == 0


def test_a_label_is_text_on_every_page_and_in_the_search_filter(make_project, run):  # type: ignore[no-untyped-def]
    files = valid_files()
    files["content/tags.yml"] = ("tags:\n  - name: conflit\n    labels: {fr: \"<img src=x onerror=alert(1)> & co\"}\n"
                                 "  - name: médiation\n")
    project = make_project(files)
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    site = project / "site"
    for url in ("conflit-collegues", "tags", "tags/conflit", "search", "themes/conflits"):
        html = page(site, url)
        assert "<img src=x" not in html, url
        assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in html, url


def test_the_theme_counts_are_those_of_the_chosen_tag(english_site, shared_context):  # type: ignore[no-untyped-def]
    from tests.conftest import cli_in

    found = json.loads(cli_in(english_site.parent, "search", "team OR équipe", "--tag", "conflit", "--json",
                              "-n", "100").stdout)
    expected: dict[str, int] = {}
    for hit in found["hits"]:
        expected[hit["theme"]] = expected.get(hit["theme"], 0) + 1
    with serve(english_site) as base:
        page_ = shared_context.new_page()
        page_.goto(f"{base}search/?q=team+OR+%C3%A9quipe&tag=conflit")
        page_.wait_for_selector("[data-entraide-search][data-state=done]")
        page_.focus("#ent-theme")
        page_.wait_for_function("() => document.querySelector('#ent-theme option:nth-child(2)').textContent.endsWith(')')")
        counted = page_.eval_on_selector_all("#ent-theme option", "os => os.map(o => [o.value, o.textContent])")
        page_.close()
    counts = {slug: int(label.rsplit("(", 1)[1].rstrip(")")) for slug, label in counted[1:]}
    assert counts == {slug: expected.get(slug, 0) for slug in counts}
    assert sum(counts.values()) == found["total"] > 1
