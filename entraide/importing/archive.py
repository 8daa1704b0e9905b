"""An export given as a zip or as its unpacked folder, read the same way and never unpacked to disk.

Every member name of a zip is checked before anything is read: an absolute path, a ``..`` part, a
backslash or a link is an error naming the member, so a crafted archive cannot point outside itself.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from entraide.importing.model import ExportError

MAX_MEMBER_BYTES = 200 * 1024 * 1024


class Export:
    """The files of an export by relative name (``channels.json``, ``general/2025-03-04.json``)."""

    def __init__(self, path: Path):
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_file():
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as error:
                raise ExportError([f"{path}: not a readable zip archive ({error})"]) from None
            problems = [
                f"{path}: member '{info.filename}': {why}"
                for info in self._zip.infolist()
                if (why := _member_problem(info))
            ]
            if problems:
                raise ExportError(problems)
        elif not path.is_dir():
            raise ExportError([f"{path}: not found: give the export's zip or its folder"])

    def names(self) -> list[str]:
        if self._zip is not None:
            return sorted(i.filename for i in self._zip.infolist() if not i.is_dir())
        root = self.path.resolve()
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and not p.is_symlink())

    def where(self, name: str) -> str:
        return f"{self.path}:{name}" if self._zip is not None else str(self.path / name)

    def read(self, name: str) -> bytes | None:
        if self._zip is not None:
            try:
                return self._zip.read(name)
            except KeyError:
                return None
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise ExportError([f"{self.where(name)}: cannot be read from the archive ({error})"]) from None
        file = self.path / name
        return file.read_bytes() if file.is_file() and not file.is_symlink() else None


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = PurePosixPath(info.filename)
    if info.filename.startswith("/") or "\\" in info.filename or ".." in name.parts or ":" in info.filename:
        return "a path outside the archive (absolute, '..' or a drive): refused, nothing was read"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link: refused"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"{info.file_size} bytes: larger than an export file can be ({MAX_MEMBER_BYTES})"
    return None
