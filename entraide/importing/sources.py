"""What every adapter needs to read its export: files named in messages, JSON and dates read strictly."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from entraide.errors import shown
from entraide.importing.model import ExportError


def read_yaml(file: Path) -> Any:
    """The YAML file an editor gives an import (a column mapping, a tag map) as entraide's strict nodes."""
    from entraide.loading import postfile, yamlsafe

    try:
        return yamlsafe.parse(postfile.read_text(file))
    except OSError as error:
        raise ExportError([f"{file}: cannot be read: {error.strerror or error}"]) from None
    except (postfile.PostFormatError, yamlsafe.YamlError) as error:
        raise ExportError([f"{file}:{error.line}: {error.message}"]) from None


def read_bytes(path: Path, what: str) -> bytes:
    if not path.is_file():
        raise ExportError([f"{path}: not found: {what}"])
    try:
        return path.read_bytes()
    except OSError as error:
        raise ExportError([f"{path}: cannot be read: {error.strerror or error}"]) from None


def decode(data: bytes, where: str) -> str:
    """UTF-8 (a byte-order mark is fine); anything else is an error naming the file, never a guess
    that would turn accents into garbage on a public page."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ExportError(
            [
                f"{where}:{line}: not UTF-8 text (byte 0x{data[error.start]:02X} at offset {error.start}); "
                "export it again as UTF-8, or convert it (iconv -f WINDOWS-1252 -t UTF-8)"
            ]
        ) from None


def load_json(data: bytes, where: str) -> Any:
    text = decode(data, where)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ExportError([f"{where}:{error.lineno}: invalid JSON ({error.msg}, column {error.colno})"]) from None


def parse_date(value: object, where: str, problems: list[str]) -> datetime | None:
    """An ISO 8601 date or a Unix time as naive UTC; a problem naming ``where`` otherwise."""
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
            return datetime.fromtimestamp(float(value), UTC).replace(tzinfo=None)
        if isinstance(value, str) and value.strip():
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                parsed = parsed.astimezone(UTC).replace(tzinfo=None)
            return parsed.replace(microsecond=0)
    except (ValueError, OverflowError, OSError):
        pass
    problems.append(f"{where}: date: expected an ISO 8601 date or a Unix time; found '{shown(value)}'")
    return None


def text_of(value: object) -> str:
    return value if isinstance(value, str) else ""
