"""The site links to the intake when ``intake_url`` is set, and not otherwise."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, example_project


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


def test_without_intake_url_there_is_no_link_and_a_bad_one_stops_the_build(tmp_path: Path) -> None:
    project = example_project(tmp_path / "plain")
    assert "ent-contribute" not in (project / "site" / "index.html").read_text()
    from tests.conftest import cli_in

    broken = example_project(tmp_path / "broken", build=False, mkdocs_yml=_with_intake("javascript:alert(1)"))
    result = cli_in(broken, "build")
    assert result.exit_code != 0 and "intake_url must be an http(s) address" in result.output
