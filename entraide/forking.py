"""Worker processes forked by a build: they never outlive it, and never hold its lock alone.

A forked worker inherits the project's lock (an ``flock`` on an open file it shares with its parent)
and writes into the build's fresh folders. If the parent is killed (``kill -9``, out of memory), a
worker left running would keep the project locked and keep writing where the next build starts
over. On Linux the kernel kills the worker as soon as its parent dies (``PR_SET_PDEATHSIG``); the
worker also leaves Ctrl-C to its parent, which stops its workers itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import signal

PR_SET_PDEATHSIG = 1


def fork_worker() -> int:
    """``os.fork()``; in the child (0 returned), tie its life to the parent's.

    The child's inherited objects are frozen, so that its collections do not touch (and so copy)
    every page of memory it shares with its parent."""
    gc.freeze()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _die_with(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    else:
        gc.unfreeze()
    return pid


def _die_with(parent: int) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the worker checks below only
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
