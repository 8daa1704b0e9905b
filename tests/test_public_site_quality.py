"""The public site as readers get it: accessibility (axe-core in Chromium), phones, links, third parties."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import serve
from tests.conftest import REPO, example_project

PAGES = {
    "home": "",
    "theme": "themes/conflits/",
    "thread": "conflit-entre-deux-collaborateurs/",
    "english thread": "remote-employee-feeling-isolated/",
    "search": "search/?q=equipe%20teletravail",
    "contributors": "contributors/",
    "tags": "tags/",
    "404": "404.html",
}
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 375, "height": 740},
    "dark desktop": {"width": 1280, "height": 900},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path_factory.mktemp("quality") / "project")
    with serve(project / "site") as url:
        yield project / "site", url


def _open(browser, url: str, viewport: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone",
                                  has_touch=viewport == "phone", color_scheme="dark" if "dark" in viewport else "light")
    page = context.new_page()
    page.goto(url)
    if "search/" in url:
        page.wait_for_selector("[data-entraide-search][data-state=done]")
    return context, page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(site, browser, name, viewport):  # type: ignore[no-untyped-def]
    _folder, url = site
    context, page = _open(browser, url + PAGES[name], viewport)
    try:
        results = Axe().run(page)
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_fit_a_phone_and_call_no_third_party(site, browser, name):  # type: ignore[no-untyped-def]
    _folder, url = site
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url + PAGES[name])
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert page.is_visible("h1")
        # the menu (drawer) opens from the header on a phone and lists the themes
        page.click("label.md-header__button[for=__drawer]")
        page.wait_for_timeout(300)
        assert page.is_visible("nav.md-nav--primary")
        # search from the header: the button alone on a phone, which opens the search page, ready to type
        page.evaluate("document.getElementById('__drawer').checked = false")
        assert not page.is_visible("#ent-header-q")
        page.click(".ent-header-search__button")
        page.wait_for_selector("[data-entraide-search][data-ready=true]")
        assert urlparse(page.url).path.endswith("/search/")
        assert page.evaluate("document.activeElement.id") == "ent-q"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()
    assert overflow <= 0
    outside = [u for u in requested if urlparse(u).scheme in ("http", "https") and urlparse(u).hostname != "127.0.0.1"]
    assert outside == []


USED = """() => [...document.querySelectorAll(
  'script[src], link[rel~=stylesheet][href], link[rel~=icon][href], img[src]')].map(e => e.src || e.href)"""


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_fetches_only_what_it_shows(site, browser, name):  # type: ignore[no-untyped-def]
    _folder, url = site
    path = PAGES[name]
    page = browser.new_page()
    responses: list[tuple[str, int]] = []
    page.on("response", lambda response: responses.append((response.url.split("?")[0], response.status)))
    try:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        used = set(page.evaluate(USED)) | {(url + path).split("?")[0]}
    finally:
        page.close()
    fetched = [address for address, _status in responses]
    extra = [a for a in fetched if a not in used and not (name == "search" and a.startswith(url + "search/"))]
    assert extra == [], f"{path} fetched what it does not show: {extra}"
    assert [(a, s) for a, s in responses if s >= 400] == []
    assert len(fetched) == len(set(fetched)), "a file was fetched twice"


def test_phone_contributors_table_and_solved_best_reply(site, browser):  # type: ignore[no-untyped-def]
    _folder, url = site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        page.goto(url + "contributors/")
        table = page.evaluate("""() => {
          const t = document.querySelector('table.ent-contributors');
          const brokenWords = el => {  // a line that starts inside a word: "Sandrin / e P."
            const text = el.firstChild, r = document.createRange();
            let top = null, broken = 0;
            for (let i = 0; i < text.length; i++) {
              r.setStart(text, i); r.setEnd(text, i + 1);
              const rect = r.getBoundingClientRect();
              if (top !== null && rect.top > top + 1 && /\\p{L}/u.test(text.data[i - 1]) && /\\p{L}/u.test(text.data[i])) broken++;
              top = rect.top;
            }
            return broken;
          };
          return {
            fits: t.getBoundingClientRect().right <= window.innerWidth,
            figures: [...t.querySelectorAll('td')].map(td => getComputedStyle(td).textAlign),
            names: [...t.querySelectorAll('tbody th')].map(th => [th.textContent, brokenWords(th)]),
          };
        }""")
        page.goto(url + "conflit-entre-deux-collaborateurs/")
        colours = page.evaluate("""() => {
          const best = document.querySelector('.ent-reply--best');
          const badge = best.querySelector('.ent-badge');
          return [getComputedStyle(best).borderLeftColor, getComputedStyle(badge).backgroundColor];
        }""")
    finally:
        context.close()
    assert table["fits"]
    assert set(table["figures"]) == {"right"}
    assert [name for name, broken in table["names"] if broken] == []
    for colour in colours:
        red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
        assert green > red and green > blue, f"{colour} does not read as 'solved'"


def test_the_404_page_speaks_the_site_language_and_offers_a_way_on(site):  # type: ignore[no-untyped-def]
    folder, _url = site
    html = (folder / "404.html").read_text(encoding="utf-8")
    assert "<title>Page introuvable - Entraide entre managers</title>" in html
    assert "<h1>Page introuvable</h1>" in html and "Not found" not in html
    assert '<form class="ent-search-form" role="search" action="/search/" method="get">' in html
    themes = re.findall(r'<li><a href="/themes/([a-z0-9-]+)/">', html)
    assert themes == [t.slug for t in __import__("entraide.loading.loader", fromlist=["x"]).load_content(REPO / "content").themes]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") in ("canonical", "alternate", "alternate feed")):
                self.links.append(values[name] or "")


def test_no_broken_internal_link(site):  # type: ignore[no-untyped-def]
    folder, _url = site
    pages = {path: _Links() for path in folder.rglob("*.html")}
    for path, parser in pages.items():
        parser.feed(path.read_text(encoding="utf-8"))
    broken = []
    checked = 0
    for path, parser in pages.items():
        base = "file://" + str(path)
        for link in parser.links:
            parsed = urlparse(link)
            if parsed.scheme in ("http", "https", "mailto") or link.startswith("data:"):
                continue
            if link.startswith("/"):  # site-absolute (the 404 page): from the site's root
                link = os.path.relpath(folder / link.lstrip("/"), path.parent) + ("/" if link.endswith("/") else "")
            target = urlparse(urljoin(base, link))
            file = Path(unquote(target.path))
            if file.is_dir() or not file.suffix:
                file = file / "index.html"
            checked += 1
            if not file.exists():
                broken.append(f"{path.relative_to(folder)}: {link}")
            elif target.fragment and file in pages and target.fragment not in pages[file].ids | {"__drawer"}:
                broken.append(f"{path.relative_to(folder)}: {link} (no such anchor)")
    assert checked > 1000
    assert broken == []


def test_thread_language_is_set_on_its_page(site):  # type: ignore[no-untyped-def]
    """The thread's words carry its language; the interface around them stays in the site's."""
    folder, _url = site
    english = (folder / "remote-employee-feeling-isolated/index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="fr"', english)
    assert '<div class="entraide entraide-thread">' in english
    assert re.search(r'<h1 lang="en">A fully remote team member', english)
    bodies = re.findall(r'<div class="ent-post__body"( lang="en")?>', english)
    assert len(bodies) == 1 + len(list((REPO / "content/threads/remote-employee-feeling-isolated").glob("2*.md")))
    assert all(bodies)
    assert '<div class="ent-takeaways__body" lang="en">' in english
    # interface strings are outside every lang="en" element
    assert re.search(r'<footer class="ent-post__license">\s*Licence\u202f:', english)
    french = (folder / "conflit-entre-deux-collaborateurs/index.html").read_text(encoding="utf-8")
    assert '<div class="entraide entraide-thread">' in french and ' lang="en"' not in french.split("<article", 1)[1]
