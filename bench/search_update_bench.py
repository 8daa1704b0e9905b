"""Benchmark: the search side of a build (``search.service.refresh``) after each kind of change.

Usage::

    python bench/search_update_bench.py                  # 2,000 threads
    python bench/search_update_bench.py --threads 10000

Generates N threads (``bench/build_bench.generate``), then times ``refresh`` (index, export, related
lists): cold, with nothing changed, after one new reply, after one new thread (newest date), after
one back-dated new thread and after one withdrawal, each with its ratio to the cold refresh of the
same run. Loading the content is not timed (the build loads it for its pages anyway).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import generate  # noqa: E402

from entraide.loading.loader import load_content  # noqa: E402
from search.service import refresh  # noqa: E402

REPLY = "---\nauthor: \"Bench\"\nanonymous: false\ndate: 2025-12-30 10:00\nconsent: true\n---\n{text}\n"
THREAD = (
    "---\ntitle: \"{title}\"\ntheme: theme-1\ntags: [tag-1]\nlang: fr\nauthor: \"Bench\"\n"
    "anonymous: false\ndate: {date}\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n{text}\n"
)
TEXT = "Une réunion d'équipe difficile : comment garder la confiance du manager et du client quinquagénaire ?"


def timed(project: Path, label: str, cold: float | None) -> float:
    tree = load_content(project / "content")
    started = time.perf_counter()
    done = refresh(project / ".entraide/search", tree)
    seconds = time.perf_counter() - started
    ratio = f"{seconds / cold:6.3f}" if cold else "   1  "
    print(f"  {label:<28} {seconds:8.2f} s   x{ratio}   ({done.update.summary()}; export {done.export.summary()})",
          flush=True)
    return seconds


def run(threads: int, workdir: Path) -> None:
    project = workdir / f"project-{threads}"
    generate(project, threads)
    threads_dir = project / "content/threads"
    print(f"\n{threads:,} threads", flush=True)
    cold = timed(project, "cold refresh", None)
    timed(project, "nothing changed", cold)
    (threads_dir / "thread-000100/reply-new.md").write_text(REPLY.format(text=TEXT), encoding="utf-8")
    timed(project, "one new reply", cold)
    (threads_dir / "thread-newest").mkdir()
    (threads_dir / "thread-newest/thread.md").write_text(
        THREAD.format(title="Nouveau fil récent", date="2025-12-31", text=TEXT), encoding="utf-8")
    timed(project, "one new thread (newest)", cold)
    (threads_dir / "thread-oldest").mkdir()
    (threads_dir / "thread-oldest/thread.md").write_text(
        THREAD.format(title="Ancien fil", date="2024-01-01", text=TEXT), encoding="utf-8")
    timed(project, "one back-dated new thread", cold)
    shutil.rmtree(threads_dir / "thread-000050")
    timed(project, "one withdrawal", cold)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory {peak:.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[2000])
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="entraide-search-bench-"))
    try:
        for threads in args.threads:
            run(threads, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
