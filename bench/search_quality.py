"""Benchmark: does the search find what readers mean? A judged set of queries, before and after.

Usage::

    python bench/search_quality.py                  # this checkout's code and main's where it branched
    python bench/search_quality.py --before REV     # compare with another revision
    python bench/search_quality.py --before ''      # this checkout only

The corpus is the example content (``content/``) plus the threads of ``bench/quality_corpus.py``
(everyday questions in French and English, with hyphenated and joined compounds, a long
questionnaire that mentions a little of everything, and pairs of threads where one asks about a
query's words in its opening post and the other writes one word in its title and the others in
separate replies). Each judged query lists the threads a reader
would want in the top five, the best first. For each code version it prints:

* P@5: the share of the top five that is relevant, out of min(5, relevant threads): 1.0 when every
  relevant thread is in the top five, whatever the number of relevant threads;
* the relevant share of what is shown: relevant threads among the (up to five) shown, which counts
  every partial result shown below a good one as noise (a query with zero results scores 0);
* the zero-result rate (every judged query has relevant threads, so any zero is a failure);
* the share of queries whose expected best thread comes first.

The older revision is taken with ``git archive`` into a temporary folder and run in a process of its
own (``PYTHONPATH``), on its own copy of the corpus: each version indexes and searches as it ships.
Byte and latency figures are ``bench/search_bench.py``'s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from quality_corpus import EXTRA  # noqa: E402

JUDGED: list[tuple[str, list[str]]] = [
    # prefixes longer than the stem
    ("salary*", ["negotiating-salary-for-a-promotion"]),
    ("negotiat*", ["negotiating-salary-for-a-promotion"]),
    ("management*", ["manager-micro-management"]),
    ("promoti*", ["senior-qui-veut-une-promotion", "tensions-apres-une-promotion-interne",
                  "denied-a-promotion-how-to-ask-for-feedback", "passed-over-after-announcing-pregnancy",
                  "negotiating-salary-for-a-promotion",
                  "negocier-son-salaire-lors-d-une-promotion"]),
    ("conflits*", ["conflit-entre-deux-collaborateurs", "deux-equipes-qui-ne-se-parlent-plus",
                   "faut-il-faire-appel-a-un-mediateur", "tensions-apres-une-promotion-interne",
                   "trop-de-reunions-conflits-d-agenda"]),
    ("équipes*", ["deux-equipes-qui-ne-se-parlent-plus"]),
    ("négoci*", ["negocier-son-salaire-lors-d-une-promotion"]),
    ("interv*", ["interview-questions-that-predict-performance", "conflit-entre-deux-collaborateurs"]),
    # typos
    ("intervew", ["interview-questions-that-predict-performance", "first-hire-as-a-new-manager"]),
    ("intervew questions", ["interview-questions-that-predict-performance"]),
    ("salery negotiation", ["negotiating-salary-for-a-promotion"]),
    ("covoiturrage", ["organiser-un-planning-de-covoiturage", "partager-les-frais-de-covoiturage"]),
    ("harcelemnt", ["harcelement-signale-par-une-collaboratrice"]),
    ("médiatuer externe", ["faut-il-faire-appel-a-un-mediateur"]),
    ("onbaording remote", ["onboarding-a-fully-remote-new-hire"]),
    ("burnuot", ["signs-of-burnout-in-my-team", "collaborateur-proche-du-burn-out"]),
    # compounds
    ("coworker", ["coworker-takes-credit", "co-worker-interrupts-me"]),
    ("co-worker", ["co-worker-interrupts-me", "coworker-takes-credit"]),
    ("co worker", ["co-worker-interrupts-me", "coworker-takes-credit"]),
    ("counteroffer", ["counter-offer-after-resigning"]),
    ("counter-offer", ["counter-offer-after-resigning"]),
    ("micromanagement", ["manager-micro-management"]),
    ("burnout", ["signs-of-burnout-in-my-team", "collaborateur-proche-du-burn-out"]),
    ("burn-out", ["collaborateur-proche-du-burn-out", "signs-of-burnout-in-my-team"]),
    ("standups", ["async-standups-do-they-work"]),
    # plurals and accents
    ("equipes", ["deux-equipes-qui-ne-se-parlent-plus"]),
    ("teletravail materiel", ["qui-paie-le-materiel-en-teletravail"]),
    ("réunions agenda", ["trop-de-reunions-conflits-d-agenda"]),
    ("salaries", ["negotiating-salary-for-a-promotion"]),
    ("mediation", ["faut-il-faire-appel-a-un-mediateur", "conflit-entre-deux-collaborateurs"]),
    # natural questions
    ("how do I negotiate my salary", ["negotiating-salary-for-a-promotion"]),
    ("comment négocier son salaire", ["negocier-son-salaire-lors-d-une-promotion"]),
    ("what to do when a colleague takes credit for my work", ["coworker-takes-credit"]),
    ("my coworker interrupts me in meetings", ["co-worker-interrupts-me"]),
    ("should I accept a counter offer", ["counter-offer-after-resigning"]),
    ("which questions to ask in a job interview", ["interview-questions-that-predict-performance"]),
    ("quelles questions poser en entretien d'embauche", ["questions-entretien-d-embauche"]),
    ("two senior engineers fighting in code review", ["code-review-fights-between-two-seniors"]),
    ("remote employee feels lonely", ["remote-employee-feeling-isolated"]),
    ("comment gérer un conflit entre deux collaborateurs", ["conflit-entre-deux-collaborateurs",
                                                           "faut-il-faire-appel-a-un-mediateur"]),
    ("signs of burnout on my team", ["signs-of-burnout-in-my-team"]),
    ("qui paie l'écran en télétravail", ["qui-paie-le-materiel-en-teletravail"]),
    ("I was not promoted, how to ask why", ["denied-a-promotion-how-to-ask-for-feedback"]),
    ("onboarding someone who works remotely", ["onboarding-a-fully-remote-new-hire"]),
    ("préparer un 10 km en débutant", ["preparer-son-premier-10-km"]),
    ("choisir les livres du club de lecture", ["choisir-les-livres-du-club"]),
    # a long thread whose replies write the words one by one, against a thread that asks about them
    ("training budget conference", ["training-budget-refused-for-a-conference"]),
    ("holiday requests approved late", ["holiday-requests-approved-too-late"]),
    ("old laptop slow", ["my-old-laptop-is-too-slow"]),
    ("mentor for a junior", ["a-mentor-for-a-junior-developer"]),
    ("conference budget", ["training-budget-refused-for-a-conference"]),
    ("laptop too slow", ["my-old-laptop-is-too-slow"]),
    ("moderator questionnaire", ["moderator-questionnaire-how-does-your-team-work"]),
    # words together in one post, against the same words scattered over a thread's posts
    ("night shift overtime", ["night-shift-asks-for-overtime", "overtime-rules-in-the-new-contract"]),
    ("parental leave handover", ["leave-handover-before-parental-leave", "handover-checklist-when-someone-resigns"]),
    ("covoiturage horaires décalés", ["covoiturage-avec-des-horaires-decales", "horaires-d-ete-au-bureau"]),
    ("objectifs entretien annuel", ["objectifs-a-fixer-lors-de-l-entretien-annuel",
                                    "entretien-de-carriere-sans-envie-d-evoluer",
                                    "objectifs-trimestriels-du-service"]),
]


def corpus(target: Path) -> Path:
    """A copy of the example project with the extra threads."""
    target.mkdir(parents=True)
    for name in ("templates", "content"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    for slug, theme, lang, title, tags, body, replies in EXTRA:
        folder = target / "content" / "threads" / slug
        folder.mkdir()
        tag_list = ", ".join(json.dumps(tag, ensure_ascii=False) for tag in tags)
        (folder / "thread.md").write_text(
            f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ntheme: {theme}\ntags: [{tag_list}]\nlang: {lang}\n"
            f"author: \"Bench\"\nanonymous: false\ndate: 2025-06-01\nconsent: true\nlicense: CC-BY-SA-4.0\n---\n"
            f"{body}\n", encoding="utf-8")
        for number, reply in enumerate(replies, 1):
            (folder / f"2025-06-{1 + number:02d}-r{number}.md").write_text(
                f"---\nauthor: \"Reader {number}\"\nanonymous: false\ndate: 2025-06-{1 + number:02d} 10:00\n"
                f"consent: true\n---\n{reply}\n", encoding="utf-8")
    return target


def evaluate(project: Path) -> None:
    """In the process of one code version: index the corpus, print each judged query's top five."""
    from entraide.loading.loader import load_content
    from entraide.project import Project
    from search.index import SearchIndex
    from search.searching import search
    from search.service import refresh

    proj = Project.from_config(project / "mkdocs.yml")
    refresh(proj.search_dir, load_content(proj.content_dir))
    index = SearchIndex(proj.search_dir / "index")
    print(json.dumps({query: [hit.slug for hit in search(index, query, limit=5, snippets=False).hits]
                      for query, _expected in JUDGED}))


def measure(code: Path, workdir: Path) -> dict[str, list[str]]:
    project = corpus(workdir / "project")
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, __file__, "--evaluate", str(project)], env=env, cwd=code,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def scores(found: dict[str, list[str]]) -> dict[str, float]:
    precision, share, zero, first = [], [], 0, 0
    for query, expected in JUDGED:
        top = found.get(query, [])[:5]
        precision.append(len(set(top) & set(expected)) / min(5, len(expected)))
        share.append(len(set(top) & set(expected)) / len(top) if top else 0.0)
        zero += not top
        first += bool(top) and top[0] == expected[0]
    count = len(JUDGED)
    return {"P@5": sum(precision) / count, "relevant share of shown": sum(share) / count,
            "zero-result rate": zero / count, "best first": first / count}


def checkout(rev: str, into: Path) -> Path:
    archive = into / "code.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), rev], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "code", filter="data")
    return into / "code"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="the revision to compare with ('' for none; default: where this "
                        "branch left main, whose dependencies this checkout's environment has)")
    parser.add_argument("--evaluate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--show", action="store_true", help="print each query's top five")
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args.evaluate)
        return
    if args.before is None:
        args.before = subprocess.run(["git", "-C", str(REPO), "merge-base", "main", "HEAD"], capture_output=True,
                                     text=True, check=True).stdout.strip()
    missing = {slug for _q, expected in JUDGED for slug in expected} - set(
        [path.name for path in (REPO / "content" / "threads").iterdir()] + [extra[0] for extra in EXTRA]
    )
    if missing:
        sys.exit(f"judged threads missing from the corpus: {sorted(missing)}")
    print(f"{len(JUDGED)} judged queries over {len(list((REPO / 'content' / 'threads').iterdir())) + len(EXTRA)} "
          f"threads")
    versions = [("this checkout", REPO)]
    with tempfile.TemporaryDirectory() as temp:
        if args.before:
            versions.insert(0, (f"before ({args.before[:7]})", checkout(args.before, Path(temp))))
        results = {}
        for name, code in versions:
            work = Path(temp) / f"run-{len(results)}"
            work.mkdir()
            results[name] = measure(code, work)
        print(f"{'':24}" + "".join(f"{name:>16}" for name in results))
        table = {name: scores(found) for name, found in results.items()}
        for metric in ("P@5", "relevant share of shown", "zero-result rate", "best first"):
            print(f"{metric:24}" + "".join(f"{table[name][metric]:>16.2f}" for name in results))
        if args.show:
            for query, expected in JUDGED:
                print(f"\n{query!r} expects {expected[0]}")
                for name, found in results.items():
                    print(f"  {name:14} {found[query]}")


if __name__ == "__main__":
    main()
