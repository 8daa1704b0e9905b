"""The CLI's sentences: counts agree with their number, and an anonymous import is by « an anonymous member »."""

from __future__ import annotations

import json

import pytest

from entraide.wording import Noun, counted, plural
from tests.conftest import THEMES, THREAD, reply
from tests.importing import FIXTURES, small_project, submission_files

NOUNS = [("thread", "threads"), ("reply", "replies"), ("day", "days"), ("theme", "themes"), ("box", "boxes"),
         ("match", "matches"), ("replacement", "replacements"), ("pending submission", "pending submissions")]


@pytest.mark.parametrize(("one", "many"), NOUNS)
@pytest.mark.parametrize("count", [0, 1, 2, 11, 21])
def test_an_english_count_agrees_with_its_noun(one, many, count):
    assert plural(one) == many
    assert counted(count, one) == f"{count} {one if count == 1 else many}"
    assert Noun.regular(one)(count) == counted(count, one)


@pytest.mark.parametrize(("count", "expected"), [(0, "0 réponse"), (1, "1 réponse"), (2, "2 réponses")])
def test_a_french_count_takes_the_singular_for_zero_and_one(count, expected):
    assert counted(count, "réponse", lang="fr") == expected


def test_a_phrase_says_both_its_forms():
    noun = Noun("messages without replies", "message without replies")
    assert [noun(n) for n in (0, 1, 2)] == ["0 messages without replies", "1 message without replies",
                                            "2 messages without replies"]


SLACK = str(FIXTURES / "slack" / "export")
ANONYMOUS_IMPORT = ("import", "slack", SLACK, "--theme", "conflits", "--license", "CC-BY-SA-4.0", "--basis", "accord")


def test_one_imported_thread_and_one_skipped_message_are_singular(make_project, run):
    project = small_project(make_project)
    imported = run(project, *ANONYMOUS_IMPORT)
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip() == (
        "Imported 1 thread and 2 replies from Slack into submissions/ as submissions (anonymous); skipped 3 "
        "(2 bot, join and other system messages; 1 message without replies (not a discussion)).")
    again = run(project, *ANONYMOUS_IMPORT, "--json")
    assert json.loads(again.stdout)["skipped"] == {  # the JSON keys stay as they were
        "already pending": 3, "bot, join and other system messages": 2,
        "messages without replies (not a discussion)": 1}


def one_of_each(make_project):  # type: ignore[no-untyped-def]
    return make_project({
        "content/themes.yml": THEMES.split("  - slug: running")[0],
        "content/threads/conflit-collegues/thread.md": THREAD,
        "content/threads/conflit-collegues/2025-03-05-karim.md": reply(),
        "submissions/2025-06-02-hugo.md": "---\nreply_to: conflit-collegues\nauthor: \"Hugo D.\"\n"
                                          "date: 2025-06-02\nconsent: true\n---\nMême chose chez Durand SA.\n",
    })


def test_single_counts_in_check_stats_review_and_redact_are_singular(make_project, run):
    project = one_of_each(make_project)
    checked = run(project, "check")
    assert checked.stdout == "Checked 1 thread, 1 reply, 1 theme and 1 submission: no problem.\n"
    stats = run(project, "stats").stdout.splitlines()
    assert stats[0] == "1 thread, 1 reply, 1 theme"
    assert stats[-1] == "  and 0 anonymous posts, counted for no one"
    review = run(project, "review").stdout.splitlines()
    assert review[0] == "1 pending submission (oldest first):"
    redacted = run(project, "redact", "2025-06-02-hugo", "--replace", "Durand SA=une PME", "--yes",
                   "--editor", "Anne E.")
    assert redacted.stdout.endswith("Redacted 2025-06-02-hugo (1 replacement).\n"), redacted.output
    assert run(project, "index").exit_code == 0
    found = run(project, "search", "collègues").stdout.splitlines()
    assert found[-1].startswith("1 thread found (")


def test_an_anonymous_import_is_listed_by_an_anonymous_member(make_project, run):
    project = small_project(make_project)
    assert run(project, *ANONYMOUS_IMPORT).exit_code == 0
    review = run(project, "review")
    assert review.exit_code == 0, review.output
    authors = [line.strip().split(" · ")[0] for line in review.stdout.splitlines() if line.strip().startswith("by ")]
    assert authors == ["by anonymous member"] * 3
    assert "by ?" not in review.stdout and "(anonymous)" not in review.stdout
    opening = next(name for name, text in submission_files(project).items() if "\nreply_to:" not in text)
    shown = run(project, "show", opening)
    assert "  author   anonymous member    date " in shown.stdout and "? (anonymous)" not in shown.stdout


def test_a_pseudonymous_import_is_listed_by_its_pseudonym(make_project, run):
    project = small_project(make_project)
    assert run(project, *ANONYMOUS_IMPORT, "--pseudonyms").exit_code == 0
    authors = {line.strip().split(" · ")[0] for line in run(project, "review").stdout.splitlines()
               if line.strip().startswith("by ")}
    assert authors and all(author.startswith("by Membre ") and len(author) == len("by Membre ") + 6
                           for author in authors)
