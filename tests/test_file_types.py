"""The loader reads only regular files in content/ and submissions/: links and special files are reported
with their path, never followed or opened, so nothing outside the project is ever read (or published)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import valid_files
from tests.test_identifiers import SUB_REPLY

LINK = "is a symbolic link; entraide reads only regular files"
FOLDER_LINK = "is a symbolic link; entraide reads only regular files and folders"
T = "content/threads/conflit-collegues"


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.md"
    secret.write_text(SUB_REPLY.replace("Parlez-leur", "SECRET-TOKEN"), encoding="utf-8")
    return secret


def _link_thread_md(project: Path, tmp_path: Path) -> None:
    real = project / T / "thread.md"
    target = tmp_path / "elsewhere.md"
    target.write_bytes(real.read_bytes())
    real.unlink()
    real.symlink_to(target)


def _link_themes(project: Path, tmp_path: Path) -> None:
    real = project / "content/themes.yml"
    target = tmp_path / "themes-elsewhere.yml"
    target.write_bytes(real.read_bytes())
    real.unlink()
    real.symlink_to(target)


def _link_thread_folder(project: Path, tmp_path: Path) -> None:
    (project / "content/threads/lien").symlink_to(project / T, target_is_directory=True)


def _link_reply_outside(project: Path, tmp_path: Path) -> None:
    (project / T / "2025-03-07-lien.md").symlink_to(_secret(tmp_path))


def _link_reply_inside(project: Path, tmp_path: Path) -> None:
    (project / T / "2025-03-07-lien.md").symlink_to(project / T / "2025-03-05-karim.md")


def _link_submission(project: Path, tmp_path: Path) -> None:
    (project / "submissions").mkdir(exist_ok=True)
    (project / "submissions/2025-06-03-lien.md").symlink_to(_secret(tmp_path))


def _link_submissions_folder(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "queue"
    elsewhere.mkdir()
    _secret(tmp_path).rename(elsewhere / "2025-06-03-x.md")
    (project / "submissions").symlink_to(elsewhere, target_is_directory=True)


def _link_threads_folder(project: Path, tmp_path: Path) -> None:
    threads = project / "content/threads"
    threads.rename(tmp_path / "threads-elsewhere")
    threads.symlink_to(tmp_path / "threads-elsewhere", target_is_directory=True)


def _fifo_reply(project: Path, tmp_path: Path) -> None:
    os.mkfifo(project / T / "2025-03-07-fifo.md")


def _fifo_submission(project: Path, tmp_path: Path) -> None:
    (project / "submissions").mkdir(exist_ok=True)
    os.mkfifo(project / "submissions/2025-06-03-fifo.md")


def _socket_submission(project: Path, tmp_path: Path) -> None:
    (project / "submissions").mkdir(exist_ok=True)
    server = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(project / "submissions")  # a socket path must be short
    try:
        server.bind("2025-06-03-sock.md")
    finally:
        os.chdir(cwd)
        server.close()


def _folder_submission(project: Path, tmp_path: Path) -> None:
    (project / "submissions/2025-06-03-dir.md").mkdir(parents=True)


def _fifo_themes(project: Path, tmp_path: Path) -> None:
    (project / "content/themes.yml").unlink()
    os.mkfifo(project / "content/themes.yml")


CASES = [
    ("symlinked thread.md", _link_thread_md, f"{T}/thread.md:1: {LINK}"),
    ("symlinked themes.yml", _link_themes, f"content/themes.yml:1: {LINK}"),
    ("symlinked thread folder", _link_thread_folder, f"content/threads/lien:1: {FOLDER_LINK}"),
    ("reply linked outside", _link_reply_outside, f"{T}/2025-03-07-lien.md:1: {LINK}"),
    ("reply linked inside", _link_reply_inside, f"{T}/2025-03-07-lien.md:1: {LINK}"),
    ("submission linked outside", _link_submission, f"submissions/2025-06-03-lien.md:1: {LINK}"),
    ("symlinked submissions folder", _link_submissions_folder, f"submissions:1: {FOLDER_LINK}"),
    ("symlinked threads folder", _link_threads_folder, f"content/threads:1: {FOLDER_LINK}"),
    ("FIFO reply", _fifo_reply,
     f"{T}/2025-03-07-fifo.md:1: is a named pipe (FIFO); entraide reads only regular files"),
    ("FIFO submission", _fifo_submission,
     "submissions/2025-06-03-fifo.md:1: is a named pipe (FIFO); entraide reads only regular files"),
    ("FIFO themes.yml", _fifo_themes, "content/themes.yml:1: is a named pipe (FIFO); entraide reads only regular files"),
    ("socket submission", _socket_submission,
     "submissions/2025-06-03-sock.md:1: is a socket; entraide reads only regular files"),
    ("folder named like a submission", _folder_submission,
     "submissions/2025-06-03-dir.md:1: is a folder; entraide reads only regular files"),
]


@pytest.mark.parametrize(("plant", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_links_and_special_files_are_reported_never_read(make_project, tmp_path, plant, expected):
    """Run in a subprocess with a timeout: a reader that opened a FIFO would wait for ever."""
    project = make_project(valid_files())
    plant(project, tmp_path)
    done = subprocess.run([sys.executable, "-m", "entraide", "check"], cwd=project, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert expected in done.stdout.splitlines(), done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert "SECRET-TOKEN" not in done.stderr + done.stdout


def test_review_and_show_do_not_follow_a_linked_submission(make_project, tmp_path, run):
    project = make_project(valid_files())
    _link_submission(project, tmp_path)
    shown = run(project, "show", "2025-06-03-lien")
    assert f"    submissions/2025-06-03-lien.md:1: {LINK}" in shown.output.splitlines()
    assert "SECRET-TOKEN" not in shown.output
    redacted = run(project, "redact", "2025-06-03-lien", "--replace", "SECRET-TOKEN=x", "--yes", "--editor", "E")
    assert redacted.exit_code == 1 and "SECRET-TOKEN" not in redacted.output
    accepted = run(project, "accept", "2025-06-03-lien", "--editor", "E")
    assert accepted.exit_code == 1 and "SECRET-TOKEN" not in accepted.output


def test_new_refuses_a_submissions_path_that_is_not_a_folder(make_project, run):
    project = make_project(valid_files())
    (project / "submissions").write_text("not a folder")
    result = run(project, "new", "--no-input", "--lang", "fr", "--title", "Titre", "--theme", "conflits",
                 "--author", "A", "--consent", "--body-file", "-", "--id", "2025-06-03-x")
    assert result.exit_code == 1
    assert result.output == "Error: submissions/ is not a folder: move what is there away, then try again\n"
