"""kill -9 of a running intake, between requests and during a burst of posts: nothing acknowledged is lost."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import cli_in, example_project
from tests.intake_server import VALID, Server, aged_token, receipt_id, start

CLIENTS = 6
POSTS_PER_CLIENT = 200
KILL_AT = 20
"""Posts acknowledged before the kill: counted, not timed, so that a slow machine kills mid-burst too."""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_project(tmp_path_factory.mktemp("crash") / "project", build=False)


def _burst(server: Server, acknowledged: dict[str, dict[str, str]], stop: threading.Event) -> list[threading.Thread]:
    def client(number: int) -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                http.get("/new")
                token = aged_token(http)
                for n in range(POSTS_PER_CLIENT):
                    if stop.is_set():
                        return
                    data = {**VALID, "title": f"Rafale {number} message {n}", "token": token}
                    response = http.post("/new", data=data, headers={"x-forwarded-for": f"192.0.2.{number}"})
                    if response.status_code == 200:
                        acknowledged[receipt_id(response.text)] = data
                    else:
                        assert response.status_code < 500, response.text
        except httpx.HTTPError:
            return  # the server was killed: what was not acknowledged may be lost

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def _kill(server: Server) -> None:
    os.killpg(server.process.pid, signal.SIGKILL)  # the whole server: supervisor and workers
    server.process.wait(timeout=15)


def test_kill_9_during_a_burst_loses_no_acknowledged_post(project: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    args = ("--workers", "2", "--min-fill", "0", "--rate", "100000/3600")
    server = start(project, state, *args)
    acknowledged: dict[str, dict[str, str]] = {}
    stop = threading.Event()
    threads = _burst(server, acknowledged, stop)
    deadline = time.monotonic() + 180
    while len(acknowledged) < KILL_AT and time.monotonic() < deadline and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    _kill(server)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= KILL_AT, "too few posts were acknowledged before the kill"
    assert len(acknowledged) < CLIENTS * POSTS_PER_CLIENT, "the burst was over before the kill"
    print(f"{len(acknowledged)} posts acknowledged before kill -9")
    folder = project / "submissions"
    on_disk = {path.stem for path in folder.glob("*.md")}
    assert set(acknowledged) <= on_disk
    checked = cli_in(project, "check", "submissions/")
    assert checked.exit_code == 0, checked.output  # every file there is whole and valid

    again = start(project, state, *args)  # a restart removes what an interrupted write left
    try:
        assert [p.name for p in folder.iterdir() if not p.name.endswith(".md")] == []
        with httpx.Client(base_url=again.url, timeout=5) as http:  # the same posts again: the same ids
            http.get("/new")
            token = aged_token(http)
            for submission_id, data in sorted(acknowledged.items())[:20]:
                response = http.post("/new", data={**data, "token": token})
                assert response.status_code == 200 and receipt_id(response.text) == submission_id
        assert {path.stem for path in folder.glob("*.md")} == on_disk
    finally:
        again.stop()


def test_kill_9_between_requests_keeps_every_receipt(project: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    server = start(project, state, "--min-fill", "0")
    with httpx.Client(base_url=server.url, timeout=5) as http:
        http.get("/new")
        response = http.post("/new", data={**VALID, "title": "Juste avant l'arrêt", "token": aged_token(http)})
    assert response.status_code == 200
    _kill(server)
    path = project / "submissions" / f"{receipt_id(response.text)}.md"
    assert path.is_file() and "Juste avant l'arrêt" in path.read_text()
