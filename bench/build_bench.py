"""Benchmark: `entraide build` against a bare `mkdocs build` of as many plain pages, in one run.

Usage::

    python bench/build_bench.py                   # 2,000 synthetic threads
    python bench/build_bench.py --threads 2000 10000

For each size N it generates N threads of about five posts each (an opening post and 2–6 replies,
French and English, ten themes, forty tags), then builds

* the entraide site with `entraide build` (the real CLI, atomic swap included), and
* a bare MkDocs + Material site of as many plain Markdown pages as the entraide site has (one per
  thread, holding the thread's text, plus one per listing page, holding a list of 20 titles) and the
  same navigation (home, ten theme pages, a tags page, a contributors page), with no search plugin,

each in its own process, and prints wall time, pages per second and peak memory (max RSS) of both,
and their ratio. With several sizes it also prints how time grows from the smallest to the largest.
Targets at 10,000 threads: ratio ≤ 1.3, peak memory ≤ 1 GB, 10,000 vs 2,000 time ratio ≤ 5.5.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

WORDS_FR = [
    "équipe",
    "manager",
    "conflit",
    "réunion",
    "collaborateur",
    "feedback",
    "entretien",
    "objectif",
    "projet",
    "charge",
    "travail",
    "télétravail",
    "motivation",
    "réorganisation",
    "confiance",
    "écoute",
    "décision",
    "priorité",
    "client",
    "délai",
    "recrutement",
    "carrière",
    "promotion",
    "formation",
    "bienveillance",
    "tension",
    "discussion",
    "solution",
    "expérience",
    "semaine",
    "mois",
    "difficile",
    "important",
    "rapidement",
    "ensemble",
    "toujours",
    "souvent",
    "parfois",
    "vraiment",
]
WORDS_EN = [
    "team",
    "manager",
    "conflict",
    "meeting",
    "colleague",
    "feedback",
    "review",
    "goal",
    "project",
    "workload",
    "remote",
    "motivation",
    "reorganisation",
    "trust",
    "listening",
    "decision",
    "priority",
    "customer",
    "deadline",
    "hiring",
    "career",
    "promotion",
    "training",
    "tension",
    "discussion",
    "solution",
    "experience",
    "week",
    "month",
    "difficult",
    "important",
    "quickly",
    "together",
    "always",
    "often",
    "sometimes",
    "really",
]
THEMES = [f"theme-{i}" for i in range(10)]
TAGS = [f"tag-{i}" for i in range(40)]


def paragraph(rng: random.Random, words: list[str], length: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, words: list[str]) -> str:
    return "\n\n".join(paragraph(rng, words, rng.randint(25, 70)) for _ in range(rng.randint(1, 3)))


def generate(project: Path, threads: int, seed: int = 7) -> list[list[str]]:
    """Write an entraide project; return each thread's post texts for the bare site."""
    rng = random.Random(seed)
    content = project / "content"
    (content / "threads").mkdir(parents=True)
    themes = "themes:\n" + "".join(
        f'  - slug: {slug}\n    title: {{fr: "Thème {i}", en: "Theme {i}"}}\n' for i, slug in enumerate(THEMES)
    )
    (content / "themes.yml").write_text(themes, encoding="utf-8")
    texts: list[list[str]] = []
    for n in range(threads):
        lang = "fr" if n % 3 else "en"
        words = WORDS_FR if lang == "fr" else WORDS_EN
        folder = content / "threads" / f"thread-{n:06d}"
        folder.mkdir()
        title = paragraph(rng, words, 8)[:-1]
        tags = ", ".join(rng.sample(TAGS, 3))
        day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
        opening = body(rng, words)
        (folder / "thread.md").write_text(
            f'---\ntitle: "{title}"\ntheme: {THEMES[n % 10]}\ntags: [{tags}]\nlang: {lang}\n'
            f'author: "Author {n}"\nanonymous: {str(n % 7 == 0).lower()}\ndate: {day}\nconsent: true\n'
            f"license: CC-BY-SA-4.0\n---\n{opening}\n",
            encoding="utf-8",
        )
        posts = [f"# {title}", opening]
        for r in range(rng.randint(2, 6)):
            reply = body(rng, words)
            (folder / f"reply-{r}.md").write_text(
                f'---\nauthor: "Replier {r}"\nanonymous: false\ndate: {day} 1{r}:00\nconsent: true\n---\n{reply}\n',
                encoding="utf-8",
            )
            posts.append(reply)
        texts.append(posts)
    shutil.copytree(REPO / "templates", project / "templates")
    (project / "mkdocs.yml").write_text(
        "site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\n  language: fr\n  font: false\n"
        "plugins:\n  - entraide\n",
        encoding="utf-8",
    )
    return texts


def generate_bare(project: Path, texts: list[list[str]], pages: int, nav_items: int = len(THEMES) + 2) -> None:
    """Plain pages: one per thread, then listing-like pages up to ``pages``; the same nav shape."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for n, posts in enumerate(texts):
        (docs / f"page-{n:06d}.md").write_text("\n\n".join(posts) + "\n", encoding="utf-8")
    listings = max(pages - len(texts) - 1, 0)
    for n in range(listings):
        items = "".join(
            f"- [{texts[(n * 20 + i) % len(texts)][0][2:]}](page-{(n * 20 + i) % len(texts):06d}.md)\n"
            for i in range(20)
        )
        (docs / f"list-{n:06d}.md").write_text(f"# List {n}\n\n{items}", encoding="utf-8")
    nav = "".join(f"  - Theme {i}: list-{i:06d}.md\n" for i in range(min(nav_items, listings)))
    (project / "mkdocs.yml").write_text(
        "site_name: Bare\ntheme:\n  name: material\n  language: fr\n  font: false\nplugins: []\n"
        f"nav:\n  - index.md\n{nav}validation:\n  nav:\n    omitted_files: ignore\n  links:\n    not_found: ignore\n",
        encoding="utf-8",
    )


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command run in its own process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss / 1024


def report(label: str, seconds: float, pages: int, peak_mb: float, note: str = "") -> None:
    rate = pages / seconds
    print(f"  {label:<21}: {seconds:7.1f} s  {rate:5.0f} pages/s  peak {peak_mb:5.0f} MB  ({pages:,} pages{note})")


def run(threads: int, workdir: Path) -> dict[str, float]:
    project, bare = workdir / f"entraide-{threads}", workdir / f"bare-{threads}"
    texts = generate(project, threads)
    posts = sum(len(t) - 1 for t in texts)
    print(f"\n{threads:,} threads, {posts:,} posts", flush=True)
    entraide_s, entraide_mb = measure([str(BIN / "entraide"), "build", "--quiet"], project)
    pages = sum(1 for _ in (project / "site").rglob("index.html"))
    # The steady state: the search index kept in .entraide/, one new thread accepted since.
    newest = project / "content" / "threads" / "thread-new"
    shutil.copytree(project / "content" / "threads" / "thread-000000", newest)
    again_s, again_mb = measure([str(BIN / "entraide"), "build", "--quiet"], project)
    generate_bare(bare, texts, pages)
    bare_s, bare_mb = measure([str(BIN / "mkdocs"), "build", "--quiet"], bare)
    bare_pages = sum(1 for _ in (bare / "site").rglob("index.html"))
    minimal = workdir / f"minimal-{threads}"
    generate_bare(minimal, texts, threads + 1, nav_items=0)
    minimal_s, minimal_mb = measure([str(BIN / "mkdocs"), "build", "--quiet"], minimal)
    report("entraide build", entraide_s, pages, entraide_mb, ", search index built from scratch")
    report("entraide rebuild", again_s, pages + 1, again_mb, ", one new thread, search index kept")
    report("bare, same pages+nav", bare_s, bare_pages, bare_mb)
    report("bare, 1 page/thread", minimal_s, threads + 1, minimal_mb, ", nav: home only")
    for name, seconds, mb in (("same pages+nav", bare_s, bare_mb), ("1 page/thread ", minimal_s, minimal_mb)):
        print(f"  ratio entraide / bare {name}: time {entraide_s / seconds:.2f}, memory {entraide_mb / mb:.2f}; "
              f"rebuild: time {again_s / seconds:.2f}")
    return {"threads": threads, "entraide_s": entraide_s, "bare_s": bare_s, "entraide_mb": entraide_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[2000], help="sizes to run (default: 2000)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="entraide-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = [run(n, workdir) for n in sorted(args.threads)]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"\nscaling {large['threads']:,} vs {small['threads']:,} threads: entraide time x"
            f"{large['entraide_s'] / small['entraide_s']:.2f}, bare time x{large['bare_s'] / small['bare_s']:.2f} "
            f"(size x{large['threads'] / small['threads']:.1f})"
        )


if __name__ == "__main__":
    main()
