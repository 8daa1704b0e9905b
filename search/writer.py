"""A rebuild's Whoosh writing, in this process or in a forked one beside the build.

Rebuilding the index whole is mostly Whoosh's own work (adding postings, then sorting and writing
them at the commit), and nothing the site shows waits for it: the export and the related lists come
from the documents' analysis, which the build makes once. So ``entraide build`` hands each analysed
document to a ``BackgroundWriter``: a forked process that adds them to a fresh index as they are
spooled, commits, and writes the facet table, while the build goes on rendering pages. The
build waits for it before the site is published (``SearchIndex.finish``); if either side fails, the
build fails and the previous index stays as it was. ``LocalWriter`` does the same work in this
process, for the commands that need the index at once.
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import marshal
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool

from entraide.errors import EntraideError
from entraide.faults import checkpoint
from entraide.workers import fork_worker
from search import facets
from search.schema import make_schema

LIMIT_MB = 64
"""Megabytes of postings the rebuild's writer holds before it writes them into a run on disk. With runs
merged term by term (``TermRuns``), more runs cost little time; at 10,000 threads 64 MB instead of
256 MB took the build's peak memory from about 1.13 GB to 0.90 GB."""
RUN_BATCH = 4096
"""Postings per ``marshal`` call in the pool's runs on disk (``TermRuns``)."""
TERM_BYTES, POSTING_BYTES = 200, 150
"""What a term and a posting held by ``TermRuns`` cost in memory, roughly (Python objects)."""
COMPOUND = False
"""Segments stay as separate files. Whoosh reads a compound segment through a memory map, but copies
each part it opens into memory: every search then copied the whole postings file (5 ms at 10,000
threads, 50 ms at 100,000), where separate files are read only where needed."""
ANNOUNCE_EVERY = 16
"""Documents spooled between two announcements to the writer."""
TOKEN = "<Q"
TOKEN_SIZE = struct.calcsize(TOKEN)


class Writer(Protocol):
    def add(self, fields: dict[str, object] | bytes) -> None:
        """One document: ``add_document``'s keyword arguments, or those arguments pickled."""
    def close(self) -> None: ...
    def wait(self) -> None: ...
    def abandon(self) -> None: ...


class TermRuns(PostingPool):
    """Whoosh's posting pool, holding postings by term rather than one by one.

    Whoosh sorts every posting (field, term, document, weight, value) as one item: in memory, then in
    sorted runs on disk that it merges at the commit, posting by posting, through a heap. At 10,000
    threads that merge was the largest part of the writer's time. Documents arrive in order, so the
    postings of one term are already in document order: this pool appends each posting to its
    term's list, writes a run (terms sorted, each with its postings) when it holds ``limitmb``, and
    at the commit merges the runs term by term, a few thousand heap steps instead of millions. It
    yields the postings Whoosh's pool would, in the same order."""

    runs: list[str]

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._terms: dict[tuple[str, bytes], list[tuple[int, float, bytes | None]]] = {}

    def add(self, item):  # type: ignore[no-untyped-def]
        fieldname, text, docnum, weight, value = item
        postings = self._terms.get((fieldname, text))
        if postings is None:
            postings = self._terms[(fieldname, text)] = []
            self.fieldnames.add(fieldname)
            self.currentsize += TERM_BYTES + len(text)
        postings.append((docnum, weight, value))
        self.currentsize += POSTING_BYTES + (len(value) if value else 0)
        if self.currentsize > self.limit:
            self.save()

    def save(self):  # type: ignore[no-untyped-def]
        """Write the terms held so far as a run: sorted, each with its postings, in batches."""
        if self._terms:
            path, f = self._new_run()
            self._write_run(f, self._sorted_terms())
            self._add_run(path)
            self._terms = {}
        self.currentsize = 0

    def _sorted_terms(self) -> Iterator[tuple[tuple[str, bytes], list[tuple[int, float, bytes | None]]]]:
        for key in sorted(self._terms):
            postings = self._terms[key]
            postings.sort()  # in document order already (a sorted list costs one pass)
            yield key, postings

    def _write_run(self, f, items):  # type: ignore[no-untyped-def]
        batch: list[object] = []
        size = 0
        for key, postings in items:
            batch.append((key, postings))
            size += len(postings)
            if size >= RUN_BATCH:
                marshal.dump(batch, f, 2)
                batch, size = [], 0
        if batch:
            marshal.dump(batch, f, 2)
        f.close()

    def _read_run(self, path):  # type: ignore[no-untyped-def]
        f = self._open_run(path)
        try:
            while True:
                yield from marshal.load(f)
        except EOFError:
            return
        finally:
            f.close()
            self._remove_run(path)

    def items(self, maxfiles: int = 128):  # type: ignore[no-untyped-def]
        if not self.runs:
            terms: Iterator[tuple[tuple[str, bytes], list[tuple[int, float, bytes | None]]]] = self._sorted_terms()
        else:
            while len(self.runs) >= maxfiles:  # never more files open at once than Whoosh would
                merged, self.runs = self.runs[:maxfiles], self.runs[maxfiles:]
                path, f = self._new_run()
                self._write_run(f, _merged_terms([self._read_run(run) for run in merged]))
                self.runs.insert(0, path)
            runs, self.runs = self.runs, []
            # the terms still held are the latest documents' postings: merged from memory, not a run
            terms = _merged_terms([*(self._read_run(run) for run in runs), self._sorted_terms()])
        for (fieldname, text), postings in terms:
            for docnum, weight, value in postings:
                yield fieldname, text, docnum, weight, value


def _merged_terms(runs):  # type: ignore[no-untyped-def]
    """Runs of (term, postings) sorted by term, as one: each term once, with its postings from every run."""
    for key, entries in itertools.groupby(heapq.merge(*runs, key=_term), key=_term):
        parts = [postings for _key, postings in entries]
        yield key, parts[0] if len(parts) == 1 else sorted(itertools.chain.from_iterable(parts))


def _term(entry: tuple[tuple[str, bytes], object]) -> tuple[str, bytes]:
    return entry[0]


class FieldLengths:
    """The segment's field lengths as the commit asks for them: once per posting. Whoosh's reader
    reads one byte from the column file per call, and looks for the file of a field without lengths
    on every call; this reads each field's column whole, once, with Whoosh's own reader."""

    def __init__(self, reader):  # type: ignore[no-untyped-def]
        self._reader = reader
        self._columns: dict[str, Sequence[int] | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        if fieldname not in self._columns:
            column = self._reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            self._columns[fieldname] = column.load() if column is not None else None
        lengths = self._columns[fieldname]
        if lengths is None:
            return default
        byte = lengths[docnum] if docnum < len(lengths) else 0
        return byte_to_length(byte) if byte else None  # as Whoosh's reader answers

    def close(self) -> None:
        self._reader.close()


class LocalWriter:
    """Writes the index in this process: complete, facet table included, once ``close`` returns."""

    def __init__(self, fresh: Path):
        self.fresh = fresh
        ix = whoosh_index.create_in(str(fresh), make_schema())
        self._writer = ix.writer(limitmb=LIMIT_MB, compound=COMPOUND)
        writer = self._writer
        writer.pool = TermRuns(writer._tempstorage, writer.newsegment, limitmb=LIMIT_MB)
        per_document_reader = writer.per_document_reader
        writer.per_document_reader = lambda: FieldLengths(per_document_reader())  # type: ignore[method-assign]

    def add(self, fields: dict[str, object] | bytes) -> None:
        self._writer.add_document(**(pickle.loads(fields) if isinstance(fields, bytes) else fields))

    def close(self) -> None:
        """Commit as one segment and write the facet table beside it."""
        self._writer.commit(optimize=True)
        facets.save_table(self.fresh, facets.build_table(whoosh_index.open_dir(str(self.fresh))))

    def wait(self) -> None:
        pass

    def abandon(self) -> None:
        if not self._writer.is_closed:
            self._writer.cancel()


class BackgroundWriter:
    """Writes the index in a forked process: complete once ``wait`` returns.

    Documents go through an unnamed spool file, not through the pipe itself: a pipe holds 64 KB, and
    a build that had to wait for the writer to catch up would leave a core idle. Every few documents
    the build tells the writer, through the pipe, how far the spool is written."""

    def __init__(self, fresh: Path):
        self.fresh = fresh
        # No name: nothing is left behind by a crash. Closed by wait() or abandon().
        self._spool = tempfile.TemporaryFile(dir=fresh.parent)  # noqa: SIM115
        tokens_read, tokens_write = os.pipe()
        outbox_read, outbox_write = os.pipe()
        self.pid = fork_worker()
        if self.pid == 0:  # pragma: no cover - the child, which leaves through os._exit
            os.close(tokens_write)
            os.close(outbox_read)
            _serve(fresh, self._spool.fileno(), tokens_read, outbox_write)
        os.close(tokens_read)
        os.close(outbox_write)
        self._tokens: int | None = tokens_write
        self._outbox = outbox_read
        self._unannounced = 0
        self._done = False

    def add(self, fields: dict[str, object] | bytes) -> None:
        data = fields if isinstance(fields, bytes) else pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)
        self._spool.write(data)
        self._unannounced += 1
        if self._unannounced >= ANNOUNCE_EVERY:
            self._announce()

    def _announce(self) -> None:
        self._spool.flush()
        self._unannounced = 0
        assert self._tokens is not None
        try:
            os.write(self._tokens, struct.pack(TOKEN, self._spool.tell()))
        except BrokenPipeError:  # the writer stopped: wait() says why
            self.wait()
            raise EntraideError(f"{self.fresh}: the search index writer stopped early") from None

    def close(self) -> None:
        """No more documents: the writer commits while this process goes on."""
        self._announce()
        self._close_tokens()

    def _close_tokens(self) -> None:
        if self._tokens is not None:
            os.close(self._tokens)
            self._tokens = None

    def wait(self) -> None:
        """Wait for the writer; raise ``EntraideError`` with its message if it failed."""
        if self._done:
            return
        self._done = True
        self._close_tokens()
        with os.fdopen(self._outbox, "rb") as outbox:
            message = outbox.read().decode("utf-8", "replace")
        _pid, status = os.waitpid(self.pid, 0)
        self._spool.close()
        if os.waitstatus_to_exitcode(status) == 0 and message == "ok":
            return
        if os.WIFSIGNALED(status):
            message = f"stopped by signal {os.WTERMSIG(status)}"
        raise EntraideError(f"the search index could not be written ({message or 'no reason given'}); "
                            "the previous index is kept")

    def abandon(self) -> None:
        if self._done:
            return
        self._done = True
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._close_tokens()
        os.close(self._outbox)
        self._spool.close()


def _documents(spool: int, tokens: int) -> Iterator[dict[str, object]]:
    """The documents of the spool, as far as each token says it is written, until the pipe closes."""
    done = 0
    with os.fdopen(tokens, "rb") as announced:
        while len(token := announced.read(TOKEN_SIZE)) == TOKEN_SIZE:
            (end,) = struct.unpack(TOKEN, token)
            size = end - done
            chunk = io.BytesIO(_read_at(spool, done, size))
            done = end
            while chunk.tell() < size:
                yield pickle.load(chunk)


def _read_at(fd: int, offset: int, size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        part = os.pread(fd, size - got, offset + got)
        if not part:
            raise EOFError("the spool file ends early")
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def _serve(fresh: Path, spool: int, tokens: int, outbox_fd: int) -> None:  # pragma: no cover - the child
    code, message = 0, "ok"
    try:
        writer = LocalWriter(fresh)
        try:
            for fields in _documents(spool, tokens):
                writer.add(fields)
            checkpoint("index-writer-commit")
            writer.close()
        except BaseException:
            writer.abandon()
            raise
    except BaseException as error:  # everything goes back to the build, which fails
        code, message = 1, f"{type(error).__name__}: {error}"
    try:
        with os.fdopen(outbox_fd, "wb") as outbox:
            outbox.write(message.encode("utf-8", "replace"))
    finally:
        os._exit(code)
