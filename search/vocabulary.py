"""The index's vocabulary: every word as written (folded, unstemmed), with how many threads hold it.

Prefixes and spelling corrections need the words readers type, not the stems the index ranks by:
"salary*" must find "salary" and "salaries" though their stem is "salari", and "intervew" is one
letter away from the word "interview", not from its stem. The words come from the index's
``words`` field (``search.schema.VOCABULARY``); the export writes them in files named like the
terms' (``w/<first three letters>.bin``: a compressed list of words and document frequencies), which
the site's script and ``entraide search`` read alike, so both expand and correct the same way.
"""

from __future__ import annotations

from search.documents import shard_key
from search.exportformat import _Reader, varint_bytes
from search.schema import VOCABULARY

FAMILY = "w"

Words = list[tuple[str, int]]
"""(word, document frequency), sorted by word."""


def encode(words: Words) -> bytes:
    """How many words, then each word (its length in bytes, its UTF-8) and its document frequency."""
    out = bytearray(varint_bytes([len(words)]))
    for word, found_in in words:
        data = word.encode("utf-8")
        out += varint_bytes([len(data)]) + data + varint_bytes([found_in])
    return bytes(out)


def decode(raw: bytes) -> Words:
    reader = _Reader(raw)
    return [(reader.text(), reader.number()) for _ in range(reader.number())]


def from_index(reader, key: str) -> Words:  # type: ignore[no-untyped-def]
    """The words of one key, read from the index (when there is no current export)."""
    prefix = key.rstrip("_")
    found = []
    for text in reader.expand_prefix(VOCABULARY, prefix):
        word = text.decode("utf-8")
        if shard_key(word) == key:
            found.append((word, reader.doc_frequency(VOCABULARY, word)))
    return found
