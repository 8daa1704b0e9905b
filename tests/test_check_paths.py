"""``entraide check PATH``: a post outside content/ and submissions/ is checked as a submission, and a
path that names nothing to check is an error, never "no problem"."""

from __future__ import annotations

import json

import pytest

from tests.conftest import valid_files

GOOD = """\
---
title: "Un conflit dans mon équipe, que faire ?"
theme: conflits
tags: [conflit]
lang: fr
author: "Inès T."
anonymous: false
date: 2025-11-20
consent: true
license: CC-BY-SA-4.0
---
Deux personnes de mon équipe ne se parlent plus depuis la réorganisation.
"""

BAD = GOOD.replace("theme: conflits", "theme: conflit").replace("consent: true", "consent: false") + (
    "Écrivez-moi à ines@exemple.fr.\n"
)


@pytest.fixture
def project(make_project):
    files = valid_files()
    files["drafts/2025-11-20-brouillon.md"] = BAD
    files["drafts/2025-11-20-propre.md"] = GOOD
    files["notes/lisez-moi.txt"] = "rien\n"
    files["vide/.gitkeep"] = ""
    files["submissions/notes.txt"] = "rien\n"
    return make_project(files)


def test_a_draft_is_checked_as_the_same_file_in_submissions_would_be(project, run):
    drafted = run(project, "check", "drafts/2025-11-20-brouillon.md")
    (project / "submissions/2025-11-20-brouillon.md").write_text(BAD, encoding="utf-8")
    submitted = run(project, "check", "submissions/2025-11-20-brouillon.md")
    assert drafted.exit_code == submitted.exit_code == 1
    as_draft = drafted.stdout.replace("drafts/", "submissions/")
    assert as_draft == submitted.stdout
    assert drafted.stdout.splitlines() == [
        "drafts/2025-11-20-brouillon.md:3: theme: unknown theme 'conflit'; did you mean 'conflits'?",
        "drafts/2025-11-20-brouillon.md:9: consent: the author has not agreed to publication; consent must be true",
        "drafts/2025-11-20-brouillon.md:13: personal data: an e-mail address (ines@exemple.fr)",
        "3 problems in 1 file.",
    ]


def test_a_clean_draft_and_a_folder_of_drafts(project, run):
    clean = run(project, "check", "drafts/2025-11-20-propre.md")
    assert (clean.exit_code, clean.stdout) == (0, "Checked 1 path: no problem.\n")
    folder = run(project, "check", "drafts")
    assert folder.exit_code == 1
    assert {line.split(":")[0] for line in folder.stdout.splitlines()[:-1]} == {"drafts/2025-11-20-brouillon.md"}


def test_a_post_outside_the_project_is_checked_too(project, run, tmp_path):
    outside = tmp_path / "ailleurs.md"
    outside.write_text(BAD, encoding="utf-8")
    result = run(project, "check", str(outside))
    assert result.exit_code == 1
    assert "theme: unknown theme 'conflit'; did you mean 'conflits'?" in result.stdout


NOTHING_TO_CHECK = [  # (path, message)
    ("nonexistent.md", "no such file or folder"),
    ("drafts/absent.md", "no such file or folder"),
    ("absent", "no such file or folder"),
    ("/etc/hostname", "is not a Markdown post: give a .md file, or a folder of them"),
    ("mkdocs.yml", "is not a Markdown post: give a .md file, or a folder of them"),
    ("notes/lisez-moi.txt", "is not a Markdown post: give a .md file, or a folder of them"),
    ("submissions/notes.txt", "is not a Markdown post: give a .md file, or a folder of them"),
    ("vide", "holds no Markdown post (.md file) to check"),
]


@pytest.mark.parametrize(("path", "message"), NOTHING_TO_CHECK, ids=[case[0] for case in NOTHING_TO_CHECK])
def test_a_path_with_nothing_to_check_is_an_error_naming_it(project, run, path, message):
    result = run(project, "check", path)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [f"{path}:1: path: {message}", "1 problem in 1 file."]
    as_json = run(project, "check", "--json", path)
    assert as_json.exit_code == 1
    report = json.loads(as_json.stdout)
    assert report["ok"] is False
    assert [(p["path"], p["field"], p["message"]) for p in report["problems"]] == [(path, "path", message)]


@pytest.mark.parametrize("path", [".", "content", "content/threads/conflit-collegues", "submissions"])
def test_paths_inside_the_checked_tree_still_narrow_the_report(project, run, path):
    result = run(project, "check", path)
    assert (result.exit_code, result.stdout) == (0, "Checked 1 path: no problem.\n"), result.output
