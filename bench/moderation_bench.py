"""Benchmark: `entraide accept --all` on N clean submissions, against accepting them one by one.

Usage::

    python bench/moderation_bench.py                  # 1,000 submissions
    python bench/moderation_bench.py --posts 1000 --baseline 20

On a copy of the example project (39 threads) it writes N clean submissions — new threads in the
example's themes and tags, a reply to an existing thread every fifth post and a reply to a thread of
the same batch every tenth — and times the real CLI, each run in a process of its own:

* the batch: one `entraide accept --all` over the N submissions;
* the baseline, in the same run: `entraide accept ID` run once per submission on another copy holding
  the first ``--baseline`` submissions only, the time per post extrapolated to N.

It prints seconds and posts per second for both, and their ratio; then checks that every submission
was accepted with exactly one log entry each. Target: 1,000 submissions in 30 s or less.
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

WORDS = str.split(
    "équipe manager réunion collaborateur entretien objectif projet charge travail motivation confiance écoute "
    "décision priorité client délai recrutement promotion formation bienveillance solution expérience semaine "
    "difficile important rapidement ensemble toujours souvent parfois vraiment question conseil retour idée"
)
THEMES = ["conflits", "feedback", "changement", "teletravail"]
TAGS = ["conflit", "feedback", "communication", "changement", "entretien", "télétravail"]
EXISTING = "conflit-entre-deux-collaborateurs"


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(12)]
    return f"Message {n} : " + " ".join(words).capitalize() + "."


def submissions(count: int, seed: int = 7) -> dict[str, str]:
    """``{file name: text}`` of ``count`` clean submissions (threads, and replies to old and new threads)."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    last_thread = ""
    for n in range(count):
        body = "\n\n".join(sentence(rng, n * 10 + k) for k in range(3))
        name = f"2026-01-{1 + n % 28:02d}-bench-{n:05d}"
        if n % 10 == 9 and last_thread:
            files[name] = reply(last_thread, n, body)
        elif n % 5 == 4:
            files[name] = reply(EXISTING, n, body)
        else:
            title = f"Question {n} : {rng.choice(WORDS)} et {rng.choice(WORDS)}"
            last_thread = slug_of(title)
            tags = ", ".join(rng.sample(TAGS, 2))
            files[name] = (
                f'---\ntitle: "{title}"\ntheme: {rng.choice(THEMES)}\ntags: [{tags}]\nlang: fr\n'
                f'author: "Membre {n}"\nanonymous: false\ndate: 2026-01-01 08:00\nconsent: true\n'
                f"license: CC-BY-SA-4.0\n---\n{body}\n"
            )
    return files


def slug_of(title: str) -> str:
    sys.path.insert(0, str(REPO))
    from entraide.moderation.submissions import SLUG_LENGTH
    from entraide.slugs import slugify

    return slugify(title)[:SLUG_LENGTH].rstrip("-")


def reply(thread: str, n: int, body: str) -> str:
    return (
        f'---\nreply_to: {thread}\nauthor: "Répondant {n}"\nanonymous: false\ndate: 2026-01-02 09:00\n'
        f"consent: true\n---\n{body}\n"
    )


def project(folder: Path, files: dict[str, str]) -> Path:
    for name in ("templates", "content"):
        shutil.copytree(REPO / name, folder / name)
    shutil.copy(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "submissions").mkdir()
    for name, text in files.items():
        (folder / "submissions" / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def entraide(folder: Path, *args: str) -> float:
    began = time.perf_counter()
    done = subprocess.run([str(BIN / "entraide"), *args, "--editor", "Banc"], cwd=folder, capture_output=True,
                          text=True, env={**os.environ, "XDG_STATE_HOME": str(folder / ".state")})
    took = time.perf_counter() - began
    if done.returncode != 0:
        sys.exit(f"entraide {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--posts", type=int, default=1000, help="submissions in the batch (default 1,000)")
    parser.add_argument("--baseline", type=int, default=20, help="submissions accepted one by one (default 20)")
    options = parser.parse_args()
    files = submissions(options.posts)
    with tempfile.TemporaryDirectory(prefix="entraide-moderation-bench-") as temp:
        one = project(Path(temp) / "one-by-one", dict(list(files.items())[: options.baseline]))
        single = sum(entraide(one, "accept", name) for name in list(files)[: options.baseline])
        per_post = single / options.baseline
        many = project(Path(temp) / "batch", files)
        seconds = entraide(many, "accept", "--all", "--quiet")
        left = list((many / "submissions").glob("*.md"))
        log = [json.loads(line) for line in (many / "moderation/log.jsonl").read_text().splitlines()]
        accepted = [entry["post"] for entry in log if entry["action"] == "accept"]
        print(f"one by one: {per_post:.3f} s per post ({1 / per_post:.1f} posts/s); "
              f"{options.posts} posts extrapolated: {per_post * options.posts:.1f} s")
        print(f"accept --all: {options.posts} posts in {seconds:.2f} s ({options.posts / seconds:.0f} posts/s); "
              f"{per_post * options.posts / seconds:.1f} times faster than one by one")
        print(f"left pending: {len(left)}; log entries: {len(accepted)} for {len(set(accepted))} posts")


if __name__ == "__main__":
    main()
