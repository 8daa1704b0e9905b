"""The byte layout of the exported posting files, which ``static/entraide-search.js`` reads back.

Every ``.bin`` file is zlib-compressed (the browser inflates it with ``DecompressionStream``) and
starts with a kind byte:

* ``LEAF``: the terms of one shard, each followed either by its entries or by a mark saying that
  its list lives in a file of its own;
* ``SPLIT``: a shard grown too large, split by one more letter: the keys of its children;
* ``STANDALONE``: the entries of one term with a long list.

A term's entry is one text field's postings, in streams so that appending a document is a matter of
concatenating bytes: a header of unsigned LEB128 integers (field, document frequency, postings,
last document, how many streams, each stream's length), then the streams: for postings, the
document number gaps, the term frequencies (both LEB128) and one byte per document for Whoosh's
quantised field length; for word positions, each document's count of positions then their gaps.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as attribute

LEAF, SPLIT, STANDALONE = 0, 1, 2
INLINE, IN_OWN_FILE = 0, 1
LEVEL = 6
"""zlib's default: 0.8 % larger files than level 9, compressed seven times faster."""


def varint_bytes(numbers: Iterable[int]) -> bytes:
    """Unsigned LEB128: one byte for numbers under 128."""
    out = bytearray()
    for number in numbers:
        while number >= 0x80:
            out.append((number & 0x7F) | 0x80)
            number >>= 7
        out.append(number)
    return bytes(out)


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.at = 0

    def number(self) -> int:
        value = shift = 0
        while True:
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7

    def take(self, length: int) -> bytes:
        chunk = self.data[self.at : self.at + length]
        self.at += length
        return chunk

    def text(self) -> str:
        return self.take(self.number()).decode("utf-8")


@dataclass
class Entry:
    """The postings (or positions) of one term in one field."""

    field: int
    found_in: int
    count: int = 0
    last: int = 0
    streams: list[bytes] = attribute(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(stream) for stream in self.streams)

    def encode(self) -> bytes:
        header = [self.field, self.found_in, self.count, self.last, len(self.streams)]
        return varint_bytes(header + [len(stream) for stream in self.streams]) + b"".join(self.streams)

    def append(self, docnum: int, parts: list[bytes]) -> None:
        """Add one document at the end (it has the highest number): ``parts`` go after each stream."""
        self.streams = [old + new for old, new in zip(self.streams or [b""] * len(parts), parts, strict=True)]
        self.count += 1
        self.last = docnum


class OwnFile:
    """In a leaf, the place of a term whose entries live in a file of their own."""


OWN = OwnFile()
Terms = dict[str, "list[Entry] | OwnFile"]


def _entries(reader: _Reader) -> list[Entry]:
    entries = []
    for _ in range(reader.number()):
        field_index, found_in, count, last, streams = (reader.number() for _ in range(5))
        lengths = [reader.number() for _ in range(streams)]
        entries.append(Entry(field_index, found_in, count, last, [reader.take(length) for length in lengths]))
    return entries


def _encode_entries(entries: list[Entry]) -> bytes:
    return varint_bytes([len(entries)]) + b"".join(entry.encode() for entry in entries)


def encode_leaf(terms: Terms) -> bytes:
    out = bytearray([LEAF]) + varint_bytes([len(terms)])
    for text in sorted(terms):
        entries = terms[text]
        name = text.encode("utf-8")
        out += varint_bytes([len(name)]) + name
        if isinstance(entries, OwnFile):
            out.append(IN_OWN_FILE)
        else:
            out.append(INLINE)
            out += _encode_entries(entries)
    return bytes(out)


def encode_split(children: list[str]) -> bytes:
    out = bytearray([SPLIT]) + varint_bytes([len(children)])
    for child in sorted(children):
        name = child.encode("utf-8")
        out += varint_bytes([len(name)]) + name
    return bytes(out)


def encode_standalone(entries: list[Entry]) -> bytes:
    return bytes([STANDALONE]) + _encode_entries(entries)


def pack(raw: bytes) -> bytes:
    """A file's bytes as written: the ``encode_*`` output, compressed."""
    return zlib.compress(raw, LEVEL)


def unpack(data: bytes) -> bytes:
    return zlib.decompress(data)


def decode(raw: bytes) -> tuple[int, Terms | list[str] | list[Entry]]:
    """(kind, content) of an unpacked file: a leaf's terms, a split's child keys, or a term's entries."""
    reader = _Reader(raw)
    kind = reader.take(1)[0]
    if kind == SPLIT:
        return kind, [reader.text() for _ in range(reader.number())]
    if kind == STANDALONE:
        return kind, _entries(reader)
    terms: Terms = {}
    for _ in range(reader.number()):
        text = reader.text()
        terms[text] = OWN if reader.take(1)[0] == IN_OWN_FILE else _entries(reader)
    return kind, terms
