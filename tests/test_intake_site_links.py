"""The site links to the intake when ``intake_url`` is set, and not otherwise."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.conftest import REPO, cli_in, example_project


def _with_intake(url: str) -> str:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    return text.replace("      per_page: 20\n", f"      per_page: 20\n      intake_url: {url}\n")


def test_home_and_theme_pages_ask_and_thread_pages_reply(tmp_path: Path) -> None:
    project = example_project(tmp_path / "project", mkdocs_yml=_with_intake("https://forms.example.org/"))
    site = project / "site"
    home = (site / "index.html").read_text()
    assert '<a href="https://forms.example.org/new">Poser une question</a>' in home
    theme = (site / "themes" / "conflits" / "index.html").read_text()
    assert '<a href="https://forms.example.org/new?theme=conflits">Poser une question</a>' in theme
    thread = (site / "conflit-entre-deux-collaborateurs" / "index.html").read_text()
    assert '<a href="https://forms.example.org/reply/conflit-entre-deux-collaborateurs">Répondre</a>' in thread


def test_without_intake_url_links_lead_to_the_contribute_page_whose_examples_pass_check(tmp_path: Path) -> None:
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8") + "repo_url: https://git.example.org/club/entraide\n"
    project = example_project(tmp_path / "plain", mkdocs_yml=yml)
    site = project / "site"
    assert '<a href="contribuer/#question">Poser une question</a>' in (site / "index.html").read_text()
    assert '<a href="../../contribuer/#question">' in (site / "themes" / "conflits" / "index.html").read_text()
    thread = (site / "conflit-entre-deux-collaborateurs" / "index.html").read_text()
    assert '<a href="../contribuer/#repondre">Répondre</a>' in thread
    page = (site / "contribuer" / "index.html").read_text()
    assert 'id="question"' in page and 'id="repondre"' in page
    assert '<a href="https://git.example.org/club/entraide">' in page
    assert "ent-contribute-form" not in page  # no form to offer
    examples = [html.unescape(block) for block in re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)]
    assert len(examples) == 2
    (project / "submissions").mkdir(exist_ok=True)
    for n, text in enumerate(examples):  # what a contributor copies is a valid submission
        (project / "submissions" / f"exemple-{n}.md").write_text(text + "\n", encoding="utf-8")
    checked = cli_in(project, "check", "submissions/")
    assert checked.exit_code == 0, checked.output
    assert "0 problems" in checked.output or "no problem" in checked.output


def test_the_contribute_page_offers_the_form_when_there_is_one(tmp_path: Path) -> None:
    project = example_project(tmp_path / "project", mkdocs_yml=_with_intake("https://forms.example.org"))
    page = (project / "site" / "contribuer" / "index.html").read_text()
    assert '<a class="ent-contribute-form" href="https://forms.example.org/new">' in page


def test_a_bad_intake_url_stops_the_build(tmp_path: Path) -> None:
    broken = example_project(tmp_path / "broken", build=False, mkdocs_yml=_with_intake("javascript:alert(1)"))
    result = cli_in(broken, "build")
    assert result.exit_code != 0 and "intake_url must be an http(s) address" in result.output
