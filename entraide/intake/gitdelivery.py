"""``git`` delivery: each acknowledged submission pushed as its own branch, ``submission/<id>``.

A post is acknowledged once it is in the spool (``<state>/intake-spool/<id>.md``, atomic and
fsync'd), which survives restarts. A pusher in each worker takes the spool's lock (one pusher at a
time across processes), commits each spooled file on top of the checkout's ``HEAD`` without
touching its work tree or index (git plumbing, a private index file), and pushes the commit to the
configured remote, forcing only that branch: the same post pushed twice is the same branch. An
unreachable remote is retried with back-off until it answers; a pushed post leaves the spool for
``sent/``, which keeps retried requests from making a second branch. The service needs push rights
only: the forge's own CI turns each branch into a pull request.
"""

from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import threading
from pathlib import Path

from entraide import atomic
from entraide.errors import EntraideError

log = logging.getLogger(__name__)

BRANCH_PREFIX = "submission/"
SPOOL = "intake-spool"
WITHDRAW_SUFFIX = ".withdraw"
"""A file ``<id>.withdraw`` in the spool: the author withdrew that post, the pusher carries it out."""


class GitDelivery:
    def __init__(self, repo: Path, state_dir: Path, remote: str, max_backoff: float = 300.0):
        self.repo, self.remote, self.max_backoff = repo, remote, max_backoff
        self.spool = state_dir / SPOOL
        self.sent = self.spool / "sent"
        self.sent.mkdir(parents=True, exist_ok=True)
        if self._git("rev-parse", "--verify", "HEAD^{commit}", check=False).returncode != 0:
            raise EntraideError(f"{repo}: git delivery needs a git checkout with at least one commit")
        self.wake = threading.Event()

    def known(self, submission_id: str) -> bool:
        return (self.spool / f"{submission_id}.md").is_file() or (self.sent / submission_id).exists()

    def accept(self, submission_id: str, text: str) -> bool:
        """Spool the post (durably); ``False`` when it had already arrived. Pushing comes after."""
        if self.known(submission_id):
            return False
        atomic.write_text(self.spool / f"{submission_id}.md", text)
        self.wake.set()
        return True

    def pending(self) -> list[Path]:
        return sorted(self.spool.glob("*.md"))

    def withdraw(self, submission_id: str) -> None:
        """The author withdrew the post: the pusher drops it, or deletes its branch if already pushed."""
        atomic.write_text(self.spool / f"{submission_id}{WITHDRAW_SUFFIX}", submission_id + "\n")
        self.wake.set()

    def _withdrawals(self) -> list[Path]:
        return sorted(self.spool.glob(f"*{WITHDRAW_SUFFIX}"))

    def push_pending(self) -> int:
        """Push what the spool holds, if no other process is at it; the number of posts left."""
        with open(self.spool / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return len(self.pending())
            for marker in self._withdrawals():
                if not self._retract(marker):
                    return len(self.pending()) + len(self._withdrawals())
            for path in self.pending():
                if not self._push(path):
                    break
            return len(self.pending()) + len(self._withdrawals())

    def _retract(self, marker: Path) -> bool:
        """Drop a withdrawn post from the spool, or delete its branch on the remote once it was pushed."""
        submission_id = marker.name[: -len(WITHDRAW_SUFFIX)]
        spooled = self.spool / f"{submission_id}.md"
        if spooled.exists():
            (self.sent / submission_id).touch()  # known for good: a retried request does not bring it back
            atomic.fsync_dir(self.sent)
            spooled.unlink()
        else:
            done = self._git("push", "--quiet", self.remote, "--delete", f"{BRANCH_PREFIX}{submission_id}",
                             check=False)
            if done.returncode != 0 and "remote ref does not exist" not in done.stderr:
                log.warning("withdrawal of %s from %s failed, will retry: %s", submission_id, self.remote,
                            done.stderr.strip())
                return False
        marker.unlink()
        log.info("submission %s withdrawn by its author", submission_id)
        return True

    def _push(self, path: Path) -> bool:
        submission_id = path.stem
        commit = self._commit(submission_id, path)
        done = self._git("push", "--quiet", self.remote, f"+{commit}:refs/heads/{BRANCH_PREFIX}{submission_id}",
                         check=False)
        if done.returncode != 0:
            log.warning("push of %s to %s failed, will retry: %s", submission_id, self.remote, done.stderr.strip())
            return False
        (self.sent / submission_id).touch()
        atomic.fsync_dir(self.sent)
        path.unlink()
        log.info("submission %s pushed as %s%s", submission_id, BRANCH_PREFIX, submission_id)
        return True

    def _commit(self, submission_id: str, path: Path) -> str:
        """A commit adding ``submissions/<id>.md`` on top of ``HEAD``, dated by the spooled file."""
        index = self.spool / f".index-{os.getpid()}"
        env = {"GIT_INDEX_FILE": str(index)}
        when = f"{int(path.stat().st_mtime)} +0000"
        identity = {"GIT_AUTHOR_NAME": "entraide intake", "GIT_AUTHOR_EMAIL": "intake@entraide.invalid",
                    "GIT_COMMITTER_NAME": "entraide intake", "GIT_COMMITTER_EMAIL": "intake@entraide.invalid",
                    "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        try:
            blob = self._git("hash-object", "-w", str(path)).stdout.strip()
            self._git("read-tree", "HEAD", env=env)
            self._git("update-index", "--add", "--cacheinfo", f"100644,{blob},submissions/{submission_id}.md", env=env)
            tree = self._git("write-tree", env=env).stdout.strip()
            parent = self._git("rev-parse", "HEAD").stdout.strip()
            return self._git("commit-tree", tree, "-p", parent, "-m", f"Submission {submission_id} (from the form)",
                             env={**env, **identity}).stdout.strip()
        finally:
            index.unlink(missing_ok=True)

    def run_forever(self, stop: threading.Event) -> None:
        """The pusher loop: push, and on failure wait longer each time (bounded by ``max_backoff``)."""
        delay = 0.5
        while not stop.is_set():
            try:
                left = self.push_pending()
            except (OSError, subprocess.SubprocessError, EntraideError) as error:
                log.warning("git delivery: %s", error)
                left = 1
            delay = min(delay * 2, self.max_backoff) if left else 0.5
            self.wake.wait(delay if left else self.max_backoff)
            self.wake.clear()

    def _git(self, *args: str, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
        done = subprocess.run(["git", *args], cwd=self.repo, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
        if check and done.returncode != 0:
            raise EntraideError(f"git {args[0]} failed: {done.stderr.strip()}")
        return done
