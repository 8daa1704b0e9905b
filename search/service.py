"""One call for the build and the CLI: bring the index, its static export and related threads up to date."""

from __future__ import annotations

import gc
import json
from dataclasses import dataclass
from pathlib import Path

from entraide.atomic import write_text
from entraide.faults import checkpoint
from entraide.model import ContentTree
from search.analysing import SharedState
from search.documents import PlainText, plain_text_of
from search.export import Exporter, ExportReport, load_table
from search.exported import EXPORT_FOLDER, MARKER, manifest_stamp
from search.index import Progress, SearchIndex, UpdateReport
from search.related import Similar, related_lists, similar_to
from search.searching import WEIGHTING

RELATED_FILE = "related.json"


def index_dir(search_dir: Path) -> Path:
    return search_dir / "index"


def export_dir(search_dir: Path) -> Path:
    return search_dir / EXPORT_FOLDER


def export_stamp(search_dir: Path) -> str | None:
    """The state of the index the site's export was made from; None without an index and a complete export."""
    folder = export_dir(search_dir)
    if (folder / MARKER).exists() or not SearchIndex(index_dir(search_dir)).exists():
        return None
    return manifest_stamp(folder)


@dataclass
class Refreshed:
    update: UpdateReport
    export: ExportReport
    related: dict[str, list[str]]
    _index: SearchIndex | None = None
    _exporter: Exporter | None = None

    def complete(self) -> None:
        """Wait for a rebuild's background writer, swap its index in and seal the export to it."""
        if self._index is None or self._exporter is None:
            return
        index, exporter = self._index, self._exporter
        self._index = self._exporter = None
        index.finish()
        exporter.seal(index.open())

    def abandon(self) -> None:
        """A failed build: stop a background writer; the previous index stays."""
        if self._index is not None:
            self._index.abandon()
            self._index = self._exporter = None


def refresh(
    search_dir: Path, tree: ContentTree, rebuild: bool = False, progress: Progress | None = None,
    background: bool = False, plain: PlainText = plain_text_of, jobs: int | None = 1,
    shared: SharedState | None = None,
) -> Refreshed:
    """Re-index what changed in ``tree``, update the export files it touches, update related threads.

    Each changed thread is analysed once: the index and the export take the same analysis (on a
    rebuild, document by document, so that no more than one is held at a time). With ``background``,
    a rebuild's Whoosh writing goes on beside the caller (``search.writer``) until ``complete()``,
    which the caller must call (or ``abandon()``); otherwise all is done when this returns. ``plain``
    gives a post's plain text (``search.documents.PlainText``); ``jobs`` processes analyse a rebuild's
    threads (``search.analysing``; None: every core on a large site), merging what they add to
    ``plain``'s ``shared`` state."""
    index = SearchIndex(index_dir(search_dir), plain, jobs, shared)
    exporter = Exporter(export_dir(search_dir), tree, plain)
    sink = exporter.start_whole() if index.needs_rebuild(rebuild) else None
    report = index.update(tree, rebuild=rebuild, progress=progress, sink=sink, background=background)
    gc.disable()  # the tables below are millions of small objects, in no cycle: collections only rescan them
    try:
        exported = exporter.run(report)
        related = _related(search_dir, exported)
    except BaseException:
        index.abandon()
        raise
    finally:
        gc.enable()
    refreshed = Refreshed(report, exported, related, index, exporter)
    if not background:
        refreshed.complete()
    return refreshed


def _related(search_dir: Path, exported: ExportReport) -> dict[str, list[str]]:
    """Every thread's related threads, computed from the export's table (``search.related``).

    A list depends on collection statistics (how rare each key term is, average lengths) that any
    new, changed or removed thread moves, so after any change every list is computed again, from
    the same canonical data as a clean build's. Unchanged, the lists are read back from the cache,
    which records the content (each thread's digest) they were computed from."""
    cache_file = search_dir / RELATED_FILE
    stamp = exported.content
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
        if cache.get("content") == stamp and isinstance(cache.get("related"), dict):
            return dict(cache["related"])
    except (OSError, ValueError, AttributeError):
        pass
    table = exported.table if exported.table is not None else load_table(export_dir(search_dir))
    related = related_lists(table or {})
    checkpoint("related-computed")
    write_text(cache_file, json.dumps({"content": stamp, "related": related}, sort_keys=True))
    return related


def similar_threads(
    search_dir: Path, texts: dict[str, tuple[str, str, str]], limit: int = 3
) -> dict[str, list[Similar]]:
    """For each (title, body, lang) by id, the published threads most like it; empty without an index."""
    index = SearchIndex(index_dir(search_dir))
    if not texts or not index.exists():
        return {}
    with index.open().searcher(weighting=WEIGHTING) as searcher:
        return {key: similar_to(searcher, title, body, lang, limit) for key, (title, body, lang) in texts.items()}
