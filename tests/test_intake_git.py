"""git delivery against a real local bare repository: an unreachable remote and a restart lose and double nothing."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from tests.conftest import REPO, example_project
from tests.intake_server import VALID, aged_token, receipt_id, start

GIT = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "-c", "init.defaultBranch=main"]


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def _branches(remote: Path) -> set[str]:
    if not remote.exists():
        return set()
    listing = subprocess.run(["git", "ls-remote", str(remote), "refs/heads/submission/*"], capture_output=True,
                             text=True, check=True).stdout
    return {line.split("refs/heads/submission/")[1] for line in listing.splitlines()}


def test_posts_reach_the_remote_as_branches_after_an_outage_and_a_restart(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"  # not there yet: the remote is unreachable
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      per_page: 20\n", f"      per_page: 20\n      intake_delivery: git\n      intake_remote: {remote}\n")
    project = example_project(tmp_path / "project", build=False, mkdocs_yml=yml)
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-q", "-m", "content", cwd=project)
    state, env = tmp_path / "state", {"ENTRAIDE_INTAKE_MAX_BACKOFF": "1"}
    server = start(project, state, "--min-fill", "0", env=env)
    posted: dict[str, str] = {}
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            http.get("/new")
            token = aged_token(http)
            for n in range(3):
                title = f"Par git, message {n}"
                response = http.post("/new", data={**VALID, "title": title, "token": token})
                assert response.status_code == 200, response.text
                posted[receipt_id(response.text)] = title
        time.sleep(1.5)
        assert _branches(remote) == set() and not list((project / "submissions").glob("*.md"))
    finally:
        server.stop(kill=True)  # a restart while the remote is still away

    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    again = start(project, state, "--min-fill", "0", env=env)
    try:
        deadline = time.monotonic() + 30
        while _branches(remote) != set(posted) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _branches(remote) == set(posted)
        with httpx.Client(base_url=again.url, timeout=10) as http:  # a retried request: the same branch
            http.get("/new")
            first, title = next(iter(posted.items()))
            response = http.post("/new", data={**VALID, "title": title, "token": aged_token(http)})
            assert receipt_id(response.text) == first and "déjà parvenu" in response.text
    finally:
        again.stop()
    assert _branches(remote) == set(posted)
    for submission_id, title in posted.items():
        text = subprocess.run(["git", "--git-dir", str(remote), "show",
                               f"submission/{submission_id}:submissions/{submission_id}.md"],
                              capture_output=True, text=True, check=True).stdout
        assert f'title: "{title}"' in text
        files = subprocess.run(["git", "--git-dir", str(remote), "diff", "--name-only", f"submission/{submission_id}~1",
                                f"submission/{submission_id}"], capture_output=True, text=True, check=True).stdout
        assert files.split() == [f"submissions/{submission_id}.md"]  # passes check-pr's "submissions/ only"
    assert _git("status", "--porcelain", cwd=project) == ""  # the checkout itself is untouched


def _withdraw(http: httpx.Client, receipt: httpx.Response) -> httpx.Response:
    import re

    path = re.search(r'class="status-link" href="(/status/[^"?]+)', receipt.text)
    assert path, receipt.text
    page = http.get(path.group(1))
    token = re.search(r'name="token" value="([^"]+)"', page.text)
    assert token, page.text
    return http.post(path.group(1), data={"token": token.group(1), "action": "withdraw"})


def test_a_withdrawn_post_is_never_pushed_or_its_branch_is_deleted(tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"  # unreachable at first
    yml = (REPO / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "      per_page: 20\n", f"      per_page: 20\n      intake_delivery: git\n      intake_remote: {remote}\n")
    project = example_project(tmp_path / "project", build=False, mkdocs_yml=yml)
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-q", "-m", "content", cwd=project)
    server = start(project, tmp_path / "state", "--min-fill", "0", env={"ENTRAIDE_INTAKE_MAX_BACKOFF": "1"})
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            http.get("/new")
            token = aged_token(http)
            early = http.post("/new", data={**VALID, "title": "Retiré avant l'envoi", "token": token})
            assert "il ne sera pas publié" in _withdraw(http, early).text
            kept = http.post("/new", data={**VALID, "title": "Envoyé puis retiré", "token": token})
            subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
            deadline = time.monotonic() + 30
            while _branches(remote) != {receipt_id(kept.text)} and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _branches(remote) == {receipt_id(kept.text)}  # the early one never left the spool
            assert "il ne sera pas publié" in _withdraw(http, kept).text
            while _branches(remote) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _branches(remote) == set()
            retried = http.post("/new", data={**VALID, "title": "Retiré avant l'envoi", "token": token})
            assert receipt_id(retried.text) == receipt_id(early.text)
        time.sleep(1.5)
        assert _branches(remote) == set()  # a retried withdrawn post does not come back
    finally:
        server.stop()
    assert "Traceback" not in server.log.read_text(errors="replace")
