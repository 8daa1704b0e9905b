"""The build cache (``entraide.buildcache``): a kind read one entry at a time, and entries a build
keeps without reading them.

The HTML of published posts is such a kind: a warm build renders a few pages and reads only their
posts' HTML, yet every published post's entry must survive the prune, so that a template edit, which
renders every page again, does not render every post's Markdown again."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

from entraide.buildcache import FILE_NAME, BuildCache
from entraide.statedir import state_dir
from tests.conftest import cli_in, example_project, reply

KIND = "one-by-one"


def filled(folder: Path, count: int) -> list[bytes]:
    cache = BuildCache(folder)
    cache.read_one_by_one(KIND)
    keys = [f"key-{n:04}".encode() for n in range(count)]
    for key in keys:
        cache.put(KIND, key, b"value of " + key)
    cache.save()
    return keys


def stored(folder: Path) -> set[bytes]:
    with sqlite3.connect(folder / FILE_NAME) as connection:
        return {bytes(key) for (key,) in connection.execute("SELECT key FROM entries WHERE kind = ?", (KIND,))}


def test_a_kind_read_one_by_one_gives_back_what_was_saved(tmp_path):
    keys = filled(tmp_path, 50)
    cache = BuildCache(tmp_path)
    cache.read_one_by_one(KIND)
    assert cache.get(KIND, keys[7], bytes) == b"value of " + keys[7]
    assert cache.has(KIND, keys[49]) and not cache.has(KIND, b"never stored")
    assert cache.get(KIND, b"never stored", bytes) is None


def test_kept_entries_survive_the_prune_and_the_others_go(tmp_path):
    keys = filled(tmp_path, 1000)
    cache = BuildCache(tmp_path)
    cache.read_one_by_one(KIND)
    assert cache.get(KIND, keys[0], bytes) is not None  # the one page this build rendered
    for key in keys[1:601]:  # the posts of the pages it linked unchanged
        cache.keep(KIND, key)
    cache.save()  # 399 entries nobody uses: more than a quarter, so they are pruned
    assert stored(tmp_path) == set(keys[:601])


def test_a_forked_worker_reads_one_by_one_through_its_own_connection(tmp_path):
    keys = filled(tmp_path, 10)
    cache = BuildCache(tmp_path)
    cache.read_one_by_one(KIND)
    assert cache.get(KIND, keys[0], bytes) is not None  # the parent's connection is open
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(write_end, pickle.dumps([cache.get(KIND, key, bytes) for key in keys[1:]]))
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        found = pickle.loads(pipe.read())
    os.waitpid(pid, 0)
    assert found == [b"value of " + key for key in keys[1:]]
    assert cache.get(KIND, keys[9], bytes) == b"value of " + keys[9]  # and the parent's still works


def test_an_incremental_build_keeps_the_html_of_every_published_post(tmp_path):
    project = example_project(tmp_path / "project")
    database = state_dir(project) / "cache" / FILE_NAME

    def html_entries() -> int:
        with sqlite3.connect(database) as connection:
            return connection.execute("SELECT count(*) FROM entries WHERE kind = 'post-html'").fetchone()[0]

    after_cold = html_entries()
    assert after_cold >= 170  # every post of the example (39 threads, 140 replies), and the summaries
    folder = next(path for path in sorted((project / "content" / "threads").iterdir()) if path.is_dir())
    (folder / "reply-cache-test.md").write_text(reply(text="Une réponse de plus."), encoding="utf-8")
    built = cli_in(project, "build", "--json")
    assert built.exit_code == 0, built.output
    assert html_entries() == after_cold + 1
