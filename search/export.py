"""The index as static files the site's script fetches piecewise: a query downloads only its terms.

Layout (under ``.entraide/search/export/``, linked into ``site/search/`` by the build)::

    meta.json            collection statistics, field weights, stop words, themes: fetched first
    t/<key>.bin          the postings of the terms starting with <key> (at first their 3 first
                         letters); a shard grown past 8 KB is split by one more letter, and its file
                         then lists its children (``t/manb.bin``, ``t/manc.bin``…)
    t/<key3>/<term>.bin  a term with a long list, in a file of its own
    p/…                  word positions, laid out the same way: fetched for phrases only
    w/<key3>.bin         the vocabulary: words as written and their document frequencies, for
                         prefixes and spelling corrections (``search.vocabulary``)
    d/<docnum>.json      one thread's title, address and plain text, for the results page
    theme/<slug>.json    document numbers of one theme, fetched when a reader filters by theme

The ``.bin`` files are zlib-compressed binary (``search.exportformat``). Postings carry Whoosh's own
numbers — document frequencies (counting deleted documents until the next compaction) and one-byte
field lengths, decoded by ``meta.json``'s ``lengthTable`` — so the script computes exactly the BM25F
scores ``entraide search`` gets.

Updates are piecewise too: a new thread's postings are appended to its terms' lists (new threads get
the highest document numbers), which costs its own terms rather than the length of each list; only
new threads' fragments are written. Any other change re-indexes in canonical order
(``search.index``) and the export is written whole. Either way the files are those a clean build of
the same content writes, byte for byte: nothing in them depends on history (the index generation an
export was made from is kept in its hidden manifest, not in ``meta.json``). A marker file makes an
interrupted export start over whole.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length, length_to_byte

from entraide.faults import checkpoint
from entraide.model import ContentTree
from search import vocabulary
from search.analysis import MIN_WORD, STOP_WORDS
from search.documents import FRAGMENT_CHARS, KEY_LENGTH, shard_key, utf16_length
from search.exported import MANIFEST, MARKER, manifest_stamp
from search.exportformat import (
    OWN,
    SPLIT,
    Entry,
    OwnFile,
    Terms,
    decode,
    encode_leaf,
    encode_split,
    encode_standalone,
    pack,
    unpack,
    varint_bytes,
)
from search.index import UpdateReport, live_slugs
from search.query import MIN_PREFIX
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG, SCHEMA_VERSION, TEXT_FIELDS
from search.searching import WEIGHTING
from search.stamp import index_stamp

EXPORT_VERSION = 6
TERMS = "t"
POSITIONS = "p"
FAMILIES = (TERMS, POSITIONS)
STANDALONE_FROM = 1536
"""A term whose postings take more than 1.5 KB gets its own file: a query for a rare word then does
not download the long lists of the common words that share its first letters."""
SHARD_LIMIT = 20_000
"""A shard of more than 20,000 bytes (about 8 KB once compressed) is split by one more letter of its
terms. The limit is on the uncompressed size so that deciding costs no compression."""
MAX_KEY = 16


@dataclass
class ExportReport:
    full: bool = False
    files_written: int = 0
    files_removed: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        kind = "written whole" if self.full else "updated"
        return f"{kind}, {self.files_written} files written, {self.files_removed} removed"


def varints(numbers: Iterable[int]) -> str:
    """Unsigned LEB128, base64, for the small JSON files (theme lists)."""
    return base64.b64encode(varint_bytes(numbers)).decode("ascii")


class Exporter:
    def __init__(self, folder: Path, ix: FileIndex, tree: ContentTree):
        self.folder = folder
        self.ix = ix
        self.tree = tree
        self.report = ExportReport()
        self._lengths: dict[str, list[int]] = {}
        self._loaded: dict[str, bytes] = {}
        """Shard files read back for an append, unpacked, by path: unchanged ones are not rewritten."""

    # -- files ---------------------------------------------------------------------------------

    def _write(self, relative: str, data: object) -> None:
        """Write a file whole (temporary file, then rename): JSON for objects, as is for bytes."""
        path = self.folder / relative
        temp = path.with_name(path.name + ".tmp")
        if isinstance(data, bytes):
            content = data
        else:
            content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if not self.report.full and _same_content(path, content):
            return  # unchanged: no write, and the published site's link to it stays as it is
        try:
            temp.write_bytes(content)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(content)
        os.replace(temp, path)
        self.report.files_written += 1

    def _remove(self, relative: str) -> None:
        try:
            (self.folder / relative).unlink()
            self.report.files_removed += 1
        except FileNotFoundError:
            pass

    # -- export --------------------------------------------------------------------------------

    def run(self, update: UpdateReport) -> ExportReport:
        started = time.perf_counter()
        manifest = self._manifest()
        full = update.rebuilt or update.compacted or manifest is None or (self.folder / MARKER).exists()
        if not full and manifest_stamp(self.folder) not in (index_stamp(self.ix), update.previous_stamp):
            full = True  # the index moved on without its export (a crash between the two): start over
        self.report.full = full
        if not full and not update.changed:
            return self.report
        if full:
            shutil.rmtree(self.folder, ignore_errors=True)
            manifest = {}
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / MARKER).touch()
        assert manifest is not None
        with self.ix.searcher(weighting=WEIGHTING) as searcher:
            reader = searcher.reader()
            live = live_slugs(searcher)
            if full:
                self._lengths = _field_lengths(reader)
                for key in sorted(self._all_keys(reader)):
                    self._shard(reader, key)
            else:
                self._append(reader, {live[slug]: terms for slug, terms in update.appended.items()}, set())
            checkpoint("export-postings")
            self._vocabulary(reader)
            self._fragments(searcher, manifest, live)
            self._themes(reader, live)
            self._meta(searcher)
        checkpoint("export-before-manifest")
        docs = {slug: live[slug] for slug in sorted(live)}
        self._write(MANIFEST, {"version": EXPORT_VERSION, "index": index_stamp(self.ix), "docs": docs})
        (self.folder / MARKER).unlink()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _manifest(self) -> dict[str, int] | None:
        try:
            data = json.loads((self.folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("version") != EXPORT_VERSION or not (self.folder / "meta.json").exists():
            return None
        return dict(data["docs"])

    @staticmethod
    def _all_keys(reader) -> set[str]:  # type: ignore[no-untyped-def]
        keys: set[str] = set()
        for name in TEXT_FIELDS:
            for text in reader.lexicon(name):
                keys.add(shard_key(text.decode("utf-8")))
        return keys

    # -- shards --------------------------------------------------------------------------------

    def _shard(self, reader, key: str) -> None:  # type: ignore[no-untyped-def]
        """Rewrite, from the index, the postings and positions of the terms starting with ``key``."""
        shards: dict[str, Terms] = {TERMS: {}, POSITIONS: {}}
        exact = key.rstrip("_") if key.endswith("_") else None
        for index, name in enumerate(TEXT_FIELDS):
            if exact is not None:
                texts = [exact] if (name, exact) in reader else []
            else:
                texts = [text.decode("utf-8") for text in reader.expand_prefix(name, key)]
            for text in texts:
                postings, positions = self._postings(reader, index, name, text)
                if postings.count:
                    for family, entry in ((TERMS, postings), (POSITIONS, positions)):
                        entries = shards[family].setdefault(text, [])
                        assert isinstance(entries, list)
                        entries.append(entry)
        for family, terms in shards.items():
            self._save_shard(family, key, terms)

    def _postings(self, reader, index: int, name: str, text: str) -> tuple[Entry, Entry]:  # type: ignore[no-untyped-def]
        """A term's postings in one field, and its word positions (same order), as export entries."""
        gaps, frequencies, lengths, positions = bytearray(), bytearray(), bytearray(), bytearray()
        field_lengths = self._lengths[name]  # as Whoosh stores them: one byte, decoded by meta's lengthTable
        previous = count = 0
        matcher = reader.postings(name, text)
        while matcher.is_active():
            docnum = matcher.id()
            gaps += varint_bytes([docnum - previous])
            frequencies += varint_bytes([int(matcher.weight())])
            lengths.append(field_lengths[docnum])
            positions += varint_bytes(_position_numbers(matcher.value_as("positions")))
            previous = docnum
            count += 1
            matcher.next()
        found_in = reader.doc_frequency(name, text)
        return (
            Entry(index, found_in, count, previous, [bytes(gaps), bytes(frequencies), bytes(lengths)]),
            Entry(index, 0, count, previous, [bytes(positions)]),
        )

    def _save_shard(self, family: str, key: str, terms: Terms) -> None:
        """Write the terms of a 3-letter key: long lists to files of their own, the rest into the
        key's shard, split by more letters while a shard file would be too large; stale files go."""
        folder = self.folder / family / key
        stale_own = {path.stem for path in folder.glob("*.bin")} if folder.is_dir() else set()
        stale_shards = self._subtree(family, key)
        kept: Terms = {}
        for text, entries in terms.items():
            if isinstance(entries, OwnFile):
                kept[text] = OWN
                stale_own.discard(text)
            elif sum(entry.size for entry in entries) > STANDALONE_FROM:
                self._write(f"{family}/{key}/{text}.bin", pack(encode_standalone(entries)))
                kept[text] = OWN
                stale_own.discard(text)
            elif entries:
                kept[text] = entries
        for text in stale_own:
            self._remove(f"{family}/{key}/{text}.bin")
        if kept:
            for name, raw in _shard_files(key, kept):
                stale_shards.discard(name)
                if self._loaded.get(f"{family}/{name}.bin") != raw:
                    self._write(f"{family}/{name}.bin", pack(raw))
        for name in stale_shards:
            self._remove(f"{family}/{name}.bin")

    def _subtree(self, family: str, key: str) -> set[str]:
        """The names of the shard files of ``key`` as written: its file and, if split, its children's."""
        names: set[str] = set()
        pending = [key]
        while pending:
            name = pending.pop()
            relative = f"{family}/{name}.bin"
            try:
                raw = self._loaded.get(relative) or unpack((self.folder / relative).read_bytes())
            except FileNotFoundError:
                continue
            names.add(name)
            if raw[0] == SPLIT:
                _kind, children = decode(raw)
                pending.extend(children)  # type: ignore[arg-type]
        return names

    def _load_shard(self, family: str, key: str, texts: set[str]) -> Terms:
        """A key's terms as written, with the own-file lists of ``texts`` read back in."""
        terms: Terms = {}
        pending = [key]
        while pending:
            relative = f"{family}/{pending.pop()}.bin"
            path = self.folder / relative
            if not path.exists():
                continue
            raw = self._loaded[relative] = unpack(path.read_bytes())
            kind, content = decode(raw)
            if kind == SPLIT:
                pending.extend(content)  # type: ignore[arg-type]
            else:
                terms.update(content)  # type: ignore[arg-type]
        for text in texts:
            if isinstance(terms.get(text), OwnFile):
                _kind, entries = decode(unpack((self.folder / family / key / f"{text}.bin").read_bytes()))
                terms[text] = entries  # type: ignore[assignment]
        return terms

    def _append(  # type: ignore[no-untyped-def]
        self, reader, added: dict[int, dict[str, set[str]]], rewritten: set[str]
    ) -> None:
        """Add new documents' postings at the end of their terms' lists (new documents have the
        highest numbers), in the shards not already rewritten whole: a new thread costs its own terms,
        not the length of every list it joins."""
        by_key: dict[str, list[tuple[int, str, str]]] = {}
        for docnum in sorted(added):
            for name, terms in added[docnum].items():
                for text in terms:
                    key = shard_key(text)
                    if key not in rewritten:
                        by_key.setdefault(key, []).append((docnum, name, text))
        fields = {name: index for index, name in enumerate(TEXT_FIELDS)}
        for key, items in sorted(by_key.items()):
            shards = {family: self._load_shard(family, key, {text for _d, _n, text in items}) for family in FAMILIES}
            for docnum, name, text in items:
                matcher = reader.postings(name, text)
                matcher.skip_to(docnum)
                if not matcher.is_active() or matcher.id() != docnum:
                    continue  # analysed away differently (cannot happen with one analyzer; be safe)
                length = length_to_byte(reader.doc_field_length(docnum, name, 0))
                found_in = reader.doc_frequency(name, text)
                for family, loaded in shards.items():
                    entries = loaded.setdefault(text, [])
                    assert isinstance(entries, list)
                    entry = next((e for e in entries if e.field == fields[name]), None)
                    if entry is None:
                        entry = Entry(fields[name], 0)
                        entries.append(entry)
                        entries.sort(key=lambda e: e.field)
                    if family == TERMS:
                        parts = [varint_bytes([docnum - entry.last]), varint_bytes([int(matcher.weight())]),
                                 bytes([length])]
                        entry.found_in = found_in
                    else:
                        parts = [varint_bytes(_position_numbers(matcher.value_as("positions")))]
                    entry.append(docnum, parts)
            for family, loaded in shards.items():
                self._save_shard(family, key, loaded)

    def _vocabulary(self, reader) -> None:  # type: ignore[no-untyped-def]
        """Write the vocabulary's files (``search.vocabulary``) from the index: unchanged ones are skipped."""
        grouped = vocabulary.by_key(reader)
        folder = self.folder / vocabulary.FAMILY
        existing = {path.stem for path in folder.glob("*.bin")} if folder.is_dir() else set()
        for key in sorted(existing - set(grouped)):
            self._remove(f"{vocabulary.FAMILY}/{key}.bin")
        for key, words in sorted(grouped.items()):
            self._write(f"{vocabulary.FAMILY}/{key}.bin", pack(vocabulary.encode(words)))

    def _fragments(self, searcher, manifest: dict[str, int], live: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        for slug, docnum in manifest.items():
            if live.get(slug) != docnum:
                self._remove(f"d/{docnum}.json")
        for slug, docnum in live.items():
            if manifest.get(slug) == docnum:
                continue
            stored = searcher.stored_fields(docnum)
            theme = self.tree.themes_by_slug.get(stored["theme"])
            body = stored.get("body", "")
            shown = utf16_length(body[:FRAGMENT_CHARS])
            self._write(
                f"d/{docnum}.json",
                {
                    "slug": slug,
                    "url": f"{slug}/",
                    "title": stored["title"],
                    "theme": stored["theme"],
                    "themeTitle": theme.title(stored["lang"]) if theme else stored["theme"],
                    "lang": stored["lang"],
                    "date": stored["date"].date().isoformat(),
                    "replies": stored.get("replies", 0),
                    "starts": [start for start in stored.get("starts", []) if start[1] < shown],
                    "text": body[:FRAGMENT_CHARS],
                },
            )

    def _themes(self, reader, live: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
        by_theme: dict[str, list[int]] = {}
        column = reader.column_reader("theme")
        for docnum in sorted(live.values()):
            by_theme.setdefault(column[docnum], []).append(docnum)
        folder = self.folder / "theme"
        existing = {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()
        for slug in existing - set(by_theme):
            self._remove(f"theme/{slug}.json")
        for slug, docnums in by_theme.items():
            deltas = [b - a for a, b in zip([0] + docnums[:-1], docnums, strict=True)]
            self._write(f"theme/{slug}.json", varints(deltas))

    def _meta(self, searcher) -> None:  # type: ignore[no-untyped-def]
        self._write(
            "meta.json",
            {
                "version": EXPORT_VERSION,
                "schema": SCHEMA_VERSION,
                "docCount": searcher.doc_count_all(),
                "liveCount": searcher.doc_count(),
                "B": BM25_B,
                "K1": BM25_K1,
                "fields": [
                    {
                        "name": name,
                        "lang": FIELD_LANG[name],
                        "boost": FIELD_BOOSTS[name],
                        "avgLength": searcher.avg_field_length(name) or 1,
                    }
                    for name in TEXT_FIELDS
                ],
                "keyLength": KEY_LENGTH,
                "lengthTable": [byte_to_length(byte) for byte in range(256)],
                "minWord": MIN_WORD,
                "minPrefix": MIN_PREFIX,
                "stopWords": sorted(STOP_WORDS),
                "themes": [
                    {"slug": theme.slug, "title": {lang: theme.title(lang) for lang in ("fr", "en")}}
                    for theme in self.tree.themes
                ],
            },
        )


def _same_content(path: Path, content: bytes) -> bool:
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False


def _shard_files(key: str, terms: Terms) -> list[tuple[str, bytes]]:
    """The files of one shard, unpacked: a leaf, or a split listing its children, then theirs."""
    leaf = encode_leaf(terms)
    children: dict[str, Terms] = {}
    if len(leaf) > SHARD_LIMIT and len(key) < MAX_KEY:
        width = len(key) + 1
        for text, entries in terms.items():
            children.setdefault(text[:width].ljust(width, "_"), {})[text] = entries
    if len(children) < 2:
        return [(key, leaf)]
    files = [(key, encode_split(list(children)))]
    for child, child_terms in sorted(children.items()):
        files += _shard_files(child, child_terms)
    return files


def _position_numbers(positions: list[int]) -> list[int]:
    """How many positions, then each as the gap from the previous one."""
    gaps = [b - a for a, b in zip([0, *positions[:-1]], positions, strict=True)]
    return [len(positions), *gaps]


def _field_lengths(reader) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Each text field's length in every document, as Whoosh scores it (quantised), in one pass."""
    count = reader.doc_count_all()
    return {
        name: [length_to_byte(reader.doc_field_length(d, name, 0)) for d in range(count)] for name in TEXT_FIELDS
    }


def export(folder: Path, ix: FileIndex, tree: ContentTree, update: UpdateReport) -> ExportReport:
    return Exporter(folder, ix, tree).run(update)
