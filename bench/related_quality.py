"""Benchmark: are the related threads under a thread related? Their precision on the example content, per floor.

Usage::

    python bench/related_quality.py

The example content (``content/``) is indexed once; every thread's related list is then computed
(``search.related.related_lists``) with each floor: the share of the thread's own score (for its key
terms) that a thread must reach to be listed. Editors' ``related`` lists are left out: only what the
index chooses is judged. A listed thread counts as related when it shares the thread's theme or one of
its tags (what editors chose for both, not the text the lists are computed from). For each floor it
prints the precision of the listed threads, how many are listed on average, and how many threads list
none, for each choice of fields the key terms are looked up in; those in use are
``search.related.RELATED_FLOOR`` and ``RELATED_PARTS``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from entraide.loading.loader import load_content  # noqa: E402
from search.export import load_table  # noqa: E402
from search.related import RELATED_FLOOR, RELATED_PARTS, related_lists  # noqa: E402
from search.service import export_dir, refresh  # noqa: E402

FLOORS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
PARTS = (("text",), ("text", "topics"), ("text", "title"), ("text", "title", "topics"))


def main() -> None:
    tree = load_content(REPO / "content")
    with tempfile.TemporaryDirectory() as scratch:
        search_dir = Path(scratch)
        refresh(search_dir, tree)
        table = load_table(export_dir(search_dir))
    assert table is not None
    threads = tree.threads_by_slug
    print(f"{len(threads)} threads; in use: floor {RELATED_FLOOR}, fields {'+'.join(RELATED_PARTS)}")
    print(f"{'fields':>20} {'floor':>6} {'precision':>10} {'listed':>8} {'none':>6}")
    for parts in sorted({*PARTS, RELATED_PARTS}):
        for floor in sorted({*FLOORS, RELATED_FLOOR}):
            lists = related_lists(table, floor=floor, parts=parts)
            listed = related = 0
            empty = 0
            for slug, others in lists.items():
                mine = threads[slug].fields
                empty += not others
                for other in others:
                    theirs = threads[other].fields
                    listed += 1
                    related += theirs.theme == mine.theme or bool(set(theirs.tags) & set(mine.tags))
            precision = related / listed if listed else 0.0
            print(f"{'+'.join(parts):>20} {floor:>6.2f} {precision:>10.2f} {listed / len(lists):>8.2f} {empty:>6}")

if __name__ == "__main__":
    main()
