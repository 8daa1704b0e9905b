"""Hostile posts on the built site, in headless Chromium: no dialog, no script, no outside request.

Every payload of ``tests/payloads.py`` is published (as a reply's text, a title, an author, a summary,
a theme's description), the site is built with ``entraide build`` and served over HTTP, and every
page that shows them is opened in Chromium. Inline handlers are given their chance: every element
gets mouseover, focus and toggle events.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import serve
from tests.conftest import THREAD, reply, valid_files
from tests.payloads import BODY_PAYLOADS, TITLE_PAYLOADS

PROBE = """() => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle', 'load', 'error']) {
      el.dispatchEvent(new Event(type));
    }
  }
  const content = document.querySelector('.entraide');
  const bad = [];
  for (const el of content.querySelectorAll('*')) {
    if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'STYLE', 'IMG', 'SVG', 'MATH', 'LINK', 'META',
         'BASE', 'INPUT', 'BUTTON', 'NOSCRIPT'].includes(el.tagName.toUpperCase())) bad.push(el.tagName);
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || attr.name === 'style' || attr.name === 'srcdoc') bad.push(attr.name);
      if (['href', 'src', 'action', 'data'].includes(attr.name) && /^\\s*(javascript|data|vbscript):/i.test(attr.value))
        bad.push(attr.value);
    }
  }
  return {
    pwned: window.__pwned === 1,
    bad,
    posts: content.querySelectorAll('article.ent-post').length,
    inside: !!document.querySelector('article.md-content__inner .entraide'),
    footer: !!document.querySelector('footer.md-footer'),
    text: content.innerText,
  };
}"""


def hostile_files() -> dict[str, str]:
    files = valid_files()
    body_thread = "content/threads/charges-utiles/"
    files[body_thread + "thread.md"] = THREAD.replace(
        "license: CC-BY-SA-4.0",
        "license: CC-BY-SA-4.0\nsummary: |\n  - <script>alert(1)</script>\n  - [x](javascript:alert(1))",
    )
    for number, payload in enumerate(BODY_PAYLOADS, start=1):
        text = f"Réponse {number} :\n\n{payload}\n\nFin {number}."
        files[f"{body_thread}2025-04-{number:02d}-r.md" if number <= 28 else f"{body_thread}2025-05-{number - 28:02d}-r.md"] = reply(
            author=f"Auteur {number}", date="2025-04-01 10:00" if number <= 28 else "2025-05-01 10:00", text=text
        )
    for number, title in enumerate(TITLE_PAYLOADS, start=1):
        escaped = title.replace("\\", "\\\\").replace('"', '\\"')
        files[f"content/threads/titre-{number}/thread.md"] = THREAD.replace(
            '"Conflit entre deux collègues : que faire ?"', f'"{escaped}"'
        ).replace('"Claire M."', f'"{escaped}"')
    files["content/themes.yml"] = files["content/themes.yml"].replace(
        "\"Désaccords dans l'équipe.\"", '"<script>alert(1)</script><img src=x onerror=alert(1)>"'
    )
    return files


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import os
    import shutil
    import textwrap

    from click.testing import CliRunner

    from entraide.cli import main
    from tests.conftest import MKDOCS_YML, REPO

    project = tmp_path_factory.mktemp("hostile")
    (project / "mkdocs.yml").write_text(MKDOCS_YML.format(per_page=20))
    shutil.copytree(REPO / "templates", project / "templates")
    for name, text in hostile_files().items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["build"], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return project / "site"


def test_there_are_at_least_30_payloads():
    assert len(BODY_PAYLOADS) + len(TITLE_PAYLOADS) >= 30


def pages_to_visit() -> list[tuple[str, int | None]]:
    visits: list[tuple[str, int | None]] = [("", None), ("themes/conflits/", None), ("tags/conflit/", None)]
    visits.append(("charges-utiles/", 1 + len(BODY_PAYLOADS)))
    visits += [(f"titre-{n}/", 1) for n in range(1, len(TITLE_PAYLOADS) + 1)]
    return visits


@pytest.mark.parametrize(("url", "posts"), pages_to_visit())
def test_no_script_runs_and_nothing_leaves_the_site(hostile_site, browser, url, posts):
    with serve(hostile_site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        outside: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
        page.goto(base + url, wait_until="load")
        result = page.evaluate(PROBE)
        page.wait_for_timeout(200)
        page.close()
    assert dialogs == []
    assert result["pwned"] is False
    assert outside == []
    assert result["bad"] == []
    assert result["inside"] and result["footer"], "the page layout is broken"
    if posts is not None:
        assert result["posts"] == posts


def test_payloads_are_shown_as_text(hostile_site, browser):
    with serve(hostile_site) as base:
        page = browser.new_page()
        page.goto(base + "charges-utiles/")
        text = page.inner_text(".entraide")
        title = page.title()
        page.goto(base + "titre-3/")
        heading = page.inner_text(".entraide h1")
        page.close()
    assert "<script>alert(1)</script>" in text
    assert '--8<-- "/etc/passwd"' in text
    assert "{{ config.site_name }} {% include 'home.html' %}" in text
    assert re.search(r"Fin 42\.", text)
    assert title.startswith("Conflit entre deux collègues")
    assert heading == "</title><script>window.__pwned=1</script>"


def test_html_in_tags_is_refused_by_the_check(make_project, run):
    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace(
        "tags: [conflit, médiation]", 'tags: [conflit, "<script>alert(1)</script>"]'
    )
    result = run(make_project(files), "check")
    assert result.exit_code == 1
    assert (
        "content/threads/conflit-collegues/thread.md:4: tags: tag '<script>alert(1)</script>' must be lowercase "
        "words joined by hyphens, such as 'prise-de-parole'" in result.stdout
    )


@pytest.mark.parametrize("query", ["personnes", "réponse fin", "script OR alert"])
def test_search_results_show_hostile_titles_and_snippets_as_text(hostile_site, browser, query):
    with serve(hostile_site) as base:
        page = browser.new_page()
        dialogs: list[str] = []
        outside: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
        page.goto(base + "search/?q=" + query)
        page.wait_for_selector("[data-entraide-search][data-state=done]")
        page.wait_for_timeout(200)
        pwned = page.evaluate("() => !!window.__pwned")
        titles = page.eval_on_selector_all("[data-search-results] h2", "hs => hs.map(h => h.textContent)")
        injected = page.eval_on_selector_all(
            "[data-search-results] script, [data-search-results] img, [data-search-results] iframe, "
            "[data-search-results] svg, [data-search-results] [onerror], [data-search-results] [onload]",
            "nodes => nodes.length",
        )
        page.close()
    assert dialogs == [] and outside == [] and pwned is False and injected == 0
    assert titles
    if query == "personnes":
        assert "</title><script>window.__pwned=1</script>" in titles
