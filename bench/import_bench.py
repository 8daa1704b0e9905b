"""Benchmark: import, batch accept and build of N generated Stack Exchange posts, against parsing the dump.

Usage::

    python bench/import_bench.py                  # 10,000 posts (2,000 questions, 4 answers each)
    python bench/import_bench.py --posts 2000 10000

For each size it writes a Stack Exchange dump (``Posts.xml`` and ``Users.xml``: HTML bodies with
paragraphs, emphasis, a link, a list and a code block), then times, in the same run:

* the baseline: reading ``Posts.xml`` with defusedxml's ``iterparse`` and nothing else;
* the import phase: the real `entraide import` command (conversion to Markdown, identity, checks of
  every post against the schema, and the crash-safe write of every submission), in a fresh project;
* the accept phase: `entraide accept --all` of every submission the import wrote (one journal, one log
  entry per post, replies after their threads);
* the build phase: a cold `entraide build` of the accepted threads (pages, search index, feeds).

It prints seconds, posts per second and each phase's ratio to the baseline.
Goals at 10,000 posts: import ≤ 30 s, batch accept ≤ 5 min.
"""

from __future__ import annotations

import argparse
import html
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORDS = (
    "team",
    "conflict",
    "meeting",
    "feedback",
    "remote",
    "manager",
    "priority",
    "review",
    "goal",
    "schedule",
    "trust",
    "hiring",
    "onboarding",
    "mentor",
    "coaching",
    "delegate",
    "workload",
    "burnout",
    "career",
    "promotion",
    "budget",
)


def sentence(rng: random.Random, words: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(rng: random.Random, number: int) -> str:
    return (f"<p>{sentence(rng)} <em>{rng.choice(WORDS)}</em> {sentence(rng)} (post {number})</p>"
            f"<ul><li>{sentence(rng, 6)}</li><li>{sentence(rng, 6)}</li></ul>"
            f'<p>See <a href="/q/{rng.randint(1, 999)}">this question</a>.</p><pre><code>x = {number}</code></pre>')


def write_dump(folder: Path, posts: int) -> None:
    rng = random.Random(posts)
    folder.mkdir(parents=True)
    rows = []
    questions = max(1, posts // 5)
    number = 0
    for question in range(questions):
        number += 1
        qid = number
        rows.append(f'<row Id="{qid}" PostTypeId="1" AcceptedAnswerId="{qid + 1}" '
                    f'CreationDate="2019-{1 + question % 12:02d}-{1 + question % 28:02d}T10:00:00.000" '
                    f'Body="{html.escape(body(rng, qid))}" OwnerUserId="{1 + question % 500}" '
                    f'Title="{html.escape(sentence(rng, 8)[:-1])} {qid}?" Tags="&lt;team&gt;&lt;feedback&gt;" '
                    'ContentLicense="CC BY-SA 4.0" />')
        for answer in range(4):
            number += 1
            rows.append(f'<row Id="{number}" PostTypeId="2" ParentId="{qid}" '
                        f'CreationDate="2019-{1 + question % 12:02d}-{1 + question % 28:02d}T1{1 + answer}:00:00.000" '
                        f'Body="{html.escape(body(rng, number))}" OwnerUserId="{1 + number % 500}" '
                        'ContentLicense="CC BY-SA 4.0" />')
    (folder / "Posts.xml").write_text("<posts>\n" + "\n".join(rows) + "\n</posts>\n", encoding="utf-8")
    users = "\n".join(f'<row Id="{i}" DisplayName="Member {i}" />' for i in range(1, 501))
    (folder / "Users.xml").write_text(f"<users>\n{users}\n</users>\n", encoding="utf-8")


def baseline(dump: Path) -> float:
    from defusedxml.ElementTree import iterparse

    start = time.perf_counter()
    count = 0
    for _event, element in iterparse(str(dump / "Posts.xml"), events=("end",)):
        count += element.tag == "row"
        element.clear()
    return time.perf_counter() - start


def timed(command: list[str], project: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=project, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_import(work: Path, dump: Path) -> float:
    project = work / "project"
    project.mkdir()
    shutil.copytree(REPO / "templates", project / "templates")
    (project / "content").mkdir()
    (project / "content" / "themes.yml").write_text("themes:\n  - slug: conflits\n    title: Conflits\n",
                                                    encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Bench\ndocs_dir: content\ntheme:\n  name: material\n"
                                        "plugins:\n  - entraide\n", encoding="utf-8")
    return timed([ENTRAIDE, "import", "stackexchange", str(dump), "--theme", "conflits", "--lang", "en",
                  "--basis", "licence CC BY-SA de la source", "--quiet"], project)


ENTRAIDE = str(Path(sys.executable).parent / "entraide")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[10_000])
    args = parser.parse_args()
    for posts in args.posts:
        with tempfile.TemporaryDirectory(prefix="entraide-import-bench-") as scratch:
            work = Path(scratch)
            dump = work / "bench.stackexchange.com"
            write_dump(dump, posts)
            written = len((dump / "Posts.xml").read_text(encoding="utf-8").splitlines()) - 2
            parse = baseline(dump)
            imported = run_import(work, dump)
            project = work / "project"
            files = len(list((project / "submissions").glob("*.md")))
            accepted = timed([ENTRAIDE, "accept", "--all", "--editor", "Bench", "--quiet"], project)
            left = len(list((project / "submissions").glob("*.md")))
            built = timed([ENTRAIDE, "build", "--quiet"], project)
            pages = sum(1 for _ in (project / "site").rglob("index.html"))
            print(f"{written} posts: parse (baseline) {parse:.2f} s ({written / parse:,.0f} posts/s)")
            for phase, seconds, what, goal in (
                ("import", imported, f"{files} submissions", 30),
                ("accept --all", accepted, f"{files - left} accepted, {left} left pending", 300),
                ("build", built, f"{pages} pages", None),
            ):
                verdict = ""
                if goal is not None and posts == 10_000:
                    verdict = f"; goal ≤ {goal} s: {'met' if seconds <= goal else 'NOT met'}"
                print(f"  {phase:<13} {seconds:7.2f} s  ({written / seconds:,.0f} posts/s, {what}; "
                      f"{seconds / parse:.1f}× the parse{verdict})")


if __name__ == "__main__":
    main()
