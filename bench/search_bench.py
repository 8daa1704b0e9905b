"""Benchmark: the search index and its static export at 10,000 and 100,000 synthetic threads.

Usage::

    python bench/search_bench.py                      # 10,000 threads
    python bench/search_bench.py --threads 10000 100000

Threads are generated in memory (about five posts each, French and English) from the word
frequencies of the bundled example content, plus rarer invented words, so that postings are as
skewed as real text. For each size it prints:

* index build time (whole index, then the whole export), export size and file count;
* the time to re-index and re-export after one new thread (the incremental path of every build);
* CLI query latency p50/p95 over 24 queries (in-process ``search.searching.search``, snippets on),
  and the time of one whole ``entraide search`` process for reference;
* bytes a browser downloads for a first query (meta.json, the term files, the ten fragments shown)
  and then for a second one (what it has not fetched yet), computed from the files the site's
  script requests — and, as the baseline of the same run, the size of one whole-file index of the
  same text (what a lunr-style search downloads before any query).

Targets: first query ≤ 150 KB at 10,000 threads and ≤ 300 KB at 100,000; CLI p50 ≤ 50 ms at
100,000; one new thread re-indexed and exported in ≤ 2 s at 10,000.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from entraide.loading.loader import load_content  # noqa: E402
from entraide.model import ContentTree, Reply, ReplyFields, Theme, ThemeFields, Thread, ThreadFields  # noqa: E402
from search.analysis import term  # noqa: E402
from search.documents import shard_key  # noqa: E402
from search.export import export  # noqa: E402
from search.index import SearchIndex  # noqa: E402
from search.query import And, Node, Or, Phrase, Prefix, Word, parse  # noqa: E402
from search.searching import search  # noqa: E402
from search.service import export_dir, refresh  # noqa: E402

QUERIES = [
    "équipe", "conflit", "télétravail", "equipe teletravail", "feedback difficile", "réunion", "managers",
    "collaborateur", "charge de travail", "promotion", "recrutement", "entretien annuel", "confiance",
    "remote", "team", "feedback", "hiring", "workload", "career", "meeting", "running", "carpool",
    "conflit OR tension", "manag*",
]


def vocabulary() -> dict[str, tuple[list[str], list[int]]]:
    """Word frequencies of the example content, per language (the raw words, accents kept)."""
    import re

    tree = load_content(REPO / "content")
    counts: dict[str, Counter[str]] = {"fr": Counter(), "en": Counter()}
    for thread in tree.threads:
        text = " ".join([thread.title, thread.body] + [reply.body for reply in thread.replies])
        counts[thread.lang].update(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text))
    return {lang: (list(c), list(c.values())) for lang, c in counts.items()}


def generate(n: int, seed: int = 11) -> ContentTree:
    rng = random.Random(seed)
    vocab = vocabulary()
    syllables = ["ba", "ko", "ri", "del", "man", "tu", "zen", "pra", "lo", "vi", "sté", "quo", "nu", "gar"]
    rare = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(max(2000, n // 2))]
    themes = [
        Theme(ThemeFields(slug=f"theme-{i}", title={"fr": f"Thème {i}", "en": f"Theme {i}"}), position=i)
        for i in range(10)
    ]

    def text(lang: str, length: int) -> str:
        population, weights = vocab[lang]
        chosen = rng.choices(population, weights, k=length)
        for i in range(len(chosen)):
            if rng.random() < 0.02:
                chosen[i] = rng.choice(rare)
        return " ".join(chosen) + "."

    threads = []
    start = datetime(2020, 1, 1)
    for i in range(n):
        lang = "fr" if i % 3 else "en"
        date = start + timedelta(minutes=37 * i)
        fields = ThreadFields(
            title=text(lang, rng.randint(5, 10)).capitalize(), theme=f"theme-{i % 10}", tags=(f"tag-{i % 40}",),
            lang=lang, author="Bench", date=date, consent=True, license="CC-BY-SA-4.0",
        )
        replies = tuple(
            Reply(f"r{j}", Path(f"r{j}.md"), ReplyFields(author="Bench", date=date + timedelta(hours=j + 1),
                  consent=True), text(lang, rng.randint(40, 120)), "CC-BY-SA-4.0")
            for j in range(rng.randint(2, 6))
        )
        threads.append(Thread(f"thread-{i}", Path(f"thread-{i}/thread.md"), fields, text(lang, rng.randint(60, 160)),
                              replies))
    threads.reverse()
    return ContentTree(REPO, themes, threads)


def files_for(node: Node, folder: Path, into: set[str]) -> set[str]:
    """The files the site's script fetches for a query (see static/entraide-search.js)."""

    def shard(key: str) -> dict:
        path = folder / f"t/{key}.json"
        into.add(f"t/{key}.json")
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def wants(key: str, text: str) -> None:
        if shard(key).get(text) == "@":
            into.add(f"t/{key}/{text}.json")

    if isinstance(node, Word):
        for lang in ("fr", "en"):
            text = term(node.text, lang)
            wants(shard_key(text), text)
    elif isinstance(node, Prefix):
        key = shard_key(node.text)
        for text in shard(key):
            if text.startswith(node.text):
                wants(key, text)
    elif isinstance(node, Phrase):
        for word in node.words:
            files_for(Word(word), folder, into)
    elif isinstance(node, Or | And):
        for child in node.children + (node.excluded if isinstance(node, And) else ()):
            files_for(child, folder, into)
    return into


def downloads(folder: Path, index: SearchIndex, query: str, fetched: set[str]) -> int:
    node = parse(query)
    assert node is not None
    wanted = {"meta.json"} | files_for(node, folder, set())
    hits = search(index, query, limit=10, snippets=False).hits
    wanted |= {f"d/{hit.docnum}.json" for hit in hits}
    new = wanted - fetched
    fetched |= new
    return sum((folder / name).stat().st_size for name in new if (folder / name).exists())


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sum(p.stat().st_size for p in files), len(files)


def run(n: int) -> None:
    print(f"\n== {n:,} threads ==", flush=True)
    t0 = time.perf_counter()
    tree = generate(n)
    posts = len(tree.threads) + tree.reply_count
    print(f"generated {posts:,} posts in {time.perf_counter() - t0:.1f} s", flush=True)
    with tempfile.TemporaryDirectory(prefix="entraide-search-bench-") as temp:
        search_dir = Path(temp) / "search"
        index = SearchIndex(search_dir / "index")
        update = index.update(tree)
        print(f"full index: {update.seconds:.1f} s", flush=True)
        exported = export(export_dir(search_dir), index.open(), tree, update)
        print(f"full export: {exported.seconds:.1f} s", flush=True)
        t0 = time.perf_counter()
        refresh(search_dir, tree)  # nothing to index or export: computes every related list
        print(f"related threads of every thread: {time.perf_counter() - t0:.1f} s", flush=True)
        size, count = folder_size(export_dir(search_dir))
        index_size, _ = folder_size(search_dir / "index")
        print(f"export: {size / 1e6:.1f} MB in {count:,} files; Whoosh index {index_size / 1e6:.1f} MB")

        # one new thread, as the next build sees it
        extra = generate(1, seed=99).threads[0]
        extra = Thread("brand-new-thread", extra.source, extra.fields, extra.body, extra.replies)
        grown = ContentTree(REPO, tree.themes, [extra] + tree.threads)
        t0 = time.perf_counter()
        one = refresh(search_dir, grown)
        one_seconds = time.perf_counter() - t0
        related_seconds = one_seconds - one.update.seconds - one.export.seconds
        print(f"one new thread: re-index {one.update.seconds:.2f} s + export {one.export.seconds:.2f} s "
              f"({one.export.files_written} files) + related {related_seconds:.2f} s"
              f" = {one_seconds:.2f} s (target <= 2 s at 10,000)")

        index = SearchIndex(search_dir / "index")
        for query in QUERIES:  # warm the OS cache and Whoosh's term caches once
            search(index, query, limit=10)
        latencies = []
        for _ in range(5):
            for query in QUERIES:
                started = time.perf_counter()
                search(index, query, limit=10)
                latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p50 = statistics.median(latencies)
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"query latency over {len(latencies)} queries: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              "(target p50 <= 50 ms at 100,000)")
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "entraide.cli", "--help"], capture_output=True, check=False)
        print(f"(for reference, starting the entraide process itself takes {time.perf_counter() - started:.2f} s)")

        folder = export_dir(search_dir)
        firsts, seconds = [], []
        for i, query in enumerate(QUERIES):
            fetched: set[str] = set()
            firsts.append(downloads(folder, index, query, fetched))
            seconds.append(downloads(folder, index, QUERIES[(i + 1) % len(QUERIES)], fetched))
        whole = sum(len(json.dumps([t.title, t.body] + [r.body for r in t.replies], ensure_ascii=False).encode())
                    for t in tree.threads)
        scripts = sum(p.stat().st_size for p in (REPO / "search/static").rglob("*.js"))
        print(f"first query: median {statistics.median(firsts) / 1024:.0f} KB, max {max(firsts) / 1024:.0f} KB; "
              f"second query: median {statistics.median(seconds) / 1024:.0f} KB, max {max(seconds) / 1024:.0f} KB "
              f"(scripts, fetched once and cached: {scripts / 1024:.0f} KB)")
        print(f"baseline, same run: one whole-file index of the same text would be {whole / 1e6:.1f} MB; "
              f"first query median = {statistics.median(firsts) / whole:.4%} of it")
        worst = max(range(len(QUERIES)), key=lambda i: firsts[i])
        print(f"heaviest first query: {QUERIES[worst]!r}")
    print(f"peak memory (max RSS) {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[10_000])
    for n in parser.parse_args().threads:
        run(n)


if __name__ == "__main__":
    main()
