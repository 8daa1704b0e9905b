"""A relative link in a post is a broken link on the public site (its thread page, the feeds): every
form a link target can take, relative, absolute or a same-page anchor, is generated and checked —
by the screening, by ``entraide check``, by ``entraide accept`` and by the build's own check."""

from __future__ import annotations

import pytest

from entraide.moderation import screening
from tests.conftest import THREAD, valid_files

FORMS = {  # how a post can write a link target
    "link": "Voir [ici]({target}).",
    "link in angle brackets": "Voir [ici](<{target}>).",
    "link with a title": 'Voir [ici]({target} "le titre").',
    "image": "Voir ![le schéma]({target}).",
    "reference definition": "Voir [ici][1].\n\n[1]: {target}",
    "raw HTML href": 'Voir <a href="{target}">ici</a>.',
    "raw HTML src": "Voir <img src='{target}'>.",
    "autolink": "Voir <{target}>.",
}
RELATIVE = ["../autre/page", "autre-page", "/conflit-collegues/", "page.html", "www.example.org/page", "%2e%2e/x"]
ABSOLUTE = ["https://example.org/autre/page", "http://example.org/", "mailto:equipe@example.org"]
ANCHORS = ["#reply-2025-03-05-karim", "#section"]


def _message(target: str) -> str:
    return f"a relative link ({target}) leads nowhere on the site: give the full https:// address"


def cases():  # type: ignore[no-untyped-def]
    for form, text in FORMS.items():
        for kind, targets in (("relative", RELATIVE), ("absolute", ABSOLUTE), ("anchor", ANCHORS)):
            for target in targets:
                # An autolink always has a scheme: ``<../x>`` is text, not a link, and nothing to flag;
                # raw HTML is shown as text too (its scheme is still screened, by the link-scheme rule).
                flagged = kind == "relative" and form != "autolink" and not form.startswith("raw HTML")
                if form == "autolink" and kind == "anchor":
                    continue
                yield pytest.param(text.format(target=target), target, flagged, id=f"{form}-{kind}-{target}")


@pytest.mark.parametrize(("text", "target", "flagged"), list(cases()))
def test_every_relative_link_target_is_flagged_and_nothing_else(text, target, flagged):
    found = [f for f in screening.screen(text, 7) if f.code == screening.RELATIVE_LINK]
    line = 7 + text.count("\n")  # a reference definition is on the post's last line
    assert [(f.line, f.message) for f in found] == ([(line, _message(target))] if flagged else [])
    assert screening.relative_links(text, 7) == found  # published posts: the same rule


@pytest.mark.parametrize("text", [
    "`[ici](../autre/page)`",
    "```\n[ici](../autre/page)\n```",
    "Le ratio (../autre) ne compte pas, ni [ceci] (../x).",
])
def test_code_and_prose_are_not_links(text):
    assert not [f for f in screening.screen(text) if f.code == screening.RELATIVE_LINK]


SUBMISSION = """\
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
Deux personnes de mon équipe ne se parlent plus.

Voir [ici](../autre/page), ou [la section](#section).
"""
S = "submissions/2025-11-20-lien.md"


def test_check_new_and_accept_refuse_a_relative_link(make_project, run, tmp_path):
    files = valid_files()
    files[S] = SUBMISSION
    project = make_project(files)
    checked = run(project, "check", "submissions/")
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [f"{S}:14: {_message('../autre/page')}", "1 problem in 1 file."]
    accepted = run(project, "accept", "2025-11-20-lien", "--editor", "Ed")
    assert accepted.exit_code == 1
    assert f"{S}:14: {_message('../autre/page')}" in accepted.output
    assert (project / S).exists() and not (project / "content/threads/un-conflit-dans-mon-equipe-que-faire").exists()
    body = tmp_path / "post.md"
    body.write_text("Voir [ici](../autre/page).\n", encoding="utf-8")
    written = run(project, "new", "--no-input", "--lang", "fr", "--title", "Un conflit", "--theme", "conflits",
                  "--author", "Inès", "--consent", "--body-file", str(body), "--id", "x")
    assert written.exit_code == 1
    assert ("drafts/x.md:12: le lien relatif « ../autre/page » ne mène nulle part sur le site : donnez "
            "l'adresse complète, en https://") in written.stderr.replace("\u202f", " ")


def test_a_published_post_with_a_relative_link_is_reported_by_check_and_build(make_project, run):
    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace(
        "ne se parlent plus.", "ne se parlent plus. Voir [ici](../autre/page) et [là](#haut)."
    )
    project = make_project(files)
    expected = f"content/threads/conflit-collegues/thread.md:12: {_message('../autre/page')}"
    checked = run(project, "check")
    assert checked.exit_code == 1
    assert checked.stdout.splitlines() == [expected, "1 problem in 1 file."]
    built = run(project, "build")
    assert built.exit_code == 1
    assert expected in built.output
    assert not (project / "site").exists()
