"""entraide tags list|add|alias|rename: the vocabulary edited with its comments kept, a rename carried
into every published thread and pending submission, and suggestions only for close typos."""

from __future__ import annotations

import json

import pytest

from entraide import tagging
from entraide.model import TagVocabulary
from tests.conftest import valid_files
from tests.test_crash_safety import entraide, log_lines
from tests.test_moderation import sub_thread

VOCABULARY = """\
# Les étiquettes admises
tags:
  - name: conflit  # la plus utilisée
    aliases: [conflits, tension]
  - name: médiation
  - name: recrutement
"""


@pytest.fixture
def tagged(make_project):
    files = valid_files()
    files["content/tags.yml"] = VOCABULARY
    files["submissions/2025-06-01-recrutement.md"] = sub_thread().replace("tags: [recrutement]",
                                                                          "tags: [conflit, recrutement]")
    return make_project(files)


def test_list_shows_each_tag_with_its_use(tagged, run):
    result = run(tagged, "tags", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["conflit", "1", "thread,", "1", "pending", "(also", "conflits,", "tension)"]
    assert lines[1].split() == ["médiation", "1", "thread"]
    assert lines[-1] == "3 tags."
    data = json.loads(run(tagged, "tags", "list", "--json").stdout)
    assert data["tags"][2] == {"name": "recrutement", "aliases": [], "threads": 0, "submissions": 1}


def test_add_and_alias_keep_the_comments_and_are_logged(tagged, run):
    added = run(tagged, "tags", "add", "mentorat", "--alias", "mentor", "--editor", "Anne E.")
    assert added.exit_code == 0, added.output
    assert added.stdout == "Added the tag 'mentorat' (aliases: mentor).\n"
    aliased = run(tagged, "tags", "alias", "conflit", "friction", "--editor", "Anne E.")
    assert aliased.exit_code == 0, aliased.output
    assert (tagged / "content/tags.yml").read_text() == """\
# Les étiquettes admises
tags:
  - name: conflit  # la plus utilisée
    aliases: [conflits, tension, friction]
  - name: médiation
  - name: mentorat
    aliases: [mentor]
  - name: recrutement
"""
    assert [(e["action"], e["post"]) for e in log_lines(tagged)] == [("tags-add", "mentorat"), ("tags-alias", "conflit")]
    twice = run(tagged, "tags", "add", "tension", "--editor", "A")
    assert twice.exit_code == 1 and twice.stderr == "Error: 'tension' is already an alias of 'conflit'\n"
    bad = run(tagged, "tags", "add", "Pas Bon", "--editor", "A")
    assert bad.exit_code == 1 and "must be lowercase words joined by hyphens" in bad.stderr
    assert run(tagged, "check").exit_code == 0


def test_rename_updates_every_post_and_submission(tagged, run):
    result = run(tagged, "tags", "rename", "conflit", "désaccord", "--keep-alias", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("Renamed the tag 'conflit' to 'désaccord' in 1 thread and 1 submission, "
                             "'conflit' kept as an alias.\n")
    thread = (tagged / "content/threads/conflit-collegues/thread.md").read_text()
    assert 'tags: ["désaccord", "médiation"]' in thread and 'title: "Conflit entre deux collègues' in thread
    pending = (tagged / "submissions/2025-06-01-recrutement.md").read_text()
    assert 'tags: ["désaccord", "recrutement"]' in pending and "author: \"Inès T.\"" in pending
    vocabulary = (tagged / "content/tags.yml").read_text()
    assert "  - name: désaccord # la plus utilisée\n    aliases: [conflits, tension, conflit]\n" in vocabulary
    assert log_lines(tagged)[-1] | {"when": None, "op": None} == {
        "op": None, "action": "tags-rename", "post": "conflit", "editor": "Anne E.", "when": None,
        "to": "désaccord", "threads": 1, "submissions": 1,
    }
    assert run(tagged, "check").exit_code == 0
    merged = run(tagged, "tags", "rename", "médiation", "désaccord", "--editor", "Anne E.")
    assert merged.exit_code == 0, merged.output
    assert 'tags: ["désaccord"]' in (tagged / "content/threads/conflit-collegues/thread.md").read_text()
    assert "médiation" not in (tagged / "content/tags.yml").read_text()
    assert run(tagged, "check").exit_code == 0


def test_rename_an_unknown_tag_of_submissions_to_a_known_one(tagged, run):
    path = tagged / "submissions/2025-06-01-recrutement.md"
    path.write_text(path.read_text().replace("tags: [conflit, recrutement]", "tags: [embauche]"))
    refused = run(tagged, "tags", "rename", "embauche", "inconnu", "--editor", "A")
    assert refused.exit_code == 1 and "'inconnu' is not in content/tags.yml: add it first" in refused.stderr
    result = run(tagged, "tags", "rename", "embauche", "recrutement", "--editor", "A")
    assert result.exit_code == 0, result.output
    assert 'tags: ["recrutement"]' in path.read_text()
    assert "embauche" not in (tagged / "content/tags.yml").read_text()


@pytest.mark.parametrize("checkpoint", ["journal-written", "written", "logged"])
def test_a_rename_killed_midway_is_finished_by_the_next_command(tagged, checkpoint):
    import signal

    killed = entraide(tagged, "tags", "rename", "conflit", "désaccord", "--editor", "A", kill_at=checkpoint)
    assert killed.returncode == -signal.SIGKILL
    assert entraide(tagged, "check").returncode == 0
    assert "désaccord" in (tagged / "content/threads/conflit-collegues/thread.md").read_text()
    assert "désaccord" in (tagged / "submissions/2025-06-01-recrutement.md").read_text()
    assert [e["action"] for e in log_lines(tagged)] == ["tags-rename"]


VOCAB = TagVocabulary(
    ("inclusion", "remote-work", "médiation", "conflit", "feedback", "télétravail", "recrutement", "burn-out"),
    {"conflits": "conflit", "teletravail": "télétravail"},
)


@pytest.mark.parametrize(("typo", "meant"), [
    ("mediation", "médiation"), ("Médiation", "médiation"), ("feedbak", "feedback"), ("recrutment", "recrutement"),
    ("teletravial", "télétravail"), ("burnout", "burn-out"), ("conflts", "conflit"), ("inclusoin", "inclusion"),
])
def test_near_typos_are_suggested(typo, meant):
    assert tagging.suggest(typo, VOCAB) == meant


@pytest.mark.parametrize("word", ["discussion", "resume", "remote", "work", "management", "conflict-resolution",
                                  "media", "feed", "travail", "bien-être"])
def test_unrelated_words_are_not_suggested(word):
    assert tagging.suggest(word, VOCAB) is None


def test_check_reports_an_unknown_tag_once_with_its_count(tagged, run):
    for n in range(2, 6):
        (tagged / f"submissions/2025-06-0{n}-import.md").write_text(
            sub_thread(f"Message {n}.").replace("Mon premier recrutement", f"Import {n}")
            .replace("tags: [recrutement]", "tags: [embauche, mediation]"), encoding="utf-8")
    result = run(tagged, "check", "submissions/")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "submissions/2025-06-02-import.md:4: warning: tags: tag 'embauche' is not in content/tags.yml "
        "(editors add new tags there); used by 4 submissions (this one, 2025-06-03-import, 2025-06-04-import, "
        "2025-06-05-import); editors choose at acceptance",
        "submissions/2025-06-02-import.md:4: warning: tags: tag 'mediation' is not in content/tags.yml; did you "
        "mean 'médiation'? (editors add new tags there); used by 4 submissions (this one, 2025-06-03-import, "
        "2025-06-04-import, 2025-06-05-import); editors choose at acceptance",
        "0 problems and 2 warnings in 1 file.",
    ]


def test_the_first_tag_added_starts_a_vocabulary_holding_the_published_tags(make_project, run):
    project = make_project(valid_files())
    result = run(project, "tags", "add", "recrutement", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    text = (project / "content/tags.yml").read_text()
    assert text.endswith("tags:\n  - name: conflit\n  - name: médiation\n  - name: recrutement\n")
    assert run(project, "check").exit_code == 0
