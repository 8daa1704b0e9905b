"""Conversion of imported text, and images in every post: shown as links, never embedded nor dropped."""

from __future__ import annotations

import string
import unicodedata

import pytest

from entraide.importing.convert import one_line_title, to_markdown
from entraide.importing.identity import ANONYMOUS, NAMES, PSEUDONYMS, Identities
from entraide.importing.model import Person, mention
from entraide.markup import plain_text, render

A_REL = 'rel="nofollow noopener noreferrer ugc"'


@pytest.mark.parametrize(("text", "lang", "expected"), [
    ("![un graphique](https://stats.example/g.png)", "fr",
     f'<p><a href="https://stats.example/g.png" {A_REL}>[Image\u202f: un graphique]</a></p>\n'),
    ("![a chart](https://stats.example/g.png)", "en", f'<p><a href="https://stats.example/g.png" {A_REL}>[Image: a chart]</a></p>\n'),
    ("![](https://stats.example/g.png)", "en", f'<p><a href="https://stats.example/g.png" {A_REL}>[Image]</a></p>\n'),
    ("![x](javascript:alert(1))", "en", "<p>![x](javascript:alert(1))</p>\n"),
    ("![<b onmouseover=x>](https://e.example/\"onerror=)", "en",
     f'<p><a href="https://e.example/%22onerror=" {A_REL}>[Image: &lt;b onmouseover=x&gt;]</a></p>\n'),
])
def test_an_image_in_any_post_becomes_a_link_labelled_with_its_description(text, lang, expected):
    assert render(text, lang) == expected


def test_the_description_of_an_image_is_searchable_text():
    assert plain_text("Voici ![le planning de juin](https://x.example/p.png).") == "Voici [Image : le planning de juin]."
    assert plain_text("See ![the June roster](https://x.example/p.png).", "en") == "See [Image: the June roster]."


def test_html_is_converted_with_absolute_links_demotable_headings_and_readable_sup_sub_and_math():
    html = ('<h1>Titre</h1><p>x<sup>2</sup>, H<sub>2</sub>O, <a href="/q/7">avant</a>, '
            '<img src="img/a.png" alt="schéma"></p><math alttext="e=mc^2"><mi>e</mi></math>'
            "<script>alert(1)</script><p>fin</p>")
    markdown = to_markdown(html, "html", "https://site.example/questions/3")
    assert markdown == ("# Titre\n\nx², H₂O, [avant](https://site.example/q/7), "
                        "![schéma](https://site.example/questions/img/a.png)\n\n`e=mc^2`\n\nfin")
    rendered = render(markdown, "fr")
    assert rendered.startswith("<h3>Titre</h3>")
    assert "<script" not in rendered and "alert" not in rendered


def _unicode_forms(kind: str) -> dict[str, str]:
    """What Unicode itself says: each ASCII character → its raised (``<super>``) or lowered (``<sub>``)
    form in the Basic Multilingual Plane, except the ordinal indicators ª º (ordinals, not exponents)
    and Unicode 14's capitals ꟲ ꟳ ꟴ, which few fonts draw yet."""
    forms = {}
    for code in range(0x10000):
        char = chr(code)
        base = unicodedata.normalize("NFKC", char)
        if unicodedata.decomposition(char).startswith(kind) and len(base) == 1 and char not in "ªºꟲꟳꟴ":
            forms["-" if base == "−" else base] = char
    return forms


SUPER, SUB = _unicode_forms("<super>"), _unicode_forms("<sub>")
ASCII = string.ascii_letters + string.digits + "+-=()"


@pytest.mark.parametrize("char", list(ASCII))
@pytest.mark.parametrize(("tag", "forms", "mark"), [("sup", SUPER, "^"), ("sub", SUB, "_")])
def test_every_character_of_a_sup_or_sub_is_raised_or_lowered_when_unicode_can(tag, forms, mark, char):
    markdown = to_markdown(f"<p>x<{tag}>{char}</{tag}>y</p>", "html")
    shown = plain_text(markdown)
    assert shown == ("x" + forms[char] + "y" if char in forms else f"x{mark}{char}y"), (markdown, shown)
    assert "~" not in markdown and "&lt;" not in render(markdown, "en")


@pytest.mark.parametrize(("html", "shown"), [
    ("H<sub>2</sub>O and e = mc<sup>2</sup>.", "H₂O and e = mc²."),
    ("x<sup>(n+1)</sup> and 10<sup>-3</sup>", "x⁽ⁿ⁺¹⁾ and 10⁻³"),
    ("x<sup>n+q</sup>", "x^(n+q)"),  # one character without a raised form: all of it written plainly
    ("NaCl<sub>(aq)</sub>, x<sub>i,j</sub>", "NaCl_(aq), x_(i,j)"),
    ("2<sup>nd</sup>, x<sup>T</sup>, x<sup>Q</sup>", "2ⁿᵈ, xᵀ, x^Q"),
    ("x<sup>a<sup>2</sup></sup> y<sub>a<sub>2</sub></sub>", "xᵃ² yₐ₂"),  # nested: one level, still readable
    ("x<sup>q<sup>2</sup></sup>", "x^(q²)"),
    ("x<sup>(a)(q)</sup>", "x^((a)(q))"),
    ("a<sup></sup>b<sub></sub>c, a<sup> </sup>b", "abc, a b"),  # empty: no mark left
    ("x<sub>a_b</sub> x<sup>a*b</sup>", "x_(a_b) x^(a*b)"),  # Markdown's own signs stay text
])
def test_sup_and_sub_read_as_text_on_the_page_and_in_the_index(html, shown):
    markdown = to_markdown(f"<p>{html}</p>", "html")
    assert plain_text(markdown) == shown
    assert render(markdown, "en") == f"<p>{shown}</p>\n"


def test_a_long_title_is_cut_at_a_word_on_one_line():
    title = one_line_title("Un   titre\nsur deux lignes " + "mot " * 80, "x")
    assert "\n" not in title and len(title) <= 200 and title.endswith("mot…")


@pytest.mark.parametrize(("choice", "author", "mentioned"), [
    (NAMES, "Claire M.", "@Claire M. merci"),
    (ANONYMOUS, None, "@membre merci"),
])
def test_mentions_follow_the_identity_choice(choice, author, mentioned):
    people = {"U1": Person("U1", "Claire M.")}
    identities = Identities(choice, "Slack", "fr", people)
    assert identities.author(people["U1"]).author == author
    assert identities.mentions(f"{mention('U1')} merci") == mentioned


def test_a_pseudonym_is_stable_and_the_same_in_mentions():
    people = {"U1": Person("U1", "Claire M."), "U2": Person("U2", "Karim B.")}
    identities = Identities(PSEUDONYMS, "Slack", "en", people)
    claire = identities.author(people["U1"]).author
    assert claire == Identities(PSEUDONYMS, "Slack", "en", {}).author(Person("U1", None)).author
    assert claire != identities.author(people["U2"]).author and claire.startswith("Member ")
    assert identities.mentions(f"{mention('U1')} thanks") == f"@{claire} thanks"
    assert identities.author(people["U1"]).source_author is None


def test_a_name_that_cannot_be_shown_as_written_gets_a_pseudonym():
    identities = Identities(NAMES, "site.example", "en", {})
    shown = identities.author(Person("7", "Pаypal"))  # a Cyrillic а among Latin letters
    assert shown.author is not None and shown.author.startswith("Member ") and shown.source_author is None
