"""Split a post file into its front matter and its Markdown body, exactly and safely.

The file must *start* with a ``---`` line (after an optional byte-order mark): text before it means
the file has no front matter, and it is refused rather than guessed at, so that metadata can never
leak into a published body. Line numbers stay those of the file, whatever the line endings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from entraide.loading import safefile, yamlsafe

MAX_FILE_BYTES = 256 * 1024
_FENCE = re.compile(r"^---[ \t]*$")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""C0 and C1 control characters (U+0085 is a line break to some readers, U+009D a terminal command)."""


class PostFormatError(ValueError):
    """The file cannot be split or decoded; ``line`` is 1-based; ``field`` names the key, when known."""

    def __init__(self, line: int, message: str, field: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


@dataclass
class RawPost:
    """A post file as written: its front matter as a YAML tree and its body as text."""

    meta: yamlsafe.Mapping
    body: str
    body_line: int


def decode(data: bytes) -> str:
    """UTF-8 text, NFC-normalised, with ``\\n`` line endings and no byte-order mark."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = line_of(data, error.start)
        raise PostFormatError(line, "the file is not valid UTF-8 text") from None
    text = text.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if bad := _FORBIDDEN_CHARS.search(text):
        line = text.count("\n", 0, bad.start()) + 1
        raise PostFormatError(line, f"control character U+{ord(bad.group()):04X} is not allowed")
    return unicodedata.normalize("NFC", text)


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line of byte ``offset``, whatever the line endings (LF, CRLF or CR alone)."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a regular file (never a link or a special file) under a size cap, decoded as ``decode`` does."""
    try:
        data = safefile.read_bytes(path, max_bytes)
    except safefile.NotRegular as error:
        raise PostFormatError(1, error.message) from None
    if len(data) > max_bytes:
        raise PostFormatError(1, f"the file is larger than {max_bytes // 1024} KB")
    return decode(data)


def split(text: str) -> RawPost:
    """Split decoded text into front matter (parsed strictly) and body."""
    lines = text.split("\n")
    if not _FENCE.match(lines[0]):
        raise PostFormatError(1, "the file must start with a '---' line that opens the front matter")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            closing = index
            break
    else:
        raise PostFormatError(1, "the front matter is never closed: add a '---' line after it")
    try:
        root = yamlsafe.parse("\n".join(lines[1:closing]), first_line=2)
    except yamlsafe.YamlError as error:
        raise PostFormatError(error.line, error.message, error.field) from None
    if root is None:
        raise PostFormatError(2, "the front matter is empty")
    if not isinstance(root, yamlsafe.Mapping):
        raise PostFormatError(root.line, f"the front matter must be a mapping of fields, not {yamlsafe.kind_of(root)}")
    rest = lines[closing + 1 :]
    blank = 0
    while blank < len(rest) and not rest[blank].strip():
        blank += 1
    body = "\n".join(rest[blank:]).rstrip()
    return RawPost(meta=root, body=body, body_line=closing + 2 + (blank if body else 0))


def read_post(path: Path) -> RawPost:
    """Read and split one post file."""
    return split(read_text(path))
