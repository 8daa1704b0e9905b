"""Every class of bad input gets one exact, located message from ``entraide check``, exit status 1."""

from __future__ import annotations

import pytest

from tests.conftest import THREAD, reply, valid_files

T = "content/threads/conflit-collegues/thread.md"
R = "content/threads/conflit-collegues/2025-03-05-karim.md"


def thread_with(old: str, new: str) -> str:
    assert old in THREAD
    return THREAD.replace(old, new)


CASES = [
    # (id, files to override, expected line of output)
    ("unknown key with hint", {T: thread_with("tags:", "tagz:")}, f"{T}:4: tagz: unknown field; did you mean 'tags'?"),
    ("lang: no is text, not false", {T: thread_with("lang: fr", "lang: no")}, f"{T}:5: lang: expected one of fr, en; found 'no'"),
    ("boolean spelled yes", {T: thread_with("anonymous: false", "anonymous: yes")}, f"{T}:7: anonymous: expected true or false, found 'yes'"),
    ("time alone is not a date", {T: thread_with("date: 2025-03-04", "date: 12:30")}, f"{T}:8: date: expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found '12:30'"),
    ("impossible date", {T: thread_with("date: 2025-03-04", "date: 2025-02-30")}, f"{T}:8: date: '2025-02-30' is not a real date"),
    ("number-like licence", {T: thread_with("license: CC-BY-SA-4.0", "license: 1.10")}, f"{T}:10: license: expected one of CC-BY-SA-4.0, CC-BY-4.0, CC0-1.0, CC-BY-SA-3.0; found '1.10' (editors add licences in content/licenses.yml)"),
    ("missing required field", {T: thread_with('title: "Conflit entre deux collègues : que faire ?"\n', "")}, f"{T}:2: title: missing required field in the front matter"),
    ("empty required field", {T: thread_with('title: "Conflit entre deux collègues : que faire ?"', "title:")}, f"{T}:2: title: must not be empty"),
    ("consent not given", {T: thread_with("consent: true", "consent: false")}, f"{T}:9: consent: the author has not agreed to publication; consent must be true"),
    ("no author and not anonymous", {T: thread_with('author: "Claire M."\n', "")}, f"{T}:2: author: missing author: give a display name, or set anonymous: true"),
    ("tags must be a list", {T: thread_with("tags: [conflit, médiation]", "tags: conflit")}, f"{T}:4: tags: expected a list such as [a, b], found a single value"),
    ("uppercase tag", {T: thread_with("tags: [conflit, médiation]", "tags: [conflit, Médiation]")}, f"{T}:4: tags: tag 'Médiation' must be lowercase words joined by hyphens, such as 'prise-de-parole'"),
    ("duplicate tag", {T: thread_with("tags: [conflit, médiation]", "tags: [conflit, conflit]")}, f"{T}:4: tags: 'conflit' is listed twice"),
    ("unknown theme with hint", {T: thread_with("theme: conflits", "theme: conflit")}, f"{T}:3: theme: unknown theme 'conflit'; did you mean 'conflits'?"),
    ("best reply not in thread", {T: thread_with("license: CC-BY-SA-4.0", "license: CC-BY-SA-4.0\nbest_reply: 2025-03-07-nobody")}, f"{T}:11: best_reply: no reply '2025-03-07-nobody' in this thread (2025-03-05-karim, 2025-03-06-anon)"),
    ("related to a missing thread", {T: thread_with("license: CC-BY-SA-4.0", "license: CC-BY-SA-4.0\nrelated: [nowhere]")}, f"{T}:11: related: no thread 'nowhere'"),
    ("duplicate key", {T: thread_with("lang: fr", "lang: fr\nlang: en")}, f"{T}:6: lang: invalid YAML: duplicate key 'lang' (first set on line 5)".replace("invalid YAML: ", "")),
    ("YAML tag", {T: thread_with('title: "Conflit entre deux collègues : que faire ?"', "title: !!python/object:os.system x")}, f"{T}:2: title: YAML tags (tag:yaml.org,2002:python/object:os.system) are not allowed"),
    ("YAML anchor", {T: thread_with('author: "Claire M."', 'author: &who "Claire M."')}, f"{T}:6: author: YAML anchors (&name) are not allowed"),
    ("YAML alias", {T: thread_with('author: "Claire M."', 'author: &who "Claire M."\ntitle2: *who')}, f"{T}:6: author: YAML anchors (&name) are not allowed"),
    ("malformed YAML", {T: thread_with("tags: [conflit, médiation]", "tags: [conflit, médiation")}, f"{T}:5: invalid YAML: did not find expected ',' or ']'"),
    ("text before the front matter", {T: "Bonjour\n" + THREAD}, f"{T}:1: the file must start with a '---' line that opens the front matter"),
    ("front matter never closed", {T: THREAD.replace("---\nDeux", "Deux")}, f"{T}:1: the front matter is never closed: add a '---' line after it"),
    ("empty body", {T: THREAD.split("---\nDeux")[0] + "---\n\n"}, f"{T}:12: the post has no text after its front matter"),
    ("front matter is a list", {T: "---\n- a\n- b\n---\nTexte\n"}, f"{T}:2: the front matter must be a mapping of fields, not a list"),
    ("bad reply id", {"content/threads/conflit-collegues/Reponse_1.md": reply()}, "content/threads/conflit-collegues/Reponse_1.md:1: id: reply file name 'Reponse_1' is not a valid slug: use lowercase letters a-z, digits and single hyphens (for example 'reponse-1')"),
    ("reserved thread slug", {"content/threads/tags/thread.md": THREAD}, "content/threads/tags:1: slug: folder name 'tags' is reserved for a page of the site; choose another slug"),
    ("accented thread slug", {"content/threads/équipe/thread.md": THREAD}, "content/threads/équipe:1: slug: folder name 'équipe' is not a valid slug: use lowercase letters a-z, digits and single hyphens (for example 'equipe')"),
    ("thread folder without opening post", {"content/threads/vide/2025-01-01-a.md": reply()}, "content/threads/vide:1: the thread has no thread.md (its opening post)"),
    ("reply_to names another thread", {R: reply().replace("author:", "reply_to: autre\nauthor:")}, f"{R}:2: reply_to: is 'autre' but the file is in the thread 'conflit-collegues'"),
    ("reply field from the opening post", {R: reply().replace("consent: true", "consent: true\ntitle: Re")}, f"{R}:6: title: unknown field; known fields: reply_to, in_reply_to, author, anonymous, date, consent, license, source, source_site, source_author, basis, source_best"),
    ("invalid UTF-8", {R: reply().encode("utf-8").replace(b"Voyez", b"Voy\xe9z")}, f"{R}:7: the file is not valid UTF-8 text"),
    ("YAML tag in a list", {T: thread_with("tags: [conflit, médiation]", "tags: [conflit, !!str médiation]")}, f"{T}:4: tags: YAML tags (tag:yaml.org,2002:str) are not allowed"),
    ("YAML tag on a key", {T: thread_with("lang: fr", "!!str lang: fr")}, f"{T}:5: lang: YAML tags (tag:yaml.org,2002:str) are not allowed"),
    ("YAML tag in a theme", {"content/themes.yml": "themes:\n  - slug: conflits\n    title: !custom A\n"}, "content/themes.yml:3: title: YAML tags (!custom) are not allowed"),
    ("invalid UTF-8 in the front matter", {R: reply().encode("utf-8").replace(b"Karim", b"K\xffrim")}, f"{R}:2: the file is not valid UTF-8 text"),
    ("invalid UTF-8 after CR line endings", {R: reply().replace("\n", "\r").encode("utf-8").replace(b"Voyez", b"Voy\xe9z")}, f"{R}:7: the file is not valid UTF-8 text"),
    ("invalid UTF-8 after CRLF line endings", {R: reply().replace("\n", "\r\n").encode("utf-8").replace(b"Voyez", b"Voy\xe9z")}, f"{R}:7: the file is not valid UTF-8 text"),
    ("control character", {R: reply().replace("Voyez", "Voy\x07ez")}, f"{R}:7: control character U+0007 is not allowed"),
    ("theme list missing", {"content/themes.yml": "themes: conflits\n"}, "content/themes.yml:1: themes: the file must hold a 'themes:' list"),
    ("duplicate theme", {"content/themes.yml": "themes:\n  - slug: conflits\n    title: A\n  - slug: conflits\n    title: B\n"}, "content/themes.yml:4: slug: theme 'conflits' is already defined on line 2"),
    ("theme language", {"content/themes.yml": "themes:\n  - slug: conflits\n    title: {de: Konflikte}\n"}, "content/themes.yml:3: title: unknown language 'de'; expected fr, en"),
    ("featured thread of another theme", {"content/themes.yml": "themes:\n  - slug: conflits\n    title: A\n  - slug: running\n    title: B\n    featured: [conflit-collegues]\n"}, "content/themes.yml:6: featured: thread 'conflit-collegues' belongs to theme 'conflits', not 'running'"),
]


@pytest.mark.parametrize(("overrides", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_gets_an_exact_located_message(make_project, run, overrides, expected):
    files = valid_files()
    files.update(overrides)
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1, result.output
    assert expected in result.stdout.splitlines(), result.stdout
    assert "Traceback" not in result.output


def test_every_problem_of_the_tree_is_reported_at_once(make_project, run):
    files = valid_files()
    files[T] = thread_with("lang: fr", "lang: de").replace("tags:", "tagz:")
    files[R] = reply(date="hier")
    files["content/threads/autre/thread.md"] = THREAD.replace("theme: conflits", "theme: nope")
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/threads/autre/thread.md:3: theme: unknown theme 'nope'; themes: conflits, running",
        f"{R}:4: date: expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found 'hier'",
        f"{T}:4: tagz: unknown field; did you mean 'tags'?",
        f"{T}:5: lang: expected one of fr, en; found 'de'",
        "4 problems in 3 files.",
    ]


def test_values_yaml_would_coerce_stay_text(make_project, run, tmp_path):
    files = valid_files()
    files[T] = thread_with('title: "Conflit entre deux collègues : que faire ?"', "title: 1.10").replace(
        'author: "Claire M."', "author: no"
    )
    project = make_project(files)
    assert run(project, "check").exit_code == 0
    from entraide.loading.loader import load_content

    thread = load_content(project / "content").threads_by_slug["conflit-collegues"]
    assert (thread.title, thread.fields.author) == ("1.10", "no")


def test_byte_order_mark_and_crlf_are_harmless(make_project, run):
    files: dict[str, str | bytes] = dict(valid_files())
    files[T] = b"\xef\xbb\xbf" + THREAD.replace("\n", "\r\n").encode("utf-8")
    project = make_project(files)
    assert run(project, "check").exit_code == 0
    from entraide.loading.loader import load_content

    thread = load_content(project / "content").threads_by_slug["conflit-collegues"]
    assert thread.body == "Deux personnes de mon équipe ne se parlent plus."
    assert thread.title == "Conflit entre deux collègues : que faire ?"


def test_text_is_nfc_normalised(make_project):
    files = valid_files()
    decomposed = "e\u0301quipe"  # "équipe" written with a combining accent
    files[T] = THREAD.replace("mon équipe", f"mon {decomposed}")
    project = make_project(files)
    from entraide.loading.loader import load_content

    thread = load_content(project / "content").threads_by_slug["conflit-collegues"]
    assert "mon \u00e9quipe" in thread.body


def test_check_with_paths_reports_only_those(make_project, run):
    files = valid_files()
    files[R] = reply(date="hier")
    files["content/threads/autre/thread.md"] = THREAD.replace("lang: fr", "lang: xx")
    project = make_project(files)
    result = run(project, "check", "content/threads/autre")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/threads/autre/thread.md:5: lang: expected one of fr, en; found 'xx'",
        "1 problem in 1 file.",
    ]


def test_check_json(make_project, run):
    files = valid_files()
    files[R] = reply(date="hier")
    project = make_project(files)
    result = run(project, "check", "--json")
    assert result.exit_code == 1
    import json

    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["problems"] == [
        {"path": R, "line": 4, "field": "date", "message": "expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found 'hier'",
         "severity": "error", "code": ""}
    ]


def test_clean_tree(make_project, run):
    project = make_project(valid_files())
    result = run(project, "check")
    assert result.exit_code == 0
    assert result.stdout == "Checked 1 thread, 2 replies, 2 themes and 0 submissions: no problem.\n"


def test_oversized_front_matter_and_file(make_project, run):
    files = valid_files()
    files[T] = THREAD.replace("---\nDeux", "padding: |\n" + "  x\n" * 40000 + "---\nDeux")
    files[R] = reply(text="mot " * 70000)
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"{R}:1: the file is larger than 256 KB" in lines
    assert f"{T}:2: front matter is larger than 64 KB" in lines


def test_every_problem_of_a_submission_is_reported_at_once(make_project, run):
    """Field errors do not hide the theme, the personal data or the raw HTML: one CI round, not four."""
    files = valid_files()
    files["submissions/2025-11-20-essai.md"] = (
        "---\ntitle: \"Un titre d'essai assez long\"\ntheme: conflit\ntags: [conflit]\nlang: no\n"
        "author: \"Claire M.\"\nanonymous: false\ndate: 2025-11-20\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n"
        "Écrivez-moi à claire@example.com.\n\n<b>gras</b>\n"
    )
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    s = "submissions/2025-11-20-essai.md"
    assert result.stdout.splitlines() == [
        f"{s}:3: theme: unknown theme 'conflit'; did you mean 'conflits'?",
        f"{s}:5: lang: expected one of fr, en; found 'no'",
        f"{s}:12: personal data: an e-mail address (claire@example.com)",
        f"{s}:14: warning: raw HTML is shown as text, not interpreted: <b>",
        f"{s}:14: warning: raw HTML is shown as text, not interpreted: </b>",
        "3 problems and 2 warnings in 1 file.",
    ]
    assert result.stderr == ""
    as_json = run(project, "check", "--json")
    assert as_json.exit_code == 1
    import json

    found = [(p["line"], p["field"], p["severity"]) for p in json.loads(as_json.stdout)["problems"]]
    assert found == [(3, "theme", "error"), (5, "lang", "error"), (12, "", "error"), (14, "", "warning"),
                     (14, "", "warning")]


def test_check_json_is_json_even_when_the_project_cannot_be_read(tmp_path, run):
    result = run(tmp_path, "check", "--json")
    assert result.exit_code == 1
    import json

    data = json.loads(result.stdout)
    assert data["ok"] is False and "mkdocs.yml" in data["error"]


EVERY_FIELD_WRONG = """\
---
title: ""
theme: conflit
tags: [Conflit, gestion de crise, tag-inconnu, Autre_Tag]
lang: no
author: "Claire M."
anonymous: maybe
date: hier
consent: false
license: MIT
colour: red
---
Bonjour.
"""


def test_every_field_and_every_bad_tag_of_a_submission_in_one_pass(make_project, run):
    """Nine wrong fields: the licence, the consent and each bad tag are reported with the others,
    not once the rest is fixed."""
    files = valid_files()
    files["content/tags.yml"] = "tags:\n  - name: conflit\n  - name: médiation\n"
    files["submissions/2025-11-20-tout-faux.md"] = EVERY_FIELD_WRONG
    project = make_project(files)
    result = run(project, "check", "submissions/")
    assert result.exit_code == 1
    s = "submissions/2025-11-20-tout-faux.md"
    shape = "must be lowercase words joined by hyphens, such as 'prise-de-parole'"
    assert result.stdout.splitlines() == [
        f"{s}:2: title: must not be empty",
        f"{s}:3: theme: unknown theme 'conflit'; did you mean 'conflits'?",
        f"{s}:4: tags: tag 'Conflit' {shape}",
        f"{s}:4: tags: tag 'gestion de crise' {shape}",
        f"{s}:4: tags: tag 'Autre_Tag' {shape}",
        f"{s}:4: warning: tags: tag 'tag-inconnu' is not in content/tags.yml (editors add new tags there); "
        "editors choose at acceptance",
        f"{s}:5: lang: expected one of fr, en; found 'no'",
        f"{s}:7: anonymous: expected true or false, found 'maybe'",
        f"{s}:8: date: expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found 'hier'",
        f"{s}:9: consent: the author has not agreed to publication; consent must be true",
        f"{s}:10: license: expected one of CC-BY-SA-4.0, CC-BY-4.0, CC0-1.0, CC-BY-SA-3.0; found 'MIT' "
        "(editors add licences in content/licenses.yml)",
        f"{s}:11: colour: unknown field; known fields: title, theme, tags, lang, author, anonymous, date, consent, "
        "license, source, source_site, source_author, basis, summary, best_reply, featured, related",
        "11 problems and 1 warning in 1 file.",
    ]


SHAPE = "must be lowercase words joined by hyphens, such as 'prise-de-parole'"
PUBLISHED_FIELD_CASES = [  # (what to change in the opening post, lines expected together)
    pytest.param({"tags: [conflit, médiation]": "tags: [Conflit, conflit, conflit, x_y]"},
                 [f"{T}:4: tags: tag 'Conflit' {SHAPE}", f"{T}:4: tags: 'conflit' is listed twice",
                  f"{T}:4: tags: tag 'x_y' {SHAPE}"], id="every-bad-tag"),
    pytest.param({"consent: true": "consent: false", "lang: fr": "lang: no"},
                 [f"{T}:5: lang: expected one of fr, en; found 'no'",
                  f"{T}:9: consent: the author has not agreed to publication; consent must be true"], id="consent"),
    pytest.param({'author: "Claire M."\n': "", "date: 2025-03-04": "date: hier"},
                 [f"{T}:2: author: missing author: give a display name, or set anonymous: true",
                  f"{T}:7: date: expected a date as YYYY-MM-DD or YYYY-MM-DD HH:MM; found 'hier'"], id="author"),
]


@pytest.mark.parametrize(("changes", "expected"), PUBLISHED_FIELD_CASES)
def test_a_post_reports_every_problem_of_its_fields_at_once(make_project, run, changes, expected):
    text = THREAD
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    files = valid_files()
    files[T] = text
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert sorted(line for line in lines if line in expected) == sorted(expected), lines
