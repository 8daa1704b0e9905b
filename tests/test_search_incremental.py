"""Incremental == clean for the search side: after any sequence of changes, the export folder, its
table and the related lists are a clean build's, byte for byte, and so are the CLI's results.

A seeded random sequence of changes (a reply added, a post edited, a thread withdrawn, a new thread
dated after or before the others, a thread's tags and best reply curated, a theme renamed) is
applied to one project, refreshed after each step, and compared with a refresh of the same content
into an empty folder.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from entraide.loading.loader import load_content
from search import export
from search.export import load_table
from search.index import SearchIndex
from search.searching import search
from search.service import refresh

WORDS = [
    "équipe", "réunion", "conflit", "planning", "manager", "projet", "client", "télétravail", "feedback",
    "entretien", "objectif", "confiance", "recrutement", "carrière", "formation", "priorité", "délai", "co-worker",
    "burn-out", "médiation", "les", "d’équipe",
]
WORDS_EN = ["team", "meeting", "conflict", "remote", "manager", "project", "customer", "deadline", "trust", "feedback"]
THEMES = "themes:\n  - slug: equipe\n    title: {{fr: \"{title}\", en: \"Team\"}}\n  - slug: carriere\n" \
    "    title: {{fr: \"Carrière\", en: \"Career\"}}\n"
QUERIES = ["équipe", "conflit réunion", "manager OR team", '"réunion conflit"', "proj*", "title:sujet", "médiation"]


def text(rng: random.Random, lang: str, low: int = 4, high: int = 40) -> str:
    return " ".join(rng.choice(WORDS if lang == "fr" else WORDS_EN) for _ in range(rng.randint(low, high)))


def write_thread(root: Path, slug: str, rng: random.Random, date: str, tags: str = "conflit") -> None:
    lang = rng.choice(["fr", "fr", "en"])
    folder = root / "content/threads" / slug
    folder.mkdir(parents=True)
    (folder / "thread.md").write_text(
        f'---\ntitle: "Sujet {rng.choice(WORDS)} {slug}"\ntheme: {rng.choice(["equipe", "carriere"])}\n'
        f"tags: [{tags}]\nlang: {lang}\nauthor: \"Auteur\"\ndate: {date}\nconsent: true\n"
        f"license: CC-BY-SA-4.0\n---\n{text(rng, lang)}\n",
        encoding="utf-8",
    )


def write_reply(root: Path, slug: str, rng: random.Random, day: int) -> str:
    name = f"2025-11-{day:02d}-membre-{rng.randint(0, 10**6)}"
    (root / "content/threads" / slug / f"{name}.md").write_text(
        f'---\nauthor: "Membre"\ndate: 2025-11-{day:02d} 10:00\nconsent: true\n---\n{text(rng, "fr", 2, 20)}\n',
        encoding="utf-8",
    )
    return name


def project(root: Path, rng: random.Random, threads: int = 12) -> Path:
    (root / "content/threads").mkdir(parents=True)
    (root / "content/themes.yml").write_text(THEMES.format(title="Équipe"), encoding="utf-8")
    for n in range(threads):
        write_thread(root, f"fil-{n:02d}", rng, f"2025-03-{1 + n:02d}")
        for _ in range(n % 3):
            write_reply(root, f"fil-{n:02d}", rng, 1 + n)
    return root


def change(root: Path, rng: random.Random, step: int) -> str:
    """One random change of the content; its name, for the failure message."""
    threads = sorted(path.name for path in (root / "content/threads").iterdir())
    kind = rng.choice(["reply", "edit", "withdraw", "newest", "back-dated", "curate", "theme"])
    slug = rng.choice(threads)
    folder = root / "content/threads" / slug
    if kind == "reply":
        write_reply(root, slug, rng, 1 + step % 28)
    elif kind == "edit":
        posts = sorted(folder.glob("*.md"))
        post = rng.choice(posts)
        head, _sep, _body = post.read_text(encoding="utf-8").rpartition("---\n")
        post.write_text(f"{head}---\n{text(rng, 'fr')}\n", encoding="utf-8")
    elif kind == "withdraw" and len(threads) > 3:
        shutil.rmtree(folder)
    elif kind == "newest":
        write_thread(root, f"neuf-{step:02d}", rng, f"2025-09-{1 + step % 28:02d}")
    elif kind == "back-dated":
        write_thread(root, f"ancien-{step:02d}", rng, f"2024-01-{1 + step % 28:02d}")
    elif kind == "curate":
        opening = folder / "thread.md"
        content = opening.read_text(encoding="utf-8").replace("tags: [conflit]", "tags: [conflit, planning]")
        replies = sorted(path.stem for path in folder.glob("2025-11-*.md"))
        if replies and "best_reply" not in content:
            content = content.replace("consent: true\n", f"consent: true\nbest_reply: {replies[0]}\n", 1)
        opening.write_text(content, encoding="utf-8")
    else:
        themes = root / "content/themes.yml"
        themes.write_text(THEMES.format(title=f"Équipe {step}"), encoding="utf-8")
    return kind


def files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.endswith(".tmp")}


def results(search_dir: Path) -> list[list[tuple[str, float, int]]]:
    index = SearchIndex(search_dir / "index")
    found = []
    for query in QUERIES:
        hits = search(index, query, limit=20, snippets=False).hits
        found.append([(hit.slug, round(hit.score, 9), hit.docnum) for hit in hits])
    return found


def assert_clean(root: Path, clean_dir: Path, label: str) -> None:
    tree = load_content(root / "content")
    shutil.rmtree(clean_dir, ignore_errors=True)
    clean = refresh(clean_dir, tree)
    ours = refresh(root / ".entraide/search", tree)  # a second refresh changes nothing
    assert ours.related == clean.related, label
    mine, theirs = files(root / ".entraide/search/export"), files(clean_dir / "export")
    mine.pop(".manifest.json"), theirs.pop(".manifest.json")  # they name each index's own state
    mine.pop(".numbering.npy"), theirs.pop(".numbering.npy")  # Whoosh numbers: history of each index
    mine.pop(".documents"), theirs.pop(".documents")  # marshal's bytes depend on string sharing: compared loaded
    assert load_table(root / ".entraide/search/export") == load_table(clean_dir / "export"), label
    assert sorted(mine) == sorted(theirs), label
    for name in theirs:
        assert mine[name] == theirs[name], f"{label}: {name}"
    assert results(root / ".entraide/search") == results(clean_dir), label


@pytest.mark.parametrize(("seed", "small_files"), [(1, False), (2, True), (3, True)])
def test_random_changes_refresh_into_a_clean_build(tmp_path, monkeypatch, seed, small_files):  # type: ignore[no-untyped-def]
    """``small_files``: lists of their own and split shards from a few postings, as at scale."""
    if small_files:
        monkeypatch.setattr(export, "STANDALONE_FROM", 24)
        monkeypatch.setattr(export, "SHARD_LIMIT", 120)
    rng = random.Random(seed)
    root = project(tmp_path / "project", rng)
    refresh(root / ".entraide/search", load_content(root / "content"))
    done = []
    for step in range(14):
        done.append(change(root, rng, step))
        refresh(root / ".entraide/search", load_content(root / "content"))
        assert_clean(root, tmp_path / "clean", f"seed {seed}, after {done}")


@pytest.mark.parametrize("kind", ["reply", "withdraw", "back-dated", "newest", "theme", "curate", "edit"])
def test_each_kind_of_change_refreshes_into_a_clean_build(tmp_path, kind):  # type: ignore[no-untyped-def]
    """Each kind once, twice in a row (the index then holds deleted documents and several segments)."""
    rng = random.Random(kind)
    root = project(tmp_path / "project", rng)
    refresh(root / ".entraide/search", load_content(root / "content"))
    draws = iter(range(100))
    for step in range(2):
        while change(root, rng, next(draws)) != kind:  # draw until the kind comes (other changes in between)
            pass
        refresh(root / ".entraide/search", load_content(root / "content"))
        assert_clean(root, tmp_path / "clean", f"{kind} {step}")
