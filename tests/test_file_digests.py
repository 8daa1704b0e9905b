"""Digests remembered by file status (``entraide.loading.digests``): an unchanged file is not read again,
and no edit — of any kind, even one that keeps the size and puts the modification time back — is
ever mistaken for the bytes digested before."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from entraide.buildcache import BuildCache
from entraide.loading.digests import SETTLED_NS, FileDigests
from entraide.loading.loader import load_content
from tests.conftest import REPO, cli_in, example_project
from tests.sitetree import assert_same_site
from tests.test_convergence import clean_copy

ORIGINAL, EDITED = b"Bonjour l'equipe, premier jet.\n", b"Bonjour l'equipe, dernier jet.\n"


def _settle() -> None:
    """Wait until files written so far are old enough for their digests to be remembered."""
    time.sleep(SETTLED_NS / 1e9 + 0.2)


def _digest(digests: FileDigests, path: Path) -> bytes:
    return digests.digest(path, os.lstat(path), 1 << 20)


def _same_size_same_mtime(path: Path) -> None:
    before = os.lstat(path)
    path.write_bytes(EDITED)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _replaced_by_rename(path: Path) -> None:
    before = os.lstat(path)
    other = path.with_name("other.md")
    other.write_bytes(EDITED)
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    other.replace(path)


def _deleted_and_recreated(path: Path) -> None:
    before = os.lstat(path)
    path.unlink()
    path.write_bytes(EDITED)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _rewritten_in_place(path: Path) -> None:
    before = os.lstat(path)
    with open(path, "r+b") as handle:
        handle.write(EDITED)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


EDITS: list[Callable[[Path], None]] = [_same_size_same_mtime, _replaced_by_rename, _deleted_and_recreated,
                                       _rewritten_in_place]


@pytest.fixture(scope="module")
def settled(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One file per kind of edit, all old enough to be remembered (one wait for the whole module)."""
    folder = tmp_path_factory.mktemp("digests")
    for edit in EDITS:
        (folder / f"{edit.__name__}.md").write_bytes(ORIGINAL)
    (folder / "untouched.md").write_bytes(ORIGINAL)
    _settle()
    return folder


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__.strip("_"))
def test_an_edit_is_seen_however_it_was_made(settled, edit, tmp_path):  # type: ignore[no-untyped-def]
    path = settled / f"{edit.__name__}.md"
    cache = BuildCache(tmp_path / "cache")
    digests = FileDigests(cache)
    assert _digest(digests, path) == hashlib.blake2b(ORIGINAL, digest_size=20).digest()
    cache.save()
    edit(path)
    assert len(path.read_bytes()) == len(ORIGINAL)
    again = FileDigests(BuildCache(tmp_path / "cache"))
    assert _digest(again, path) == hashlib.blake2b(EDITED, digest_size=20).digest()
    assert again.read == 1


def test_a_settled_unchanged_file_is_not_read_again(settled, tmp_path):  # type: ignore[no-untyped-def]
    path = settled / "untouched.md"
    cache = BuildCache(tmp_path / "cache")
    first = FileDigests(cache)
    expected = _digest(first, path)
    cache.save()
    second = FileDigests(BuildCache(tmp_path / "cache"))
    assert _digest(second, path) == expected
    assert (first.read, second.read) == (1, 0)


def test_a_file_written_just_now_is_read_every_time(tmp_path):  # type: ignore[no-untyped-def]
    """Too young to trust its change time: an edit within the clock's granularity would not move it."""
    path = tmp_path / "young.md"
    path.write_bytes(ORIGINAL)
    cache = BuildCache(tmp_path / "cache")
    digests = FileDigests(cache)
    _digest(digests, path)
    _digest(digests, path)
    cache.save()
    assert digests.read == 2
    later = FileDigests(BuildCache(tmp_path / "cache"))
    _digest(later, path)
    assert later.read == 1


def test_a_build_sees_an_edit_that_keeps_size_and_modification_time(tmp_path):  # type: ignore[no-untyped-def]
    """End to end: digests remembered by one build; a post edited without changing its size or mtime;
    the next build publishes the edit, and its site is a clean build's."""
    project = example_project(tmp_path / "project", build=False)
    post = project / "content/threads/conflit-entre-deux-collaborateurs/thread.md"
    text = post.read_bytes()
    assert b"service comptable" in text
    _settle()
    assert cli_in(project, "build").exit_code == 0  # remembers every content file's digest
    before = os.lstat(post)
    assert "service juridique" not in (project / "site/conflit-entre-deux-collaborateurs/index.html").read_text("utf-8")
    post.write_bytes(text.replace(b"service comptable", b"service juridique", 1))  # as many bytes
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.lstat(post).st_size == before.st_size
    result = cli_in(project, "build", "--json")
    assert result.exit_code == 0, result.output
    assert not json.loads(result.output)["up_to_date"]
    page = (project / "site/conflit-entre-deux-collaborateurs/index.html").read_text(encoding="utf-8")
    assert "service juridique" in page
    assert_same_site(project / "site", clean_copy(project, tmp_path / "clean") / "site")


@pytest.mark.parametrize("same_size", [False, True], ids=["longer", "same size and time"])
def test_a_post_edited_after_the_folder_was_walked_is_never_cached_under_its_old_bytes(tmp_path, same_size):
    """The build walks the content first (the up-to-date check), then loads it. A post edited in
    between is loaded as it now is, but its parse must not be kept under the key of the bytes the walk
    saw: once the post is back to those bytes, a later build would publish the edit."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    post = content / "threads/conflit-entre-deux-collaborateurs/2025-03-05-karim.md"
    old = post.read_bytes()
    _settle()  # digests of old enough files are remembered: the walk's are those of the bytes it saw
    cache = BuildCache(tmp_path / "cache")
    digests = FileDigests(cache)
    for folder in sorted((content / "threads").iterdir()):  # the walk
        for entry in digests.entries(str(folder)):
            digests.digest(entry.path, entry.stat(follow_symlinks=False), 1 << 20)
    before = os.lstat(post)
    edited = old.replace(b"bonne demi-heure", b"HEURE ENTIERE !!" if same_size else b"heure entiere, au calme")
    assert edited != old and (len(edited) == len(old)) == same_size
    post.write_bytes(edited)
    if same_size:
        os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    loaded = load_content(content, cache=cache, digests=digests, jobs=1)
    assert "ENTIERE" in _reply_text(loaded, "karim").upper(), "the edit was not read"
    cache.save()
    post.write_bytes(old)
    later = BuildCache(tmp_path / "cache")
    again = load_content(content, cache=later, digests=FileDigests(later), jobs=1)
    assert "bonne demi-heure" in _reply_text(again, "karim"), "the edit was cached as the old bytes"


def _reply_text(tree, author_file: str) -> str:  # type: ignore[no-untyped-def]
    thread = tree.threads_by_slug["conflit-entre-deux-collaborateurs"]
    return next(reply.body for reply in thread.replies if reply.id.endswith(author_file))
