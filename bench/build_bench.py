"""Benchmark: `entraide build` at scale, cold and incremental, against a bare `mkdocs build` of as many pages.

Usage::

    python bench/build_bench.py                       # 2,000 synthetic threads
    python bench/build_bench.py --threads 2000 10000 100000

For each size N it generates N threads of about five posts each (an opening post and 2–6 replies,
French and English, ten themes, forty tags), then runs the real CLI (`entraide build --json`, atomic
swap included), each build in its own process:

* a cold build (no search index, no previous site, no build cache),
* a rebuild with nothing changed,
* a rebuild after one new reply, after one new thread (the newest), after one withdrawal (the thread's
  folder removed, as `entraide withdraw` does),

and, as the baseline measured in the same run, a bare MkDocs + Material build of as many plain Markdown
pages (one per thread holding its text, one per listing page holding 20 titles) with the same
navigation and no search plugin. It prints wall time, CPU time and peak memory of each (the whole
process tree's: the build forks workers), how many pages were rendered, and every figure's ratio to
the baseline; with several sizes, how time grows. ``--one-process`` also times the cold build with
``--jobs 1``.
Goals at 10,000 threads: cold ≤ 1.0× bare, memory ≤ 1.5× bare; one new post ≤ 5 s; nothing changed ≤ 3 s.
"""

from __future__ import annotations

import argparse
import json
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


def measured(command: list[str], cwd: Path) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory (MB), standard output and CPU seconds of one command.

    The build forks workers, so memory is the peak of the whole process tree's memory (PSS, sampled
    every quarter of a second; at least the largest process's peak RSS), and CPU time is user +
    system time of the command and every worker it waited for.

    The project's private state (its build cache) goes to a folder of the project's own, emptied
    before the cold build: a cold build never finds a cache left by an earlier run."""
    started = time.perf_counter()
    env = {**os.environ, "XDG_STATE_HOME": str(cwd / ".bench-state")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=env)
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            sampling = time.perf_counter()
            peak = max(peak, _tree_memory(process.pid))
            time.sleep(max(SAMPLE_EVERY, SAMPLE_SHARE * (time.perf_counter() - sampling)))
        process.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    peak = max(peak, usage.ru_maxrss * 1024)  # ru_maxrss (in KB): the largest single process
    return elapsed, peak / 2**20, output, usage.ru_utime + usage.ru_stime


SAMPLE_EVERY = 0.25
SAMPLE_SHARE = 20
"""Seconds between two memory samples: at least SAMPLE_EVERY, and SAMPLE_SHARE times what the last
sample took. Reading a process's PSS walks its page tables and holds its memory map's lock: sampled
every 20 ms, it slowed a 10,000-thread build by half, and at 100,000 threads one sample of the tree
takes 0.2 s (every 0.25 s, the sampler took half a core and stalled the build's page faults)."""


def _tree_memory(pid: int) -> int:
    """Bytes of memory used by ``pid`` and all its descendants: their proportional set sizes (PSS),
    so that pages a forked worker shares with its parent count once, split between them."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError, StopIteration):
            continue
    return total


def new_reply(project: Path) -> None:
    (project / "content/threads/thread-000500/reply-new.md").write_text(
        '---\nauthor: "Replier new"\nanonymous: false\ndate: 2025-12-20 18:00\nconsent: true\n---\n'
        "Une réponse de plus, acceptée ce matin : parlez-en en réunion d'équipe.\n",
        encoding="utf-8",
    )


def new_thread(project: Path) -> None:
    folder = project / "content/threads/thread-new"
    folder.mkdir()
    (folder / "thread.md").write_text(
        '---\ntitle: "Un nouveau fil accepté ce matin"\ntheme: theme-3\ntags: [tag-1, tag-2]\nlang: fr\n'
        'author: "Nouvelle"\nanonymous: false\ndate: 2026-01-15\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n'
        "Comment accueillir une nouvelle collaboratrice quand toute l'équipe est en télétravail ?\n",
        encoding="utf-8",
    )


def withdrawal(project: Path) -> None:
    shutil.rmtree(project / "content/threads/thread-000123")


STEPS = (
    ("cold build", None),
    ("nothing changed", lambda project: None),
    ("one new reply", new_reply),
    ("one new thread", new_thread),
    ("one withdrawal", withdrawal),
)


def _phases(summary: dict, seconds: float) -> str:
    """The build's own phases (``builder.phases``), and the rest: start-up, MkDocs' own steps."""
    phases = summary.get("phases") or {}
    rest = seconds - sum(phases.values())
    return ", ".join(f"{name} {value:.1f}" for name, value in [*phases.items(), ("other", rest)])


def run(threads: int, workdir: Path, one_process: bool = False) -> dict[str, float]:
    project, bare = workdir / f"entraide-{threads}", workdir / f"bare-{threads}"
    texts = generate(project, threads)
    posts = sum(len(t) - 1 for t in texts)
    print(f"\n{threads:,} threads, {posts:,} posts", flush=True)
    rows = []
    steps = list(STEPS)
    if one_process:  # the same cold build in one process, for what the workers bring
        steps.insert(1, ("cold, --jobs 1", "--jobs 1"))
    for label, change in steps:
        command = [str(BIN / "entraide"), "build", "--json"]
        if change is None or isinstance(change, str):
            shutil.rmtree(project / ".bench-state", ignore_errors=True)
            shutil.rmtree(project / ".entraide", ignore_errors=True)
            shutil.rmtree(project / "site", ignore_errors=True)
            command += change.split() if isinstance(change, str) else []
        else:
            change(project)
        seconds, peak, out, cpu = measured(command, project)
        summary = json.loads(out)
        rows.append((label, seconds, peak, summary))
        print(f"  {label:<16}: {seconds:7.1f} s  cpu {cpu:6.1f} s  peak {peak:5.0f} MB  "
              f"({summary['pages'] - summary['reused']:,} of {summary['pages']:,} pages rendered; "
              f"search: {summary['search']})", flush=True)
        print(f"  {'':<16}  phases: {_phases(summary, seconds)}", flush=True)
    pages = rows[0][3]["pages"]
    generate_bare(bare, texts, pages)
    bare_s, bare_mb, _, bare_cpu = measured([str(BIN / "mkdocs"), "build", "--quiet"], bare)
    bare_pages = sum(1 for _ in (bare / "site").rglob("index.html"))
    print(f"  {'bare MkDocs':<16}: {bare_s:7.1f} s  cpu {bare_cpu:6.1f} s  peak {bare_mb:5.0f} MB  "
          f"({bare_pages:,} plain pages, same nav)")
    print("  ratios to bare MkDocs (time, memory):")
    for label, seconds, peak, _summary in rows:
        print(f"    {label:<16}: time {seconds / bare_s:5.2f}  memory {peak / bare_mb:5.2f}")
    return {"threads": threads, "entraide_s": rows[0][1], "bare_s": bare_s, "entraide_mb": rows[0][2],
            **{label: seconds for label, seconds, _peak, _summary in rows}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[2000], help="sizes to run (default: 2000)")
    parser.add_argument("--keep", type=Path, help="keep the generated projects in this folder")
    parser.add_argument("--one-process", action="store_true", help="also time a cold build with --jobs 1")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="entraide-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = [run(n, workdir, args.one_process) for n in sorted(args.threads)]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"\nscaling {large['threads']:,} vs {small['threads']:,} threads "
            f"(size x{large['threads'] / small['threads']:.1f}): "
            f"cold x{large['entraide_s'] / small['entraide_s']:.2f}, bare x{large['bare_s'] / small['bare_s']:.2f}, "
            f"one new reply x{large['one new reply'] / small['one new reply']:.2f}"
        )


if __name__ == "__main__":
    main()
