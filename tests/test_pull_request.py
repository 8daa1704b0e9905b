"""The pull-request check on real git repositories: a bare repository stands for the forge, a
contributor's clone pushes a branch (and ``refs/pull/N/head``, as GitHub does), and a CI clone checks
out the base commit, fetches the pull request's commit without checking it out, and runs
``entraide check-pr`` as the shipped workflow does.

A pull request may only add or change regular ``submissions/<id>.md`` files; every other change is
one problem naming its path, and none of the pull request's code ever runs (a hook that would write a
marker file is never imported, by ``check-pr`` nor by ``entraide check`` in the PR's own checkout).
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, REPO, THREAD, valid_files
from tests.test_moderation import sub_reply, sub_thread

BIN = Path(sys.executable).parent
OUTSIDE = "a pull request may only add or change submissions; an editor makes this change by hand"
REGULAR_ONLY = "a pull request may only add regular files (mode 100644); an editor makes this change by hand"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def entraide(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "entraide", *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True)


class Forge:
    """A bare repository holding the site on ``main``, and the clones around it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.origin = folder / "origin.git"
        self.numbers = itertools.count(1)
        git(folder, "init", "--bare", "--initial-branch=main", str(self.origin))
        editor = folder / "editor"
        shutil.copytree(REPO / "templates", editor / "templates")
        write(editor, {"mkdocs.yml": MKDOCS_YML.format(per_page=20), **valid_files()})
        workflows = editor / ".github/workflows"
        workflows.mkdir(parents=True)
        (workflows / "check-submissions.yml").write_text((REPO / ".github/workflows/check-submissions.yml").read_text())
        write(editor, {"submissions/README.md": "Pending posts.\n"})
        git(editor, "init", "--initial-branch=main")
        git(editor, "add", "-A")
        git(editor, "commit", "-qm", "The site")
        git(editor, "remote", "add", "origin", str(self.origin))
        git(editor, "push", "-q", "origin", "main")
        self.base = git(editor, "rev-parse", "HEAD")

    def pull_request(self, change: Callable[[Path], None]) -> tuple[str, Path]:
        """A contributor's clone, ``change`` committed on a branch and pushed; its commit and the clone."""
        number = next(self.numbers)
        clone = self.folder / f"contributor-{number}"
        git(self.folder, "clone", "-q", str(self.origin), str(clone))
        git(clone, "checkout", "-q", "-b", f"proposal-{number}")
        change(clone)
        git(clone, "add", "-A")
        git(clone, "commit", "-qm", "A proposal")
        git(clone, "push", "-q", "origin", f"HEAD:refs/pull/{number}/head")
        return git(clone, "rev-parse", "HEAD"), clone

    def check(self, head: str, *args: str, fetch: bool = True) -> subprocess.CompletedProcess:
        """The workflow's steps: base checked out, the PR's commit fetched only, base's code run."""
        ci = self.folder / f"ci-{next(self.numbers)}"
        git(self.folder, "clone", "-q", "--no-checkout", str(self.origin), str(ci))
        git(ci, "checkout", "-q", "--detach", self.base)
        if fetch:
            git(ci, "fetch", "-q", "origin", head)
        done = entraide(ci, "check-pr", "--base", self.base, "--head", head, *args)
        assert "Traceback" not in done.stderr
        assert git(ci, "status", "--porcelain") == ""  # nothing of the PR landed in the checkout
        return done


@pytest.fixture(scope="module")
def forge(tmp_path_factory: pytest.TempPathFactory) -> Forge:
    return Forge(tmp_path_factory.mktemp("forge"))


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def problems(done: subprocess.CompletedProcess) -> list[str]:
    return done.stderr.splitlines()[:-1]


def test_a_pull_request_adding_valid_submissions_passes(forge):
    head, _ = forge.pull_request(lambda clone: write(clone, {
        "submissions/2025-06-01-premier-recrutement.md": sub_thread(),
        "submissions/2025-06-02-hugo.md": sub_reply(),
    }))
    done = forge.check(head)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "Checked the pull request (2 files changed, 2 submissions): no problem.\n"


def test_a_submission_is_checked_exactly_like_entraide_check(forge):
    head, clone = forge.pull_request(lambda clone: write(clone, {
        "submissions/2025-06-02-hugo.md": sub_reply().replace("reply_to: conflit-collegues", "reply_to: inconnu"),
        "submissions/2025-06-03-mail.md": sub_reply("Écrivez-moi : hugo@example.org"),
    }))
    done = forge.check(head)
    expected = [
        "submissions/2025-06-02-hugo.md:2: reply_to: no published thread 'inconnu'",
        "submissions/2025-06-03-mail.md:8: personal data: an e-mail address (hugo@example.org)",
    ]
    assert (done.returncode, problems(done)) == (1, expected)
    assert done.stderr.splitlines()[-1] == "2 problems in 2 files of the pull request (2 files changed)."
    check = entraide(clone, "check")  # the same problems, in the same words, from the PR's own checkout
    assert check.stdout.splitlines()[:-1] == expected


def test_a_planted_journal_fails_the_check(forge):
    head, _ = forge.pull_request(lambda clone: write(clone, {"moderation/.journal.json": '{"writes": {}}'}))
    done = forge.check(head)
    assert (done.returncode, problems(done)) == (
        1, [f"moderation/.journal.json:1: path: added outside submissions/: {OUTSIDE}"]
    )
    assert done.stderr.splitlines()[-1] == "1 problem in 1 file of the pull request (1 file changed)."


def hook_change(marker: Path) -> Callable[[Path], None]:
    def change(clone: Path) -> None:
        write(clone, {"hooks/evil.py": f"from pathlib import Path\nPath({str(marker)!r}).write_text('ran')\n"})
        with (clone / "mkdocs.yml").open("a") as handle:
            handle.write("hooks:\n  - hooks/evil.py\n")

    return change


def test_a_hook_in_mkdocs_yml_fails_the_check_and_never_runs(forge, tmp_path):
    marker = tmp_path / "hook-ran"
    head, clone = forge.pull_request(hook_change(marker))
    done = forge.check(head, "--format", "github")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        f"::error file=hooks/evil.py,line=1,title=entraide check::path: added outside submissions/: {OUTSIDE}",
        f"::error file=mkdocs.yml,line=1,title=entraide check::path: changed outside submissions/: {OUTSIDE}",
        "2 problems in 2 files of the pull request (2 files changed).",
    ]
    assert not marker.exists()
    check = entraide(clone, "check")  # an editor reviewing the branch in its own checkout
    assert check.returncode == 0, check.stderr
    assert not marker.exists()
    control = subprocess.run([sys.executable, "-c", "from mkdocs.config import load_config; load_config()"],
                             cwd=clone, capture_output=True, text=True)
    assert control.returncode == 0, control.stderr
    assert marker.read_text() == "ran"  # the hook was real: MkDocs' own loader runs it


@pytest.mark.parametrize("target", ["../.git/config", "/etc/passwd"])
def test_a_symlink_in_submissions_fails_the_check(forge, target):
    head, _ = forge.pull_request(lambda clone: (clone / "submissions/linked.md").symlink_to(target))
    done = forge.check(head)
    assert (done.returncode, problems(done)) == (
        1, [f"submissions/linked.md:1: mode: a symbolic link (mode 120000): {REGULAR_ONLY}"]
    )


def test_an_executable_submission_fails_the_check(forge):
    def change(clone: Path) -> None:
        write(clone, {"submissions/2025-06-02-hugo.md": sub_reply()})
        (clone / "submissions/2025-06-02-hugo.md").chmod(0o755)

    done = forge.check(forge.pull_request(change)[0])
    assert (done.returncode, problems(done)) == (
        1, [f"submissions/2025-06-02-hugo.md:1: mode: an executable file (mode 100755): {REGULAR_ONLY}"]
    )


def test_changes_to_content_templates_and_workflows_fail_the_check(forge):
    def change(clone: Path) -> None:
        thread = clone / "content/threads/conflit-collegues/thread.md"
        thread.write_text(THREAD.replace("Deux personnes", "Trois personnes"))
        (clone / "content/threads/conflit-collegues/2025-03-05-karim.md").unlink()
        stylesheet = clone / "templates/assets/entraide.css"
        stylesheet.unlink()
        stylesheet.symlink_to("../../.git/config")
        with (clone / "templates/thread.html").open("a") as handle:
            handle.write("<script>alert(1)</script>\n")
        (clone / ".github/workflows/check-submissions.yml").write_text("on: pull_request_target\n")
        write(clone, {"submissions/2025-06-02-hugo.md": sub_reply()})

    done = forge.check(forge.pull_request(change)[0])
    assert (done.returncode, problems(done)) == (1, [
        f".github/workflows/check-submissions.yml:1: path: changed outside submissions/: {OUTSIDE}",
        f"content/threads/conflit-collegues/2025-03-05-karim.md:1: path: deleted outside submissions/: {OUTSIDE}",
        f"content/threads/conflit-collegues/thread.md:1: path: changed outside submissions/: {OUTSIDE}",
        f"templates/assets/entraide.css:1: path: changed outside submissions/ (a symbolic link, mode 120000): {OUTSIDE}",
        f"templates/thread.html:1: path: changed outside submissions/: {OUTSIDE}",
    ])
    assert done.stderr.splitlines()[-1] == "5 problems in 5 files of the pull request (6 files changed)."


def test_odd_files_in_submissions_fail_the_check(forge):
    def change(clone: Path) -> None:
        write(clone, {"submissions/notes.txt": "x\n", "submissions/sub/2025-06-02-hugo.md": sub_reply(),
                      "submissions/.hidden.md": sub_reply(), "submissions/README.md": "Mine now.\n"})

    done = forge.check(forge.pull_request(change)[0])
    not_a_submission = "not a submission: a pull request adds posts as submissions/<id>.md; an editor makes this change by hand"
    assert (done.returncode, problems(done)) == (1, [
        f"submissions/.hidden.md:1: path: {not_a_submission}",
        f"submissions/README.md:1: path: {not_a_submission}",
        f"submissions/notes.txt:1: path: {not_a_submission}",
        f"submissions/sub/2025-06-02-hugo.md:1: path: added outside submissions/: {OUTSIDE}",
    ])


def test_an_unknown_head_is_a_clear_error(forge):
    done = forge.check("0" * 40, fetch=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (
        f"Error: --head {'0' * 40}: no such commit in this repository (fetch it first: git fetch origin {'0' * 40})\n"
    )


def test_the_shipped_workflow_runs_the_base_code_on_every_pull_request():
    import yaml

    workflow = yaml.safe_load((REPO / ".github/workflows/check-submissions.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers == {"pull_request": None}  # every pull request: no path filter, never pull_request_target
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["check"]["steps"]
    checkout = steps[0]
    assert checkout["uses"].startswith("actions/checkout@")
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert checkout["with"]["persist-credentials"] is False
    runs = [step.get("run", "") for step in steps]
    assert 'git fetch --no-tags origin "$HEAD_SHA"' in runs and "pip install ." in runs
    assert runs[-1] == 'entraide check-pr --base "$BASE_SHA" --head "$HEAD_SHA" --format github'
    assert "checkout" not in " ".join(runs)  # the pull request's commit is fetched, never checked out


def test_every_problem_is_reported_at_once_as_the_readme_shows(forge):
    def change(clone: Path) -> None:
        with (clone / "mkdocs.yml").open("a") as handle:
            handle.write("extra_javascript: [https://evil.example/x.js]\n")
        (clone / "submissions/linked.md").symlink_to("/etc/passwd")
        write(clone, {"submissions/2025-06-02-hugo.md": sub_reply().replace("conflit-collegues", "inconnu")})

    done = forge.check(forge.pull_request(change)[0])
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"mkdocs.yml:1: path: changed outside submissions/: {OUTSIDE}",
        "submissions/2025-06-02-hugo.md:2: reply_to: no published thread 'inconnu'",
        f"submissions/linked.md:1: mode: a symbolic link (mode 120000): {REGULAR_ONLY}",
        "3 problems in 3 files of the pull request (3 files changed).",
    ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(line in readme.splitlines() for line in done.stderr.splitlines())


def test_a_file_name_with_a_newline_cannot_forge_an_annotation(forge):
    name = "submissions/x\n::error file=mkdocs.yml::forged.md"
    head, _ = forge.pull_request(lambda clone: write(clone, {name: sub_reply()}))
    done = forge.check(head, "--format", "github")
    assert done.stdout.splitlines() == [
        "::error file=submissions/x\\x0a%3A%3Aerror file=mkdocs.yml%3A%3Aforged.md,line=1,title=entraide check::"
        "path: the file name has control characters or is too long; name it as submissions/<id>.md",
        "1 problem in 1 file of the pull request (1 file changed).",
    ]


def test_an_imported_thread_and_its_replies_may_come_in_one_pull_request(forge):
    thread = sub_thread().replace("tags: [recrutement]\n", "tags: [recrutement]\nbasis: \"accord des membres\"\n")
    first = sub_reply("Premier avis.").replace("reply_to: conflit-collegues", "reply_to: form-site-rt1")
    second = (sub_reply("Deuxième avis.").replace("reply_to: conflit-collegues",
                                                  "reply_to: form-site-rt1\nin_reply_to: form-site-rr1"))
    head, _ = forge.pull_request(lambda clone: write(clone, {
        "submissions/form-site-rt1.md": thread,
        "submissions/form-site-rr1.md": first,
        "submissions/form-site-rr2.md": second,
    }))
    done = forge.check(head)
    assert done.returncode == 0, done.stderr
    assert "no published thread" not in done.stderr
    assert ("submissions/form-site-rr1.md:2: warning: reply_to: replies to the pending submission 'form-site-rt1': "
            "accept that thread first") in done.stderr
    assert ("submissions/form-site-rr2.md:3: warning: in_reply_to: answers the pending reply 'form-site-rr1': "
            "accept that reply first") in done.stderr
