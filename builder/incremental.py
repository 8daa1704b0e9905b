"""Incremental pages: a page whose inputs did not change is the previous site's file, linked, not rendered.

Each generated page gets a key: a digest of everything it shows — its typed view (``builder.views``,
whose ``repr`` spells out every value, sanitised HTML included), its title, description, date,
address and contribution link — and of everything around it that is the same for the whole site:
the configuration as MkDocs loaded it (navigation included), the theme's and entraide's templates,
entraide's code and the versions of MkDocs, Material and Jinja. A key equal to the one recorded for
the published site means the page would come out byte for byte the same, so ``entraide build`` hard
links the previous file into the fresh folder (no bytes copied) and MkDocs skips the page (its
"dirty" build renders only files that say they changed). Anything else — a new key, a missing or
foreign previous site, a manifest that does not belong to it — renders the page.

The manifest (``.entraide/pages.json``) names the published folder it describes by device and inode:
each build publishes a new folder, so a site built any other way never matches it. It also keeps a
digest of every input of that build — each content file's bytes, the configuration, the templates,
the code — and the state of the search export: when none of them changed, ``entraide build`` has
nothing to do and says so without starting MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from entraide import buildcache
from entraide.atomic import write_text
from entraide.loading import safefile
from entraide.loading.digests import FileDigests

MANIFEST = "pages.json"
FORMAT = 1
LIBRARIES = ("mkdocs", "mkdocs-material", "properdocs", "jinja2", "markupsafe", "babel", "pymdown-extensions")
BUILDER = Path(__file__).resolve().parent
MAX_READ = 1 << 30
"""Template and content files are read whole (the build refuses what it must not read)."""
VOLATILE_SETTINGS = {"site_dir", "config_file_path"}
"""Configuration values that name where this build happens, not what it shows."""


def site_key(
    config: Mapping[str, Any], template_dirs: Iterable[str], project: Path, folders: dict[str, bytes] | None = None
) -> str:
    """What every page depends on beyond its own view. Template folders inside the ``project`` are read
    whole; installed ones (Material's, thousands of files) are taken by size and modification time.
    ``folders`` keeps each folder's digest for a second call within the same build."""
    digest = hashlib.blake2b(_code_key(), digest_size=20)
    settings = {key: value for key, value in config.items() if key not in VOLATILE_SETTINGS}
    digest.update(json.dumps(_plain(settings), sort_keys=True, ensure_ascii=False).encode())
    folders = {} if folders is None else folders
    for folder in template_dirs:
        if folder not in folders:
            folders[folder] = _folder_digest(Path(folder), read=project in Path(folder).resolve().parents)
        digest.update(folders[folder])
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_key() -> bytes:
    """entraide's and the builder's code, and the libraries that render pages."""
    digest = hashlib.blake2b(f"{FORMAT}".encode(), digest_size=20)
    digest.update(buildcache.code_fingerprint())
    buildcache.add_code(digest, BUILDER, LIBRARIES)
    return digest.digest()


def page_key(site: str, *parts: object) -> str:
    """The digest of ``parts`` by their ``repr`` (a view's spells out every value), after the ``site``'s key."""
    digest = hashlib.blake2b(site.encode(), digest_size=20)
    for part in parts:
        text = repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(text).to_bytes(8, "little"))
        digest.update(text)
    return digest.hexdigest()


class PageReuse:
    """The previous site's page keys, and this build's: which files can be linked instead of rendered."""

    def __init__(self, state: Path, previous_site: Path | None, fresh_site: Path):
        self.manifest_file = state / MANIFEST
        self.previous_site = previous_site
        self.fresh_site = fresh_site
        self.keys: dict[str, str] = {}
        self.reused = 0
        self._previous = self._read()
        self._folders: set[str] = set()

    def _read(self) -> dict[str, str]:
        manifest = _manifest(self.manifest_file.parent, self.previous_site) if self.previous_site else None
        pages = manifest.get("pages") if manifest else None
        return pages if isinstance(pages, dict) else {}

    def reuse(self, dest_uri: str, key: str) -> bool:
        """Record ``key``; link the previous file in and say so when it was made from the same key."""
        self.keys[dest_uri] = key
        if self._previous.get(dest_uri) != key or self.previous_site is None:
            return False
        source, target = os.path.join(self.previous_site, dest_uri), os.path.join(self.fresh_site, dest_uri)
        try:
            self._make_folder(os.path.dirname(target))
            os.link(source, target, follow_symlinks=False)
        except OSError:
            return False  # gone, or another file system: render it
        self.reused += 1
        return True

    def _make_folder(self, folder: str) -> None:
        if folder not in self._folders:
            try:  # one system call when the parent is there (each thread page has a folder of its own)
                os.mkdir(folder)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def save(self, published: Path, inputs: str, search: str | None, stats: dict[str, int]) -> None:
        """Record the keys of the site now published at ``published``, and what it was built from."""
        status = os.stat(published)
        manifest = {"format": FORMAT, "site": [status.st_dev, status.st_ino], "pages": self.keys,
                    "inputs": inputs, "search": search, "stats": stats}
        write_text(self.manifest_file, json.dumps(manifest, sort_keys=True), durable=False)


def up_to_date(state: Path, published: Path, inputs: str, search: str | None) -> dict[str, int] | None:
    """The figures of the published site when it was built from exactly these inputs, else None."""
    manifest = _manifest(state, published)
    if manifest is None or search is None or manifest.get("inputs") != inputs or manifest.get("search") != search:
        return None
    stats = manifest.get("stats")
    return stats if isinstance(stats, dict) else None


def _manifest(state: Path, published: Path) -> dict[str, Any] | None:
    """The manifest, when it describes the folder published at ``published`` (not another one)."""
    try:
        manifest = json.loads((state / MANIFEST).read_text(encoding="utf-8"))
        status = os.stat(published)
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest if manifest.get("site") == [status.st_dev, status.st_ino] else None


def inputs_key(
    config: Mapping[str, Any],
    content_dir: Path,
    templates_dir: Path,
    project: Path,
    digests: FileDigests,
    folder_digests: dict[str, bytes] | None = None,
) -> str | None:
    """A digest of everything a build reads: the configuration as loaded, the templates, the code, and
    every file of the content folder (by ``digests``: unchanged files are not read again). None when the
    content or the project's templates hold anything but plain folders and regular files (a link, a
    special file): only a full build judges those."""
    folders = [*config["theme"].dirs, str(templates_dir)]
    owned = [Path(folder) for folder in folders if project in Path(folder).resolve().parents]
    if not all(_only_regular(folder) for folder in owned):
        return None
    if os.path.lexists(content_dir) and (os.path.islink(content_dir) or not content_dir.is_dir()):
        return None
    digest = hashlib.blake2b(site_key(config, folders, project, folder_digests).encode(), digest_size=20)
    digest.update(str(content_dir).encode())
    if content_dir.is_dir() and not _add_content(digest, str(content_dir), "", digests):
        return None
    return digest.hexdigest()


def _add_content(digest: Any, folder: str, relative: str, digests: FileDigests) -> bool:
    """Every file under ``folder`` by its path relative to the content folder, size and bytes' digest,
    in sorted order; False at the first link or special file."""
    try:
        entries = digests.entries(folder)
    except OSError as error:
        digest.update(f"{relative}: unreadable folder {error.errno}\0".encode())
        return True
    for entry in entries:
        name = relative + entry.name
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError as error:
            digest.update(f"{name}: unreadable {error.errno}\0".encode("utf-8", "surrogateescape"))
            continue
        if stat.S_ISDIR(status.st_mode):
            digest.update(name.encode("utf-8", "surrogateescape") + b"/\0")  # an empty folder counts too
            if not _add_content(digest, entry.path, name + "/", digests):
                return False
            continue
        if not stat.S_ISREG(status.st_mode):
            return False
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(status.st_size.to_bytes(8, "little"))
        try:
            digest.update(digests.digest(entry.path, status, MAX_READ))
        except OSError as error:
            digest.update(f"unreadable {error.errno}".encode())
    return True


def _only_regular(folder: Path) -> bool:
    """Whether everything under ``folder`` (which may be missing) is a real folder or a regular file."""
    if not folder.exists():
        return True
    if os.path.islink(folder) or not folder.is_dir():
        return False
    for parent, subfolders, names in os.walk(folder):
        for name in subfolders:
            if os.path.islink(os.path.join(parent, name)):
                return False
        for name in names:
            if not stat.S_ISREG(os.lstat(os.path.join(parent, name)).st_mode):
                return False
    return True


def _folder_digest(folder: Path, read: bool) -> bytes:
    """Every file of a template folder by path, and by its bytes or by size and modification time."""
    digest = hashlib.blake2b(str(folder).encode(), digest_size=20)
    for parent, subfolders, names in os.walk(folder):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(parent, name)
            try:
                status = os.lstat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, folder)}:{status.st_mode}:{status.st_size}:".encode())
            if not stat.S_ISREG(status.st_mode):
                continue  # a link or a special file is never read here (the build refuses it anyway)
            if read:
                digest.update(_regular_bytes(path))
            else:
                digest.update(f"{status.st_mtime_ns}\n".encode())
    return digest.digest()


def _regular_bytes(path: str) -> bytes:
    """A regular file's bytes (``safefile``: never through a link, never blocking on a special file)."""
    try:
        return safefile.read_bytes(Path(path), MAX_READ)
    except safefile.NotRegular:
        return b"(not a regular file)"


def _plain(value: Any) -> Any:
    """Configuration values as JSON: mappings, lists and scalars as they are, anything else by its
    settings (plugins), its name and folders (the theme), or its ``repr``."""
    if hasattr(value, "dirs") and hasattr(value, "name") and hasattr(value, "get_env"):  # MkDocs' Theme
        return {"theme": value.name, "dirs": list(value.dirs), "vars": _plain(dict(value.items()))}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    config = getattr(value, "config", None)
    if isinstance(config, Mapping):
        return {"type": type(value).__name__, "config": _plain(config)}
    return repr(value)
