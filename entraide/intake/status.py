"""Where an acknowledged post stands, as its author's private link shows it, and its withdrawal.

The moderation log says what editors decided (accepted, rejected, taken down); the author's own
withdrawal is in the ledger and the log; a post with no decision is pending. With ``git`` delivery
the service sees only its own checkout: the editors' decisions show once that checkout is updated
(the README's ``git pull`` timer), and a pending post is withdrawn by deleting its branch.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePosixPath

from entraide import atomic, locking
from entraide.errors import EntraideError
from entraide.moderation import log
from entraide.project import Project

PENDING, ACCEPTED, REJECTED, WITHDRAWN, TAKEN_DOWN = "pending", "accepted", "rejected", "withdrawn", "taken-down"
AUTHOR_WITHDRAW = "author-withdraw"
"""The moderation log's action for a post its author withdrew before any decision."""
LOCK_WAIT = 5.0
"""Seconds a withdrawal waits for an editor's command (an accept, a build) before asking to retry."""


@dataclass(frozen=True)
class Status:
    state: str
    when: str = ""
    reason: str = ""
    """Why the editors rejected it or took it down, as they wrote it for the author."""
    thread: str = ""
    """The published thread's slug, once accepted."""
    anchor: str = ""
    """``reply-<id>`` when the post is a published reply."""


def of(project: Project, submission_id: str, withdrawn: str = "") -> Status:
    """The post's state from the moderation log (the last decision about it wins)."""
    if withdrawn:
        return Status(WITHDRAWN, when=withdrawn)
    found = Status(PENDING)
    published: tuple[str, str] | None = None
    for entry in log.entries(project):
        post, action, when = entry.get("post"), entry.get("action"), str(entry.get("when", ""))
        if post == submission_id and action == "accept":
            published = _published_as(str(entry.get("target", "")), submission_id)
            found = Status(ACCEPTED, when=when, thread=published[0], anchor=published[1])
        elif post == submission_id and action == "reject":
            found = Status(REJECTED, when=when, reason=str(entry.get("reason", "")))
        elif post == submission_id and action == AUTHOR_WITHDRAW:
            found = Status(WITHDRAWN, when=when)
        elif published and action == "withdraw" and post in (published[0], f"{published[0]}/{submission_id}"):
            found = Status(TAKEN_DOWN, when=when, reason=str(entry.get("reason", "")))
    return found


def _published_as(target: str, submission_id: str) -> tuple[str, str]:
    """``(thread slug, reply anchor)`` from the accept entry's target, ``content/threads/<slug>/<file>``."""
    parts = PurePosixPath(target).parts
    slug = parts[-2] if len(parts) >= 2 else ""
    anchor = f"reply-{submission_id}" if parts and parts[-1] == f"{submission_id}.md" else ""
    return slug, anchor


def withdraw_from_folder(project: Project, submission_id: str) -> bool:
    """Remove a pending ``submissions/<id>.md`` and log it; ``False`` if it is no longer pending.

    Under the project's lock, so that an editor's ``accept`` of the same post is either done before
    (and the post is no longer pending) or starts after (and finds nothing to accept).
    """
    try:
        with locking.project_lock(project.root, timeout=LOCK_WAIT):
            path = project.submissions_dir / f"{submission_id}.md"
            if not path.is_file() or of(project, submission_id).state != PENDING:
                return False
            entry = {"action": AUTHOR_WITHDRAW, "post": submission_id, "editor": "its author", "when": log.now()}
            log.append(project, entry)
            os.unlink(path)
            atomic.fsync_dir(path.parent)
            return True
    except EntraideError:
        raise BusyError() from None


class BusyError(Exception):
    """An editor's command holds the project: the author is asked to try again in a moment."""
