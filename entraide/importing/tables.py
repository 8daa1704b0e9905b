"""CSV files from exports (Viva Engage, form tools), read defensively.

UTF-8 only (a byte-order mark is fine, another encoding is an error naming the file and line), one
header row, and no cell that a spreadsheet would run as a formula (``=HYPERLINK(…)``,
``@SUM(…)``, ``+cmd|…``): such a cell never comes from a person typing an answer, so the whole
file is refused with the row and column named, before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from entraide.errors import shown
from entraide.importing.model import ExportError
from entraide.importing.sources import decode

_FORMULA = re.compile(r"^(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*[(!|]|[\t\r])")

csv.field_size_limit(1_000_000)


def rows(data: bytes, where: str) -> list[tuple[int, dict[str, str]]]:
    """``(line, row)`` for every data row, columns by header name; every problem at once."""
    text = decode(data, where)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header:
            raise ExportError([f"{where}:1: empty file: expected a header row"])
        names = [name.strip() for name in header]
        found: list[tuple[int, dict[str, str]]] = []
        problems: list[str] = []
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            row = dict(zip(names, values, strict=False))
            for column, value in row.items():
                if _FORMULA.match(value):
                    problems.append(
                        f"{where}:{line}: column '{column}': a spreadsheet formula "
                        f"('{shown(value, 40)}'): refused; remove it from the export"
                    )
            found.append((line, row))
    except csv.Error as error:
        raise ExportError([f"{where}:{reader.line_num}: malformed CSV ({error})"]) from None
    if problems:
        raise ExportError(problems)
    return found


def read_file(path: Path) -> list[tuple[int, dict[str, str]]]:
    from entraide.importing.sources import read_bytes

    return rows(read_bytes(path, "a CSV file"), str(path))
