"""A rebuild whose postings outgrow the writer's memory: Whoosh sorts them in runs on disk, which
``search.writer.BatchedRuns`` writes and reads in batches. The index must be the one an in-memory
sort gives, posting for posting, for every field and term, including runs that end mid-batch."""

from __future__ import annotations

from pathlib import Path

import pytest

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
def test_postings_sorted_in_runs_on_disk_give_the_index_an_in_memory_sort_gives(tree, tmp_path, monkeypatch, batch):
    in_memory = tmp_path / "memory"
    SearchIndex(in_memory).update(tree, rebuild=True)

    runs: list[int] = []

    class SmallRuns(search_writer.BatchedRuns):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self.limit = 20_000  # bytes of postings before a run goes to disk: dozens of runs here

        def save(self):  # type: ignore[no-untyped-def]
            if self.current:
                runs.append(len(self.current))
            super().save()

    monkeypatch.setattr(search_writer, "BatchedRuns", SmallRuns)
    monkeypatch.setattr(search_writer, "RUN_BATCH", batch)
    on_disk = tmp_path / "disk"
    SearchIndex(on_disk).update(tree, rebuild=True)

    assert len(runs) > 10 and (batch == 1 or any(size % batch for size in runs))  # some ending mid-batch
    memory_postings, disk_postings = everything(in_memory), everything(on_disk)
    assert len(memory_postings) > 1000
    assert disk_postings == memory_postings
