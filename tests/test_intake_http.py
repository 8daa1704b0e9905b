"""The intake over real HTTP: a real ``entraide intake`` on loopback, each kind of bad input, the whole path to the site."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import closing

import httpx
import pytest

from entraide.intake import tokens
from tests.conftest import cli_in, example_project
from tests.intake_server import SECRET, VALID, Server, aged_token, receipt_id, session, start

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("intake")
    project = example_project(root / "project")  # built: the search index offers similar threads
    running = start(project, root / "state", "--min-fill", "2", "--rate", "3/3600", "--max-bytes", "20000")
    yield running
    running.stop()


def post(server: Server, data: dict[str, str], *, path: str = "/new", address: str = "192.0.2.1",
         token: str | None = None) -> httpx.Response:
    client, fresh = session(server, path)
    with closing(client):
        return client.post(path, data={**data, "token": token if token is not None else fresh},
                           headers={"x-forwarded-for": address})


def quarantined(server: Server) -> list[dict[str, str]]:
    folder = server.project / "quarantine"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.is_dir() else []


def test_every_page_sends_strict_security_headers_and_health_answers(server: Server) -> None:
    for path in ("/healthz", "/new", "/new?lang=en", "/reply/conflit-entre-deux-collaborateurs", "/nowhere",
                 "/static/intake.css"):
        response = httpx.get(server.url + path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-content-type-options"] == "nosniff"
    assert httpx.get(server.url + "/healthz").text == "ok\n"


def test_pages_are_french_by_default_english_on_request_and_preselect_the_theme(server: Server) -> None:
    page = httpx.get(server.url + "/new?theme=conflits").text
    assert '<html lang="fr">' in page and "Poser une question" in page
    assert '<option value="conflits" selected>' in page
    english = httpx.get(server.url + "/new?lang=en").text
    assert '<html lang="en">' in english and "Ask a question" in english
    reply = httpx.get(server.url + "/reply/conflit-entre-deux-collaborateurs").text
    assert "Répondre à « Conflit entre deux membres de mon équipe : comment intervenir ? »" in reply
    assert 'name="title"' not in reply


def test_unknown_theme_or_thread_is_a_404_with_its_message(server: Server) -> None:
    theme = httpx.get(server.url + "/new?theme=nope")
    assert theme.status_code == 404 and "Le thème « nope » n&#39;existe pas." in theme.text
    thread = httpx.get(server.url + "/reply/no-such-thread")
    assert thread.status_code == 404 and "La discussion « no-such-thread » n&#39;existe pas" in thread.text
    assert httpx.post(server.url + "/reply/no-such-thread", data={"body": "x"}).status_code == 404
    assert httpx.get(server.url + "/nowhere").status_code == 404
    assert httpx.put(server.url + "/new").status_code == 405


def test_every_problem_is_shown_at_once_beside_its_field_and_the_text_is_kept(server: Server) -> None:
    response = post(server, {"title": "", "theme": "", "tags": "Pas Bon", "body": "Écrivez-moi : jean@example.com",
                             "author": "", "license": "CC-BY-SA-4.0"})
    assert response.status_code == 422
    page = response.text
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    for field in ("title", "theme", "tags", "body", "author", "consent"):
        assert f'href="#{field}"' in summary, field
        assert f'id="{field}-error"' in page, field
    assert "donnée personnelle\u202f: une adresse e-mail (jean@example.com)" in page  # in the page's language
    assert "Écrivez-moi : jean@example.com</textarea>" in page
    assert 'value="Pas Bon"' in page
    assert not list((server.project / "submissions").glob("*ecrivez*"))


def test_hostile_html_in_every_field_comes_back_escaped(server: Server) -> None:
    fields = {name: HOSTILE for name in ("title", "theme", "tags", "lang", "body", "author", "license", "action")}
    response = post(server, fields)
    assert response.status_code == 422
    assert "<script>alert(1)" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


@pytest.mark.parametrize("token", ["", "1700000000.abc.def", "forged"])
def test_missing_or_forged_token_is_refused_with_the_text_kept(server: Server, token: str) -> None:
    response = post(server, {**VALID, "title": "Jeton refusé"}, token=token)
    assert response.status_code == 403
    assert "Le formulaire a expiré ou n&#39;a pas pu être vérifié" in response.text
    assert 'value="Jeton refusé"' in response.text


def test_a_token_for_another_browser_is_refused(server: Server) -> None:
    other = tokens.issue(SECRET.encode(), "another-browser", now=time.time() - 60)
    assert post(server, VALID, token=other).status_code == 403


def test_honeypot_and_speed_are_held_in_quarantine_with_the_reason(server: Server) -> None:
    held = post(server, {**VALID, "title": "Piège à robots", "website": "http://spam.example"})
    assert held.status_code == 400 and "mis de côté" in held.text and "un champ caché a été rempli" in held.text
    client, _aged = session(server)
    with closing(client):
        fresh = tokens.issue(SECRET.encode(), client.cookies[tokens.COOKIE])
        fast = client.post("/new", data={**VALID, "title": "Trop rapide", "token": fresh})
    assert fast.status_code == 400 and "trop vite" in fast.text
    reasons = {record["reason"] for record in quarantined(server)}
    assert {"honeypot", "too-fast"} <= reasons
    assert not list((server.project / "submissions").glob("piege*")) and not list(
        (server.project / "content").rglob("*piege*"))


def test_too_many_links_is_held(server: Server) -> None:
    body = " ".join(f"https://example.org/{n}" for n in range(6))
    response = post(server, {**VALID, "title": "Beaucoup de liens", "body": body})
    assert response.status_code == 422 and "trop de liens (au plus 5)" in response.text
    assert "too-many-links" in {record["reason"] for record in quarantined(server)}


def test_a_huge_body_is_refused_with_413_before_parsing(server: Server) -> None:
    client, token = session(server)
    with closing(client):
        declared = client.post("/new", data={**VALID, "token": token, "body": "x" * 50_000})
        assert declared.status_code == 413 and "trop long" in declared.text

        def chunks() -> Iterator[bytes]:
            yield f"token={token}&body=".encode()
            for _ in range(40):
                yield b"y" * 1000

        streamed = client.post("/new", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
        assert streamed.status_code == 413


def test_a_body_that_is_not_a_form_is_a_400(server: Server) -> None:
    client, token = session(server)
    with closing(client):
        response = client.post("/new", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data"})
    assert response.status_code == 400 and "n&#39;a pas pu être lue" in response.text


def test_the_rate_limit_per_address_holds_and_quarantines(server: Server) -> None:
    statuses = []
    for n in range(4):
        data = {**VALID, "title": f"Question numéro {n} sur la charge", "author": f"Auteur {n}"}
        statuses.append(post(server, data, address="198.51.100.7").status_code)
    assert statuses == [200, 200, 200, 429]
    assert "rate-limited" in {record["reason"] for record in quarantined(server)}
    stored = (server.project.parent / "state").rglob("intake-rate.sqlite")
    assert b"198.51.100.7" not in b"".join(path.read_bytes() for path in stored)


def test_the_same_post_twice_makes_one_file_and_the_same_receipt(server: Server) -> None:
    data = {**VALID, "title": "Deux clics sur envoyer", "author": "Double C."}
    first, second = post(server, data, address="203.0.113.5"), post(server, data, address="203.0.113.5")
    assert first.status_code == second.status_code == 200
    assert receipt_id(first.text) == receipt_id(second.text)
    assert "déjà parvenu" in second.text
    assert len(list((server.project / "submissions").glob("deux-clics-sur-envoyer-*.md"))) == 1


def test_similar_published_threads_are_offered_before_a_new_thread_is_sent(server: Server) -> None:
    data = {**VALID, "theme": "conflits", "title": "Conflit entre deux membres de mon équipe",
            "body": "Deux membres de mon équipe sont en conflit ouvert, comment intervenir dans ce conflit ?",
            "action": "send"}
    offered = post(server, data, address="203.0.113.9")
    assert offered.status_code == 200
    assert "Votre question a peut-être déjà une réponse" in offered.text
    assert 'href="https://entraide.example.org/conflit-entre-deux-collaborateurs/"' in offered.text
    assert "data-submission" not in offered.text
    sent = post(server, {**data, "action": "send-anyway"}, address="203.0.113.9")
    assert sent.status_code == 200 and receipt_id(sent.text)


def test_preview_renders_the_markdown_safely_and_writes_nothing(server: Server) -> None:
    data = {**VALID, "title": "Aperçu avant envoi", "body": "Du **gras** et <b>pas de HTML</b>", "action": "preview"}
    response = post(server, data, address="203.0.113.10")
    assert response.status_code == 200
    assert "<strong>gras</strong>" in response.text and "<b>pas de HTML</b>" not in response.text
    assert not list((server.project / "submissions").glob("apercu*"))


def test_a_form_submission_is_checked_accepted_and_built_like_a_pull_requests(server: Server) -> None:
    data = {**VALID, "title": "Reprendre une équipe en difficulté", "anonymous": "yes", "author": ""}
    new = post(server, data, address="203.0.113.20")
    reply = post(server, {"body": "Commencez par écouter chacun, en tête à tête.", "author": "Léa P.",
                          "consent": "yes"}, path="/reply/conflit-entre-deux-collaborateurs", address="203.0.113.21")
    assert new.status_code == reply.status_code == 200, (new.text, reply.text)
    project = server.project
    for submission_id in (receipt_id(new.text), receipt_id(reply.text)):
        path = project / "submissions" / f"{submission_id}.md"
        assert path.is_file()
        checked = cli_in(project, "check", str(path.relative_to(project)))
        assert checked.exit_code == 0, checked.output
        assert "# consent (fr): J'accepte que ce texte soit publié" in path.read_text()
    assert cli_in(project, "accept", receipt_id(new.text)).exit_code == 0
    assert cli_in(project, "accept", receipt_id(reply.text)).exit_code == 0
    built = cli_in(project, "build")
    assert built.exit_code == 0, built.output
    page = (project / "site" / "reprendre-une-equipe-en-difficulte" / "index.html").read_text()
    assert "Reprendre une équipe en difficulté" in page
    thread = (project / "site" / "conflit-entre-deux-collaborateurs" / "index.html").read_text()
    assert "Commencez par écouter chacun" in thread


def test_no_request_leaves_a_500_in_the_log(server: Server) -> None:
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_aged_token_helper_matches_the_server(server: Server) -> None:
    client, _token = session(server)
    with closing(client):
        assert client.post("/new", data={**VALID, "title": "", "token": aged_token(client)}).status_code == 422


def test_review_lists_the_quarantine_and_an_editor_releases_a_post(server: Server) -> None:
    body = "Un robot ? Non : une manager pressée dont le navigateur a rempli un champ caché. Que faire ?"
    held = post(server, {**VALID, "title": "Tenu à l'écart par erreur", "body": body, "website": "oops"},
                address="203.0.113.30")
    assert held.status_code == 400
    listing = cli_in(server.project, "review", "--quarantine")
    assert listing.exit_code == 0 and "honeypot: the hidden field meant for robots was filled" in listing.output
    queue = cli_in(server.project, "review")
    assert "tenu-a-l-ecart" not in queue.output
    submission_id = next(item["id"] for item in json.loads(cli_in(server.project, "review", "--quarantine",
                                                                  "--json").output) if "tenu" in item["id"])
    released = cli_in(server.project, "review", "--release", submission_id)
    assert released.exit_code == 0, released.output
    assert (server.project / "submissions" / f"{submission_id}.md").is_file()
    assert cli_in(server.project, "check", f"submissions/{submission_id}.md").exit_code == 0
