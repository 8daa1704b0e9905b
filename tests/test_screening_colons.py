"""A word before a colon is prose, not a link scheme: only real link targets are checked for their scheme.

Generated cases: plain-prose colons in French and English (headings, lists, « Note : » with the
no-break spaces French typography puts there, words that are also schemes) are never flagged; every
real link form (Markdown link, image, reference definition, autolink, raw HTML attribute), with every
bad scheme, literal or encoded, is.
"""

from __future__ import annotations

import itertools

import pytest

from entraide.moderation.screening import LINK_SCHEME, screen

WORDS = ["data", "javascript", "vbscript", "file", "note", "Data", "JavaScript", "big data", "NB", "Attention",
         "Résumé", "mailto", "tel", "ftp", "remarque", "exemple", "à retenir", "http", "C", "about"]
SPACES = ["", " ", "\u00a0", "\u202f"]  # English, typed space, no-break space, narrow no-break space
FORMS = [
    "{w}{s}: les bases",
    "# {w}{s}:",
    "## {w}{s}: ce qu'il faut savoir",
    "- {w}{s}: un point de la liste",
    "1. {w}{s}: premier point",
    "> {w}{s}: une citation",
    "**{w}{s}:** en gras",
    "Le sujet du jour{s}: {w}{s}: rien d'autre.",
    "({w}{s}: entre parenthèses)",
    "{w}{s}:{w}",
    "| {w}{s}: | cellule |",
]
PROSE = [form.format(w=w, s=s) for form, w, s in itertools.product(FORMS, WORDS, SPACES)]


def test_there_are_many_prose_cases():
    assert len(PROSE) > 800


@pytest.mark.parametrize("text", PROSE)
def test_a_word_before_a_colon_is_never_a_link_scheme(text):
    assert [f for f in screen(f"Bonjour.\n{text}\nMerci.") if f.code == LINK_SCHEME] == []


BAD_SCHEMES = ["javascript", "JavaScript", "vbscript", "data", "file", "jar"]
ENCODINGS = [
    lambda scheme: f"{scheme}:",
    lambda scheme: f"{scheme[:2]}%09{scheme[2:]}:",
    lambda scheme: f"&#x{ord(scheme[0]):x};{scheme[1:]}:",
    lambda scheme: f"{scheme}&#58;",
    lambda scheme: f"{scheme[:3]}&#x09;{scheme[3:]}:",
]
LINK_FORMS = [
    "[clic]({t}alert(1))",
    "![image]({t}alert(1))",
    "[clic](<{t}alert(1)>)",
    "[clic]( {t}alert(1) \"titre\")",
    "[ref]: {t}alert(1)",
    "   [ref]: <{t}alert(1)>",
    '<a href="{t}alert(1)">clic</a>',
    "<a href='{t}alert(1)'>clic</a>",
    "<a href={t}alert(1)>clic</a>",
    '<img src="{t}alert(1)">',
    '<iframe src="{t}alert(1)"></iframe>',
    '<form action="{t}alert(1)"><button>x</button></form>',
    'Texte avant <A HREF = "{t}alert(1)">clic</A> et après',
]
LINKS = [
    form.format(t=encode(scheme))
    for form, scheme, encode in itertools.product(LINK_FORMS, BAD_SCHEMES, ENCODINGS)
] + [f"<{scheme}:alert(1)>" for scheme in BAD_SCHEMES]


@pytest.mark.parametrize("text", LINKS)
def test_every_real_link_with_a_bad_scheme_is_flagged(text):
    found = [f for f in screen(f"Bonjour.\n{text}\nMerci.", first_line=10) if f.code == LINK_SCHEME]
    assert [f.line for f in found] == [11], found


@pytest.mark.parametrize("text", [
    "[clic](https://exemple.fr/a:b)", "<https://exemple.fr>", "[écrire](mailto:equipe@exemple.fr)",
    "[plus bas](#reply-2)", "[page](autre-page.html)", '<a href="https://exemple.fr">x</a>',
    "[ref]: https://exemple.fr", "Voir https://exemple.fr/data:x",
])
def test_allowed_links_are_not_flagged(text):
    assert [f for f in screen(text) if f.code == LINK_SCHEME] == []


def test_links_in_code_are_code():
    text = "Évitez ceci :\n\n```html\n<a href=\"javascript:void(0)\">x</a>\n[x](javascript:void(0))\n```\n\n" \
           "et `[x](javascript:void(0))` non plus."
    assert [f for f in screen(text) if f.code == LINK_SCHEME] == []


def test_a_submission_with_prose_colons_is_accepted(make_project, run):
    from tests.conftest import valid_files
    from tests.test_moderation import sub_reply

    files = valid_files()
    body = "Big data: le sujet.\n\n## Data :\n\nJavaScript\u00a0: les bases. Note\u202f: rien.\n\n- data: un point"
    files["submissions/2025-06-02-hugo.md"] = sub_reply(body)
    project = make_project(files)
    checked = run(project, "check")
    assert checked.exit_code == 0, checked.output
    assert run(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.").exit_code == 0
