"""Editors curate: themes.yml edited in place (comments and order kept), threads curated, then built."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest

from tests.conftest import example_project


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return example_project(tmp_path / "example", build=False)


def themes_text(project: Path) -> str:
    return (project / "content/themes.yml").read_text(encoding="utf-8")


def test_themes_add_edit_move_remove_keep_comments_and_order(example, run):  # type: ignore[no-untyped-def]
    before = themes_text(example)
    result = run(example, "themes", "add", "mentorat", "--title-fr", "Mentorat", "--title-en", "Mentoring",
                 "--after", "carriere", "--editor", "Ed")
    assert result.exit_code == 0 and result.output == "Added theme 'mentorat' at position 7 of 12.\n"
    after = themes_text(example)
    assert after.startswith(before.split("  - slug: charge")[0])  # comments and earlier themes untouched
    assert "  - slug: mentorat\n    title:\n      fr: Mentorat\n      en: Mentoring\n  - slug: charge" in after
    assert run(example, "themes", "edit", "mentorat", "--description-fr", "Trouver un mentor.", "--editor", "Ed").exit_code == 0
    assert run(example, "themes", "move", "mentorat", "--position", "1", "--editor", "Ed").exit_code == 0
    listed = json.loads(run(example, "themes", "list", "--json").stdout)
    assert [row["slug"] for row in listed][:2] == ["mentorat", "conflits"]
    assert listed[0]["threads"] == 0
    assert themes_text(example).startswith("# Editors' themes. The order here is the order on the site.\n")
    assert run(example, "themes", "remove", "mentorat", "--editor", "Ed").exit_code == 0
    assert themes_text(example) == before
    log = [json.loads(line) for line in (example / "moderation/log.jsonl").read_text().splitlines()]
    assert [entry["action"] for entry in log] == ["theme-add", "theme-edit", "theme-move", "theme-remove"]
    assert all(entry["editor"] == "Ed" for entry in log)


def test_removing_a_theme_in_use_is_refused(example, run):  # type: ignore[no-untyped-def]
    before = themes_text(example)
    result = run(example, "themes", "remove", "covoiturage", "--editor", "Ed")
    assert result.exit_code == 1
    assert result.output.startswith("Error: theme 'covoiturage' still holds 3 threads (")
    assert result.output.endswith("move them first: entraide curate SLUG --theme OTHER\n")
    assert themes_text(example) == before


def test_bad_edits_change_nothing(example, run):  # type: ignore[no-untyped-def]
    before = themes_text(example)
    thread = example / "content/threads/first-hire-as-a-new-manager/thread.md"
    original = thread.read_text(encoding="utf-8")
    cases = [
        (("themes", "add", "conflits", "--title-fr", "X"), "Error: theme 'conflits' already exists\n"),
        (("themes", "add", "Mauvais Slug", "--title-fr", "X"), None),
        (("themes", "move", "conflits"), "Error: say where: one of --before SLUG, --after SLUG or --position N\n"),
        (("curate", "first-hire-as-a-new-manager", "--best-reply", "nope"), None),
        (("curate", "first-hire-as-a-new-manager", "--theme", "nowhere"), None),
        (("curate", "first-hire-as-a-new-manager", "--related", "ghost-thread"), None),
        (("curate", "no-such-thread", "--feature"), "Error: no published thread 'no-such-thread'\n"),
    ]
    for args, message in cases:
        result = run(example, *args, "--editor", "Ed")
        assert result.exit_code == 1, args
        assert result.output.startswith("Error: ") and "Traceback" not in result.output
        if message:
            assert result.output == message
    assert themes_text(example) == before and thread.read_text(encoding="utf-8") == original
    assert not (example / "moderation/log.jsonl").exists()


def test_curated_thread_reaches_home_theme_page_and_feed(example, run, tmp_path):  # type: ignore[no-untyped-def]
    slug = "first-hire-as-a-new-manager"
    thread = example / f"content/threads/{slug}/thread.md"
    original = thread.read_text(encoding="utf-8")
    assert run(example, "themes", "add", "mentorat", "--title-fr", "Mentorat", "--title-en", "Mentoring",
               "--editor", "Ed").exit_code == 0
    takeaways = tmp_path / "takeaways.md"
    takeaways.write_text("- Définissez le poste avant de recruter.\n- Préparez l'accueil.\n", encoding="utf-8")
    result = run(example, "curate", slug, "--theme", "mentorat", "--feature", "--summary", str(takeaways),
                 "--best-reply", "2024-04-16-olu", "--editor", "Ed")
    assert result.exit_code == 0, result.output
    assert result.output == f"Curated '{slug}': theme, summary, best_reply, featured. Rebuild the site to publish.\n"
    edited = thread.read_text(encoding="utf-8")
    assert edited.split("---\n", 2)[2] == original.split("---\n", 2)[2]  # the body is untouched
    assert "title: \"My first hire as a new manager: what do you wish you had known?\"\n" in edited
    assert "featured: [first-hire-as-a-new-manager]" in themes_text(example)

    assert run(example, "build").exit_code == 0
    site = example / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    featured = home.split('<h2 id="featured">', 1)[1].split("<h2", 1)[0]
    assert f'href="{slug}/"' in featured
    theme_page = (site / "themes/mentorat/index.html").read_text(encoding="utf-8")
    assert f'href="../../{slug}/"' in theme_page
    page = (site / slug / "index.html").read_text(encoding="utf-8")
    assert page.index("Définissez le poste") < page.index('id="post"')
    assert 'class="ent-post ent-reply ent-reply--best" id="reply-2024-04-16-olu"' in page
    trail = page.split('<nav class="ent-breadcrumb" aria-label="Fil d’Ariane">', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', trail) == [("../", "Accueil"), ("../themes/mentorat/", "Mentorat")]
    feed = feedparser.parse((site / "themes/mentorat/feed.xml").read_bytes())
    assert [entry.link for entry in feed.entries] == [f"https://entraide.example.org/{slug}/"]


MARKUP_PAYLOADS = [p for p in __import__("tests.payloads", fromlist=["FIELD_PAYLOADS"]).FIELD_PAYLOADS if re.search(r"<[a-zA-Z/!]", p)]


@pytest.mark.parametrize("option", ["--title-fr", "--title-en", "--description-fr", "--description-en"])
def test_markup_in_a_theme_is_refused_by_themes_add_and_edit(example, run, option):
    before = themes_text(example)
    assert len(MARKUP_PAYLOADS) >= 30
    for payload in MARKUP_PAYLOADS:
        extra = () if option.startswith("--title") else ("--title-fr", "Mentorat")
        for args in (("themes", "add", "mentorat", *extra, option, payload), ("themes", "edit", "conflits", option, payload)):
            result = run(example, *args, "--editor", "Ed")
            assert result.exit_code == 1, (args, result.output)
            field = option.removeprefix("--").rsplit("-", 1)[0]
            assert result.output.startswith(f"Error: {option}: HTML is not allowed in a theme's {field}, it is plain text"), result.output
    assert themes_text(example) == before
    assert not (example / "moderation/log.jsonl").exists()


def test_replacing_takeaways_shows_a_diff_and_needs_confirmation(example, run, tmp_path):  # type: ignore[no-untyped-def]
    slug = "conflit-entre-deux-collaborateurs"
    thread = example / f"content/threads/{slug}/thread.md"
    original = thread.read_text(encoding="utf-8")
    assert "summary: |\n  - Voir chaque personne **séparément**" in original
    takeaways = tmp_path / "takeaways.md"
    takeaways.write_text("- Écouter chacun séparément.\n", encoding="utf-8")

    refused = run(example, "curate", slug, "--summary", str(takeaways), "--editor", "Ed")
    assert refused.exit_code == 1  # no terminal to confirm on: nothing saved is a failure
    assert "-- Voir chaque personne **séparément**" in refused.stdout
    assert "+- Écouter chacun séparément." in refused.stdout
    assert refused.stderr == "Error: Not saved: no terminal to confirm on; run again with --yes to save.\n"
    assert thread.read_text(encoding="utf-8") == original

    as_json = run(example, "curate", slug, "--summary", str(takeaways), "--json", "--editor", "Ed")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["ok"] is False
    assert thread.read_text(encoding="utf-8") == original

    saved = run(example, "curate", slug, "--summary", str(takeaways), "--yes", "--editor", "Ed")
    assert saved.exit_code == 0, saved.output
    assert "\nsummary: \"- Écouter chacun séparément.\"\n" in thread.read_text(encoding="utf-8")

    same = run(example, "curate", slug, "--summary", str(takeaways), "--editor", "Ed")  # nothing replaced: no question
    assert "it is already as asked" in same.stderr and "Not saved" not in same.output and "@@" not in same.stdout


def test_curate_gives_a_thread_a_better_title_and_keeps_its_address(make_project, run):
    from tests.conftest import valid_files

    project = make_project(valid_files())
    source = project / "content/threads/conflit-collegues/thread.md"
    before = source.read_text(encoding="utf-8")
    done = run(project, "curate", "conflit-collegues", "--title", "  Deux collègues   ne se parlent plus : que faire ?  ",
               "--editor", "Anne E.")
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "Curated 'conflit-collegues': title. Rebuild the site to publish."
    after = source.read_text(encoding="utf-8")
    changed = [(old, new) for old, new in zip(before.splitlines(), after.splitlines(), strict=True) if old != new]
    assert len(changed) == 1 and changed[0][1] == 'title: "Deux collègues ne se parlent plus : que faire ?"'
    assert run(project, "build").exit_code == 0
    html = (project / "site/conflit-collegues/index.html").read_text(encoding="utf-8")
    assert "Deux collègues ne se parlent plus\u202f: que faire\u202f?</h1>" in html


@pytest.mark.parametrize(("title", "message"), [
    ("", "--title: must not be empty"),
    ("x" * 201, "--title: is 201 characters long; at most 200 allowed"),
    ("Écrivez à ines@exemple.fr", "--title: personal data: an e-mail address (ines@exemple.fr)"),
    ("Un <b>titre</b>", "--title: HTML is not allowed here"),
])
def test_curate_refuses_a_title_the_check_would_refuse_and_writes_nothing(make_project, run, title, message):
    from tests.conftest import valid_files

    project = make_project(valid_files())
    source = project / "content/threads/conflit-collegues/thread.md"
    before = source.read_text(encoding="utf-8")
    refused = run(project, "curate", "conflit-collegues", "--title", title, "--editor", "Anne E.")
    assert refused.exit_code == 1 and message in refused.output, refused.output
    assert "Traceback" not in refused.output and source.read_text(encoding="utf-8") == before


def test_curate_with_nothing_to_change_says_what_it_takes(make_project, run):
    from tests.conftest import valid_files

    project = make_project(valid_files())
    refused = run(project, "curate", "conflit-collegues", "--editor", "Anne E.")
    assert refused.exit_code == 1
    assert "nothing to curate: give --title, --theme, --tags, --summary" in refused.output
    assert not (project / "moderation/log.jsonl").exists()
