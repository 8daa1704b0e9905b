"""The site's search, in headless Chromium over a real HTTP server, against `entraide search`.

The example site is built once; every query is typed into the real search page and its top ten must be
the CLI's top ten, in the same order, with the same total.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from search.analysis import STEMS, fold, singular_fr, words
from search.searching import one_line
from tests.browser import serve
from tests.conftest import REPO, cli_in, example_project
from tests.htmlsite import page as built_page

QUERIES = [
    # (query, theme, lang)
    ("equipe teletravail", None, None),
    ("équipe télétravail", None, None),
    ("conflit", None, None),
    ("conflits", None, None),
    ("équipes", None, None),
    ("reorganisation", None, None),
    ("feedback difficile", None, None),
    ("promotion salaire", None, None),
    ("recrutement", None, None),
    ("burn-out", None, None),
    ("médiateur", None, None),
    ("covoiturage", None, None),
    ("livres club", None, None),
    ("managers", None, None),
    ("charge de travail", None, None),
    ("d’équipe", None, None),
    ("remote", None, None),
    ("remote employee isolated", None, None),
    ("running", None, None),
    ("book club", None, None),
    ("first hire", None, None),
    ("hiring", None, None),
    ("carpool", None, None),
    ("conflit OR covoiturage", None, None),
    ("équipe NOT télétravail", None, None),
    ("équipe -réunion", None, None),
    ("manag*", None, None),
    ("(retard OR délai) équipe", None, None),
    ("feedback", None, "en"),
    ("feedback", None, "fr"),
    ("équipe", "teletravail", None),
    ("manager", "conflits", "fr"),
    ('"entretien annuel"', None, None),
    ('"remote work"', None, None),
    ('"réunion d’équipe" OR covoiturage', None, None),
    ("«\u202fentretien annuel\u202f»", None, None),
    ("“remote work”", None, None),
    ("title:conflit", None, None),
    ("title:équipe réunion", None, None),
    ("title:(remote OR hiring)", None, None),
    ("title:manag*", None, None),
    ("conflit -title:conflit", None, None),
    ("titre:covoiturage", None, None),
    # prefixes match the words as written, not their stems
    ("conflits*", None, None),
    ("équipes*", None, None),
    ("promoti*", None, None),
    ("management*", None, None),
    ("negotiat*", None, None),
    # misspelt words corrected from the vocabulary
    ("intervew", None, None),
    ("conflt équipe", None, None),
    ("covoiturrage", None, None),
    # compounds hyphenated, joined or spaced
    ("burn-out", None, None),
    ("burnout", None, None),
    ("burn out", None, None),
    ("half-marathon", None, None),
    ("one-on-ones", None, None),
    # loose queries: every word first, then most of them
    ("covoiturage harcèlement", None, None),
    ("how to handle a conflict between two senior engineers", None, None),
    ("comment gérer un conflit dans mon équipe sans médiateur", None, None),
    ("manager conflit", "conflits", None),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path_factory.mktemp("searchsite") / "project")
    with serve(project / "site") as url:
        yield project, url


def cli_search(project: Path, query: str, theme: str | None, lang: str | None) -> dict:
    args = ["search", query, "--json", "--limit", "10"]
    if theme:
        args += ["--theme", theme]
    if lang:
        args += ["--lang", lang]
    result = cli_in(project, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def site_search(page, url: str, query: str, theme: str | None, lang: str | None) -> tuple[list[str], str]:  # type: ignore[no-untyped-def]
    address = f"{url}search/?q={quote(query)}"
    if theme:
        address += f"&theme={theme}"
    if lang:
        address += f"&lang={lang}"
    page.goto(address)
    page.wait_for_selector("[data-entraide-search][data-state=done]")
    slugs = page.eval_on_selector_all(
        "[data-search-results] > li, [data-search-partial] > li", "items => items.map(li => li.dataset.slug)"
    )
    status = page.inner_text("[data-search-status]")
    return slugs, status


@pytest.mark.parametrize(("query", "theme", "lang"), QUERIES)
def test_site_top_ten_matches_the_cli(site, shared_context, query, theme, lang):  # type: ignore[no-untyped-def]
    project, url = site
    expected = cli_search(project, query, theme, lang)
    page = shared_context.new_page()
    try:
        slugs, status = site_search(page, url, query, theme, lang)
    finally:
        page.close()
    assert expected["hits"], f"the example content should answer {query!r}"
    assert slugs == [hit["slug"] for hit in expected["hits"]]
    total, partial = expected["total"], expected["partial"]
    if total:
        assert status.startswith(f"{total} discussion" if total > 1 else "1 discussion"), status
        assert (f"Et {partial} avec une partie des mots" in status) == bool(partial), status
    else:
        assert status.startswith("Aucune discussion ne contient tous les mots") and f"{partial} en contiennent" in status


def test_equipe_teletravail_finds_accented_threads(site):  # type: ignore[no-untyped-def]
    project, _url = site
    found = cli_search(project, "equipe teletravail", None, None)
    # one thread writes both words; the other is tagged « télétravail » and speaks of its « équipe »
    assert {"jours-de-presence-imposes-au-bureau", "rituels-d-equipe-en-mode-hybride"} <= {
        hit["slug"] for hit in found["hits"]
    }
    for hit in (hit for hit in found["hits"] if not hit["partial"]):
        thread = (project / "content" / "threads" / hit["slug"]).glob("*.md")
        text = fold(" ".join(path.read_text(encoding="utf-8") for path in thread))
        assert "equipe" in text and "teletravail" in text


def test_browser_stemmers_agree_with_the_index_on_every_word_of_the_content(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    vocabulary = sorted(
        {word for path in (project / "content").rglob("*.md") for word in words(path.read_text(encoding="utf-8"))}
    )
    assert len(vocabulary) > 3000
    page = browser.new_page()
    try:
        page.goto(f"{url}search/")
        page.wait_for_selector("[data-entraide-search][data-ready=true]")
        stems = page.evaluate(
            """words => {
                const fr = new FrenchStemmer(), en = new EnglishStemmer();
                const singular = w => (w.length > 3 && w.endsWith('s') && !'aiosu'.includes(w[w.length - 2])) ? w.slice(0, -1) : w;
                return words.map(w => [fr.stemWord(singular(w)), en.stemWord(w)]);
            }""",
            vocabulary,
        )
        folded = page.evaluate(
            "texts => texts.map(t => window.entraideSearch.fold(t))",
            ["Équipe", "Œuvre", "TÉLÉTRAVAIL", "naïve", "Straße", "ça", "Ægir", "façade"],
        )
    finally:
        page.close()
    python = [[STEMS["fr"](word), STEMS["en"](word)] for word in vocabulary]
    mismatches = [(w, js, py) for w, js, py in zip(vocabulary, stems, python, strict=True) if js != py]
    assert mismatches == []
    assert folded == [fold(t) for t in ["Équipe", "Œuvre", "TÉLÉTRAVAIL", "naïve", "Straße", "ça", "Ægir", "façade"]]
    assert singular_fr("conflits") == "conflit"


def test_a_query_downloads_only_what_it_needs(site, browser):  # type: ignore[no-untyped-def]
    _project, url = site
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        slugs, _status = site_search(page, url, "conflit", None, None)
    finally:
        page.close()
    index_files = sorted(urlparse(u).path for u in requested if "/search/" in urlparse(u).path and u.endswith((".json", ".bin")))
    assert "/search/meta.json" in index_files
    shards = [p for p in index_files if p.startswith("/search/t/")]
    assert shards == ["/search/t/con.bin"]
    assert not any(p.startswith("/search/p/") for p in index_files)  # positions: for phrases only
    fragments = [p for p in index_files if p.startswith("/search/d/")]
    assert len(fragments) == len(slugs) <= 10
    assert all(urlparse(u).hostname == "127.0.0.1" for u in requested if u.startswith("http"))


def test_header_search_box_and_keyboard(site, browser):  # type: ignore[no-untyped-def]
    _project, url = site
    page = browser.new_page()
    try:
        page.goto(f"{url}conflit-entre-deux-collaborateurs/")
        page.fill("#ent-header-q", "covoiturage")
        page.press("#ent-header-q", "Enter")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert "/search/?q=covoiturage" in page.url
        first = page.eval_on_selector_all("[data-search-results] > li", "items => items.map(li => li.dataset.slug)")
        assert first and all("covoiturage" in s or "carpool" in s for s in first[:2])
        # keyboard only: the page's own field, Enter, then Tab reaches the first result
        page.focus("#ent-q")
        page.fill("#ent-q", "running")
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-search-status]:has-text('discussion')")  # the page's policy forbids eval
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert page.eval_on_selector("[data-search-results] > li", "li => li.dataset.slug") == "running-club-at-work"
        marks = page.eval_on_selector_all("[data-search-results] mark", "ms => ms.map(m => m.textContent.toLowerCase())")
        assert marks and all(m.startswith("run") for m in marks)
    finally:
        page.close()


def test_more_results_button_and_snippets_cut_between_words(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    page = browser.new_page()
    try:
        slugs, _status = site_search(page, url, "covoiturage", None, None)
        assert 0 < len(slugs) < 10 and not page.is_visible("[data-search-more]")
        total = cli_search(project, "équipe", None, None)["total"]
        assert total > 10
        slugs, _status = site_search(page, url, "équipe", None, None)
        assert len(slugs) == 10 and page.is_visible("[data-search-more]")
        page.click("[data-search-more]")
        page.wait_for_selector(f"[data-search-results] > li:nth-child({min(total, 20)})")
        assert page.is_visible("[data-search-more]") == (total > 20)
        # the second page's first result has the focus, for keyboard and screen reader users
        assert page.evaluate("document.activeElement.closest('li').dataset.rank") == "11"
        snippets = page.eval_on_selector_all("[data-search-results] .ent-result__snippet", "ps => ps.map(p => p.textContent)")
    finally:
        page.close()
    texts = [
        one_line(json.loads(path.read_text(encoding="utf-8"))["text"])
        for path in (project / "site/search/d").glob("*.json")
    ]
    assert len(snippets) == min(total, 20)
    for snippet in snippets:
        core = snippet.removeprefix("… ").removesuffix(" …").strip()
        source = next(text for text in texts if core in text)
        at = source.index(core)
        assert at == 0 or source[at - 1] == " ", f"starts inside a word: {snippet!r}"
        assert at + len(core) == len(source) or source[at + len(core)] == " ", f"ends inside a word: {snippet!r}"


def test_no_thread_with_every_word_shows_those_with_some_of_them(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    result = cli_in(project, "search", "covoiturage harcèlement")
    assert result.exit_code == 0
    assert "Partial matches (some of the words):" in result.output
    assert result.output.splitlines()[-1].startswith("0 threads found, ")
    expected = cli_search(project, "covoiturage harcèlement", None, "fr")
    assert expected["total"] == 0 and expected["partial"] >= 3 and all(hit["partial"] for hit in expected["hits"])
    page = browser.new_page()
    try:
        slugs, status = site_search(page, url, "covoiturage harcèlement", None, "fr")
        assert slugs == [hit["slug"] for hit in expected["hits"]]
        assert status == f"Aucune discussion ne contient tous les mots de «\u202fcovoiturage harcèlement\u202f»\u202f; " \
            f"{expected['partial']} en contiennent une partie."
        assert page.inner_text("[data-search-partial-heading]") == "Résultats partiels\u202f: contiennent une partie des mots"
        assert page.eval_on_selector_all("[data-search-results] > li", "items => items.length") == 0
        assert not page.is_visible("[data-search-any]")
        slugs, _status = site_search(page, url, '"covoiturage harcèlement"', None, None)  # a phrase stays strict
        assert slugs == [] and not page.is_visible("[data-search-partial-heading]")
    finally:
        page.close()


NNBSP = "\u202f"


def test_french_result_titles_and_snippets_are_typeset_as_the_page_in_both(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    slug = "conflit-entre-deux-collaborateurs"
    heading = re.search(r"<h1[^>]*>([^<]*)</h1>", built_page(project / "site", slug)).group(1)  # type: ignore[union-attr]
    title = html.unescape(heading)
    assert title == f"Conflit entre deux membres de mon équipe{NNBSP}: comment intervenir{NNBSP}?"
    expected = cli_search(project, "intervenir", None, "fr")
    hit = next(hit for hit in expected["hits"] if hit["slug"] == slug)
    assert hit["title"] == title
    page = browser.new_page()
    try:
        site_search(page, url, "intervenir", None, "fr")
        shown = page.eval_on_selector_all(
            f"[data-search-results] > li[data-slug={slug}] .ent-result__title, "
            f"[data-search-results] > li[data-slug={slug}] .ent-result__snippet", "els => els.map(e => e.textContent)")
        french = page.eval_on_selector_all("[data-search-results] > li .ent-result__snippet",
                                           "ps => ps.map(p => p.textContent)")
    finally:
        page.close()
    assert shown[0] == title
    for snippet in french + [hit["snippet"] for hit in expected["hits"]]:
        assert not re.search(r" [:;?!»]|« ", snippet), snippet  # every one of them typeset, none with a plain space
    assert any(NNBSP in snippet for snippet in french)


def test_no_suggestion_of_either_word_when_no_word_finds_anything(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    result = cli_in(project, "search", "xylophone quantique")
    assert result.exit_code == 0 and result.output.splitlines()[-1].startswith("0 threads found (")
    assert "for any of them" not in result.output
    page = browser.new_page()
    try:
        slugs, status = site_search(page, url, "xylophone quantique", None, None)
        assert slugs == [] and status.startswith("Aucune discussion")
        assert not page.is_visible("[data-search-any]") and page.is_visible("[data-search-nothing]")
    finally:
        page.close()


def test_a_misspelt_word_is_corrected_in_both(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    expected = cli_search(project, "intervew", None, None)
    assert expected["corrections"] == [{"typed": "intervew", "searched": "interview"}]
    assert expected["hits"] == cli_search(project, "interview", None, None)["hits"]
    result = cli_in(project, "search", "intervew")
    assert result.output.splitlines()[0] == "No thread holds 'intervew': searched for 'interview' instead"
    page = browser.new_page()
    try:
        slugs, _status = site_search(page, url, "intervew", None, None)
        assert slugs == [hit["slug"] for hit in expected["hits"]]
        assert page.inner_text("[data-search-corrected]") == (
            "Aucune discussion ne contient «\u202fintervew\u202f»\u202f: résultats pour «\u202finterview\u202f»."
        )
    finally:
        page.close()


def test_a_prefix_longer_than_the_stem_finds_the_words(site):  # type: ignore[no-untyped-def]
    project, _url = site

    def found(query: str) -> set[str]:
        result = cli_in(project, "search", query, "--json", "--limit", "1000")
        return {hit["slug"] for hit in json.loads(result.stdout)["hits"]}

    for typed, word in (("conflits*", "conflits"), ("équipes*", "équipes"), ("management*", "management")):
        assert found(word) and found(word) <= found(typed), typed  # the word so written, and its forms


def test_hyphenated_joined_and_spaced_compounds_meet(site):  # type: ignore[no-untyped-def]
    project, _url = site
    hyphen, joined, spaced = (
        {hit["slug"] for hit in cli_search(project, q, None, None)["hits"] if not hit["partial"]}
        for q in ("burn-out", "burnout", "burn out")
    )
    assert "collaborateur-proche-du-burn-out" in hyphen
    assert hyphen == joined and hyphen <= spaced


def test_results_as_you_type_fetch_what_the_submitted_query_fetches(site, browser):  # type: ignore[no-untyped-def]
    _project, url = site

    def fetched(action) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(urlparse(request.url).path))
        try:
            page.goto(f"{url}search/")
            page.wait_for_selector("[data-entraide-search][data-ready=true]")
            action(page)
            # The results of the whole word: a search started for an earlier prefix may have ended already.
            page.wait_for_function(
                "() => new URLSearchParams(location.search).get('q') === 'covoiturage'"
                " && document.querySelector('[data-entraide-search]').dataset.state === 'done'"
            )
            page.wait_for_selector("[data-search-results] > li")
            slugs = page.eval_on_selector_all("[data-search-results] > li", "items => items.map(li => li.dataset.slug)")
            assert "q=covoiturage" in page.url
        finally:
            page.close()
        return sorted(p for p in requested if p.endswith((".bin", ".json"))), slugs

    def typed(page) -> None:  # type: ignore[no-untyped-def]
        page.click("h1")  # out of the box, which the page focuses on arrival
        page.keyboard.press("/")
        page.keyboard.type("covoiturage", delay=40)  # no pause long enough for a search before the last key

    def submitted(page) -> None:  # type: ignore[no-untyped-def]
        page.fill("#ent-q", "covoiturage")
        page.press("#ent-q", "Enter")

    typed_files, typed_slugs = fetched(typed)
    submitted_files, submitted_slugs = fetched(submitted)
    assert typed_slugs == submitted_slugs and typed_slugs
    assert typed_files == submitted_files


def test_a_browser_without_decompression_streams_is_told_so(site, browser):  # type: ignore[no-untyped-def]
    _project, url = site
    page = browser.new_page()
    try:
        page.add_init_script("delete window.DecompressionStream")
        _slugs, status = site_search(page, url, "conflit", None, None)
    finally:
        page.close()
    assert status == "La recherche demande un navigateur plus récent (depuis 2023)\u202f; vous pouvez parcourir les thèmes."


def test_search_page_on_a_phone(site, browser):  # type: ignore[no-untyped-def]
    _project, url = site
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{url}search/?q=t%C3%A9l%C3%A9travail&lang=fr")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert page.is_visible("#ent-q") and page.is_visible("#ent-theme") and page.is_visible("[data-search-results] > li")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert page.input_value("#ent-lang") == "fr"
    finally:
        context.close()


def test_bad_query_is_a_clear_message_in_both(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    result = cli_in(project, "search", '"entretien annuel')
    assert result.exit_code == 1
    assert result.output == 'Error: unclosed quote in the query: "entretien annuel\n'
    assert cli_in(project, "search", "lang:fr").output == (
        "Error: 'lang:' cannot be searched in the query, only title: can; filter by theme, tag or language instead\n"
    )
    assert cli_in(project, "search", "title:").output == "Error: title: must be followed by a word, a phrase or a group\n"
    page = browser.new_page()
    try:
        page.goto(f"{url}search/?q=ab*")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert page.inner_text("[data-search-status]") == (
            "Requête incomprise\u202f: un début de mot demande au moins 3 lettres."
        )
        page.goto(f"{url}search/?q={quote('theme:conflits')}")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert page.inner_text("[data-search-status]") == (
            "Requête incomprise\u202f: «\u202ftheme:\u202f» ne se cherche pas dans la requête (seul title: le peut)\u202f; "
            "filtrez par thème, étiquette ou langue."
        )
    finally:
        page.close()


@pytest.mark.parametrize("query", ["le", "the of", "Les DE", "le OR la"])
def test_a_query_of_only_common_words_says_so_in_both(site, browser, query):  # type: ignore[no-untyped-def]
    project, url = site
    result = cli_in(project, "search", query)
    assert (result.exit_code, result.output) == (1, "Error: only words too common to search for (le, the, de…): "
                                                    "add a word that says what you are looking for\n")
    page = browser.new_page()
    try:
        page.goto(f"{url}search/?q={quote(query)}")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        assert page.inner_text("[data-search-status]").replace("\u202f", " ") == (
            "Requête incomprise : ces mots sont trop courants pour être cherchés (le, de, the…) : ajoutez un mot "
            "qui dit ce que vous cherchez."
        )
    finally:
        page.close()


LARGE_QUERIES = [
    ("équipe", None, None),
    ("équipe réunion", None, None),
    ("conflit OR planning", None, None),
    ("collabor*", None, None),
    ("équipe NOT conflit", None, None),
    ("team meeting", None, "en"),
    ("réunion", "theme-1", None),
    ('"équipe réunion"', None, None),
    ('"team meeting" -conflict', None, None),
    ("provabeki", None, None),
    ("provabeki OR prozumila", None, None),
    ("prova*", None, None),
    ("pro*", "theme-2", None),
]


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """600 generated threads: common words get posting lists long enough for files of their own, and
    2,000 invented words starting with "pro" fill a shard that must be split by more letters."""
    import random

    project = tmp_path_factory.mktemp("largesearch")
    for name in ("mkdocs.yml", "templates"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    rng = random.Random(5)
    fr = ["équipe", "réunion", "conflit", "planning", "collaborateur", "collaboratrice", "manager", "projet", "client", "délai", "objectif", "confiance"]
    en = ["team", "meeting", "conflict", "schedule", "colleague", "manager", "project", "client", "deadline", "goal", "trust", "feedback"]
    syllables = ["ba", "ki", "lo", "mu", "ne", "ri", "sa", "to", "va", "ze", "mi", "la", "be", "ku"]
    invented = sorted({"pro" + "".join(rng.choice(syllables) for _ in range(3)) for _ in range(2400)})
    invented[:2] = ["provabeki", "prozumila"]
    themes = "themes:\n" + "".join(f"  - slug: theme-{i}\n    title: {{fr: Thème {i}}}\n" for i in range(3))
    (project / "content/threads").mkdir(parents=True)
    (project / "content/themes.yml").write_text(themes, encoding="utf-8")
    for n in range(600):
        lang = "fr" if n % 3 else "en"
        words = fr if lang == "fr" else en
        body = " ".join(rng.choice(words) for _ in range(rng.randint(5, 40))) + "."
        body += " " + " ".join(invented[(n * 7 + k) % len(invented)] for k in range(4)) + "."
        title = " ".join(rng.choice(words) for _ in range(4)).capitalize()
        folder = project / f"content/threads/fil-{n}"
        folder.mkdir()
        (folder / "thread.md").write_text(
            f'---\ntitle: "{title}"\ntheme: theme-{n % 3}\nlang: {lang}\nauthor: "A{n}"\n'
            f"date: 2025-01-{1 + n % 28:02d}\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n{body}\n",
            encoding="utf-8",
        )
    result = cli_in(project, "build")
    assert result.exit_code == 0, result.output
    assert list((project / "site/search/t").glob("*/*.bin")), "some terms should have files of their own"
    assert list((project / "site/search/t").glob("pro?.bin")), "the shard of 'pro' should be split"
    with serve(project / "site") as url:
        yield project, url


@pytest.mark.parametrize(("query", "theme", "lang"), LARGE_QUERIES)
def test_large_site_top_ten_matches_the_cli(large_site, browser, query, theme, lang):  # type: ignore[no-untyped-def]
    project, url = large_site
    expected = cli_search(project, query, theme, lang)
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlparse(request.url).path))
    try:
        slugs, status = site_search(page, url, query, theme, lang)
    finally:
        page.close()
    assert expected["hits"]
    assert slugs == [hit["slug"] for hit in expected["hits"]]
    assert status.startswith(f"{expected['total']} discussion")
    if query == "collabor*":
        assert "/search/t/col/collabor.bin" in requested  # a long list in a file of its own
    if query.startswith("provabeki"):
        assert "/search/t/pro.bin" in requested and any(p.startswith("/search/t/prov") for p in requested)
    if query.startswith('"'):
        assert any(path.startswith("/search/p/") for path in requested)  # positions, for phrases only
        words_only = cli_search(project, query.replace('"', ""), theme, lang)
        assert words_only["total"] > expected["total"]  # the phrase is stricter than its words
    else:
        assert not any(path.startswith("/search/p/") for path in requested)


def test_a_filter_that_leaves_nothing_says_where_the_results_are(site, browser):  # type: ignore[no-untyped-def]
    project, url = site
    expected = cli_search(project, "covoiturage", "conflits", None)
    everywhere = cli_search(project, "covoiturage", None, None)
    assert expected["total"] == 0 and expected["elsewhere"] == everywhere["total"] > 0
    page = browser.new_page()
    try:
        slugs, _status = site_search(page, url, "covoiturage", "conflits", None)
        assert slugs == []
        link = page.locator("[data-search-elsewhere] a")
        assert link.inner_text() == f"{everywhere['total']} résultats dans d’autres thèmes\u202f: chercher dans tous les thèmes"
        assert page.is_visible("[data-search-nothing]")  # the themes to browse
        themes = page.eval_on_selector_all("[data-search-nothing] a", "links => links.map(a => a.pathname)")
        assert "/themes/covoiturage/" in themes
        link.click()
        page.wait_for_selector("[data-search-results] > li")
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        found = page.eval_on_selector_all("[data-search-results] > li", "items => items.map(li => li.dataset.slug)")
        assert found == [hit["slug"] for hit in everywhere["hits"]]
        assert page.input_value("#ent-header-q") == "covoiturage"  # the header's box keeps the query
    finally:
        page.close()


@pytest.mark.parametrize("query", ["showers", "tableau lundi", "assurance", "loop route", "médiateur externe"])
def test_a_result_links_to_the_reply_holding_the_words(site, browser, query):  # type: ignore[no-untyped-def]
    project, url = site
    expected = [hit["url"] for hit in cli_search(project, query, None, None)["hits"]]
    page = browser.new_page()
    try:
        site_search(page, url, query, None, None)
        links = page.eval_on_selector_all(
            "[data-search-results] > li h2 a, [data-search-partial] > li h2 a", "links => links.map(a => a.href)"
        )
        assert [urlparse(link).path + (f"#{urlparse(link).fragment}" if urlparse(link).fragment else "")
                for link in links] == expected
        if query == "showers":
            assert expected[0] == "/running-club-at-work/#reply-2024-03-05-grace"
            page.click("[data-search-results] > li h2 a")
            page.wait_for_selector("#reply-2024-03-05-grace:target")  # the reply the browser scrolled to
            assert "showers" in page.inner_text("#reply-2024-03-05-grace")
    finally:
        page.close()


@pytest.mark.parametrize("query", ["équipe", "feedback", "covoiturage harcèlement"])
def test_the_language_filter_counts_what_the_query_finds(site, browser, query):  # type: ignore[no-untyped-def]
    project, url = site
    facets = cli_search(project, query, None, None)["facets"]["lang"]
    page = browser.new_page()
    try:
        site_search(page, url, query, None, None)
        options = page.eval_on_selector_all("#ent-lang option", "options => options.map(o => o.textContent)")
    finally:
        page.close()
    assert options == ["Toutes les langues", f"français ({facets.get('fr', 0)})", f"anglais ({facets.get('en', 0)})"]


@pytest.mark.parametrize(("query", "lang"), [("équipe", None), ("feedback", "en"), ("conflit équipe", None),
                                             ("réunion", "fr")])
def test_the_theme_filter_counts_what_the_query_finds_once_opened(site, browser, query, lang):  # type: ignore[no-untyped-def]
    project, url = site
    facets = cli_search(project, query, None, lang)["facets"]["theme"]
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlparse(request.url).path))
    try:
        site_search(page, url, query, None, lang)
        assert not [path for path in fetched if "/theme/" in path]  # a query alone never fetches the themes' lists
        plain = page.eval_on_selector_all("#ent-theme option", "os => os.map(o => [o.value, o.textContent])")
        page.focus("#ent-theme")
        page.wait_for_function("() => document.querySelector('#ent-theme option:nth-child(2)').textContent.endsWith(')')")
        counted = page.eval_on_selector_all("#ent-theme option", "os => os.map(o => [o.value, o.textContent])")
        page.fill("#ent-q", "")
        page.press("#ent-q", "Enter")
        page.wait_for_function("() => !document.querySelector('#ent-theme option:nth-child(2)').textContent.endsWith(')')")
    finally:
        page.close()
    assert plain[0] == ["", "Tous les thèmes"] and all("(" not in label for _slug, label in plain)
    assert counted == [plain[0]] + [[slug, f"{label} ({facets.get(slug, 0)})"] for slug, label in plain[1:]]
    assert sum(facets.values()) > 0


TAIL_WORDS = [("budget", "conference", "training"), ("laptop", "slow", "replacement"),
              ("holiday", "requests", "approved"), ("mentor", "junior", "developer"),
              ("parking", "spaces", "visitors")]
FILLER = ["our", "office", "team", "week", "people", "usually", "sometimes", "question", "answer", "year"]


@pytest.fixture(scope="module")
def tail_site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """For each query, a questionnaire whose fifteen replies each write one of its words (five times
    each) among filler, and a thread whose opening post writes the words together, once each."""
    import random

    rng = random.Random(13)
    project = tmp_path_factory.mktemp("tailsearch")
    for name in ("mkdocs.yml", "templates"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    (project / "content/threads").mkdir(parents=True)
    (project / "content/themes.yml").write_text("themes:\n  - slug: general\n    title: {en: General}\n",
                                                encoding="utf-8")

    def thread(slug: str, title: str, body: str, replies: list[str]) -> None:
        folder = project / f"content/threads/{slug}"
        folder.mkdir()
        (folder / "thread.md").write_text(
            f'---\ntitle: "{title}"\ntheme: general\nlang: en\nauthor: "A"\ndate: 2025-01-01\nconsent: true\n'
            f"license: CC-BY-SA-4.0\n---\n{body}\n", encoding="utf-8")
        for number, reply in enumerate(replies, 1):
            (folder / f"2025-02-01-r{number}.md").write_text(
                f'---\nauthor: "R{number}"\ndate: 2025-02-01 {number // 60:02d}:{number % 60:02d}\nconsent: true\n'
                f"---\n{reply}\n", encoding="utf-8")

    for number, group in enumerate(TAIL_WORDS):
        scattered = [word for word in group for _ in range(5)]
        rng.shuffle(scattered)
        replies = [" ".join(rng.sample(FILLER, 6) + [word] + rng.sample(FILLER, 4)) + "." for word in scattered]
        thread(f"questionnaire-{number}", f"Moderators questionnaire {number}",
               "Answer the questions you like, one reply each.", replies)
        thread(f"asks-{number}", f"A question from reader {number}",
               f"Can anyone help? {' '.join(rng.sample(FILLER, 9))}: it is about {group[0]} and {group[1]}, "
               f"and {group[2]} too. {' '.join(rng.sample(FILLER, 9))}, {' '.join(rng.sample(FILLER, 9))}.",
               ["I have no idea, sorry."])
    for number, group in enumerate(TOGETHER_WORDS):
        thread(f"scattered-{number}", f"{group[0].capitalize()} at our place, reader {number}",
               f"{' '.join(rng.sample(FILLER, 5))} {group[0]} {' '.join(rng.sample(FILLER, 5))}.",
               [f"{' '.join(rng.sample(FILLER, 4))} {group[1]}.", f"{' '.join(rng.sample(FILLER, 4))} {group[2]}."])
        thread(f"together-{number}", f"Another question, reader {number}",
               f"{' '.join(rng.sample(FILLER, 9))}: {group[0]}, {' '.join(rng.sample(FILLER, 7))} {group[1]} "
               f"{' '.join(rng.sample(FILLER, 7))} {group[2]}. {' '.join(rng.sample(FILLER, 9))}.",
               ["No idea."])
    result = cli_in(project, "build")
    assert result.exit_code == 0, result.output
    with serve(project / "site") as url:
        yield project, url


TOGETHER_WORDS = [("overtime", "night", "shift"), ("handover", "parental", "leave"), ("carpool", "hours", "staggered")]


@pytest.mark.parametrize("number", range(len(TOGETHER_WORDS)))
def test_words_together_in_one_post_outrank_the_same_words_scattered_over_posts(tail_site, browser, number):  # type: ignore[no-untyped-def]
    """The scattered thread writes one word in its title and the others in two replies: a bare sum of
    scores ranks it first; one post holding all the words is what the query is about."""
    project, url = tail_site
    query = " ".join(TOGETHER_WORDS[number])
    expected = cli_search(project, query, None, None)
    slugs = [hit["slug"] for hit in expected["hits"]]
    assert slugs[:2] == [f"together-{number}", f"scattered-{number}"], slugs
    page = browser.new_page()
    try:
        assert site_search(page, url, query, None, None)[0] == slugs
    finally:
        page.close()


@pytest.mark.parametrize("number", range(len(TAIL_WORDS)))
def test_words_together_in_an_opening_post_outrank_a_long_tail_of_replies(tail_site, browser, number):  # type: ignore[no-untyped-def]
    project, url = tail_site
    query = " ".join(TAIL_WORDS[number])
    expected = cli_search(project, query, None, None)
    slugs = [hit["slug"] for hit in expected["hits"]]
    assert slugs[:2] == [f"asks-{number}", f"questionnaire-{number}"], slugs  # the long thread is still found
    page = browser.new_page()
    try:
        assert site_search(page, url, query, None, None)[0] == slugs
    finally:
        page.close()
