"""``entraide serve``: a real HTTP server whose pages follow content changes (live reload)."""


from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import THREAD, valid_files

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_until(url: str, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
            if needle in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page:\n{last[:500]}")


def test_serve_rebuilds_when_a_post_changes(make_project):
    project = make_project(valid_files())
    port = free_port()
    server = subprocess.Popen(
        [BIN / "entraide", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/conflit-collegues/"
        fetch_until(url, "ne se parlent plus")
        post = project / "content/threads/conflit-collegues/thread.md"
        post.write_text(THREAD.replace("ne se parlent plus", "se sont réconciliés"), encoding="utf-8")
        fetch_until(url, "se sont réconciliés")
        # A broken post is reported in the terminal; once fixed, the preview carries on.
        post.write_text(THREAD.replace("lang: fr", "lang: xx"), encoding="utf-8")
        time.sleep(3)
        post.write_text(THREAD.replace("ne se parlent plus", "travaillent ensemble"), encoding="utf-8")
        fetch_until(url, "travaillent ensemble")
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert "content/threads/conflit-collegues/thread.md:5: lang: expected one of fr, en; found 'xx'" in output
    assert "Traceback" not in output
