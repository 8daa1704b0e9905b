"""Fault injection for crash tests: a process killed (SIGKILL) at a named point, with no cleanup.

Tests set ``ENTRAIDE_TEST_KILL_AT`` to a checkpoint's name to prove that whatever is interrupted there
(a moderation decision, an index update, an export, a build) is finished or started over by the next
command, never left half done. ``NAME#N`` kills at the N-th time the checkpoint is reached, so that a
batch of decisions can be interrupted in its middle. Unset, a checkpoint costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "ENTRAIDE_TEST_KILL_AT"

_reached: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """Kill this process here if the tests asked for it."""
    wanted = os.environ.get(FAULT_ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition("#")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] >= (int(nth) if nth.isdigit() else 1):
        os.kill(os.getpid(), signal.SIGKILL)
