"""Which state of the index a derived file (the export, the related lists) was made from.

Whoosh's generation number alone does not say it: an index re-indexed whole into a fresh folder
starts again at generation 1, so an export of the old index would pass for current. Segment names
are random and new with every segment written, so the generation and the segments together name
one state of one index.
"""

from __future__ import annotations

from whoosh.index import FileIndex


def index_stamp(ix: FileIndex) -> str:
    """The generation and segment names of ``ix`` as it is now."""
    segments = sorted(segment.segment_id() for segment in ix._segments())
    return f"{ix.latest_generation()}:{','.join(segments)}"
