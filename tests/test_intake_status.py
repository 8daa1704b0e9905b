"""The author's private status link, over real HTTP: pending, accepted, rejected, withdrawn; bad links; a full quarantine."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from entraide import locking
from entraide.intake.ledger import LEDGER_FILE, TOKEN_LENGTH
from entraide.intake.words import CONSENT
from entraide.moderation import log
from entraide.project import Project
from tests.conftest import cli_in, example_project
from tests.intake_server import VALID, Server, receipt_id, session, start


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("status")
    project = example_project(root / "project", build=False)
    running = start(project, root / "state", "--min-fill", "0", "--rate", "100/3600", "--max-quarantine", "2")
    yield running
    running.stop()


def send(server: Server, title: str, body: str, **extra: str) -> httpx.Response:
    client, token = session(server)
    with closing(client):
        return client.post("/new", data={**VALID, "title": title, "body": body, **extra, "token": token})


def status_path(receipt: httpx.Response) -> str:
    found = re.search(r'class="status-link" href="(/status/[^"?]+)', receipt.text)
    assert found, receipt.text
    return found.group(1)


def state_of(server: Server, path: str, client: httpx.Client | None = None) -> str:
    page = (client or httpx).get(server.url + path if client is None else path)
    assert page.status_code == 200, page.text
    found = re.search(r'data-state="([a-z-]+)"', page.text)
    assert found, page.text
    return found.group(1)


def withdraw(server: Server, path: str) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=server.url, timeout=30)
    page = client.get(path)
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token, page.text
    return client, client.post(path, data={"token": token.group(1), "action": "withdraw"})


def ledger_bytes(server: Server) -> bytes:
    state = Project.from_config(server.project / "mkdocs.yml").state_dir
    return b"".join(p.read_bytes() for p in state.glob(LEDGER_FILE + "*"))


def test_the_receipt_links_to_a_private_status_page_stored_only_as_a_hash(server: Server) -> None:
    receipt = send(server, "Suivre mon message après l'envoi", "Comment savoir si mon message a été lu par un éditeur ?")
    assert receipt.status_code == 200
    path = status_path(receipt)
    token = path.rsplit("/", 1)[1]
    assert len(token) == TOKEN_LENGTH
    assert f"http://127.0.0.1:{server.url.rsplit(':', 1)[1]}{path}" in receipt.text  # the full address to keep
    assert state_of(server, path) == "pending"
    assert token.encode() not in ledger_bytes(server)
    again = send(server, "Suivre mon message après l'envoi", "Comment savoir si mon message a été lu par un éditeur ?")
    assert status_path(again) == path and "déjà parvenu" in again.text  # a retried request: the same link


def test_accepted_shows_the_thread_and_a_retry_after_acceptance_makes_nothing(server: Server) -> None:
    title, body = "Un message que l'éditeur accepte", "Mon équipe grandit vite et je cherche comment garder le lien."
    receipt = send(server, title, body)
    submission_id, path = receipt_id(receipt.text), status_path(receipt)
    accepted = cli_in(server.project, "accept", submission_id)
    assert accepted.exit_code == 0, accepted.output
    project = Project.from_config(server.project / "mkdocs.yml")
    entry = next(e for e in log.entries(project) if e.get("post") == submission_id)
    assert entry["consent"] == f"(fr) {CONSENT['fr']}"  # the exact words agreed to outlive the submission file
    page = httpx.get(server.url + path).text
    assert 'data-state="accepted"' in page
    slug = next(p.parent.name for p in (server.project / "content" / "threads").glob("*/thread.md")
                if title in p.read_text(encoding="utf-8"))
    assert f'href="https://entraide.example.org/{slug}/"' in page
    assert submission_id in page and "retiré" in page  # how to ask for a takedown, quoting the number
    assert 'name="action" value="withdraw"' not in page
    retried = send(server, title, body)
    assert retried.status_code == 200 and receipt_id(retried.text) == submission_id
    assert not (server.project / "submissions" / f"{submission_id}.md").exists()  # not a second submission


def test_rejected_shows_the_editors_reason_escaped(server: Server) -> None:
    receipt = send(server, "Un message que l'éditeur refuse", "Ce texte ne correspond à aucun thème du site, hélas.")
    submission_id, path = receipt_id(receipt.text), status_path(receipt)
    reason = "Hors sujet <b>ici</b>"
    assert cli_in(server.project, "reject", submission_id, "--reason", reason).exit_code == 0
    page = httpx.get(server.url + path).text
    assert 'data-state="rejected"' in page and "Hors sujet &lt;b&gt;ici&lt;/b&gt;" in page


def test_the_author_withdraws_a_pending_post_once(server: Server) -> None:
    receipt = send(server, "Un message que je retire", "Finalement, je préfère en parler d'abord à mon équipe.")
    submission_id, path = receipt_id(receipt.text), status_path(receipt)
    file = server.project / "submissions" / f"{submission_id}.md"
    assert file.is_file()
    client, done = withdraw(server, path)
    with closing(client):
        assert done.status_code == 200 and "il ne sera pas publié" in done.text
        assert 'data-state="withdrawn"' in done.text
        assert not file.exists()
        assert state_of(server, path, client) == "withdrawn"
    project = Project.from_config(server.project / "mkdocs.yml")
    assert [e["action"] for e in log.entries(project) if e.get("post") == submission_id] == ["author-withdraw"]
    assert submission_id not in cli_in(server.project, "review").output
    accept = cli_in(server.project, "accept", submission_id)
    assert accept.exit_code != 0 and "withdrawn" in accept.output
    retried = send(server, "Un message que je retire", "Finalement, je préfère en parler d'abord à mon équipe.")
    assert receipt_id(retried.text) == submission_id and not file.exists()  # withdrawn stays withdrawn


def test_a_withdrawal_without_the_forms_token_changes_nothing(server: Server) -> None:
    receipt = send(server, "Un retrait sans jeton", "Une demande de retrait forgée ne doit rien retirer du tout.")
    submission_id, path = receipt_id(receipt.text), status_path(receipt)
    for data in ({"action": "withdraw"}, {"action": "withdraw", "token": "1.2.3"}):
        answer = httpx.post(server.url + path, data=data)
        assert answer.status_code == 200 and "expiré" in answer.text
    assert (server.project / "submissions" / f"{submission_id}.md").is_file()
    assert state_of(server, path) == "pending"


def test_a_withdrawal_while_an_editor_holds_the_project_asks_to_retry(server: Server) -> None:
    receipt = send(server, "Un retrait pendant une publication", "Le site se construit pendant que je retire.")
    submission_id, path = receipt_id(receipt.text), status_path(receipt)
    with locking.project_lock(server.project):
        client, done = withdraw(server, path)
        client.close()
    assert "Réessayez dans une minute" in done.text
    assert (server.project / "submissions" / f"{submission_id}.md").is_file()


NEVER_ISSUED = base64.urlsafe_b64encode(hashlib.sha256(b"a token no server issued").digest()).decode()[:TOKEN_LENGTH]
"""Well formed, like a real one, and fixed so that every test worker collects the same cases."""


@pytest.mark.parametrize("token", [
    "", "x", "A" * TOKEN_LENGTH, NEVER_ISSUED, "A" * (TOKEN_LENGTH + 1),
    "..%2F..%2Fmkdocs.yml", "%00" * 20, "é" * TOKEN_LENGTH, "' OR 1=1 --" + "A" * 32,
])
def test_a_link_that_is_not_one_opens_nothing(server: Server, token: str) -> None:
    for method in ("GET", "POST"):
        answer = httpx.request(method, f"{server.url}/status/{token}", data={"action": "withdraw"})
        assert answer.status_code == 404, answer.text
        assert "data-state" not in answer.text


def test_a_full_quarantine_refuses_and_keeps_the_text_in_the_form(server: Server) -> None:
    folder = server.project / "quarantine"
    for n in range(2):
        held = send(server, f"Robot numéro {n}", f"Texte de robot numéro {n}, champ caché rempli.", website="spam")
        assert held.status_code == 400
    assert len(list(folder.glob("*.json"))) == 2
    refused = send(server, "Robot numéro 3", "Texte de robot numéro 3 qui ne tient plus.", website="spam")
    assert refused.status_code == 503 and "réessayez" in refused.text
    assert "Texte de robot numéro 3 qui ne tient plus." in refused.text
    assert len(list(folder.glob("*.json"))) == 2


def test_no_request_left_a_traceback(server: Server) -> None:
    assert "Traceback" not in Path(server.log).read_text(errors="replace")


@pytest.mark.parametrize("breakage", ["themes", "thread"])
def test_on_broken_published_content_the_form_says_unavailable_and_never_500(tmp_path: Path, breakage: str) -> None:
    project = example_project(tmp_path / "project", build=False)
    if breakage == "themes":
        (project / "content" / "themes.yml").write_text("- slug: [unclosed\n", encoding="utf-8")
    else:
        (project / "content" / "threads" / "conflit-entre-deux-collaborateurs" / "thread.md").write_text(
            "---\ntitle: 12\n---\n", encoding="utf-8")
    running = start(project, tmp_path / "state", "--min-fill", "0")
    try:
        for path in ("/new", "/reply/conflit-entre-deux-collaborateurs"):
            page = httpx.get(running.url + path)
            assert page.status_code == 503 and "indisponible" in page.text
        assert httpx.post(running.url + "/new", data=VALID).status_code in (403, 503)
        assert httpx.get(running.url + "/healthz").status_code == 200
    finally:
        running.stop()
    assert "Traceback" not in running.log.read_text(errors="replace")
    assert "cannot check posts" in running.log.read_text(errors="replace")  # the operator is told why
