"""Every hostile value in every field, on every kind of page, in headless Chromium.

For each value of ``FIELD_PAYLOADS`` the project gets a theme (title and description), and in it a
thread whose title, author, takeaways and text, and a reply's author and text, are that value; the
site name and description carry several of them at once. The site is built with ``entraide build``,
served over HTTP, and every kind of page is opened: home, theme, tag (every page of it), tags, thread,
search, contributors, 404 and the feeds. Each element is given its events (mouseover, focus,
toggle…). A page passes when no dialog opened, no global variable appeared that a clean page of the
same site does not have, the Content-Security-Policy reported no violation, no request left the
site, and no live handler, frame or foreign script is in the document. The values must also come
back as the very text that was typed (no markup, nothing unescaped twice).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from entraide.errors import ContentError
from entraide.loading.loader import load_content
from tests.browser import serve
from tests.conftest import REPO, cli_in
from tests.payloads import FIELD_PAYLOADS

SITE_NAME = "Entraide </script><script>window.__pwned=1</script> \"><img src=x onerror=alert(1)> &lt;b&gt;"
PER_PAGE = 20
ATOM = "{http://www.w3.org/2005/Atom}"

START_PROBE = """(() => {
  const violations = [];
  document.addEventListener('securitypolicyviolation',
    e => violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
  Object.defineProperty(window, '__entraideProbe', { value: { violations }, enumerable: false });
  window.__entraideProbe.initial = new Set(Object.getOwnPropertyNames(window));
})();"""

END_PROBE = """async () => {
  for (const el of document.querySelectorAll('*')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'toggle', 'load', 'error', 'click']) {
      if (type === 'click' && el.closest('a[href], button, label, input, form')) continue;
      el.dispatchEvent(new Event(type));
    }
  }
  await new Promise(resolve => setTimeout(resolve, 150));
  const probe = window.__entraideProbe;
  const added = Object.getOwnPropertyNames(window).filter(name => !probe.initial.has(name));
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'base', 'applet'].includes(tag)) bad.push(tag);
    if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh') bad.push('meta refresh');
    if (tag === 'script') {
      if (el.src && new URL(el.src).origin !== location.origin) bad.push('script ' + el.src);
      if (/alert|__pwned|document\\.domain/.test(el.textContent)) bad.push('script: ' + el.textContent.slice(0, 60));
    }
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on') || attr.name === 'srcdoc') bad.push(tag + ' ' + attr.name);
      if (['href', 'src', 'action', 'data', 'formaction'].includes(attr.name)
          && /^\\s*(javascript|data|vbscript):/i.test(attr.value)) bad.push(tag + ' ' + attr.value);
    }
  }
  const topic = document.querySelector('[data-md-component=header-topic] .md-ellipsis');
  const h1 = document.querySelector('.entraide h1');
  return {
    pwned: window.__pwned !== undefined, added, bad, violations: probe.violations,
    title: document.title, topic: topic ? topic.textContent.trim() : null, h1: h1 ? h1.textContent.trim() : null,
  };
}"""


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def hostile_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    mkdocs_yml = (
        f"site_name: {_yaml(SITE_NAME)}\nsite_description: {_yaml(FIELD_PAYLOADS[1])}\n"
        "docs_dir: content\ntheme:\n  name: material\n  language: fr\n  font: false\n"
        f"plugins:\n  - entraide:\n      per_page: {PER_PAGE}\n"
    )
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    import shutil

    shutil.copytree(REPO / "templates", root / "templates")
    themes = ["themes:", "  - slug: controle", "    title: {fr: Contrôle}", "    description: {fr: Rien à signaler.}"]
    files: dict[str, str] = {}
    day = date(2025, 1, 1)
    for n, payload in enumerate(FIELD_PAYLOADS, start=1):
        value = _yaml(payload)
        themes += [f"  - slug: t-{n}", f"    title: {{fr: {value}, en: {value}}}", f"    description: {{fr: {value}}}"]
        opened = day + timedelta(days=n)
        files[f"content/threads/p-{n}/thread.md"] = (
            f"---\ntitle: {value}\ntheme: t-{n}\ntags: [sentinelle]\nlang: fr\nauthor: {value}\nanonymous: false\n"
            f"date: {opened.isoformat()}\nconsent: true\nlicense: CC-BY-SA-4.0\nsummary: {value}\n---\n"
            f"Sentinelle numéro {n}.\n\n{payload}\n"
        )
        files[f"content/threads/p-{n}/{opened.isoformat()}-reponse.md"] = (
            f"---\nauthor: {value}\nanonymous: false\ndate: {opened.isoformat()} 12:00\nconsent: true\n---\n"
            f"Réponse numéro {n}.\n\n{payload}\n"
        )
    files["content/threads/controle/thread.md"] = (
        "---\ntitle: Un fil sans histoire\ntheme: controle\ntags: [calme]\nlang: fr\nauthor: Alice\n"
        "anonymous: false\ndate: 2025-01-01\nconsent: true\nlicense: CC-BY-SA-4.0\n---\nRien de spécial.\n"
    )
    files["content/themes.yml"] = "\n".join(themes) + "\n"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = hostile_project(tmp_path_factory.mktemp("fields") / "project")
    result = cli_in(project, "build")
    assert result.exit_code == 0, result.output
    return project / "site"


def _tag_pages() -> list[str]:
    pages = -(-len(FIELD_PAYLOADS) // PER_PAGE)
    return ["tags/sentinelle/"] + [f"tags/sentinelle/page/{n}/" for n in range(2, pages + 1)]


PAGES: list[tuple[str, str, int | None]] = (
    [("home", "", None), ("tags", "tags/", None), ("contributors", "contributors/", None)]
    + [("search", "search/?q=sentinelle", None), ("search", "search/?q=script+OR+alert+OR+img", None)]
    + [("404", "404.html", None), ("feed", "feed.xml", None), ("feed", "themes/t-1/feed.xml", None)]
    + [("tag", url, None) for url in _tag_pages()]
    + [("theme", f"themes/t-{n}/", n) for n in range(1, len(FIELD_PAYLOADS) + 1)]
    + [("thread", f"p-{n}/", n) for n in range(1, len(FIELD_PAYLOADS) + 1)]
)
"""(page kind, URL, payload number shown as the page's own title)."""

CONTROL_PAGES = ["controle/", "themes/controle/", "search/?q=introuvable", "tags/calme/"]


def _visit(context, base: str, url: str) -> tuple[dict, list[str], list[str]]:
    page = context.new_page()
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: None if request.url.startswith(base) else outside.append(request.url))
    page.add_init_script(START_PROBE)
    try:
        page.goto(base + url, wait_until="load")
        if url.startswith("search/"):
            page.wait_for_selector("[data-entraide-search][data-state=done]")
        result = page.evaluate(END_PROBE) if not url.endswith(".xml") else {"added": [], "bad": [], "violations": []}
    finally:
        page.close()
    return result, dialogs, outside


@pytest.fixture(scope="module")
def served(hostile_site):
    with serve(hostile_site) as base:
        yield base


@pytest.fixture(scope="module")
def clean_globals(shared_context, served) -> set[str]:
    """The globals that the site's own scripts create on clean pages of each kind."""
    names: set[str] = set()
    for url in CONTROL_PAGES:
        result, dialogs, outside = _visit(shared_context, served, url)
        assert dialogs == [] and outside == [] and result["violations"] == [], (url, result)
        names.update(result["added"])
    return names


def test_every_payload_has_a_page_of_each_kind():
    assert len(FIELD_PAYLOADS) >= 40
    kinds = {kind for kind, _url, _n in PAGES}
    assert kinds == {"home", "tags", "tag", "theme", "thread", "search", "contributors", "404", "feed"}


@pytest.mark.parametrize(("kind", "url", "number"), PAGES, ids=[f"{k}:{u}" for k, u, _ in PAGES])
def test_no_script_runs_on_any_page(shared_context, served, clean_globals, kind, url, number):
    result, dialogs, outside = _visit(shared_context, served, url)
    assert dialogs == [], dialogs
    assert outside == [], outside
    assert result["violations"] == [], result["violations"]
    assert sorted(set(result["added"]) - clean_globals) == []
    assert result["bad"] == [], result["bad"]
    if kind in {"thread", "theme"}:
        typed = FIELD_PAYLOADS[number - 1]
        shown = {key: (result[key] or "").replace("\u202f", " ") for key in ("h1", "topic", "title")}
        assert shown["h1"] == typed
        assert shown["topic"] == typed
        assert shown["title"].startswith(typed + " - ")
        assert shown["title"].endswith(SITE_NAME)


def test_feeds_carry_the_values_as_text(hostile_site):
    for feed in [hostile_site / "feed.xml", *sorted(hostile_site.glob("themes/*/feed.xml"))]:
        root = ET.parse(feed).getroot()
        foreign = {element.tag for element in root.iter() if not element.tag.startswith(ATOM)}
        assert foreign == set(), f"{feed}: elements outside Atom: {foreign}"
    for n, payload in enumerate(FIELD_PAYLOADS, start=1):
        feed = ET.parse(hostile_site / "themes" / f"t-{n}" / "feed.xml").getroot()
        titles = [entry.findtext(f"{ATOM}title", "").replace("\u202f", " ") for entry in feed.iter(f"{ATOM}entry")]
        assert titles == [payload]


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.policy: str | None = None
        self.inline: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False
        self._counts = False
        self._body: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        self.handlers += [f"{tag} {name}" for name, _ in attrs if name.startswith("on")]
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "content-security-policy":
            self.policy = self.policy or names.get("content")
        if tag == "script":
            self._in_script = True
            self._counts = "src" not in names and names.get("type") in (None, "text/javascript", "module")
            self._body = []

    def handle_data(self, data):
        if self._in_script:
            self._body.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            if self._counts:
                self.inline.append("".join(self._body))
            self._in_script = False


def test_every_page_has_a_strict_policy_that_allows_only_its_own_theme_scripts(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 2 * len(FIELD_PAYLOADS)
    for page in pages:
        parser = _Scripts()
        parser.feed(page.read_text(encoding="utf-8"))
        where = page.relative_to(hostile_site)
        assert parser.policy, f"{where}: no Content-Security-Policy"
        directives = dict(d.strip().split(" ", 1) for d in parser.policy.split(";"))
        scripts = directives["script-src"].split()
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, where
        assert directives["default-src"] == "'none'" and directives["object-src"] == "'none'", where
        for body in parser.inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in scripts, f"{where}: an inline script the policy does not allow: {body[:80]}"
        assert parser.handlers == [], f"{where}: {parser.handlers}"


@pytest.mark.parametrize("payload", FIELD_PAYLOADS)
def test_a_tag_carrying_markup_is_refused(tmp_path, payload):
    (tmp_path / "threads" / "p").mkdir(parents=True)
    (tmp_path / "themes.yml").write_text("themes:\n  - slug: t\n    title: {fr: T}\n", encoding="utf-8")
    (tmp_path / "threads" / "p" / "thread.md").write_text(
        f"---\ntitle: Titre\ntheme: t\ntags: [{_yaml(payload)}]\nlang: fr\nauthor: A\nanonymous: false\n"
        "date: 2025-01-01\nconsent: true\nlicense: CC-BY-SA-4.0\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        load_content(tmp_path, base=tmp_path)
    assert [(p.path, p.field) for p in error.value.problems] == [("threads/p/thread.md", "tags")]


def test_the_values_are_escaped_not_dropped(hostile_site):
    thread = (hostile_site / "p-1" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thread
    assert re.search(r"<title>&lt;script&gt;alert\(1\)&lt;/script&gt; - Entraide &lt;/script&gt;", thread)
