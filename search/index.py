"""The Whoosh index on disk: created, brought up to date incrementally, compacted now and then.

It lives in ``.entraide/search/`` (outside ``site/`` and ignored by git). Each thread's document
carries a digest of its indexable content; an update re-indexes only the threads whose digest
changed, adds new ones and deletes the ones gone (rejected, withdrawn). Whoosh commits atomically,
so a crash or a failed build leaves the previous index readable.

Updates never merge segments, so document numbers stay put and the static export can be rewritten
piecewise (``search.export``). When too many segments or deleted documents pile up, the update
compacts the index into one segment instead, and the export is rewritten whole.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex, LockError

from entraide.atomic import swap_directory, write_text
from entraide.errors import EntraideError
from entraide.model import ContentTree, Thread
from search import facets
from search.documents import IndexDocument, thread_digest, thread_document
from search.schema import SCHEMA_VERSION, make_schema

MAX_SEGMENTS = 8
PARALLEL_FROM = 1000
MAX_DELETED_SHARE = 0.2
STATE_FILE = "entraide-state.json"
VERSION_FILE = "entraide-version"
"""The schema version alone, read by every search (the state file holds every thread's digest)."""
COMPOUND = False
"""Segments stay as separate files. Whoosh reads a compound segment through a memory map, but copies
each part it opens into memory: every search then copied the whole postings file (5 ms at 10,000
threads, 50 ms at 100,000), where separate files are read only where needed."""

Progress = Callable[[int, int], None]


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
    dirty_keys: set[str] = field(default_factory=set)
    """Export files to rewrite whole: those of updated and removed threads' terms."""
    appended: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """New threads (slug → field → terms): their postings are appended to the export files."""
    gone_slugs: set[str] = field(default_factory=set)
    previous_generation: int | None = None
    """The index's generation before this update: an export made from it can be brought up to date."""

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
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        if self.rebuilt:
            return f"indexed {self.added} threads"
        parts = [f"{count} {label}" for count, label in ((self.added, "added"), (self.updated, "updated"),
                                                         (self.removed, "removed")) if count]
        return ("re-indexed " + ", ".join(parts)) if parts else "index up to date"


class SearchIndex:
    """The index folder of a project."""

    def __init__(self, folder: Path):
        self.folder = folder

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

    def _save_state(self, digests: dict[str, str]) -> None:
        write_text(self.state_file, json.dumps({"version": SCHEMA_VERSION, "digests": digests}, sort_keys=True))

    # -- updating ------------------------------------------------------------------------------

    def update(self, tree: ContentTree, rebuild: bool = False, progress: Progress | None = None) -> UpdateReport:
        """Bring the index in line with ``tree``'s threads; rebuild it whole if asked, absent or outdated."""
        started = time.perf_counter()
        self._tree = tree
        threads = list(tree.threads)
        whole = rebuild or not self.exists()
        previous = None if whole else self.open().latest_generation()
        report = self._rebuild(threads, progress) if whole else self._update(threads, progress)
        report.previous_generation = previous
        ix = self.open()
        if not facets.is_current(self.folder, ix):  # changed, or left behind by an interrupted update
            facets.save_table(self.folder, facets.build_table(ix))
        report.seconds = time.perf_counter() - started
        return report

    def _theme_title(self, thread: Thread) -> str:
        theme = self._tree.themes_by_slug.get(thread.theme)
        return theme.title(thread.lang) if theme else ""

    def _document(self, thread: Thread) -> IndexDocument:
        return thread_document(thread, self._theme_title(thread))

    def _rebuild(self, threads: list[Thread], progress: Progress | None) -> UpdateReport:
        """Index everything into a fresh folder, then swap it in: the old index stays until then."""
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = self.folder.with_name(f".{self.folder.name}-new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir()
        ix = whoosh_index.create_in(str(fresh), make_schema())
        # Two processes analyse in parallel on large rebuilds (1.7 times faster on 2 cores).
        procs = min(os.cpu_count() or 1, 2) if len(threads) >= PARALLEL_FROM else 1
        writer = (
            ix.writer(procs=procs, limitmb=128, multisegment=True, compound=COMPOUND)
            if procs > 1
            else ix.writer(limitmb=256, compound=COMPOUND)
        )
        digests: dict[str, str] = {}
        try:
            for done, thread in enumerate(threads, 1):
                document = self._document(thread)
                writer.add_document(**document.fields())
                digests[thread.slug] = document.digest
                if progress:
                    progress(done, len(threads))
            writer.commit(optimize=True)
        except BaseException:
            writer.cancel()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        write_text(fresh / STATE_FILE, json.dumps({"version": SCHEMA_VERSION, "digests": digests}, sort_keys=True))
        write_text(fresh / VERSION_FILE, f"{SCHEMA_VERSION}\n")
        swap_directory(fresh, self.folder)
        return UpdateReport(added=len(threads), rebuilt=True)

    def _update(self, threads: list[Thread], progress: Progress | None) -> UpdateReport:
        known: dict[str, str] = self._state().get("digests", {})
        report = UpdateReport()
        ix = self.open()
        with ix.searcher() as searcher:
            indexed = live_slugs(searcher)
        current = {thread.slug for thread in threads}
        changed = []
        for thread in threads:
            if thread.slug in indexed and known.get(thread.slug) == thread_digest(thread, self._theme_title(thread)):
                report.unchanged += 1
            else:
                changed.append(thread)
        gone = sorted(set(indexed) - current)
        if not changed and not gone:
            return report
        try:
            writer = ix.writer(limitmb=128, compound=COMPOUND)
        except LockError:
            raise EntraideError(f"{self.folder}: the search index is being updated by another process") from None
        digests = {slug: digest for slug, digest in known.items() if slug in current}
        try:
            with ix.searcher() as searcher:
                for slug in [thread.slug for thread in changed if thread.slug in indexed] + gone:
                    stored = searcher.document(slug=slug)
                    if stored:
                        report.dirty_keys.update(stored["keys"].split())
                    report.gone_slugs.add(slug)
                for slug in gone:
                    writer.delete_by_term("slug", slug)
                    report.removed += 1
                for done, thread in enumerate(changed, 1):
                    document = self._document(thread)
                    if thread.slug in indexed:
                        report.updated += 1
                        report.dirty_keys.update(document.keys())
                    else:
                        report.added += 1
                        report.appended[thread.slug] = document.field_terms()
                    writer.update_document(**document.fields())
                    digests[thread.slug] = document.digest
                    if progress:
                        progress(done, len(changed))
                segments = len(searcher.reader().leaf_readers())
                total = searcher.doc_count_all() + len(changed)
                deleted = searcher.doc_count_all() - searcher.doc_count() + report.updated + report.removed
            report.compacted = segments + 1 > MAX_SEGMENTS or deleted > MAX_DELETED_SHARE * max(total, 1)
            writer.commit(optimize=True) if report.compacted else writer.commit(merge=False)
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        self._save_state(digests)
        return report


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
