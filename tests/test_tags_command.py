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
    assert data["tags"][2] == {"name": "recrutement", "aliases": [], "threads": 0, "submissions": 1, "labels": {}}


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


# -- labels and twins -------------------------------------------------------------------------------


def test_label_sets_and_removes_a_label_keeping_the_comments_and_is_logged(tagged, run):
    result = run(tagged, "tags", "label", "conflit", "--lang", "en", "conflict", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    assert result.stdout == "The tag 'conflit' now shows as 'conflict' in English.\n"
    french = run(tagged, "tags", "label", "médiation", "--lang", "fr", "médiation (tiers)", "--editor", "Anne E.")
    assert french.exit_code == 0, french.output
    assert run(tagged, "tags", "label", "conflit", "--lang", "fr", "Conflit", "--editor", "A").exit_code == 0
    assert (tagged / "content/tags.yml").read_text() == """\
# Les étiquettes admises
tags:
  - name: conflit  # la plus utilisée
    labels: {fr: Conflit, en: conflict}
    aliases: [conflits, tension]
  - name: médiation
    labels: {fr: médiation (tiers)}
  - name: recrutement
"""
    listed = run(tagged, "tags", "list")
    assert listed.stdout.splitlines()[0].split() == [
        "conflit", "1", "thread,", "1", "pending", "fr:", "Conflit", "·", "en:", "conflict", "(also", "conflits,", "tension)"]
    data = json.loads(run(tagged, "tags", "list", "--json").stdout)
    assert data["tags"][0]["labels"] == {"fr": "Conflit", "en": "conflict"}
    entry = log_lines(tagged)[0]
    assert (entry["action"], entry["post"], entry["lang"], entry["label"]) == ("tags-label", "conflit", "en", "conflict")
    removed = run(tagged, "tags", "label", "conflit", "--lang", "fr", "--remove", "--editor", "A")
    assert removed.exit_code == 0 and removed.stdout == "The tag 'conflit' shows as 'conflit' in French again.\n"
    assert "    labels: {en: conflict}\n    aliases: [conflits, tension]\n" in (tagged / "content/tags.yml").read_text()
    assert run(tagged, "check").exit_code == 0


@pytest.mark.parametrize(("args", "code", "message"), [
    (["label", "conflit", "--lang", "en", "--remove"], 1, "Error: tag 'conflit' has no English label\n"),
    (["label", "inconnu", "--lang", "en", "x"], 1, "Error: no tag 'inconnu' in content/tags.yml\n"),
    (["label", "conflits", "--lang", "en", "x"], 1, "Error: 'conflits' is an alias of 'conflit', not a tag\n"),
    (["label", "conflit", "--lang", "en", "  "], 1,
     "Error: LABEL: must not be empty (use --remove to show the tag's name)\n"),
    (["label", "conflit", "--lang", "de", "x"], 2, "Invalid value for '--lang'"),
    (["label", "conflit", "--lang", "en"], 2, "Error: give a LABEL, or --remove to show the tag's name\n"),
    (["label", "conflit", "--lang", "en", "médiation"], 1,
     "line 4: labels: the en label 'médiation' of tag 'conflit' is how tag 'médiation' (line 6) shows"),
    (["twin", "conflit", "tension", "--lang", "en"], 1, "Error: TWIN: 'tension' is an alias of 'conflit', not a tag\n"),
    (["twin", "conflit", "conflit", "--lang", "en"], 1, "Error: a tag cannot be its own twin\n"),
    (["alias", "conflit", "médiation"], 1,
     "Error: 'médiation' is already a tag, with its own page: to make it the twin of 'conflit' (one tag, its "
     "threads retagged), run `entraide tags twin conflit médiation --lang LANG`\n"),
    (["add", "mentorat", "--label", "de=Mentor"], 2, "expected LANG=TEXT with LANG one of fr, en"),
])
def test_label_and_twin_refusals_change_nothing(tagged, run, args, code, message):
    before = (tagged / "content/tags.yml").read_text()
    result = run(tagged, "tags", *args, "--editor", "A")
    assert result.exit_code == code, result.output
    assert message in result.stderr if code == 2 else (message in result.stderr and result.stderr.endswith("\n"))
    assert (tagged / "content/tags.yml").read_text() == before
    assert log_lines(tagged) == []


@pytest.fixture
def twins(make_project):
    """An English tag 'conflict', twin of 'conflit', used by a published thread and a submission."""
    files = valid_files()
    files["content/tags.yml"] = VOCABULARY.replace("tags:\n", "tags:\n  - name: conflict\n    aliases: [conflicts]\n")
    thread = "content/threads/conflit-collegues/thread.md"
    files[thread] = files[thread].replace("tags: [conflit, médiation]", "tags: [conflict, médiation]")
    files["submissions/2025-06-01-recrutement.md"] = sub_thread().replace("tags: [recrutement]", "tags: [conflict]")
    return make_project(files)


def test_twin_groups_the_threads_and_submissions_of_both_spellings_under_one_tag(twins, run):
    assert run(twins, "check").exit_code == 0
    result = run(twins, "tags", "twin", "conflit", "conflict", "--lang", "en", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("'conflict' is now the English twin of 'conflit': one tag, shown as 'conflict' in "
                             "English; 1 thread and 1 submission retagged, 'conflict' kept as an alias.\n")
    assert (twins / "content/tags.yml").read_text() == """\
# Les étiquettes admises
tags:
  - name: conflit  # la plus utilisée
    labels: {en: conflict}
    aliases: [conflits, tension, conflicts, conflict]
  - name: médiation
  - name: recrutement
"""
    assert 'tags: ["conflit", "médiation"]' in (twins / "content/threads/conflit-collegues/thread.md").read_text()
    assert 'tags: ["conflit"]' in (twins / "submissions/2025-06-01-recrutement.md").read_text()
    assert log_lines(twins)[-1] | {"when": None, "op": None} == {
        "op": None, "action": "tags-twin", "post": "conflit", "editor": "Anne E.", "when": None, "twin": "conflict",
        "lang": "en", "label": "conflict", "threads": 1, "submissions": 1,
    }
    assert run(twins, "check").exit_code == 0
    listed = run(twins, "tags", "list").stdout.splitlines()
    assert listed[0].split() == ["conflit", "1", "thread,", "1", "pending", "en:", "conflict",
                                 "(also", "conflits,", "tension,", "conflicts,", "conflict)"]
    assert listed[-1] == "3 tags."


def test_twin_takes_the_twins_label_or_the_one_given(twins, run):
    path = twins / "content/tags.yml"
    path.write_text(path.read_text().replace("  - name: conflict\n", "  - name: conflict\n    labels: {en: Conflict, fr: Conflit (en)}\n"))
    result = run(twins, "tags", "twin", "conflit", "conflict", "--lang", "en", "--label", "Conflicts", "--editor", "A")
    assert result.exit_code == 0, result.output
    assert "shown as 'Conflicts' in English" in result.stdout
    assert "    labels: {fr: Conflit (en), en: Conflicts}\n" in path.read_text()  # the twin's French label fills the gap


def test_add_with_labels(tagged, run):
    added = run(tagged, "tags", "add", "mentorat", "--label", "en=mentoring", "--label", "fr=Mentorat", "--editor", "A")
    assert added.exit_code == 0, added.output
    assert "  - name: mentorat\n    labels: {fr: Mentorat, en: mentoring}\n  - name: recrutement\n" in (
        tagged / "content/tags.yml").read_text()
    assert log_lines(tagged)[-1]["labels"] == {"en": "mentoring", "fr": "Mentorat"}
