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
    tag/<slug>.json      the same for one tag (``tag_slug``, its page's name), for the tag filter

The ``.bin`` files are zlib-compressed binary (``search.exportformat``). Postings carry the BM25F
inputs — document frequencies and one-byte field lengths (Whoosh's quantisation), decoded by
``meta.json``'s ``lengthTable`` — so the script computes the scores ``entraide search`` gets.

The export is made from the threads' analysis, not read back from the Whoosh index, whose numbers
and statistics depend on history (``search.index``): documents are numbered in canonical order (the
opening post's date, then the slug) and every statistic counts live documents only, with exact
field lengths, so the files are those a clean build of the same content writes, byte for byte.
Beside the files, a hidden table (``.documents``) keeps each exported thread's digest, date, theme,
field lengths and terms: an update then compares digests with the content, takes the old
document's postings out of its terms' lists and puts the new one's in, and when numbers shift (a
thread withdrawn, one dated before others) renumbers the lists and fragments without analysing any
text again. A marker file makes an interrupted export start over whole.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import marshal
import os
import shutil
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length, length_to_byte

from entraide.faults import checkpoint
from entraide.model import ContentTree, Thread
from entraide.slugs import tag_slug
from search import vocabulary
from search.analysis import MIN_WORD, STOP_WORDS
from search.documents import (
    FRAGMENT_CHARS,
    KEY_LENGTH,
    IndexDocument,
    PlainText,
    Topics,
    plain_text_of,
    shard_key,
    thread_digest,
    thread_document,
    topics_of,
    utf16_length,
)
from search.exported import MANIFEST, MARKER, NUMBERING
from search.exported import varints as varints_array
from search.exportformat import (
    OWN,
    SPLIT,
    Entry,
    OwnFile,
    Terms,
    _Reader,
    decode,
    encode_leaf,
    encode_split,
    encode_standalone,
    pack,
    unpack,
    varint_bytes,
)
from search.index import UpdateReport, canonical_key, live_slugs
from search.query import MIN_PREFIX
from search.schema import BM25_B, BM25_K1, FIELD_BOOSTS, FIELD_LANG, POSTS, SCHEMA_VERSION, TEXT_FIELDS, TOGETHER
from search.stamp import index_stamp

EXPORT_VERSION = 7
TERMS = "t"
POSITIONS = "p"
FAMILIES = (TERMS, POSITIONS)
THEME_LISTS = "theme"
TAG_LISTS = "tag"
STANDALONE_FROM = 1536
"""A term whose postings take more than 1.5 KB gets its own file: a query for a rare word then does
not download the long lists of the common words that share its first letters."""
SHARD_LIMIT = 20_000
"""A shard of more than 20,000 bytes (about 8 KB once compressed) is split by one more letter of its
terms. The limit is on the uncompressed size so that deciding costs no compression."""
MAX_KEY = 16
TABLE = ".documents"
CONTENTS = ".contents.json"
"""The exported threads in canonical order, and each one's digest: what a build compares with the content."""
FIELD_NUMBER = {name: number for number, name in enumerate(TEXT_FIELDS)}


@dataclass
class ExportReport:
    full: bool = False
    files_written: int = 0
    files_removed: int = 0
    seconds: float = 0.0
    content: str = ""
    """A name for the exported content (from every thread's digest): what related lists are cached by."""
    table: dict[str, Row] | None = None
    """The export's table when this export changed it."""

    def summary(self) -> str:
        kind = "written whole" if self.full else "updated"
        return f"{kind}, {self.files_written} files written, {self.files_removed} removed"


@dataclass
class Row:
    """What the export keeps of one thread (the hidden table): enough to take it out of the
    postings, renumber it, count the statistics and compute related threads without its text.

    Terms and words are kept as strings of space-separated words (they hold no spaces) and term
    frequencies as packed integers: a few objects per thread rather than one per term, so that the
    table of 100,000 threads stays small in memory and quick to load."""

    digest: str
    date: str
    theme: str
    lang: str
    lengths: dict[str, int]
    terms: dict[str, tuple[str, bytes]]
    """Text field → (its terms, their frequencies as unsigned 32-bit integers, in the same order)."""
    words: str

    def key(self, slug: str) -> tuple[str, str]:
        return self.date, slug

    def dump(self) -> tuple:
        return (self.digest, self.date, self.theme, self.lang, self.lengths, self.terms, self.words)

    def field_terms(self, name: str) -> list[str]:
        found = self.terms.get(name)
        return found[0].split(" ") if found else []

    def frequencies(self, name: str) -> dict[str, int]:
        found = self.terms.get(name)
        return dict(zip(found[0].split(" "), array("I", found[1]), strict=True)) if found else {}

    def word_list(self) -> list[str]:
        return self.words.split(" ") if self.words else []


def row_of(document: IndexDocument) -> Row:
    terms = {name: (" ".join(found), array("I", map(len, found.values())).tobytes())
             for name, found in document.postings.items()}
    return Row(document.digest, document.date.replace(tzinfo=None).isoformat(), document.theme, document.lang,
               document.lengths(), terms, " ".join(document.words))


def load_table(folder: Path) -> dict[str, Row] | None:
    try:
        data = marshal.loads((folder / TABLE).read_bytes())
        return {slug: Row(*values) for slug, values in data.items()}
    except (OSError, ValueError, EOFError, TypeError):
        return None


def ordered_slugs(table: dict[str, Row]) -> list[str]:
    """The canonical numbering: by opening post date, then slug."""
    return sorted(table, key=lambda slug: table[slug].key(slug))


def _numbers(data: bytes) -> list[int]:
    reader = _Reader(data)
    numbers = []
    while reader.at < len(data):
        numbers.append(reader.number())
    return numbers


def varints(numbers: Iterable[int]) -> str:
    """Unsigned LEB128, base64, for the small JSON files (theme lists)."""
    return base64.b64encode(varint_bytes(numbers)).decode("ascii")


class Exporter:
    def __init__(self, folder: Path, tree: ContentTree, plain: PlainText = plain_text_of):
        self.folder = folder
        self.tree = tree
        self.plain = plain
        self.update = UpdateReport()
        self.report = ExportReport()
        self._collector: Collector | None = None
        self._unchanged: tuple[dict, list[str]] | None = None
        self._order: list[str] = []
        self._loaded: dict[str, bytes] = {}
        """Shard files read back for an update, unpacked, by path: unchanged ones are not rewritten."""

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

    def _topics(self, thread: Thread) -> Topics:
        return topics_of(thread, self.tree)

    def _document(self, thread: Thread) -> IndexDocument:
        return self.update.documents.get(thread.slug) or thread_document(thread, self._topics(thread), self.plain)

    def _digest(self, thread: Thread) -> str:
        document = self.update.documents.get(thread.slug)
        if document is not None:
            return document.digest
        return self.update.digests.get(thread.slug) or thread_digest(thread, self._topics(thread))

    def start_whole(self) -> Callable[[IndexDocument], None]:
        """Begin a whole export, to be fed each document in canonical order (by the index's rebuild,
        so that each is analysed once and none is kept in memory); ``run`` then finishes it."""
        self._begin_whole()
        self._collector = Collector(self)
        return self._collector.add

    def _begin_whole(self) -> None:
        self.report.full = True
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / MARKER).touch()

    def run(self, update: UpdateReport) -> ExportReport:
        """Export what changed; ``seal`` then ties the export to the index's state (which a rebuild
        may still be writing, in the background: the related lists need only what ``run`` makes)."""
        started = time.perf_counter()
        self.update = update
        manifest = {} if self.update.rebuilt or (self.folder / MARKER).exists() else _manifest(self.folder)
        if manifest.get("version") != EXPORT_VERSION or not (self.folder / "meta.json").exists():
            manifest = {}
        contents = _read_json(self.folder / CONTENTS) if manifest else {}
        threads = {thread.slug: thread for thread in self.tree.threads}
        known: dict[str, str] = contents.get("digests", {})
        changed = {slug for slug, thread in threads.items() if known.get(slug) != self._digest(thread)}
        removed = set(known) - set(threads)
        if manifest and contents and not changed and not removed:
            self.report.content = manifest.get("content", "")
            self._unchanged = (manifest, contents["order"])
            self.report.seconds = time.perf_counter() - started
            return self.report
        old = self._previous(contents) if contents and self._collector is None else None
        if old is None:
            collector = self._collector
            ordered = sorted(threads.values(), key=canonical_key)
            if collector is None or collector.slugs != [thread.slug for thread in ordered]:
                self._begin_whole()
                collector = Collector(self)
                for thread in ordered:
                    ready = self.update.documents.pop(thread.slug, None)
                    collector.add(ready or self._document(thread))
            table = collector.finish()
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / MARKER).touch()
            documents = {slug: self._document(threads[slug]) for slug in sorted(changed)}
            table = {slug: row for slug, row in old.items() if slug in threads and slug not in changed}
            table.update({slug: row_of(document) for slug, document in documents.items()})
            self._piecewise(old, table, documents, removed | (changed & set(old)))
        self._themes(table)
        self._tags(table)
        self._meta(table)
        self._write_table(table)
        self._contents(table)
        self.report.table = table
        self.report.seconds = time.perf_counter() - started
        return self.report

    def seal(self, ix: FileIndex) -> None:
        """Record which state of the index this export matches (and each export number's document
        number in it), then drop the marker: from here on the export is complete."""
        started = time.perf_counter()
        if self._unchanged is not None:
            manifest, order = self._unchanged
            if manifest.get("index") != index_stamp(ix):  # the same content, another state of the index
                self._numbering(ix, order)
                self._write(MANIFEST, {**manifest, "index": index_stamp(ix)})
        else:
            checkpoint("export-before-manifest")
            self._numbering(ix, self._order)
            self._write(MANIFEST, {"version": EXPORT_VERSION, "index": index_stamp(ix), "content": self.report.content})
            (self.folder / MARKER).unlink()
        self.report.seconds += time.perf_counter() - started

    def _previous(self, contents: dict) -> dict[str, Row] | None:
        """The table of the export as it is, when it agrees with its list of contents."""
        table = load_table(self.folder)
        if table is None or contents.get("digests") != {slug: row.digest for slug, row in table.items()}:
            return None
        return table

    def _write_table(self, table: dict[str, Row]) -> None:
        data = marshal.dumps({slug: table[slug].dump() for slug in sorted(table)})
        temp = self.folder / (TABLE + ".tmp")
        temp.write_bytes(data)
        os.replace(temp, self.folder / TABLE)

    def _contents(self, table: dict[str, Row]) -> None:
        """The export's bookkeeping: its threads in order with their digests (read by builds); ``seal``
        then writes a small manifest (read by every search) naming this content and the index state."""
        self._order = ordered_slugs(table)
        digests = {slug: table[slug].digest for slug in sorted(table)}
        self.report.content = hashlib.sha256(json.dumps(digests).encode("utf-8")).hexdigest()[:32]
        self._write(CONTENTS, {"order": self._order, "digests": digests})

    def _numbering(self, ix: FileIndex, order: list[str]) -> None:
        """Each export number's Whoosh document number, for ``entraide search`` (``search.exported``)."""
        docs = {slug: number for number, slug in enumerate(order)}
        to_whoosh = np.full(len(docs), -1, dtype=np.int64)
        with ix.searcher() as searcher:
            for slug, docnum in live_slugs(searcher).items():
                if slug in docs:
                    to_whoosh[docs[slug]] = docnum
        buffer = io.BytesIO()
        np.save(buffer, to_whoosh)
        temp = self.folder / (NUMBERING + ".tmp")
        temp.write_bytes(buffer.getvalue())
        os.replace(temp, self.folder / NUMBERING)

    # -- shards of a key -----------------------------------------------------------------------

    def _save_key(self, key: str, terms: dict) -> None:
        """Write one key's shards from its terms: each a field → entry source (``entries(number)``)."""
        shards: dict[str, Terms] = {TERMS: {}, POSITIONS: {}}
        for text, fields in terms.items():
            if isinstance(fields, _Untouched):
                shards[TERMS][text], shards[POSITIONS][text] = fields.entries
                continue
            pairs = [fields[number].entries(number) for number in sorted(fields) if fields[number].docs]
            pairs = [pair for pair in pairs if pair is not None]
            if pairs:
                shards[TERMS][text] = [pair[0] for pair in pairs]
                shards[POSITIONS][text] = [pair[1] for pair in pairs]
        for family, found in shards.items():
            self._save_shard(family, key, found)

    # -- piecewise -----------------------------------------------------------------------------

    def _piecewise(
        self, old: dict[str, Row], table: dict[str, Row], documents: dict[str, IndexDocument], out: set[str]
    ) -> None:
        """Take the documents ``out`` (removed, or changed) out, put ``documents`` in, renumber the rest."""
        before = ordered_slugs(old)
        after = ordered_slugs(table)
        number = {slug: n for n, slug in enumerate(after)}
        mapping = [-1 if slug in out else number[slug] for slug in before]
        moved = any(new not in (-1, n) for n, new in enumerate(mapping))
        touched: dict[str, set[tuple[str, int]]] = {}
        for slug in out:
            for name in old[slug].terms:
                for text in old[slug].field_terms(name):
                    touched.setdefault(shard_key(text), set()).add((text, FIELD_NUMBER[name]))
        added: dict[str, dict[str, dict[int, list[tuple[int, int, int, bytes]]]]] = {}
        for slug, document in documents.items():
            docnum = number[slug]
            lengths = {name: length_to_byte(length) for name, length in table[slug].lengths.items()}
            for name, found in document.postings.items():
                for text, positions in found.items():
                    key = shard_key(text)
                    touched.setdefault(key, set()).add((text, FIELD_NUMBER[name]))
                    added.setdefault(key, {}).setdefault(text, {}).setdefault(FIELD_NUMBER[name], []).append(
                        (docnum, len(positions), lengths[name], _position_bytes(positions)))
        keys = set(touched)
        if moved:
            keys |= {path.stem for path in (self.folder / TERMS).glob("*.bin") if len(path.stem) == KEY_LENGTH}
        for key in sorted(keys):
            self._update_key(key, touched.get(key, set()), added.get(key, {}), mapping if moved else None, mapping)
        checkpoint("export-postings")
        self._vocabulary(old, table, out, documents)
        self._fragments(before, mapping, documents, number)

    def _update_key(  # noqa: PLR0913
        self, key: str, touched: set[tuple[str, int]], added: dict[str, dict[int, list[tuple[int, int, int, bytes]]]],
        renumber: list[int] | None, mapping: list[int],
    ) -> None:
        """Rewrite one key's postings: its touched entries decoded, changed and encoded again; the
        others renumbered when numbers moved, kept as they are otherwise."""
        texts = {text for text, _number in touched}
        numbers = np.array(mapping, dtype=np.int64)
        loaded = {family: self._load_shard(family, key, None if renumber else texts) for family in FAMILIES}
        terms: dict[str, object] = {}
        for text in set(loaded[TERMS]) | set(added):
            entries, positions = loaded[TERMS].get(text, []), loaded[POSITIONS].get(text, [])
            if isinstance(entries, OwnFile) or isinstance(positions, OwnFile):  # untouched, numbers kept
                terms[text] = _Untouched(entries, positions)
                continue
            fields: dict[int, object] = {}
            new = added.get(text, {})
            for entry, where in zip(entries, positions, strict=True):
                if (text, entry.field) in touched:
                    fields[entry.field] = _changed(entry, where, numbers, new.get(entry.field, []))
                elif renumber is not None:
                    fields[entry.field] = _Moved(entry, where, renumber, numbers)
                else:
                    fields[entry.field] = _Kept(entry, where)
            for number, items in new.items():
                if number not in fields:
                    fields[number] = _changed(Entry(number, 0), Entry(number, 0), numbers, items)
            terms[text] = fields
        self._save_key(key, terms)  # type: ignore[arg-type]

    def _vocabulary(self, old: dict[str, Row], table: dict[str, Row], out: set[str],
                    documents: dict[str, IndexDocument]) -> None:
        delta: dict[str, int] = {}
        for slug in out:
            for word in old[slug].word_list():
                delta[word] = delta.get(word, 0) - 1
        for slug in documents:
            for word in table[slug].word_list():
                delta[word] = delta.get(word, 0) + 1
        by_key: dict[str, dict[str, int]] = {}
        for word, change in delta.items():
            if change:
                by_key.setdefault(shard_key(word), {})[word] = change
        for key, changes in sorted(by_key.items()):
            relative = f"{vocabulary.FAMILY}/{key}.bin"
            try:
                counts = dict(vocabulary.decode(unpack((self.folder / relative).read_bytes())))
            except FileNotFoundError:
                counts = {}
            for word, change in changes.items():
                counts[word] = counts.get(word, 0) + change
            words = [(word, count) for word, count in sorted(counts.items()) if count > 0]
            if words:
                self._write(relative, pack(vocabulary.encode(words)))
            else:
                self._remove(relative)

    def _fragments(self, before: list[str], mapping: list[int], documents: dict[str, IndexDocument],
                   number: dict[str, int]) -> None:
        """Fragments of removed threads go, those of renumbered ones are renamed, new ones written."""
        moving = [(old, new) for old, new in enumerate(mapping) if new != old]
        for old, new in moving:
            source = self.folder / f"d/{old}.json"
            if new == -1 or before[old] in documents:
                self._remove(f"d/{old}.json")
            elif source.exists():
                os.replace(source, self.folder / f"d/.{old}.moving")
        checkpoint("export-fragments")
        for old, new in moving:
            parked = self.folder / f"d/.{old}.moving"
            if new != -1 and parked.exists():
                os.replace(parked, self.folder / f"d/{new}.json")
                self.report.files_written += 1
        for slug, document in sorted(documents.items()):
            self._fragment(number[slug], document)

    def _fragment(self, docnum: int, document: IndexDocument) -> None:
        theme = self.tree.themes_by_slug.get(document.theme)
        shown = utf16_length(document.text[:FRAGMENT_CHARS])
        self._write(
            f"d/{docnum}.json",
            {
                "slug": document.slug,
                "url": f"{document.slug}/",
                "title": document.title,
                "theme": document.theme,
                "themeTitle": theme.title(document.lang) if theme else document.theme,
                "lang": document.lang,
                "date": document.date.date().isoformat(),
                "replies": document.replies,
                **({"tags": [tag_slug(tag) for tag in document.tags]} if document.tags else {}),
                "starts": [list(start) for start in document.starts if start[1] < shown],
                "text": document.text[:FRAGMENT_CHARS],
            },
        )

    # -- shards --------------------------------------------------------------------------------

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
                raw = encode_standalone(entries)
                if self._loaded.get(f"{family}/{key}/{text}.bin") != raw:
                    self._write(f"{family}/{key}/{text}.bin", pack(raw))
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

    def _load_shard(self, family: str, key: str, texts: set[str] | None) -> Terms:
        """A key's terms as written, with the own-file lists of ``texts`` (all if None) read back in."""
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
        for text, entries in terms.items():
            if isinstance(entries, OwnFile) and (texts is None or text in texts):
                relative = f"{family}/{key}/{text}.bin"
                raw = self._loaded[relative] = unpack((self.folder / relative).read_bytes())
                terms[text] = decode(raw)[1]  # type: ignore[assignment]
        return terms

    def _themes(self, table: dict[str, Row]) -> None:
        by_theme: dict[str, list[int]] = {}
        for docnum, slug in enumerate(ordered_slugs(table)):
            by_theme.setdefault(table[slug].theme, []).append(docnum)
        self._lists(THEME_LISTS, by_theme)

    def _tags(self, table: dict[str, Row]) -> None:
        """One list per tag, by its address name: the table holds no tags, the tree does (the
        export is always made from the tree it describes)."""
        by_tag: dict[str, list[int]] = {}
        for docnum, slug in enumerate(ordered_slugs(table)):
            for tag in self.tree.threads_by_slug[slug].fields.tags:
                by_tag.setdefault(tag_slug(tag), []).append(docnum)
        self._lists(TAG_LISTS, by_tag)

    def _lists(self, family: str, lists: dict[str, list[int]]) -> None:
        """``<family>/<name>.json``: each list's document numbers, as deltas; lists gone are removed."""
        folder = self.folder / family
        existing = {path.stem for path in folder.glob("*.json")} if folder.is_dir() else set()
        for name in existing - set(lists):
            self._remove(f"{family}/{name}.json")
        for name, docnums in sorted(lists.items()):
            deltas = [b - a for a, b in zip([0] + docnums[:-1], docnums, strict=True)]
            self._write(f"{family}/{name}.json", varints(deltas))

    def _meta(self, table: dict[str, Row]) -> None:
        count = len(table)
        totals = dict.fromkeys(TEXT_FIELDS, 0)
        for row in table.values():
            for name, length in row.lengths.items():
                totals[name] += length
        self._write(
            "meta.json",
            {
                "version": EXPORT_VERSION,
                "schema": SCHEMA_VERSION,
                "docCount": count,
                "liveCount": count,
                "B": BM25_B,
                "K1": BM25_K1,
                "together": TOGETHER,
                "posts": [list(parts) for parts in POSTS],
                "fields": [
                    {
                        "name": name,
                        "lang": FIELD_LANG[name],
                        "boost": FIELD_BOOSTS[name],
                        "avgLength": average_length(totals[name], count),
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


class Collector:
    """A whole export's postings, vocabulary and table, gathered document by document in canonical
    order: each entry grows as bytes (the export's own encoding), so memory is about the size of
    the export, and each document is dropped once added. Fragments are written as documents come."""

    def __init__(self, exporter: Exporter):
        self.exporter = exporter
        self.slugs: list[str] = []
        self.rows: dict[str, Row] = {}
        self.keys: dict[str, dict[str, dict[int, _Growing]]] = {}
        self.words: dict[str, int] = {}

    def add(self, document: IndexDocument) -> None:
        docnum = len(self.slugs)
        self.slugs.append(document.slug)
        row = self.rows[document.slug] = row_of(document)
        lengths = {name: length_to_byte(length) for name, length in row.lengths.items()}
        keys = self.keys
        for name, terms in document.postings.items():
            number, length = FIELD_NUMBER[name], lengths[name]
            for text, positions in terms.items():
                fields = keys.setdefault(shard_key(text), {}).setdefault(text, {})
                entry = fields.get(number)
                if entry is None:
                    entry = fields[number] = _Growing()
                entry.add(docnum, length, positions)
        words = self.words
        for word in document.words:
            words[word] = words.get(word, 0) + 1
        self.exporter._fragment(docnum, document)

    def finish(self) -> dict[str, Row]:
        """Write the postings and the vocabulary; the table of what was exported."""
        assert self.slugs == ordered_slugs(self.rows), "documents were not added in canonical order"
        exporter = self.exporter
        for key in sorted(self.keys):
            exporter._save_key(key, self.keys.pop(key))  # type: ignore[arg-type]
        checkpoint("export-postings")
        grouped: dict[str, vocabulary.Words] = {}
        for word in sorted(self.words):
            grouped.setdefault(shard_key(word), []).append((word, self.words[word]))
        for key, found in grouped.items():
            exporter._write(f"{vocabulary.FAMILY}/{key}.bin", pack(vocabulary.encode(found)))
        return self.rows


class _Growing:
    """One term's postings in one field, appended to as bytes: number gaps, frequencies, length
    bytes, positions (how many, then their gaps)."""

    __slots__ = ("gaps", "frequencies", "lengths", "positions", "last", "count")

    def __init__(self) -> None:
        self.gaps, self.frequencies = bytearray(), bytearray()
        self.lengths, self.positions = bytearray(), bytearray()
        self.last = self.count = 0

    @property
    def docs(self) -> bool:
        return self.count > 0

    def add(self, docnum: int, length: int, positions: list[int]) -> None:
        gap, frequency = docnum - self.last, len(positions)
        if gap < 0x80:
            self.gaps.append(gap)
        else:
            self.gaps += varint_bytes([gap])
        if frequency < 0x80:
            self.frequencies.append(frequency)
        else:
            self.frequencies += varint_bytes([frequency])
        self.lengths.append(length)
        self.positions += _position_bytes(positions)
        self.last, self.count = docnum, self.count + 1

    def entries(self, number: int) -> tuple[Entry, Entry]:
        streams = [bytes(self.gaps), bytes(self.frequencies), bytes(self.lengths)]
        return (Entry(number, self.count, self.count, self.last, streams),
                Entry(number, 0, self.count, self.last, [bytes(self.positions)]))


def average_length(total: int, count: int) -> float:
    """A field's average length as Whoosh computes it for a clean index (1 when empty)."""
    return total / (count or 1) or 1


class _Untouched:
    """A term no change touches, one of whose lists lives in its own file (not read): kept as it is."""

    def __init__(self, entries: list[Entry] | OwnFile, positions: list[Entry] | OwnFile):
        self.entries = (entries, positions)


class _Kept:
    """An entry that neither changes nor moves: written back as it was read."""

    def __init__(self, entry: Entry, positions: Entry):
        self.pair = (entry, positions)
        self.docs = True

    def entries(self, number: int) -> tuple[Entry, Entry] | None:
        return self.pair


class _Moved(_Kept):
    """An entry none of whose documents changed, renumbered: only its number gaps and last number move."""

    def __init__(self, entry: Entry, positions: Entry, mapping: list[int], numbers: np.ndarray):
        if entry.count <= SHORT:
            docs, at = [], 0
            for gap in _numbers(entry.streams[0]):
                at += gap
                docs.append(mapping[at])
            gaps = varint_bytes([b - a for a, b in zip([0, *docs[:-1]], docs, strict=True)])
            last = docs[-1]
        else:
            moved = numbers[np.cumsum(varints_array(entry.streams[0]))]
            gaps, last = leb128(np.diff(moved, prepend=0)), int(moved[-1])
        moved_entry = Entry(entry.field, entry.found_in, entry.count, last, [gaps, *entry.streams[1:]])
        super().__init__(moved_entry, Entry(positions.field, 0, positions.count, last, positions.streams))


SHORT = 16
"""Lists up to this long are renumbered in plain Python, longer ones with numpy."""


def _changed(entry: Entry, where: Entry, numbers: np.ndarray, items: list[tuple[int, int, int, bytes]]) -> _Kept:
    """An entry with documents taken out (``numbers`` maps them to -1) and ``items`` (new number,
    frequency, length byte, positions) put in, the others renumbered: decoded with numpy, the word
    positions cut and joined as bytes (each document's part is its frequency plus one numbers long)."""
    if entry.count:
        frequencies = varints_array(entry.streams[1])
        raw = np.frombuffer(where.streams[0], dtype=np.uint8)
        ends = np.flatnonzero(raw < 0x80)
        firsts = np.cumsum(frequencies + 1) - (frequencies + 1)
        starts = np.where(firsts == 0, 0, ends[firsts - 1] + 1)
        sizes = np.diff(np.append(starts, len(raw)))
        renumbered = numbers[np.cumsum(varints_array(entry.streams[0]))]
        keep = renumbered >= 0
        docs, frequencies = renumbered[keep], frequencies[keep]
        lengths = np.frombuffer(entry.streams[2], dtype=np.uint8)[keep]
        positions, sizes = raw[np.repeat(keep, sizes)].tobytes(), sizes[keep]
    else:
        docs = frequencies = sizes = np.zeros(0, dtype=np.int64)
        lengths, positions = np.zeros(0, dtype=np.uint8), b""
    for docnum, frequency, length, chunk in sorted(items):
        at = int(np.searchsorted(docs, docnum))
        cut = int(sizes[:at].sum())
        docs, frequencies = np.insert(docs, at, docnum), np.insert(frequencies, at, frequency)
        lengths, sizes = np.insert(lengths, at, length), np.insert(sizes, at, len(chunk))
        positions = positions[:cut] + chunk + positions[cut:]
    if not len(docs):
        return _Empty()
    count, last = len(docs), int(docs[-1])
    streams = [leb128(np.diff(docs, prepend=0)), leb128(frequencies), lengths.astype(np.uint8).tobytes()]
    return _Kept(Entry(entry.field, count, count, last, streams), Entry(entry.field, 0, count, last, [positions]))


class _Empty(_Kept):
    """An entry whose every document was taken out."""

    def __init__(self) -> None:
        self.docs = False


def leb128(values: np.ndarray) -> bytes:
    """``varint_bytes`` for a numpy array of non-negative numbers, the same bytes."""
    values = values.astype(np.uint64)
    if not len(values) or int(values.max()) < 0x80:
        return values.astype(np.uint8).tobytes()
    sizes = np.ones(len(values), dtype=np.int64)
    for shift in range(7, 64, 7):
        sizes += values >= np.uint64(1 << shift)
    out = np.zeros(int(sizes.sum()), dtype=np.uint8)
    starts = np.cumsum(sizes) - sizes
    for byte in range(int(sizes.max())):
        present = sizes > byte
        part = (values[present] >> np.uint64(7 * byte)) & np.uint64(0x7F)
        more = (sizes[present] > byte + 1).astype(np.uint64) << np.uint64(7)
        out[starts[present] + byte] = (part | more).astype(np.uint8)
    return out.tobytes()


def _position_bytes(positions: list[int]) -> bytes:
    """How many positions, then each as the gap from the previous one."""
    return varint_bytes([len(positions), *(b - a for a, b in zip([0, *positions[:-1]], positions, strict=True))])


def _manifest(folder: Path) -> dict:
    return _read_json(folder / MANIFEST)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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


def export(folder: Path, ix: FileIndex, tree: ContentTree, update: UpdateReport) -> ExportReport:
    exporter = Exporter(folder, tree)
    report = exporter.run(update)
    exporter.seal(ix)
    return report
