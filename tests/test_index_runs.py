"""A rebuild whose postings outgrow the writer's memory: ``search.writer.TermRuns`` holds them by
term, in runs on disk that it merges term by term. The index must be the one Whoosh's own posting
pool gives, posting for posting, for every field and term, with runs that end mid-batch and more
runs than files it may open at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.writing import PostingPool

from entraide.loading.loader import load_content
from search import writer as search_writer
from search.index import SearchIndex
from tests.conftest import example_project


def everything(folder: Path) -> dict[tuple[str, bytes], list[tuple[int, float, bytes]]]:
    """Every posting of the index: (field, term) → [(document, weight, value)]."""
    from whoosh import index as whoosh_index  # read back with Whoosh itself, the format's own reader

    found = {}
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            found[(field, term)] = list(matcher.all_items())
    return found


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path_factory.mktemp("runs") / "project", build=False)
    return load_content(project / "content")


@pytest.mark.parametrize("batch", [1, 7, 4096])
def test_postings_held_by_term_in_runs_on_disk_give_the_index_whooshs_pool_gives(tree, tmp_path, monkeypatch, batch):
    with monkeypatch.context() as whoosh_pool:
        whoosh_pool.setattr(search_writer, "TermRuns", PostingPool)  # Whoosh's own, sorting in memory
        whoosh_pool.setattr(search_writer, "FieldLengths", lambda reader: reader)  # and its own lengths
        in_memory = tmp_path / "memory"
        SearchIndex(in_memory).update(tree, rebuild=True)

    runs: list[int] = []

    class SmallRuns(search_writer.TermRuns):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self.limit = 20_000  # bytes of postings before a run goes to disk: dozens of runs here

        def save(self):  # type: ignore[no-untyped-def]
            if self._terms:
                runs.append(sum(len(postings) for postings in self._terms.values()))
            super().save()

        def items(self, maxfiles: int = 128):  # type: ignore[no-untyped-def]
            return super().items(maxfiles=4)  # runs merged into fewer runs first, as with 128 files

        def _open_run(self, path):  # type: ignore[no-untyped-def]
            opened.append(len(opened) - len(closed) + 1)
            return super()._open_run(path)

        def _remove_run(self, path):  # type: ignore[no-untyped-def]
            closed.append(path)
            return super()._remove_run(path)

    opened: list[int] = []
    closed: list[str] = []

    monkeypatch.setattr(search_writer, "TermRuns", SmallRuns)
    monkeypatch.setattr(search_writer, "RUN_BATCH", batch)
    on_disk = tmp_path / "disk"
    SearchIndex(on_disk).update(tree, rebuild=True)

    assert len(runs) > 10 and (batch == 1 or any(size % batch for size in runs))  # some ending mid-batch
    assert max(opened) <= 4, f"{max(opened)} runs open at once"
    assert len(closed) == len(opened) > len(runs), "every run, merged ones included, is read and removed"
    memory_postings, disk_postings = everything(in_memory), everything(on_disk)
    assert len(memory_postings) > 1000
    assert disk_postings == memory_postings
    assert segment_files(on_disk) == segment_files(in_memory), "the segment's files differ"


def segment_files(folder: Path) -> dict[str, bytes]:
    """The index's files by what follows the segment's (random) name: postings, terms, columns."""
    found = {path.name.split(".", 1)[-1]: path.read_bytes() for path in folder.glob("MAIN_*.*")}
    assert {"pst", "trm"} <= found.keys()
    return found


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("limit", [300, 5_000, 1 << 30])
def test_the_pool_yields_whooshs_postings_in_whooshs_order(tmp_path, seed, limit):
    """Random postings, documents in order (as a writer adds them), spelling entries (document -1)
    and values missing: the same sequence from both pools, whatever the runs."""
    import random

    from whoosh.filedb.filestore import FileStorage

    rng = random.Random(seed)
    terms = [(field, word.encode()) for field in ("text_fr", "title_en", "words")
             for word in ("a", "b", "ab", "équipe", "zz", "réunion")]
    items = [(field, text, -1, 1.0, None) for field, text in rng.sample(terms, 4)]
    for docnum in range(300):
        for field, text in rng.sample(terms, rng.randint(1, len(terms))):
            value = None if rng.random() < 0.2 else bytes(rng.randrange(256) for _ in range(rng.randint(0, 6)))
            items.append((field, text, docnum, float(rng.randint(1, 9)), value))
    pools = []
    for kind, name in ((PostingPool, "whoosh"), (search_writer.TermRuns, "ours")):
        (tmp_path / name).mkdir()
        pool = kind(FileStorage(str(tmp_path / name)), None, limitmb=1)
        pool.limit = limit
        for item in items:
            pool.add(item)
        pools.append(pool)
    ours = list(pools[1].items(maxfiles=3))
    assert ours == list(pools[0].iter_postings())
    assert len(ours) == len(items)
