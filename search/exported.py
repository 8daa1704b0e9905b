"""Posting lists read back from the static export, for the CLI's ranking.

The export (``search.export``) holds, for every term, exactly what ranking needs — document number
gaps, term frequencies and one-byte field lengths — in compact files that numpy decodes in a
fraction of a millisecond, where Whoosh's own posting blocks also carry every word position and
must be unpickled block by block (most of a query's time at 100,000 threads). Reading the same
files as the site's script also makes the CLI's scores the site's by construction.

The export is used only when it was made from the index as it is now and is complete;
otherwise ``search.ranking`` reads Whoosh's blocks, with the same results, only slower.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from whoosh.index import FileIndex

from search import vocabulary
from search.documents import shard_key
from search.exportformat import SPLIT, Entry, OwnFile, decode, unpack
from search.stamp import index_stamp

EXPORT_FOLDER = "export"
"""The export's folder, beside the index's in the project's search folder."""
MARKER = ".incomplete"
"""Present while an export is being written (``search.export`` removes it last)."""
MANIFEST = ".manifest.json"
"""The export's own bookkeeping (not published): the state of the index it was made from
(``search.stamp``), each slug's document number."""
NUMBERING = ".numbering.npy"
"""Each export number's Whoosh document number (the export numbers canonically, the index in the
order it was updated in), written with the manifest."""


def manifest_stamp(folder: Path) -> str | None:
    """The state of the index the export in ``folder`` was made from, if it says."""
    try:
        stamp = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("index")
    except (OSError, ValueError, AttributeError):
        return None
    return stamp if isinstance(stamp, str) else None


def export_folder(index_folder: Path) -> Path:
    return index_folder.parent / EXPORT_FOLDER


class ExportedPostings:
    """The terms' postings of one export, scored as ``static/entraide-search.js`` scores them."""

    def __init__(self, folder: Path, meta: dict):
        self.folder = folder
        self.documents = int(meta["docCount"])
        self.b, self.k1 = float(meta["B"]), float(meta["K1"])
        self.fields = {field["name"]: (position, field) for position, field in enumerate(meta["fields"])}
        self.length_table = np.array(meta["lengthTable"], dtype=np.float64)
        self._entries: dict[str, list[Entry]] = {}
        self._files: dict[str, object] = {}
        self._numbering: tuple[np.ndarray, np.ndarray] | None = None

    def numbering(self, searcher) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
        """(export number → Whoosh number, Whoosh number → export number or -1): the export numbers
        threads canonically, the index in whatever order it was updated in."""
        if self._numbering is None:
            to_whoosh = np.load(self.folder / NUMBERING)
            from_whoosh = np.full(searcher.doc_count_all(), -1, dtype=np.int64)
            known = to_whoosh >= 0
            from_whoosh[to_whoosh[known]] = np.flatnonzero(known)
            self._numbering = to_whoosh, from_whoosh
        return self._numbering

    @classmethod
    def open(cls, index_folder: Path, ix: FileIndex) -> ExportedPostings | None:
        """The export of ``ix`` as it is now, or None when there is none, or it is incomplete or older."""
        folder = export_folder(index_folder)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (folder / MARKER).exists() or manifest_stamp(folder) != index_stamp(ix):
            return None
        return cls(folder, meta)

    def postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers ascending, BM25F scores) of ``text`` in ``field``."""
        position, spec = self.fields[field]
        for entry in self.entries(text):
            if entry.field == position:
                ids = np.cumsum(varints(entry.streams[0]))
                tf = varints(entry.streams[1]).astype(np.float64)
                lengths = self.length_table[np.frombuffer(entry.streams[2], dtype=np.uint8)]
                idf = math.log(self.documents / (entry.found_in + 1)) + 1
                b, k1 = self.b, self.k1
                scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + (b * lengths) / spec["avgLength"])))
                return ids, scores * spec["boost"]
        return np.zeros(0, dtype=np.int64), np.zeros(0)

    def vocabulary(self, key: str) -> vocabulary.Words:
        """The words of the vocabulary filed under ``key`` (``search.vocabulary``)."""
        try:
            return vocabulary.decode(unpack((self.folder / vocabulary.FAMILY / f"{key}.bin").read_bytes()))
        except FileNotFoundError:
            return []

    def entries(self, text: str) -> list[Entry]:
        """The entries of one term in every field where it occurs: from its shard, or its own file."""
        if text not in self._entries:
            self._entries[text] = self._find(text)
        return self._entries[text]

    def _find(self, text: str) -> list[Entry]:
        base = key = shard_key(text)
        while True:
            content = self._decoded(f"t/{key}.bin")
            if content is None:
                return []
            kind, found = content
            if kind == SPLIT:
                width = len(key) + 1
                child = text[:width].ljust(width, "_")
                if child not in found:
                    return []
                key = child
                continue
            entries = found.get(text)
            if entries is None:
                return []
            if isinstance(entries, OwnFile):
                own = self._decoded(f"t/{base}/{text}.bin")
                return own[1] if own is not None else []
            return entries

    def _decoded(self, relative: str):  # type: ignore[no-untyped-def]
        if relative not in self._files:
            try:
                self._files[relative] = decode(unpack((self.folder / relative).read_bytes()))
            except FileNotFoundError:
                self._files[relative] = None
        return self._files[relative]


def varints(data: bytes) -> np.ndarray:
    """Unsigned LEB128 numbers (``search.exportformat.varint_bytes``), decoded all at once."""
    raw = np.frombuffer(data, dtype=np.uint8)
    last = raw < 0x80
    if last.all():
        return raw.astype(np.int64)
    ends = np.flatnonzero(last)
    starts = np.concatenate(([0], ends[:-1] + 1))
    group = np.repeat(np.arange(len(ends)), ends - starts + 1)
    shifts = (np.arange(len(raw)) - starts[group]) * 7
    return np.add.reduceat((raw & 0x7F).astype(np.int64) << shifts, starts)
