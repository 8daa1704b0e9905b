"""content/tags.yml: the controlled vocabulary of tags, checked by `entraide check`, applied by accept and curate."""

from __future__ import annotations

import json

from tests.conftest import valid_files

VOCABULARY = """\
# allowed tags
tags:
  - name: conflit
    aliases: [conflits, tension]
  - name: médiation
"""


def test_tags_outside_the_vocabulary_are_reported_with_line(make_project, run):  # type: ignore[no-untyped-def]
    files = valid_files()
    files["content/tags.yml"] = VOCABULARY
    thread = files["content/threads/conflit-collegues/thread.md"]
    files["content/threads/conflit-collegues/thread.md"] = thread.replace("tags: [conflit, médiation]", "tags: [conflits, mediation]")
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.output.splitlines()[:2] == [
        "content/threads/conflit-collegues/thread.md:4: tags: tag 'conflits' is spelled 'conflit' in content/tags.yml",
        "content/threads/conflit-collegues/thread.md:4: tags: tag 'mediation' is not in content/tags.yml; "
        "did you mean 'médiation'? (editors add new tags there)",
    ]


def test_a_broken_vocabulary_is_reported(make_project, run):  # type: ignore[no-untyped-def]
    files = valid_files()
    files["content/tags.yml"] = "tags:\n  - name: conflit\n    aliases: [conflit-ouvert]\n  - name: Conflit\n  - nom: x\n"
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("content/tags.yml")]
    assert lines[0].startswith("content/tags.yml:4: name: tag 'Conflit' must be lowercase")
    assert any(line.startswith("content/tags.yml:5: nom: unknown field") for line in lines[1:])


def test_accept_and_curate_use_the_tag_names(make_project, run, tmp_path):  # type: ignore[no-untyped-def]
    files = valid_files()
    files["content/tags.yml"] = VOCABULARY
    project = make_project(files)
    body = tmp_path / "post.md"
    body.write_text("Deux personnes se disputent sans arrêt.\n", encoding="utf-8")
    new = run(project, "new", "--no-input", "--lang", "fr", "--title", "Tensions dans l'équipe", "--theme", "conflits",
              "--tags", "tension,inconnu", "--author", "Zoé", "--consent", "--body-file", str(body), "--id", "2025-04-01-zoe")
    assert new.exit_code == 0, new.output
    check = run(project, "check", "--json")
    warnings = [p for p in json.loads(check.stdout)["problems"] if p["code"] == "tag"]
    assert [w["message"] for w in warnings] == [
        "tag 'inconnu' is not in content/tags.yml (editors add new tags there); editors choose at acceptance"
    ]
    refused = run(project, "accept", "2025-04-01-zoe", "--editor", "Ed")
    assert refused.exit_code == 1
    assert "tag 'inconnu' is not in content/tags.yml" in refused.output and "choose tags with --tags" in refused.output
    accepted = run(project, "accept", "2025-04-01-zoe", "--tags", "tension,médiation", "--editor", "Ed")
    assert accepted.exit_code == 0, accepted.output
    slug = "tensions-dans-l-equipe"
    text = (project / f"content/threads/{slug}/thread.md").read_text(encoding="utf-8")
    assert 'tags: ["conflit", "médiation"]' in text
    curated = run(project, "curate", slug, "--tags", "conflits", "--editor", "Ed")
    assert curated.exit_code == 0, curated.output
    assert 'tags: ["conflit"]' in (project / f"content/threads/{slug}/thread.md").read_text(encoding="utf-8")
    assert run(project, "curate", slug, "--tags", "hors-liste", "--editor", "Ed").exit_code == 1
