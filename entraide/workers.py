"""Work shared out between forked processes: the build uses both cores, and no worker outlives it.

Loading a large content tree and rendering its pages are many independent pieces of work over data
already in memory, so a forked worker inherits all it needs. ``WorkerPool`` runs ``work(i)`` for every
item: each process (the caller's included) claims items in small batches from a shared counter, so
that all finish together; a worker then sends back what it produced (``report``), which the caller
``merge``s in the order of the workers, and the log records it emitted, logged again by the caller
(``--strict`` and the build's summary see them). Any failure in a worker raises ``WorkerFailed`` in the
caller with the worker's message, and so does a worker that dies (killed, out of memory).

A forked worker also inherits the project's lock (an ``flock`` on an open file it shares with its
parent) and writes into the caller's fresh folders. If the parent is killed (``kill -9``), a worker
left running would keep the project locked and keep writing where the next command starts over. On
Linux the kernel kills the worker as soon as its parent dies (``PR_SET_PDEATHSIG``); the worker also
leaves Ctrl-C to its parent, which stops its workers itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import logging
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

from entraide.errors import EntraideError
from entraide.faults import checkpoint

BATCH = 16
"""Items a worker claims at a time: small enough that the workers finish together."""


class WorkerFailed(EntraideError):
    """A worker process failed or died; the message says how."""


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, items: int, worth_it_from: int) -> int:
    """How many processes share ``items``: ``requested`` if given, else every core once there are
    ``worth_it_from`` items or more (below, forking and merging cost more than they save)."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return 1
    if requested is not None:
        return max(1, requested)
    return available_cores() if items >= worth_it_from else 1


PR_SET_PDEATHSIG = 1



def fork_worker() -> int:
    """``os.fork()``; in the child (0 returned), tie its life to the parent's.

    The child's inherited objects are frozen, so that its collections do not touch (and so copy)
    every page of memory it shares with its parent. The parent thaws them again unless its caller had
    frozen objects itself (the build does, until the next one starts: ``builder.plugin._kept``): gc cannot thaw
    only some."""
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        _die_with(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    elif not frozen_before:
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


class _Recorder(logging.Handler):
    """A worker's log records (warnings and errors), for the main process to log again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class WorkerPool:
    """Runs ``work(i)`` for every ``i`` below ``count``, spread over ``jobs`` processes (this one included)."""

    def __init__(self, jobs: int, expected: tuple[type[BaseException], ...] = (EntraideError,)):
        self.jobs = jobs
        self.expected = expected
        """Errors whose message a worker passes on as it is (any other is named by its type too)."""
        context = multiprocessing.get_context("fork") if jobs > 1 else None
        self._next = context.Value("q", 0) if context else None
        self._done = context.Array("q", jobs, lock=False) if context else None
        self._own = 0
        self.in_worker = False
        """True in a forked worker: it reports through ``done()``, never on the terminal."""

    def done(self) -> int:
        """Items finished so far, by every worker."""
        return sum(self._done) if self._done is not None else self._own

    def run(
        self,
        count: int,
        work: Callable[[int], None],
        report: Callable[[], Any],
        merge: Callable[[Any], None],
    ) -> None:
        """Do all the work; ``report()`` is what a worker sends back, ``merge`` takes it in the main process."""
        if self.jobs == 1:
            for index in range(count):
                work(index)
                self._own += 1
            return
        children: list[tuple[int, int]] = []
        try:
            for worker in range(1, self.jobs):
                read_end, write_end = os.pipe()
                pid = fork_worker()
                if pid == 0:  # pragma: no cover - runs in the child, which leaves through os._exit
                    os.close(read_end)
                    self._child(worker, count, work, report, write_end)
                os.close(write_end)
                children.append((pid, read_end))
            checkpoint("workers-started")
            self._loop(0, count, work)
            payloads = [_collect(pid, read_end) for pid, read_end in children]
            children = []
        finally:
            for pid, read_end in children:  # the main process failed: stop the workers, leave no zombie
                _stop(pid, read_end)
        for records, outcome in payloads:
            _log_again(records)
            if outcome[0] == "failed":
                raise WorkerFailed(outcome[1])
            merge(outcome[1])

    def _claim(self) -> int:
        assert self._next is not None
        with self._next.get_lock():
            start = self._next.value
            self._next.value = start + BATCH
        return start

    def _loop(self, worker: int, count: int, work: Callable[[int], None]) -> None:
        assert self._done is not None
        while (start := self._claim()) < count:
            for index in range(start, min(start + BATCH, count)):
                work(index)
                self._done[worker] += 1

    def _child(  # pragma: no cover - runs in the child (the tests see its effects, not its coverage)
        self, worker: int, count: int, work: Callable[[int], None], report: Callable[[], Any], out: int
    ) -> None:
        self.in_worker = True
        recorder = _Recorder()
        logging.getLogger("mkdocs").addHandler(recorder)  # MkDocs' loggers and the plugin's, beneath it
        try:
            checkpoint("worker")
            self._loop(worker, count, work)
            outcome: tuple[str, Any] = ("done", report())
        except BaseException as error:  # everything goes back to the main process, which fails the build
            shown = str(error) if isinstance(error, self.expected) else f"{type(error).__name__}: {error}"
            outcome = ("failed", shown)
        try:
            data = pickle.dumps((recorder.records, outcome), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(out, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)


def _collect(pid: int, read_end: int) -> tuple[list[tuple[str, int, str]], tuple[str, Any]]:
    """A worker's records and outcome, once it has exited."""
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a worker that died wrote nothing whole
        if os.WIFSIGNALED(status):
            stopped = f"was stopped by signal {os.WTERMSIG(status)}"
        else:
            stopped = f"exited with status {os.waitstatus_to_exitcode(status)}"
        return [], ("failed", f"a worker process {stopped} before it finished")


def _stop(pid: int, read_end: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(read_end)


def _log_again(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
