"""The intake in real Chromium: filled with the keyboard only, no serious axe-core violation, nothing from another host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import example_project
from tests.intake_server import Server, start

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("intake-browser")
    project = example_project(root / "project", build=False)
    running = start(project, root / "state", "--min-fill", "0.5")
    yield running
    running.stop()


def tab_to(page, element_id: str, limit: int = 30) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_a_new_thread_is_written_and_sent_with_the_keyboard_only(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/new")
        tab_to(page, "title")
        page.keyboard.type("Tenir un planning quand tout le monde est en congé")
        tab_to(page, "theme")
        page.keyboard.type("Charge")
        tab_to(page, "body")
        page.keyboard.type("En août, la moitié de l'équipe part en même temps. Comment organisez-vous la relève ?")
        tab_to(page, "author")
        page.keyboard.type("Inès T.")
        tab_to(page, "consent")
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Envoyer"
        page.wait_for_timeout(600)  # a person takes longer than the minimum fill time
        page.keyboard.press("Enter")
        page.wait_for_selector(".receipt-id")
        submission_id = page.get_attribute(".receipt-id", "data-submission")
    finally:
        context.close()
    text = (server.project / "submissions" / f"{submission_id}.md").read_text()
    assert 'theme: "charge"' in text and 'author: "Inès T."' in text


def test_the_error_summary_links_to_each_field_and_keeps_the_text(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/reply/conflit-entre-deux-collaborateurs")
        tab_to(page, "body")
        page.keyboard.type("Mon numéro : 06 12 34 56 78")
        tab_to(page, "send")
        page.wait_for_timeout(600)
        page.keyboard.press("Enter")
        page.wait_for_selector("#error-summary")
        links = page.eval_on_selector_all("#error-summary a", "links => links.map(a => a.getAttribute('href'))")
        assert links == ["#body", "#author", "#consent"]
        assert page.input_value("#body") == "Mon numéro : 06 12 34 56 78"
        assert page.get_attribute("#body", "aria-invalid") == "true"
        page.focus("#error-summary a")
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#body"
    finally:
        context.close()


PAGES = {
    "new": "/new",
    "new in English": "/new?lang=en",
    "reply": "/reply/conflit-entre-deux-collaborateurs",
    "not found": "/reply/nope",
}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", [*PAGES, "errors", "receipt", "status"])
def test_no_serious_accessibility_violation_and_no_other_host(server: Server, browser, name: str, viewport: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(server.url + PAGES.get(name, "/new"))
        if name in ("errors", "receipt", "status"):
            if name != "errors":
                page.fill("#title", f"Une question pour l'accessibilité {viewport} {name}")
                page.select_option("#theme", "charge")
                page.fill("#body", "Un texte assez long pour être publié, sans donnée personnelle.")
                page.fill("#author", "Axe C.")
                page.check("#consent")
            page.wait_for_timeout(600)  # past the minimum fill time: sooner is held back as a robot's
            page.click("#send")
            page.wait_for_selector("#error-summary" if name == "errors" else ".receipt-id")
            if name == "status":
                page.click(".status-link")
                page.wait_for_selector("[data-state=pending]")
        results = Axe().run(page)
        scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert scroll, "the page scrolls sideways"
    assert [url for url in requested if not url.startswith(server.url)] == []


def test_a_draft_survives_a_reload_and_the_receipt_clears_it(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(server.url + "/new")
        page.focus("#title")
        page.keyboard.type("Un brouillon qui ne se perd pas")
        page.focus("#body")
        page.keyboard.type("Le texte tapé avant un rechargement.")
        page.reload()
        assert page.input_value("#title") == "Un brouillon qui ne se perd pas"
        assert page.input_value("#body") == "Le texte tapé avant un rechargement."
        page.select_option("#theme", "charge")
        page.fill("#author", "Draft D.")
        page.check("#consent")
        page.wait_for_timeout(600)
        page.click("#send")
        page.wait_for_selector(".receipt-id")
        page.goto(server.url + "/new")
        assert page.input_value("#title") == ""
    finally:
        context.close()


def test_the_author_follows_the_status_link_and_withdraws_with_the_keyboard(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/new")
        page.fill("#title", "Une question que je retirerai")
        page.select_option("#theme", "charge")
        page.fill("#body", "Je préfère finalement en parler d'abord avec mon équipe, de vive voix.")
        page.fill("#author", "Léa R.")
        page.check("#consent")
        page.wait_for_timeout(600)
        page.click("#send")
        page.wait_for_selector(".receipt-id")
        submission_id = page.get_attribute(".receipt-id", "data-submission")
        assert (server.project / "submissions" / f"{submission_id}.md").is_file()
        for _ in range(20):  # Tab to the status link, as a keyboard user would
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.className") == "status-link":
                break
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-state=pending]")
        for _ in range(20):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName") == "BUTTON":
                break
        assert page.evaluate("document.activeElement.textContent") == "Retirer mon message"
        page.keyboard.press("Enter")
        page.wait_for_selector("[data-state=withdrawn]")
    finally:
        context.close()
    assert not (server.project / "submissions" / f"{submission_id}.md").exists()
