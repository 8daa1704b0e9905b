"""A rebuild's threads analysed on every core, handed on in canonical order, a round at a time.

Analysing a thread (its posts' plain text, then every field's terms and positions) is most of what a
rebuild of the index does besides Whoosh's own writing, and each thread is analysed on its own. So a
large rebuild analyses its threads a round at a time, each round shared out between forked workers
(``entraide.workers``); the documents come back (pickled, with the keyword arguments Whoosh's writer
takes already pickled too) and are handed on in order, so the index and the export receive exactly
what one process would give them. A round holds a bounded number of documents: memory does not grow
with the site.

The plain-text provider may keep state of its own (the build's renderer caches each post's page
HTML in the build cache on the way, ``builder.posthtml``): given that ``shared`` state (``mark``,
``changes``, ``absorb``: a ``BuildCache``), what a worker added to it is merged back too.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from entraide.model import Thread
from entraide.workers import WorkerPool, worker_count
from search.documents import IndexDocument

ROUND = 1024
"""Threads analysed per round: enough to keep both cores busy, few enough to hold in memory."""
MIN_THREADS = 1000
"""Below this, one process analyses everything: forking and merging would cost more than they save."""


class SharedState(Protocol):
    def mark(self) -> int: ...
    def changes(self, since: int) -> Any: ...
    def absorb(self, changes: Any) -> None: ...


Analysed = tuple[IndexDocument, bytes | None]
"""A document, with ``fields()`` already pickled when a worker made it."""


def analysed(
    threads: list[Thread], document: Callable[[Thread], IndexDocument], jobs: int | None,
    shared: SharedState | None = None,
) -> Iterator[Analysed]:
    """``(document(thread), pickled fields or None)`` for each of ``threads``, in their order."""
    workers = worker_count(jobs, len(threads), MIN_THREADS)
    if workers == 1:
        for thread in threads:
            yield document(thread), None
        return
    for start in range(0, len(threads), ROUND):
        part = threads[start:start + ROUND]
        done: dict[int, Analysed] = {}
        mark = shared.mark() if shared is not None else 0

        def work(index: int, part: list[Thread] = part, done: dict[int, Analysed] = done) -> None:
            made = document(part[index])
            done[index] = (made, pickle.dumps(made.fields(), protocol=pickle.HIGHEST_PROTOCOL))

        def report(done: dict[int, Analysed] = done, mark: int = mark) -> tuple[Any, ...]:
            return done, shared.changes(mark) if shared is not None else None

        def merge(reported: tuple[Any, ...], done: dict[int, Analysed] = done) -> None:
            found, changes = reported
            done.update(found)
            if shared is not None:
                shared.absorb(changes)

        WorkerPool(workers).run(len(part), work, report, merge)
        for index in range(len(part)):
            yield done.pop(index)
