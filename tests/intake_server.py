"""A real intake server for the tests: ``entraide intake`` in a subprocess, on a free loopback port."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from entraide.intake import tokens

SECRET = "test-secret-for-the-intake-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    project: Path
    process: subprocess.Popen  # type: ignore[type-arg]
    url: str
    log: Path

    def stop(self, kill: bool = False) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


def start(project: Path, state: Path, *args: str, port: int | None = None, env: dict[str, str] | None = None) -> Server:
    """Start ``entraide intake`` in ``project``; return once /healthz answers (20 s at most)."""
    port = port or free_port()
    env = {**os.environ, "ENTRAIDE_INTAKE_SECRET": SECRET, "XDG_STATE_HOME": str(state), **(env or {})}
    log = project.parent / f"intake-{port}.log"
    handle = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "entraide", "intake", "--port", str(port), *args],
        cwd=project, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )
    server = Server(project, process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the intake stopped at start:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(server.url + "/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.stop(kill=True)
    raise RuntimeError(f"the intake did not answer in 20 s:\n{log.read_text(errors='replace')}")


def session(server: Server, path: str = "/new") -> tuple[httpx.Client, str]:
    """A client with the form's cookie, and a token old enough to pass the minimum fill time."""
    client = httpx.Client(base_url=server.url, timeout=10)
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client, aged_token(client)


def aged_token(client: httpx.Client, age: float = 60) -> str:
    """A token this server signs, as if the form had been shown ``age`` seconds ago."""
    binding = client.cookies.get(tokens.COOKIE)
    assert binding
    return tokens.issue(SECRET.encode(), binding, now=time.time() - age)


def receipt_id(html: str) -> str:
    found = re.search(r'data-submission="([^"]+)"', html)
    assert found, html
    return found.group(1)


VALID = {
    "title": "Déléguer sans perdre le fil d'un projet",
    "theme": "charge",
    "tags": "",
    "lang": "fr",
    "body": "Je délègue un projet à une collègue et je crains de perdre la vue d'ensemble. Comment faites-vous ?",
    "author": "Nadia K.",
    "consent": "yes",
    "license": "CC-BY-SA-4.0",
    "action": "send-anyway",
}
