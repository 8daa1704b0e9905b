"""Every page's footer: the texts' licences, how to contribute, the editors' contact, the feed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO, cli_in, example_project


def _config(**options: str) -> str:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    extra = "".join(f"      {key}: '{value}'\n" for key, value in options.items() if key != "copyright")
    text = text.replace("      per_page: 20\n", "      per_page: 20\n" + extra)
    if "copyright" in options:
        text += f"copyright: '{options['copyright']}'\n"
    return text


def footer(page: Path) -> str:
    found = re.search(r'<div class="md-copyright ent-footer">(.*?)</div>\s*</div>', page.read_text(), re.S)
    assert found, page
    return found.group(1)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = _config(contact="editeurs@example.org", copyright="© 2026 <script>alert(1)</script> Club")
    return example_project(tmp_path_factory.mktemp("footer") / "project", mkdocs_yml=config) / "site"


@pytest.mark.parametrize(("page", "prefix"), [
    ("index.html", ""), ("themes/conflits/index.html", "../../"), ("conflit-entre-deux-collaborateurs/index.html", "../"),
    ("tags/index.html", "../"), ("search/index.html", "../"), ("contributors/index.html", "../"), ("404.html", "/"),
])
def test_every_page_kind_has_the_footer_links(site: Path, page: str, prefix: str) -> None:
    text = footer(site / page)
    assert "licence indiquée avec lui" in text
    assert f'<a href="{prefix}contribuer/">Contribuer</a>' in text
    assert '<a href="mailto:editeurs@example.org">Contacter les éditeurs</a>' in text
    assert f'<a href="{prefix}feed.xml">Flux Atom</a>' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text


def test_with_a_form_the_footer_links_to_it_and_a_web_contact_is_kept(tmp_path: Path) -> None:
    config = _config(intake_url="https://forms.example.org", contact="https://club.example.org/contact")
    site = example_project(tmp_path / "project", mkdocs_yml=config) / "site"
    text = footer(site / "index.html")
    assert '<a href="https://forms.example.org/new">Contribuer</a>' in text
    assert '<a href="https://club.example.org/contact">Contacter les éditeurs</a>' in text


def test_without_contact_there_is_no_contact_link(tmp_path: Path) -> None:
    site = example_project(tmp_path / "project") / "site"
    assert "Contacter" not in footer(site / "index.html")


@pytest.mark.parametrize("contact", ["javascript:alert(1)", "data:text/html,x", "not an address",
                                     'https://x.example.org/"><script>', "a@b"])
def test_a_contact_that_is_neither_an_email_nor_a_web_address_stops_the_build(tmp_path: Path, contact: str) -> None:
    project = example_project(tmp_path / "project", build=False, mkdocs_yml=_config(contact=contact))
    result = cli_in(project, "build")
    assert result.exit_code != 0 and "contact must be an e-mail address or an http(s) address" in result.output
