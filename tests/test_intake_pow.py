"""The optional proof of work (ALTCHA), on a real server: solved in Chromium, and every way around it held back."""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from contextlib import closing

import altcha
import httpx
import pytest

from entraide.intake import proofofwork
from tests.conftest import example_project
from tests.intake_server import SECRET, VALID, Server, receipt_id, session, start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("pow")
    project = example_project(root / "project", build=False)
    running = start(project, root / "state", "--min-fill", "0", "--rate", "100/3600", "--proof-of-work", "20000")
    yield running
    running.stop()


def challenge_of(page: str) -> dict[str, object]:
    found = re.search(r'data-challenge="([^"]+)"', page)
    assert found, page
    return json.loads(html.unescape(found.group(1)))


def solution(spec: dict[str, object], **changes: object) -> str:
    solved = altcha.solve_challenge_v1(str(spec["challenge"]), str(spec["salt"]), "SHA-256", int(spec["maxnumber"]))
    assert solved is not None
    fields = {key: spec[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**fields, "number": solved.number, **changes}).encode()).decode()


def send(server: Server, title: str, proof: object) -> tuple[httpx.Response, str]:
    """Post with ``proof``: a payload, or a function of the form page's challenge that makes one."""
    client, token = session(server)
    with closing(client):
        spec = challenge_of(client.get("/new").text)
        payload = proof(spec) if callable(proof) else str(proof)
        data = {**VALID, "title": title, "body": f"{title} : un texte assez long pour être publié.", "token": token,
                proofofwork.FIELD: payload}
        return client.post("/new", data=data), payload


def held_reasons(server: Server) -> list[str]:
    folder = server.project / "quarantine"
    return [json.loads(p.read_text())["detail"] for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def test_a_solved_challenge_is_received_once_and_a_replay_is_held(server: Server) -> None:
    first, payload = send(server, "Un message avec sa preuve", solution)
    assert first.status_code == 200 and receipt_id(first.text)
    replay, _ = send(server, "Un autre message, même preuve", payload)
    assert replay.status_code == 400 and "mis de côté" in replay.text
    assert "the proof of work was already used once" in held_reasons(server)


def _expired(spec: dict[str, object]) -> str:
    old = json.loads(proofofwork.challenge(SECRET.encode(), 1000, now=1_000_000_000.0))
    return solution(old)


FORGED = {
    "missing": lambda spec: "",
    "not base64": lambda spec: "!!!not-base64!!!",
    "not JSON": lambda spec: base64.b64encode(b"not json").decode(),
    "a JSON list": lambda spec: base64.b64encode(b"[1, 2]").decode(),
    "wrong number": lambda spec: solution(spec, number=-1),
    "forged signature": lambda spec: solution(spec, signature="0" * 64),
    "other algorithm": lambda spec: solution(spec, algorithm="SHA-1"),
    "signed elsewhere": lambda spec: solution(json.loads(proofofwork.challenge(b"another-secret-0123456789", 1000))),
    "expired": _expired,
    "huge": lambda spec: "A" * 5000,
}


@pytest.mark.parametrize("kind", list(FORGED))
def test_every_way_around_the_proof_is_held_never_received(server: Server, kind: str) -> None:
    before = len(list((server.project / "submissions").glob("*.md")))
    response, _ = send(server, f"Un message sans vraie preuve ({kind})", FORGED[kind])
    assert response.status_code == 400 and "mis de côté" in response.text
    assert len(list((server.project / "submissions").glob("*.md"))) == before


def test_chromium_solves_the_challenge_and_the_post_is_received(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(server.url + "/new")
        page.fill("#title", "Une question envoyée par un vrai navigateur")
        page.select_option("#theme", "charge")
        page.fill("#body", "Le navigateur fait la vérification anti-robot pendant que j'écris ce texte.")
        page.fill("#author", "Chloé P.")
        page.check("#consent")
        page.click("#send")  # at once: the submit waits for the proof if it is not ready yet
        page.wait_for_selector(".receipt-id", timeout=60_000)
    finally:
        context.close()
    assert [url for url in requested if not url.startswith(server.url)] == []


def test_without_javascript_the_post_is_held_for_an_editor(server: Server, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/new")
        assert "Sans JavaScript" in page.inner_text("form")
        page.fill("#title", "Une question sans JavaScript")
        page.select_option("#theme", "charge")
        page.fill("#body", "Mon navigateur n'exécute pas de JavaScript : mon message doit tout de même arriver.")
        page.fill("#author", "Paul N.")
        page.check("#consent")
        page.click("#send")
        page.wait_for_selector("h1")
        assert "Message mis de côté" in page.inner_text("h1")
    finally:
        context.close()
    assert any("no proof of work" in reason for reason in held_reasons(server))
