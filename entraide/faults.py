"""Fault injection for crash tests: a process killed (SIGKILL) at a named point, with no cleanup.

Tests set ``ENTRAIDE_TEST_KILL_AT`` to a checkpoint's name to prove that whatever is interrupted there
(a moderation decision, an index update, an export, a build) is finished or started over by the next
command, never left half done. Unset, a checkpoint costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "ENTRAIDE_TEST_KILL_AT"


def checkpoint(name: str) -> None:
    """Kill this process here if the tests asked for it."""
    if os.environ.get(FAULT_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
