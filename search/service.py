"""One call for the build and the CLI: bring the index, its static export and related threads up to date."""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from entraide.atomic import write_text
from entraide.faults import checkpoint
from entraide.model import ContentTree
from search.export import ExportReport, export
from search.exported import EXPORT_FOLDER, MARKER, manifest_stamp
from search.index import Progress, SearchIndex, UpdateReport, live_slugs
from search.related import Similar, related_for, similar_to
from search.searching import WEIGHTING
from search.stamp import index_stamp

RELATED_FILE = "related.json"
PARALLEL_FROM = 1000
"""From this many threads to (re)compute, related threads are computed by two processes."""


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


def refresh(
    search_dir: Path, tree: ContentTree, rebuild: bool = False, progress: Progress | None = None
) -> Refreshed:
    """Re-index what changed in ``tree``, rewrite the export files it touches, update related threads."""
    index = SearchIndex(index_dir(search_dir))
    report = index.update(tree, rebuild=rebuild, progress=progress)
    ix = index.open()
    exported = export(export_dir(search_dir), ix, tree, report)
    return Refreshed(report, exported, _related(search_dir, ix))


def _related(search_dir: Path, ix) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Every thread's related threads, as computed from the index as it is.

    A list depends on collection statistics (how rare each key term is, average lengths) that any
    new, changed or removed thread moves, so after any change every list is computed again: keeping
    older lists would make the site depend on the order in which threads came. Unchanged, the lists
    are read back from the cache, which records the state of the index they were computed from.
    """
    cache_file = search_dir / RELATED_FILE
    stamp = index_stamp(ix)
    try:
        cache = json.loads(cache_file.read_text(encoding="utf-8"))
        if cache.get("index") == stamp and isinstance(cache.get("related"), dict):
            return dict(cache["related"])
    except (OSError, ValueError, AttributeError):
        pass
    with ix.searcher(weighting=WEIGHTING) as searcher:
        live = live_slugs(searcher)
        if len(live) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            related = _related_in_parallel(index_dir(search_dir), set(live))
        else:
            related = related_for(searcher)
    checkpoint("related-computed")
    write_text(cache_file, json.dumps({"index": stamp, "related": related}, sort_keys=True))
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


def _related_chunk(folder: str, slugs: list[str]) -> dict[str, list[str]]:
    with SearchIndex(Path(folder)).open().searcher(weighting=WEIGHTING) as searcher:
        return related_for(searcher, set(slugs))


def _related_in_parallel(folder: Path, todo: set[str]) -> dict[str, list[str]]:
    ordered = sorted(todo)
    workers = min(os.cpu_count() or 1, 4)
    chunks = [ordered[i::workers] for i in range(workers)]
    related: dict[str, list[str]] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for found in pool.map(_related_chunk, [str(folder)] * workers, chunks):
            related.update(found)
    return related
