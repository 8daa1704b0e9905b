"""Pages rendered on every core: the generated pages shared out between forked workers.

MkDocs renders pages one after the other, and on a large site rendering is most of a build. Once the
content is loaded, everything a page needs is in memory (the views, the navigation, the theme's
environment), so the work splits cleanly: ``entraide build`` defers its pages while MkDocs reads the
others, then, at ``on_env``, forks workers that inherit all of it. Each worker claims pages in small
batches from a shared counter and runs on each what MkDocs would (the caller's ``work``), so a page's
bytes do not depend on which process made it. A worker then sends back what the build needs
afterwards (``report``: the pages' keys, the build cache's new entries…) and the log records it
emitted, which the main process merges and logs again: ``--strict`` and the build summary see a
worker's warnings as their own. Any failure in any worker fails the build with the worker's message,
before anything is published; a worker that dies (killed, out of memory) fails it too.

Forking pays only on a large site, and only where ``fork`` exists: a smaller build runs the same loop
in the main process alone.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

from mkdocs.exceptions import MkDocsException, PluginError

from entraide.faults import checkpoint
from entraide.forking import fork_worker

MIN_PAGES = 400
"""Below this many pages a build renders in one process: forking and merging would cost more than it saves."""
BATCH = 16
"""Pages a worker claims at a time: small enough that the workers finish together."""


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def worker_count(requested: int | None, pages: int) -> int:
    """How many processes render ``pages`` pages: ``requested`` if given, else every core on a large site."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        return 1
    if requested is not None:
        return max(1, requested)
    return available_cores() if pages >= MIN_PAGES else 1


class _Recorder(logging.Handler):
    """A worker's log records (warnings and errors), for the main process to log again."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class PagePool:
    """Runs ``work(i)`` for every ``i`` below ``count``, spread over ``jobs`` processes (this one included)."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        context = multiprocessing.get_context("fork") if jobs > 1 else None
        self._next = context.Value("q", 0) if context else None
        self._done = context.Array("q", jobs, lock=False) if context else None
        self._own = 0
        self.in_worker = False
        """True in a forked worker: it reports through ``done()``, never on the terminal."""

    def done(self) -> int:
        """Pages finished so far, by every worker."""
        return sum(self._done) if self._done is not None else self._own

    def run(
        self,
        count: int,
        work: Callable[[int], None],
        report: Callable[[], Any],
        merge: Callable[[Any], None],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Do all the work; ``report()`` is what a worker sends back, ``merge`` takes it in the main process."""
        if self.jobs == 1:
            for index in range(count):
                work(index)
                self._own += 1
                if progress is not None:
                    progress(self._own)
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
            checkpoint("build-workers-started")
            self._loop(0, count, work, progress)
            payloads = [_collect(pid, read_end) for pid, read_end in children]
            children = []
        finally:
            for pid, read_end in children:  # the main process failed: stop the workers, leave no zombie
                _stop(pid, read_end)
        for records, outcome in payloads:
            _log_again(records)
            if outcome[0] == "failed":
                raise PluginError(outcome[1])
            merge(outcome[1])

    def _claim(self) -> int:
        assert self._next is not None
        with self._next.get_lock():
            start = self._next.value
            self._next.value = start + BATCH
        return start

    def _loop(self, worker: int, count: int, work: Callable[[int], None],
              progress: Callable[[int], None] | None) -> None:
        assert self._done is not None
        while (start := self._claim()) < count:
            for index in range(start, min(start + BATCH, count)):
                work(index)
                self._done[worker] += 1
                if progress is not None:
                    progress(self.done())

    def _child(  # pragma: no cover - runs in the child (the tests see its effects, not its coverage)
        self, worker: int, count: int, work: Callable[[int], None], report: Callable[[], Any], out: int
    ) -> None:
        self.in_worker = True
        recorder = _Recorder()
        logging.getLogger("mkdocs").addHandler(recorder)  # MkDocs' loggers and the plugin's, beneath it
        try:
            checkpoint("build-worker")
            self._loop(worker, count, work, None)
            outcome: tuple[str, Any] = ("done", report())
        except BaseException as error:  # everything goes back to the main process, which fails the build
            outcome = ("failed", _message(error))
        try:
            data = pickle.dumps((recorder.records, outcome), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(out, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(0)


def _message(error: BaseException) -> str:
    if isinstance(error, MkDocsException):
        return str(error)
    return f"entraide: a page failed to render ({type(error).__name__}: {error})"


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
        return [], ("failed", f"entraide: a rendering worker {stopped} before it finished; nothing was published")


def _stop(pid: int, read_end: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(read_end)


def _log_again(records: list[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)
