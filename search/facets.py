"""Facets: how the threads a query found divide between themes, languages and tags.

Reading the posting lists of every theme, language and tag at each query cost more than the search
itself at 100,000 threads (Whoosh decodes each block in Python). So each index update writes a
facet table beside the index (``facets.npz``): for every value of those fields, the sorted numbers
of its live documents. A query then marks the documents it found in one array and counts each
value's documents among them with numpy, in about a millisecond. The table names the index
generation it was made from; a table of another generation (an update interrupted between the
index commit and the table) is ignored and the counts are made from the index directly.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.index import FileIndex

from entraide.atomic import write_bytes
from search.ranking import live_mask, posting_arrays

FACET_FIELDS = ("theme", "lang", "tags")
TABLE_FILE = "facets.npz"

Facets = dict[str, dict[str, int]]
"""Field → value → number of found threads, largest first (ties by value)."""


@dataclass
class FacetTable:
    generation: int
    size: int
    """Document numbers run from 0 to size - 1 (deleted documents included)."""
    values: dict[str, list[str]]
    docs: dict[str, list[np.ndarray]]
    """Field → for each of its values, the sorted numbers of its live documents."""


def build_table(ix: FileIndex) -> FacetTable:
    """The table of the index as it is now, read from its posting lists."""
    values: dict[str, list[str]] = {}
    docs: dict[str, list[np.ndarray]] = {}
    with ix.searcher() as searcher:
        size = searcher.doc_count_all()
        leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        for name in FACET_FIELDS:
            found: dict[str, list[np.ndarray]] = {}
            for reader, offset in leaves:
                if name not in reader.indexed_field_names():
                    continue
                live = live_mask(reader)
                for value in reader.lexicon(name):
                    ids, _none = posting_arrays(reader, name, value, weights=False)
                    if live is not None:
                        ids = ids[live[ids]]
                    if len(ids):
                        found.setdefault(value.decode("utf-8"), []).append(ids + offset)
            values[name] = sorted(found)
            docs[name] = [np.sort(np.concatenate(found[value])).astype(np.uint32) for value in values[name]]
    return FacetTable(ix.latest_generation(), size, values, docs)


def save_table(folder: Path, table: FacetTable) -> None:
    """Write the table atomically into the index folder."""
    arrays = [array for name in FACET_FIELDS for array in table.docs[name]]
    meta = {"generation": table.generation, "size": table.size, "values": table.values}
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        docs=np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.uint32),
        ends=np.cumsum([len(array) for array in arrays], dtype=np.int64),
    )
    write_bytes(folder / TABLE_FILE, buffer.getvalue())


def _saved(folder: Path, ix: FileIndex) -> tuple[dict, np.ndarray, np.ndarray] | None:
    """The saved table's (meta, numbers, ends) when it was made from the index's current generation."""
    try:
        with np.load(folder / TABLE_FILE) as saved:
            meta = json.loads(saved["meta"].tobytes().decode("utf-8"))
            flat, ends = saved["docs"], saved["ends"]
    except (OSError, ValueError, KeyError):
        return None
    return (meta, flat, ends) if meta.get("generation") == ix.latest_generation() else None


def is_current(folder: Path, ix: FileIndex) -> bool:
    return _saved(folder, ix) is not None


def load_table(folder: Path, ix: FileIndex) -> FacetTable:
    """The saved table when it was made from the index's current generation; else one made now."""
    saved = _saved(folder, ix)
    if saved is None:
        return build_table(ix)
    meta, flat, ends = saved
    pieces = np.split(flat, ends[:-1]) if len(ends) else []
    docs: dict[str, list[np.ndarray]] = {}
    at = 0
    for name in FACET_FIELDS:
        count = len(meta["values"][name])
        docs[name] = pieces[at : at + count]
        at += count
    return FacetTable(meta["generation"], meta["size"], meta["values"], docs)


def facet_counts(table: FacetTable, found: np.ndarray) -> Facets:
    """For each facet field, how many of the ``found`` document numbers hold each of its values."""
    marked = np.zeros(table.size, dtype=bool)
    marked[found] = True
    facets: Facets = {}
    for name in FACET_FIELDS:
        counts = {value: int(np.count_nonzero(marked[docs]))
                  for value, docs in zip(table.values[name], table.docs[name], strict=True)}
        facets[name] = dict(sorted(((v, c) for v, c in counts.items() if c), key=lambda item: (-item[1], item[0])))
    return facets
