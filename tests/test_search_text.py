"""Search text reads as the page does: its typography, inline markup without stray spaces, image labels
in the post's language, and a no-result suggestion only when it leads somewhere.

What is checked is what readers and editors see: the built page, the site's search fragments
(``site/search/d/*.json``, what the search page shows) and ``entraide search``'s answers.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from entraide.markup import plain_text
from search.index import SearchIndex
from search.searching import wider_query
from tests.conftest import THEMES, reply
from tests.htmlsite import page

NNBSP = "\u202f"


def thread_file(title: str, body: str, lang: str) -> str:
    return (f'---\ntitle: "{title}"\ntheme: conflits\nlang: {lang}\nauthor: "Claire M."\ndate: 2025-03-04\n'
            f"consent: true\nlicense: CC-BY-SA-4.0\n---\n{body}\n")


FRENCH_TITLE = "Conflit dans l’équipe : comment intervenir ?"
FRENCH_BODY = ("Deux collègues se disputent : que faire ? Chacun dit « ce n’est pas moi ». "
               "Une réunion à **trois**, avec un ~~médiateur~~ *externe* ; puis ![le planning](https://x.example/p.png).")
ENGLISH_TITLE = "Team conflict: what now?"
ENGLISH_BODY = "Two colleagues argue: what now? I made a **chart**, see ![tension chart](https://x.example/c.png)."


@pytest.fixture
def built(make_project, run) -> Path:  # type: ignore[no-untyped-def]
    project = make_project({
        "content/themes.yml": THEMES,
        "content/threads/conflit-equipe/thread.md": thread_file(FRENCH_TITLE, FRENCH_BODY, "fr"),
        "content/threads/conflit-equipe/2025-03-05-karim.md": reply(
            text="Voyez-les **séparément**, chacun à son tour ; ensuite `ensemble`."),
        "content/threads/team-conflict/thread.md": thread_file(ENGLISH_TITLE, ENGLISH_BODY, "en"),
    })
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    return project


def hits(run, project: Path, query: str) -> list[dict]:  # type: ignore[no-untyped-def]
    result = run(project, "search", query, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["hits"]


def fragments(project: Path) -> dict[str, dict]:
    """The site's search fragments by slug: the title and text its results page shows."""
    found = (json.loads(path.read_text(encoding="utf-8")) for path in (project / "site/search/d").glob("*.json"))
    return {fragment["slug"]: fragment for fragment in found}


def page_title(project: Path, slug: str) -> str:
    (title,) = re.findall(r"<h1[^>]*>([^<]*)</h1>", page(project / "site", slug))
    return htmllib.unescape(title)


def post_texts(project: Path, slug: str) -> str:
    """The text of a page's posts, tags removed (no space added for them) and entities decoded."""
    bodies = re.findall(r'<div class="ent-post__body"[^>]*>(.*?)</div>', page(project / "site", slug), re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", "\n".join(bodies)))


# -- French typography, as the page prints it -------------------------------------------------------

def test_french_search_titles_and_snippets_carry_the_pages_typography_in_the_cli_and_on_the_site(built, run):
    title = page_title(built, "conflit-equipe")
    assert title == f"Conflit dans l’équipe{NNBSP}: comment intervenir{NNBSP}?"
    (hit,) = hits(run, built, "disputent")
    assert hit["title"] == title
    assert f"se disputent{NNBSP}: que faire{NNBSP}? Chacun dit «{NNBSP}ce n’est pas moi{NNBSP}»." in hit["snippet"]
    site = fragments(built)["conflit-equipe"]
    assert site["title"] == title
    page_text = post_texts(built, "conflit-equipe")
    for sentence in (f"Deux collègues se disputent{NNBSP}: que faire{NNBSP}?", f"«{NNBSP}ce n’est pas moi{NNBSP}»",
                     f"externe{NNBSP}; puis", f"chacun à son tour{NNBSP}; ensuite"):
        assert sentence in page_text and sentence in site["text"], sentence
    assert " :" not in site["text"] and " ?" not in site["text"] and " ;" not in site["text"]


def test_english_search_text_keeps_its_own_typography(built, run):
    (hit,) = hits(run, built, "argue")
    assert hit["title"] == page_title(built, "team-conflict") == ENGLISH_TITLE
    assert NNBSP not in hit["snippet"] and "Two colleagues argue: what now?" in hit["snippet"]
    assert NNBSP not in fragments(built)["team-conflict"]["text"]


def test_a_terminal_snippet_keeps_the_no_break_spaces_on_one_line(built, run):
    result = run(built, "search", "disputent")
    (snippet,) = [line for line in result.output.splitlines() if "disputent" in line]
    assert f"[disputent]{NNBSP}: que faire{NNBSP}?" in snippet


# -- inline markup leaves no space before punctuation; blocks still separate words ---------------------

INLINE = {
    "strong": "**{w}**", "em": "*{w}*", "strong em": "***{w}***", "code": "`{w}`", "s": "~~{w}~~",
    "a (site)": "[{w}](/autre/)", "a (web)": "[{w}](https://e.example/)", "autolink": "<https://e.example/{w}>",
}
PUNCTUATION = [",", ".", ";", ":", "!", "?", "…", ")", "»", "’s", "%", "-là"]


@pytest.mark.parametrize("sign", PUNCTUATION)
@pytest.mark.parametrize("markup", list(INLINE))
def test_inline_markup_adds_no_space_before_punctuation(markup, sign):
    written = "(" + INLINE[markup].format(w="mot") + sign + " suite"
    word = "https://e.example/mot" if markup == "autolink" else "mot"
    assert plain_text(written) == f"({word}{sign} suite"
    assert plain_text(written, "en") == f"({word}{sign} suite"


@pytest.mark.parametrize(("written", "lines"), [
    ("# Titre\nTexte", ["Titre", "Texte"]),
    ("un\n\ndeux", ["un", "deux"]),
    ("- **un**\n- *deux*", ["un", "deux"]),
    ("1. un\n2. deux", ["un", "deux"]),
    ("> **cité**\n\nfin", ["cité", "fin"]),
    ("ligne  \nsuite", ["ligne", "suite"]),
    ("ligne\\\nsuite", ["ligne", "suite"]),
    ("avant\n\n---\n\naprès", ["avant", "après"]),
    ("```\ncode\n```\napres", ["code", "apres"]),
    ("| a | **b** |\n|---|---|\n| c | d |", ["a", "b", "c", "d"]),
    ("**gras**\n*penché*", ["gras", "penché"]),  # a soft line break still separates
])
def test_block_elements_still_separate_words(written, lines):
    assert plain_text(written).split("\n") == lines


def test_the_index_holds_no_space_before_punctuation_after_markup(built, run):
    (hit,) = hits(run, built, "séparément")
    assert f"Voyez-les séparément, chacun à son tour{NNBSP}; ensuite ensemble" in hit["snippet"]
    site = fragments(built)["conflit-equipe"]["text"]
    assert "réunion à trois, avec" in site and "séparément, chacun" in site and "ensemble." in site
    assert not re.search(r"\w [,.)]", site), site


# -- an image's label is in its post's language, everywhere ----------------------------------------

def test_an_image_label_is_in_the_posts_language_on_the_page_and_in_the_index(built, run):
    english = post_texts(built, "team-conflict")
    assert "[Image: tension chart]" in english
    (hit,) = hits(run, built, '"tension chart"')
    assert "[Image: tension chart" in hit["snippet"] and "[Image :" not in hit["snippet"]  # cut after a word
    assert "[Image: tension chart]." in fragments(built)["team-conflict"]["text"]
    french_label = f"[Image{NNBSP}: le planning]"
    assert french_label in post_texts(built, "conflit-equipe")
    (hit,) = hits(run, built, '"le planning"')
    assert french_label[:-1] in hit["snippet"] and french_label in fragments(built)["conflit-equipe"]["text"]


# -- the no-result suggestion ---------------------------------------------------------------------

def test_no_suggestion_of_either_word_when_no_word_finds_anything(built, run):
    result = run(built, "search", "xylophone", "quantique")
    assert result.exit_code == 0
    assert "for any of them" not in result.output and "OR" not in result.output
    assert result.output.splitlines()[-1].startswith("0 threads found (")


def test_the_suggestion_is_checked_with_the_filters_it_keeps(built):
    index = SearchIndex(built / ".entraide/search/index")
    assert wider_query(index, "xylophone quantique") is None
    assert wider_query(index, "xylophone disputent") == "xylophone OR disputent"
    assert wider_query(index, "xylophone disputent", lang="en") is None
    assert wider_query(index, "xylophone disputent", theme="running") is None
    assert wider_query(index, '"xylophone disputent"') is None  # a phrase has no "either word"
