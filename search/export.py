"""The index as static files the site's script fetches piecewise: a query downloads only its terms.

Layout (under ``.entraide/search/export/``, copied into ``site/search/`` by the build)::

    meta.json          collection statistics, field weights, stop words, themes: fetched first
    t/<key>.json       the postings of every term starting with <key> (its first 3 letters);
    t/<key>/<term>.json  a term with long postings, in its own file ("@" in its shard)
    p/<key>.json, p/<key>/<term>.json  word positions, in the postings' order: fetched for phrases only
    d/<docnum>.json    one thread's title, address and plain text, for the results page
    theme/<slug>.json  document numbers of one theme, fetched when a reader filters by theme

A term's postings are ``[field, document frequency, data, last document]`` where data is base64 of
unsigned LEB128 integers: (document number delta, term frequency, field length byte) per document;
the byte is Whoosh's own one-byte field length, decoded by ``meta.json``'s ``lengthTable``. The numbers
are Whoosh's own (its document frequencies count deleted documents until the next compaction, its
field lengths are quantised), so the script computes exactly the BM25F scores ``entraide search``
gets.

Updates are piecewise too: a new thread's postings are appended to its terms' lists (new threads
get the highest document numbers); the files of an updated or removed thread's terms are rewritten;
and only those threads' fragments are written. A marker file makes an interrupted export start over whole.
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
from typing import Any

from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length, length_to_byte

from entraide.model import ContentTree
from search.analysis import MIN_WORD, STOP_WORDS
from search.documents import KEY_LENGTH, shard_key
from search.index import UpdateReport, live_slugs
from search.query import MIN_PREFIX
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG, SCHEMA_VERSION, TEXT_FIELDS
from search.searching import WEIGHTING

EXPORT_VERSION = 3
TERMS = "t"
POSITIONS = "p"
FAMILIES = (TERMS, POSITIONS)
STANDALONE = "@"
STANDALONE_FROM = 2048
"""A term whose postings take more than 2 KB gets its own file: a query for a rare word then does not
download the long lists of the common words that share its first letters."""
FRAGMENT_CHARS = 3000
MARKER = ".incomplete"
MANIFEST = ".manifest.json"


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
    """Unsigned LEB128, base64: about 4 bytes a posting, against 10 for JSON numbers."""
    out = bytearray()
    for number in numbers:
        while number >= 0x80:
            out.append((number & 0x7F) | 0x80)
            number >>= 7
        out.append(number)
    return base64.b64encode(bytes(out)).decode("ascii")


class Exporter:
    def __init__(self, folder: Path, ix: FileIndex, tree: ContentTree):
        self.folder = folder
        self.ix = ix
        self.tree = tree
        self.report = ExportReport()
        self._lengths: dict[str, list[int]] = {}

    # -- files ---------------------------------------------------------------------------------

    def _write(self, relative: str, data: object) -> None:
        path = self.folder / relative
        temp = path.with_name(path.name + ".tmp")
        try:
            temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
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
            keys = self._all_keys(reader) if full else update.dirty_keys
            self._lengths = _field_lengths(reader) if keys else {}
            for key in sorted(keys):
                self._shard(reader, key)
            if not full:
                self._append(reader, {live[slug]: terms for slug, terms in update.appended.items()}, keys)
            self._fragments(searcher, manifest, live)
            self._themes(reader, live)
            self._meta(searcher)
        self._write(MANIFEST, {"version": EXPORT_VERSION, "docs": {slug: live[slug] for slug in sorted(live)}})
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

    def _shard(self, reader, key: str) -> None:  # type: ignore[no-untyped-def]
        """Rewrite the postings file of ``key`` and its positions file, from the index."""
        shards: dict[str, dict[str, list[list[object]]]] = {TERMS: {}, POSITIONS: {}}
        exact = key.rstrip("_") if key.endswith("_") else None
        for index, name in enumerate(TEXT_FIELDS):
            if exact is not None:
                texts = [exact] if (name, exact) in reader else []
            else:
                texts = [text.decode("utf-8") for text in reader.expand_prefix(name, key)]
            for text in texts:
                postings, positions, last = self._postings(reader, name, text)
                if postings:
                    found_in = reader.doc_frequency(name, text)
                    shards[TERMS].setdefault(text, []).append([index, found_in, varints(postings), last])
                    shards[POSITIONS].setdefault(text, []).append([index, 0, varints(positions), last])
        for family, shard in shards.items():
            self._save_shard(family, key, shard)

    def _save_shard(self, family: str, key: str, shard: dict[str, Any]) -> None:
        """Write a shard: long lists go to a file of their own, the shard keeps a "@" for them."""
        folder = self.folder / family / key
        own = {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()
        compact: dict[str, Any] = {}
        for text, entries in shard.items():
            if entries == STANDALONE:
                compact[text] = STANDALONE
                own.discard(text)
            elif sum(len(entry[2]) for entry in entries) > STANDALONE_FROM:
                self._write(f"{family}/{key}/{text}.json", entries)
                compact[text] = STANDALONE
                own.discard(text)
            else:
                compact[text] = entries
        for stale in own:
            self._remove(f"{family}/{key}/{stale}.json")
        if compact:
            self._write(f"{family}/{key}.json", compact)
        else:
            self._remove(f"{family}/{key}.json")

    def _postings(self, reader, name: str, text: str) -> tuple[list[int], list[int], int]:  # type: ignore[no-untyped-def]
        """A posting list's encoded numbers, its positions (same order), and its last document."""
        numbers: list[int] = []
        positions: list[int] = []
        previous = 0
        lengths = self._lengths[name]  # as Whoosh stores them: one byte, decoded by meta's lengthTable
        matcher = reader.postings(name, text)
        while matcher.is_active():
            docnum = matcher.id()
            numbers += (docnum - previous, int(matcher.weight()), lengths[docnum])
            positions += _position_numbers(matcher.value_as("positions"))
            previous = docnum
            matcher.next()
        return numbers, positions, previous

    def _append(  # type: ignore[no-untyped-def]
        self, reader, added: dict[int, dict[str, set[str]]], rewritten: set[str]
    ) -> None:
        """Add new documents' postings at the end of their terms' lists (new documents have the
        highest numbers), in the files not already rewritten whole: a new thread costs its own terms,
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
                tails = {
                    TERMS: lambda last: [docnum - last, int(matcher.weight()), length],  # noqa: B023
                    POSITIONS: lambda _last: _position_numbers(matcher.value_as("positions")),  # noqa: B023
                }
                for family, shard in shards.items():
                    entries = shard.setdefault(text, [])
                    entry = next((e for e in entries if e[0] == fields[name]), None)
                    if entry is None:
                        entry = [fields[name], 0, "", 0]
                        entries.append(entry)
                        entries.sort(key=lambda e: e[0])
                    data = base64.b64decode(entry[2]) + base64.b64decode(varints(tails[family](entry[3])))
                    entry[1] = found_in if family == TERMS else 0
                    entry[2] = base64.b64encode(data).decode("ascii")
                    entry[3] = docnum
            for family, shard in shards.items():
                self._save_shard(family, key, shard)

    def _load_shard(self, family: str, key: str, texts: set[str]) -> dict[str, Any]:
        """A shard as written, with the standalone lists of ``texts`` read back in."""
        path = self.folder / f"{family}/{key}.json"
        shard = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        for text in texts:
            if shard.get(text) == STANDALONE:
                shard[text] = json.loads((self.folder / f"{family}/{key}/{text}.json").read_text(encoding="utf-8"))
        return shard

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
