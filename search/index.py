"""The Whoosh index on disk: created, brought up to date incrementally, compacted now and then.

It lives in ``.entraide/search/`` (outside ``site/`` and ignored by git). Each thread's document
carries a digest of its indexable content; an update re-indexes only the threads whose digest
changed (its old document deleted, the new one added), adds new ones and deletes the ones gone
(rejected, withdrawn). Whoosh commits atomically, so a crash or a failed build leaves the previous
index readable.

Document numbers and Whoosh's collection statistics (which count deleted documents until a merge)
depend on history here: nothing published is read from them. The export (``search.export``)
numbers threads in canonical order itself and computes its statistics over live documents, and the
related lists are computed from it (``search.related``). A cold index adds threads in canonical
order, in one process, so its numbers are the export's until the first change.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex, LockError

from entraide.atomic import swap_directory, write_text
from entraide.errors import EntraideError
from entraide.faults import checkpoint
from entraide.model import ContentTree, Thread
from search import facets
from search.analysing import SharedState, analysed
from search.documents import (
    IndexDocument,
    PlainText,
    Topics,
    plain_text_of,
    thread_digest,
    thread_document,
    topics_of,
)
from search.schema import SCHEMA_VERSION
from search.writer import COMPOUND, BackgroundWriter, LocalWriter, Writer

MAX_SEGMENTS = 8
MAX_DELETED = 0.5
"""Segments are merged into one when half the documents are deleted ones (a merge costs about a
cold index build; deleted documents cost only disk space until then: nothing published counts them)."""
STATE_FILE = "entraide-state.json"
VERSION_FILE = "entraide-version"
"""The schema version alone, read by every search (the state file holds every thread's digest)."""

Progress = Callable[[int, int], None]
Sink = Callable[[IndexDocument], None]


@dataclass
class UpdateReport:
    """What an update did, for the build summary and for the incremental export."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    compacted: bool = False
    seconds: float = 0.0
    documents: dict[str, IndexDocument] = field(default_factory=dict)
    """The documents analysed by this update, by slug: the export reuses their analysis."""
    digests: dict[str, str] = field(default_factory=dict)
    """Every thread's digest, computed once for the index and the export."""
    reason: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt or self.compacted)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "rebuilt": self.rebuilt,
            "compacted": self.compacted,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        if self.rebuilt:
            return f"indexed {self.added} threads"
        parts = [f"{count} {label}" for count, label in ((self.added, "added"), (self.updated, "updated"),
                                                         (self.removed, "removed")) if count]
        if self.reason:
            return f"rebuilt the index ({self.reason})" + (": " + ", ".join(parts) if parts else "")
        return ("re-indexed " + ", ".join(parts)) if parts else "index up to date"


class SearchIndex:
    """The index folder of a project."""

    def __init__(self, folder: Path, plain: PlainText = plain_text_of, jobs: int | None = 1,
                 shared: SharedState | None = None):
        self.folder = folder
        self.plain = plain
        self.shared = shared
        """What ``plain`` keeps (the build cache), merged back from workers (``search.analysing``)."""
        self.jobs = jobs
        """Processes that analyse a rebuild's threads (``search.analysing``); None: every core on a large site."""
        self._pending: tuple[Writer, Path, dict[str, str]] | None = None
        """A rebuild whose writer may still be at work: its writer, folder and digests."""

    @property
    def state_file(self) -> Path:
        return self.folder / STATE_FILE

    def exists(self) -> bool:
        try:
            version = (self.folder / VERSION_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            return False
        return version == str(SCHEMA_VERSION) and whoosh_index.exists_in(str(self.folder))

    def open(self) -> FileIndex:
        if not self.exists():
            raise EntraideError(f"{self.folder}: no search index yet; run `entraide build` or `entraide index`")
        return whoosh_index.open_dir(str(self.folder))

    def _state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _save_state(self, digests: dict[str, str], folder: Path | None = None) -> None:
        state = {"version": SCHEMA_VERSION, "digests": digests}
        write_text((folder or self.folder) / STATE_FILE, json.dumps(state, sort_keys=True))

    # -- updating ------------------------------------------------------------------------------

    def update(self, tree: ContentTree, rebuild: bool = False, progress: Progress | None = None,
               sink: Sink | None = None, background: bool = False) -> UpdateReport:
        """Bring the index in line with ``tree``'s threads; rebuild it whole if asked, absent or outdated.

        A rebuild hands each document, in canonical order, to ``sink`` (the export's) and keeps none;
        an incremental update keeps the documents it analysed in its report. With ``background``, a
        rebuild's Whoosh writing goes on in a forked process (``search.writer``) and ``finish`` waits
        for it and swaps the new index in; otherwise the index is complete when this returns."""
        started = time.perf_counter()
        self._tree = tree
        threads = list(tree.threads)
        if self.needs_rebuild(rebuild):
            report = self._rebuild(threads, progress, sink, background)
        else:
            report = self._update(threads, progress)
        if self._pending is None:
            self._settle()
        report.seconds = time.perf_counter() - started
        return report

    def finish(self) -> None:
        """Wait for a rebuild's writer, if one is still at work, and swap its index in."""
        if self._pending is None:
            return
        writer, fresh, digests = self._pending
        self._pending = None
        try:
            writer.wait()
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        self._save_state(digests, fresh)
        write_text(fresh / VERSION_FILE, f"{SCHEMA_VERSION}\n")
        checkpoint("index-before-swap")
        swap_directory(fresh, self.folder)
        self._settle()

    def abandon(self) -> None:
        """Stop a rebuild's writer and drop what it wrote: the previous index stays as it was."""
        if self._pending is not None:
            writer, fresh, _digests = self._pending
            self._pending = None
            writer.abandon()
            shutil.rmtree(fresh, ignore_errors=True)

    def _settle(self) -> None:
        ix = self.open()
        if not facets.is_current(self.folder, ix):  # changed, or left behind by an interrupted update
            facets.save_table(self.folder, facets.build_table(ix))

    def _topics(self, thread: Thread) -> Topics:
        return topics_of(thread, self._tree)

    def _document(self, thread: Thread) -> IndexDocument:
        return thread_document(thread, self._topics(thread), self.plain)

    def needs_rebuild(self, rebuild: bool = False) -> bool:
        return rebuild or not self.exists()

    def _rebuild(self, threads: list[Thread], progress: Progress | None, sink: Sink | None,
                 background: bool) -> UpdateReport:
        """Index everything, in canonical order, into a fresh folder, then swap it in (``finish``):
        the old index stays until then."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = self.folder.with_name(f".{self.folder.name}-new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        writer = (BackgroundWriter if background else LocalWriter)(fresh)
        ordered = sorted(threads, key=canonical_key)
        report = UpdateReport(added=len(threads), rebuilt=True)
        digests: dict[str, str] = {}
        try:
            documents = analysed(ordered, self._document, self.jobs, self.shared)
            for done, (document, fields) in enumerate(documents, 1):
                writer.add(document.fields() if fields is None else fields)
                digests[document.slug] = document.digest
                if sink is not None:
                    sink(document)
                if progress:
                    progress(done, len(ordered))
                checkpoint("index-adding")
            writer.close()
        except BaseException:
            writer.abandon()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        report.digests = digests
        self._pending = (writer, fresh, digests)
        if not background:
            self.finish()
        return report

    def _update(self, threads: list[Thread], progress: Progress | None) -> UpdateReport:
        """Delete the documents of changed and removed threads, add changed and new ones, in one commit."""
        known: dict[str, str] = self._state().get("digests", {})
        report = UpdateReport()
        ix = self.open()
        with ix.searcher() as searcher:
            indexed = live_slugs(searcher)
            deleted = searcher.doc_count_all() - searcher.doc_count()
            total = searcher.doc_count_all()
            segments = len(searcher.reader().leaf_readers())
        by_slug = {thread.slug: thread for thread in threads}
        todo: list[Thread] = []
        for thread in sorted(threads, key=canonical_key):
            if thread.slug not in indexed:
                report.added += 1
                todo.append(thread)
            elif known.get(thread.slug) == report.digests.setdefault(
                    thread.slug, thread_digest(thread, self._topics(thread))):
                report.unchanged += 1
            else:
                report.updated += 1
                todo.append(thread)
        gone = sorted(set(indexed) - set(by_slug))
        report.removed = len(gone)
        stale = sorted(set(known) - set(indexed))  # left in the state by an update killed after its commit
        if not todo and not gone and not stale:
            return report
        try:
            writer = ix.writer(limitmb=128, compound=COMPOUND)
        except LockError:
            raise EntraideError(f"{self.folder}: the search index is being updated by another process") from None
        digests = {slug: digest for slug, digest in known.items() if slug in indexed and slug in by_slug}
        deleted += len(gone) + report.updated
        merge = segments + 1 > MAX_SEGMENTS or deleted > MAX_DELETED * max(total, 1)
        try:
            for slug in gone:
                writer.delete_by_term("slug", slug)
                digests.pop(slug, None)
            for done, thread in enumerate(todo, 1):
                document = report.documents[thread.slug] = self._document(thread)
                if thread.slug in indexed:
                    writer.delete_by_term("slug", thread.slug)
                writer.add_document(**document.fields())
                digests[thread.slug] = document.digest
                if progress:
                    progress(done, len(todo))
                checkpoint("index-adding")
            checkpoint("index-before-commit")
            writer.commit(optimize=merge)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        report.compacted = merge
        checkpoint("index-committed")
        self._save_state(digests)
        return report


def canonical_key(thread: Thread) -> tuple[datetime, str]:
    """Where a thread's document goes in the index: by its opening post's date (as the index stores
    it, without offset), then slug. New threads usually sort last, so adding them renumbers nothing."""
    return thread.date.replace(tzinfo=None), thread.slug


def live_slugs(searcher) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Slug → document number of every live (not deleted) document.

    Each segment's column is read in one pass (a lookup per document through the multi-segment
    reader took seconds at 100,000 threads)."""
    slugs: dict[str, int] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
        for docnum, slug in enumerate(reader.column_reader("slug")):
            if docnum not in deleted:
                slugs[slug] = docnum + offset
    return slugs
