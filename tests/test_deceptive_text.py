"""Text that would look other than it is, or say nothing, is refused with one exact message per field.

Generated: every display field (thread title and author, reply author, theme title) × every invisible,
direction-changing or look-alike payload; every text field × blank payloads; C1 controls anywhere.
"""

from __future__ import annotations

import pytest

from entraide.errors import MAX_ECHO, shown
from tests.conftest import THREAD, reply, valid_files

T = "content/threads/conflit-collegues/thread.md"
R = "content/threads/conflit-collegues/2025-03-05-karim.md"

HIDDEN = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}

# (field, file, line, how to put a value in the file)
DISPLAY_FIELDS = [
    ("title", T, 2, lambda v: {T: THREAD.replace("Conflit entre deux collègues : que faire ?", v)}),
    ("author", T, 6, lambda v: {T: THREAD.replace("Claire M.", v)}),
    ("author", R, 2, lambda v: {R: reply(author=v)}),
    ("title", "content/themes.yml", 3, lambda v: {"content/themes.yml": (
        f'themes:\n  - slug: conflits\n    title: {{fr: "{v}"}}\n  - slug: running\n    title: Running\n')}),
]


def _check(make_project, run, overrides):
    files = valid_files()
    files.update(overrides)
    result = run(make_project(files), "check")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("char", list(HIDDEN), ids=[f"U+{ord(c):04X}" for c in HIDDEN])
@pytest.mark.parametrize(("field", "path", "line", "put"), DISPLAY_FIELDS, ids=lambda v: v if isinstance(v, str) else "")
def test_invisible_and_bidi_characters_are_refused_in_names_and_titles(make_project, run, field, path, line, put, char):
    errors = _check(make_project, run, put(f"Claire{char} Martin"))
    expected = (f"{path}:{line}: {field}: contains the invisible or direction-changing character "
                f"U+{ord(char):04X} ({HIDDEN[char]}); it is refused here: remove it")
    assert expected in errors, errors


@pytest.mark.parametrize(("value", "word", "scripts"), [
    ("\u0421laire M.", "\u0421laire", "Cyrillic and Latin"),  # a Cyrillic С
    ("Cl\u0430ire M.", "Cl\u0430ire", "Cyrillic and Latin"),  # a Cyrillic а
    ("J\u03bfhn", "J\u03bfhn", "Greek and Latin"),  # a Greek ο
])
@pytest.mark.parametrize(("field", "path", "line", "put"), DISPLAY_FIELDS, ids=lambda v: v if isinstance(v, str) else "")
def test_words_mixing_look_alike_scripts_are_refused(make_project, run, field, path, line, put, value, word, scripts):
    errors = _check(make_project, run, put(value))
    expected = (f"{path}:{line}: {field}: the word '{word}' mixes {scripts} letters, which look alike; "
                "it is refused: write each word in one alphabet")
    assert expected in errors, errors


@pytest.mark.parametrize("value", ["Иван Петров", "Zoë Ñúñez-O’Brien", "张伟", "Δημήτρης", "Équipe 👩\u200d💻"])
def test_names_in_one_script_each_are_welcome(make_project, run, value):
    files = valid_files()
    files[T] = THREAD.replace("Claire M.", value).replace("Conflit entre deux collègues : que faire ?", value)
    assert run(make_project(files), "check").exit_code == 0


@pytest.mark.parametrize("blank", ["\u200b", "\u200b\u2060\ufeff", "&nbsp;", "&nbsp; &#160;", "\u00a0\u202f", "\u3164"],
                         ids=repr)
def test_text_made_of_nothing_visible_is_empty(make_project, run, blank):
    errors = _check(make_project, run, {
        T: THREAD.replace("Conflit entre deux collègues : que faire ?", blank),
        R: reply(text=blank),
    })
    if blank.strip():
        assert f"{T}:2: title: must not be empty (it holds only invisible characters)" in errors, errors
        assert f"{R}:7: the post has no visible text: only spaces, invisible characters or &nbsp;" in errors, errors
    else:  # no-break spaces are spaces
        assert f"{T}:2: title: must not be empty" in errors, errors
        assert f"{R}:7: the post has no text after its front matter" in errors, errors


@pytest.mark.parametrize("char", ["\x80", "\x85", "\x9b", "\x9d", "\x9f"], ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(("where", "line"), [("Claire M.", 6), ("Deux personnes", 12)])
def test_c1_control_characters_are_refused_like_c0(make_project, run, char, where, line):
    errors = _check(make_project, run, {T: THREAD.replace(where, where[:3] + char + where[3:])})
    assert f"{T}:{line}: control character U+{ord(char):04X} is not allowed" in errors, errors


def test_a_reply_dated_before_its_thread_is_refused(make_project, run):
    errors = _check(make_project, run, {R: reply(date="2025-03-03 09:40")})
    assert f"{R}:4: date: 2025-03-03 09:40 is before the thread's opening post (2025-03-04 00:00)" in errors


def test_the_same_reply_filed_twice_in_a_thread_is_a_duplicate(make_project, run):
    errors = _check(make_project, run, {
        "content/threads/conflit-collegues/2025-03-07-encore.md": reply(date="2025-03-07", text="Voyez-les  SÉPARÉMENT."),
    })
    assert ("content/threads/conflit-collegues/2025-03-07-encore.md:7: the same text as 2025-03-05-karim.md in this "
            "thread: a duplicate") in errors, errors


SUBMITTED = """\
---
reply_to: conflit-collegues
author: "Hugo L."
anonymous: false
date: 2025-06-02 18:00
consent: true
---
Parlez-leur séparément, puis ensemble.
"""


def test_the_same_reply_accepted_twice_is_refused_the_second_time(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = SUBMITTED
    twin = SUBMITTED.replace("séparément", "sé\u200bparément").replace("puis", "PUIS  ")  # the same, to a reader
    files["submissions/2025-06-03-hugo-bis.md"] = twin
    project = make_project(files)
    first = run(project, "check")
    assert first.exit_code == 0
    assert ("submissions/2025-06-03-hugo-bis.md:8: warning: the same text as the pending submission "
            "'2025-06-02-hugo': accept only one of them") in first.stdout.splitlines()
    assert run(project, "accept", "2025-06-02-hugo", "--editor", "Ed").exit_code == 0
    duplicate = "submissions/2025-06-03-hugo-bis.md:8: the same text is already published " \
                "(conflit-collegues/2025-06-02-hugo): a duplicate"
    again = run(project, "check")
    assert again.exit_code == 1 and duplicate in again.stdout.splitlines()
    refused = run(project, "accept", "2025-06-03-hugo-bis", "--editor", "Ed")
    assert refused.exit_code == 1
    assert f"  {duplicate}" in refused.output.splitlines()


def test_a_reply_submitted_before_its_thread_is_refused(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = SUBMITTED.replace("2025-06-02 18:00", "2025-03-01")
    errors = _check(make_project, run, files)
    assert ("submissions/2025-06-02-hugo.md:5: date: 2025-03-01 00:00 is before the thread's opening post "
            "(2025-03-04 00:00)") in errors


@pytest.mark.parametrize("date", ["0001-01-01 00:00+01:00", "9999-12-31 23:59-01:00", "1969-12-31 23:30-01:00",
                                  "1970-01-01 00:30+01:00", "1969-12-31", "2101-01-01"])
def test_dates_outside_the_window_are_refused_at_load(make_project, run, date):
    errors = _check(make_project, run, {T: THREAD.replace("date: 2025-03-04", f"date: {date}")})
    assert (f"{T}:8: date: '{date}' is out of range: dates must fall between 1970-01-01 and 2100-12-31 (UTC)"
            in errors), errors


def test_messages_echo_at_most_80_characters_of_a_value(make_project, run):
    long = "x" * 5000
    errors = _check(make_project, run, {T: THREAD.replace("lang: fr", f"lang: {long}").replace(
        "anonymous: false", f"anonymous: {long}").replace("theme: conflits", f"theme: {long}")})
    assert all(len(line) < 300 for line in errors), [len(line) for line in errors]
    assert f"{T}:5: lang: expected one of fr, en; found '{'x' * MAX_ECHO}…'" in errors


def test_shown_spells_out_what_cannot_be_seen():
    assert shown("a\u202eb\x1bc") == "a<U+202E>b<U+001B>c"
    assert shown("é" * 100) == "é" * 80 + "…"
