"""Benchmark: are duplicate candidates right? Judged pairs on the example content, per threshold.

Usage::

    python bench/duplicate_quality.py

The example content (``content/``) is indexed once. Judged submissions:

* true duplicates: each example thread submitted again, its title and the first half of its opening
  post (a reader asking the same question again), and its title alone (title and body); the thread
  itself is the one expected;
* not duplicates: one-word and greeting titles ("Test", "Bonjour", "Question"…), with a body of the
  same word, which must match nothing.

For each threshold of overlap it prints the precision of the flagged candidates (flagged, and the
expected thread), how many true duplicates are flagged (recall), and how many one-word submissions
are flagged; the threshold in use is ``entraide.moderation.submissions.DUPLICATE_OVERLAP``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from entraide.loading.loader import load_content  # noqa: E402
from entraide.markup import plain_text  # noqa: E402
from entraide.moderation.submissions import DUPLICATE_OVERLAP  # noqa: E402
from search.service import refresh, similar_threads  # noqa: E402

ONE_WORD = ["Test", "Bonjour", "Question", "Hello", "Help", "Aide", "Urgent", "Réunion", "Manager", "Équipe"]


def main() -> None:
    tree = load_content(REPO / "content")
    with tempfile.TemporaryDirectory() as temp:
        search_dir = Path(temp) / "search"
        refresh(search_dir, tree)
        texts = {}
        for thread in tree.threads:
            body = plain_text(thread.body)
            texts[f"dup:{thread.slug}"] = (thread.title, body[: len(body) // 2], thread.lang)
            texts[f"dup:{thread.slug}:title"] = (thread.title, thread.title, thread.lang)
        for lang in ("fr", "en"):
            for word in ONE_WORD:
                texts[f"one:{lang}:{word}"] = (word, word, lang)
        found = similar_threads(search_dir, texts)
    duplicates = [key for key in texts if key.startswith("dup:")]
    print(f"{len(duplicates)} true duplicates, {len(texts) - len(duplicates)} one-word submissions; "
          f"threshold in use {DUPLICATE_OVERLAP:.2f}")
    print(f"{'overlap >=':>12}{'precision':>11}{'recall':>8}{'one-word flagged':>18}")
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        flagged = right = one_word = 0
        for key, candidates in found.items():
            for candidate in candidates:
                if candidate.overlap < threshold:
                    continue
                flagged += 1
                right += key.split(":")[1] == candidate.slug
                one_word += key.startswith("one:")
        recall = sum(any(c.slug == key.split(":")[1] and c.overlap >= threshold for c in found.get(key, []))
                     for key in duplicates) / len(duplicates)
        print(f"{threshold:>12.2f}{right / flagged if flagged else 1.0:>11.2f}{recall:>8.2f}{one_word:>18}")
    wrong = [(key, c.slug, round(c.overlap, 2)) for key, candidates in found.items() for c in candidates
             if c.overlap >= DUPLICATE_OVERLAP and key.split(":")[1] != c.slug]
    print(f"flagged at {DUPLICATE_OVERLAP:.2f} but not the expected thread: {len(wrong)}, e.g. {wrong[:3]}")


if __name__ == "__main__":
    main()
