"""The search index on disk: French and English analysis, the CLI, incremental updates, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from search.analysis import analyzer
from tests.conftest import cli_in, example_project, reply

EXPORT = Path(".entraide/search/export")


def thread_file(title: str, theme: str, body: str, lang: str = "fr", date: str = "2025-03-04") -> str:
    return (
        f'---\ntitle: "{title}"\ntheme: {theme}\nlang: {lang}\nauthor: "Claire M."\ndate: {date}\n'
        f"consent: true\nlicense: CC-BY-SA-4.0\n---\n{body}\n"
    )


def terms(text: str, lang: str) -> list[str]:
    return [token.text for token in analyzer(lang)(text)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("d’équipe", "fr", ["equip"]),
        ("d'equipe", "fr", ["equip"]),
        ("L’Équipe", "fr", ["equip"]),
        ("équipes", "fr", ["equip"]),
        ("conflit conflits", "fr", ["confl", "confl"]),
        ("Télétravail", "fr", ["teletravail"]),
        ("les managers", "fr", ["manag"]),
        ("qu’il", "fr", []),
        ("Œuvre", "fr", ["oeuvr"]),
        ("conflicts", "en", ["conflict"]),
        ("team's remote-work", "en", ["team", "remot", "work", "remotework"]),  # and the compound joined
    ],
)
def test_analysis_folds_elides_and_stems(text, lang, expected):  # type: ignore[no-untyped-def]
    assert terms(text, lang) == expected


def two_threads() -> dict[str, str]:
    return {
        "content/themes.yml": "themes:\n  - slug: conflits\n    title: {fr: Conflits, en: Conflicts}\n"
        "  - slug: teletravail\n    title: {fr: Télétravail}\n",
        "content/threads/conflit-equipe/thread.md": thread_file(
            title="Conflit dans l’équipe", theme="conflits", body="Deux collaborateurs se disputent en réunion."
        ),
        "content/threads/conflit-equipe/2025-03-05-karim.md": reply(text="Parlez aux deux séparément."),
        "content/threads/remote-team/thread.md": thread_file(
            title="Remote team rituals", theme="teletravail", lang="en", body="Our remote team feels isolated."
        ),
    }


def test_search_cli_ranks_highlights_and_filters(make_project, run):  # type: ignore[no-untyped-def]
    project = make_project(two_threads())
    assert run(project, "index").exit_code == 0
    result = run(project, "search", "equipe reunions")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith(" 1. Conflit dans l’équipe  [conflits, fr, 2025-03-04]  score ")
    assert lines[1] == "    /conflit-equipe/"
    assert lines[2] == "    Deux collaborateurs se disputent en [réunion]. Parlez aux deux séparément"
    assert lines[-1].startswith("1 thread found (")
    data = json.loads(run(project, "search", "team", "--json").stdout)
    assert [hit["slug"] for hit in data["hits"]] == ["remote-team"] and data["total"] == 1
    assert json.loads(run(project, "search", "team", "--lang", "fr", "--json").stdout)["hits"] == []
    assert json.loads(run(project, "search", "conflit", "--theme", "teletravail", "--json").stdout)["total"] == 0
    assert run(project, "search", "(conflit").output == "Error: unbalanced parenthesis in the query: '(' without ')'\n"


def test_search_counts_what_it_found_by_theme_language_and_tag(make_project, run):  # type: ignore[no-untyped-def]
    files = two_threads()
    tagged = "theme: conflits\ntags: [médiation, équipe]\n"
    files["content/threads/conflit-equipe/thread.md"] = files["content/threads/conflit-equipe/thread.md"].replace(
        "theme: conflits\n", tagged
    )
    files["content/threads/conflit-reunion/thread.md"] = thread_file(
        title="Conflit en réunion", theme="conflits", body="Un conflit éclate à chaque réunion."
    ).replace("theme: conflits\n", "theme: conflits\ntags: [médiation]\n")
    files["content/threads/remote-conflict/thread.md"] = thread_file(
        title="A conflict in my remote team", theme="teletravail", lang="en", body="Two people clash."
    )
    project = make_project(files)
    assert run(project, "index").exit_code == 0

    def facets(*args: str) -> dict[str, dict[str, int]]:
        return json.loads(run(project, "search", *args, "--json").stdout)["facets"]

    assert facets("conflit OR conflict") == {
        "theme": {"conflits": 2, "teletravail": 1}, "lang": {"fr": 2, "en": 1}, "tags": {"médiation": 2, "équipe": 1},
    }
    assert facets("conflit OR conflict", "--lang", "fr") == {
        "theme": {"conflits": 2}, "lang": {"fr": 2}, "tags": {"médiation": 2, "équipe": 1},
    }
    assert facets("nothingmatches") == {"theme": {}, "lang": {}, "tags": {}}
    result = run(project, "search", "conflit OR conflict")
    lines = result.output.splitlines()
    assert lines[-4:] == [
        "  themes: conflits 2 · teletravail 1",
        "  languages: fr 2 · en 1",
        "  tags: médiation 2 · équipe 1",
        lines[-1],
    ] and lines[-1].startswith("3 threads found (")
    # a removed thread counts for nothing
    for name in ("thread.md", "2025-03-05-karim.md"):
        (project / "content/threads/conflit-equipe" / name).unlink()
    (project / "content/threads/conflit-equipe").rmdir()
    assert run(project, "index").exit_code == 0
    assert facets("conflit OR conflict") == {
        "theme": {"conflits": 1, "teletravail": 1}, "lang": {"en": 1, "fr": 1}, "tags": {"médiation": 1},
    }


def test_snippet_of_a_long_thread_shows_the_words_found_deep_in_it(make_project, run):  # type: ignore[no-untyped-def]
    files = two_threads()
    filler = "Nous avons parlé du planning et des congés de chacun. " * 200  # about 11,000 characters
    files["content/threads/long-thread/thread.md"] = thread_file(
        title="Un long fil", theme="conflits", body=filler + "Puis une Médiation a tout changé. " + filler
    )
    project = make_project(files)
    assert run(project, "index").exit_code == 0
    hits = json.loads(run(project, "search", "mediations", "--json").stdout)["hits"]
    assert [hit["slug"] for hit in hits] == ["long-thread"]
    assert "Puis une Médiation a tout changé" in hits[0]["snippet"]
    lines = run(project, "search", "mediations").output.splitlines()
    assert "Puis une [Médiation] a tout changé" in lines[2]


def test_tags_and_theme_title_are_searchable_and_a_renamed_theme_reindexes(make_project, run):  # type: ignore[no-untyped-def]
    files = two_threads()
    files["content/threads/conflit-equipe/thread.md"] = files["content/threads/conflit-equipe/thread.md"].replace(
        "theme: conflits\n", "theme: conflits\ntags: [médiation, prise-de-parole]\n"
    )
    project = make_project(files)
    assert run(project, "index").exit_code == 0

    def slugs(query: str) -> list[str]:
        return [hit["slug"] for hit in json.loads(run(project, "search", query, "--json").stdout)["hits"]]

    assert slugs("mediation") == ["conflit-equipe"]  # only in its tags
    assert slugs('"prise parole"') == ["conflit-equipe"]  # a hyphenated tag reads as words
    # the English title of a French thread's theme is not its text: the word is unknown, and corrected
    found = json.loads(run(project, "search", "conflicts", "--json").stdout)
    assert found["corrections"] == [{"typed": "conflicts", "searched": "conflits"}]
    assert slugs("télétravail") == ["remote-team"]  # its theme's title (no English one: the French)
    themes = project / "content/themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8").replace("{fr: Télétravail}", "{fr: Hybride, en: Hybrid work}"),
                      encoding="utf-8")
    update = json.loads(run(project, "index", "--json").stdout)
    assert (update["updated"], update["unchanged"]) == (1, 1)
    assert slugs("hybrid") == ["remote-team"] and slugs("télétravail") == []


def test_search_without_an_index_says_what_to_do(make_project, run):  # type: ignore[no-untyped-def]
    project = make_project(two_threads())
    result = run(project, "search", "conflit")
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "run `entraide build` or `entraide index`" in result.output


def test_only_changed_threads_are_reindexed(make_project, run):  # type: ignore[no-untyped-def]
    project = make_project(two_threads())
    first = json.loads(run(project, "index", "--json").stdout)
    assert first["rebuilt"] and first["added"] == 2
    again = json.loads(run(project, "index", "--json").stdout)
    assert (again["added"], again["updated"], again["removed"], again["unchanged"]) == (0, 0, 0, 2)
    assert again["export"] == "updated, 0 files written, 0 removed"

    files = dict(two_threads())
    files["content/threads/carpool/thread.md"] = thread_file(  # newer than the others: appended
        title="Carpool schedule", theme="teletravail", lang="en", body="Who drives on Fridays?", date="2025-04-01"
    )
    make_project(files, root=project)
    added = json.loads(run(project, "index", "--json").stdout)
    assert (added["added"], added["updated"], added["removed"], added["unchanged"]) == (1, 0, 0, 2)
    written = int(added["export"].split(", ")[1].split()[0])
    assert written <= 20  # its 5 terms with its theme (postings + positions), their vocabulary files, its fragment,
    # theme lists, meta, manifest
    hits = json.loads(run(project, "search", "carpool", "--json").stdout)["hits"]
    assert [hit["slug"] for hit in hits] == ["carpool"]

    shutil.rmtree(project / "content/threads/carpool")
    removed = json.loads(run(project, "index", "--json").stdout)
    assert removed["removed"] == 1
    assert json.loads(run(project, "search", "carpool", "--json").stdout)["hits"] == []
    exported = " ".join(path.read_text(encoding="utf-8") for path in (project / EXPORT).rglob("*.json"))
    assert "Carpool" not in exported and "carpool" not in exported


def test_withdrawn_thread_leaves_the_site_search(make_project, run):  # type: ignore[no-untyped-def]
    project = make_project(two_threads())
    assert run(project, "build").exit_code == 0
    fragments = " ".join(p.read_text(encoding="utf-8") for p in (project / "site/search/d").glob("*.json"))
    assert "Remote team rituals" in fragments
    result = run(project, "withdraw", "remote-team", "--reason", "Demande de l'auteur", "--editor", "Ed")
    assert result.exit_code == 0, result.output
    assert run(project, "build").exit_code == 0
    site_search = " ".join(p.read_text(encoding="utf-8") for p in (project / "site/search").rglob("*.json"))
    assert "Remote team" not in site_search and "remote-team" not in site_search
    assert "isolated" not in site_search
    for name in ("feed.xml", "themes/teletravail/feed.xml", "sitemap.xml"):
        assert "remote-team" not in (project / "site" / name).read_text(encoding="utf-8"), name
    assert not (project / "site/search/t/iso.json").exists()  # "isol" was only in the withdrawn thread


def test_a_failed_build_leaves_the_index_usable(make_project, run):  # type: ignore[no-untyped-def]
    project = make_project(two_threads())
    assert run(project, "build").exit_code == 0
    broken = project / "content/threads/conflit-equipe/thread.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("lang: fr", "lang: no"), encoding="utf-8")
    assert run(project, "build").exit_code == 1
    hits = json.loads(run(project, "search", "équipe", "--json").stdout)["hits"]
    assert [hit["slug"] for hit in hits] == ["conflit-equipe"]


def test_anonymous_authors_are_not_in_the_index(make_project, run):  # type: ignore[no-untyped-def]
    files = two_threads()
    files["content/threads/conflit-equipe/2025-03-06-anon.md"] = reply(
        author="Zéphyrine Secret", date="2025-03-06 10:00", text="Merci !", anonymous=True
    )
    project = make_project(files)
    assert run(project, "build").exit_code == 0
    for path in (project / ".entraide").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Secret" not in data and "Zéphyrine".encode() not in data, path
    assert json.loads(run(project, "search", "Zéphyrine", "--json").stdout)["hits"] == []


def test_related_threads_on_pages_and_editors_list_wins(tmp_path):  # type: ignore[no-untyped-def]
    project = example_project(tmp_path / "example")
    page = (project / "site/conflit-entre-deux-collaborateurs/index.html").read_text(encoding="utf-8")
    related = page.split('class="ent-related"', 1)[1].split("</nav>", 1)[0]
    links = related.count("<li>")
    assert 1 <= links <= 5
    assert "faut-il-faire-appel-a-un-mediateur" in related
    assert 'href="../conflit-entre-deux-collaborateurs/"' not in related


def test_related_threads_are_what_whooshs_own_boosted_query_finds(tmp_path):  # type: ignore[no-untyped-def]
    """The related lists, computed from the export's table, equal Whoosh's search for the same key
    terms in a clean index (numbered in canonical order, nothing deleted)."""
    from whoosh import query as wq

    from entraide.loading.loader import load_content
    from search.documents import topics_of, topics_text
    from search.export import load_table
    from search.index import SearchIndex, live_slugs
    from search.related import RELATED_FLOOR, RELATED_PARTS, key_terms, related_lists
    from search.schema import FIELD_BOOSTS
    from search.searching import WEIGHTING

    project = example_project(tmp_path / "example", build=False)
    assert cli_in(project, "index").exit_code == 0
    tree = load_content(project / "content")
    ours = related_lists(load_table(project / EXPORT) or {})
    with SearchIndex(project / ".entraide/search/index").open().searcher(weighting=WEIGHTING) as searcher:
        live = live_slugs(searcher)
        assert len(ours) == len(live) == 39
        for slug, docnum in live.items():
            stored = searcher.stored_fields(docnum)
            lang = stored["lang"]
            starts = stored.get("starts", [])  # the text fields hold the opening post, the replies' start
            units = stored["body"].encode("utf-16-le")
            lead = units[: 2 * starts[0][1]].decode("utf-16-le") if starts else stored["body"]
            thread = tree.threads_by_slug[slug]
            topics = topics_text(thread, topics_of(thread, tree))
            terms = key_terms(searcher, f"text_{lang}", stored["title"] + "\n" + lead + "\n" + topics)
            fields = [f"{part}_{lang}" for part in RELATED_PARTS]
            query = wq.Or([wq.Term(name, text, boost=weight * FIELD_BOOSTS[name])
                           for text, weight in terms for name in fields])
            hits = [(hit.docnum, hit["slug"], hit.score) for hit in searcher.search(query, limit=None)]
            own = next(score for number, _slug, score in hits if number == docnum)
            theirs = [found for number, found, score in hits if number != docnum and score >= own * RELATED_FLOOR][:5]
            assert ours[slug] == theirs, slug
        # a floor: below it a list shows fewer threads, or none, rather than noise
        assert 0 < sum(not found for found in ours.values()) < len(ours) / 2
        assert sum(len(found) for found in ours.values()) / len(ours) > 1.5


def test_incremental_export_equals_a_whole_export(make_project, run, tmp_path):  # type: ignore[no-untyped-def]
    from entraide.loading.loader import load_content
    from search.export import export
    from search.index import SearchIndex, UpdateReport

    files = two_threads()
    project = make_project(files)
    assert run(project, "index").exit_code == 0
    files["content/threads/carpool/thread.md"] = thread_file(
        title="Carpool schedule for the team", theme="teletravail", lang="en", body="Who drives the remote team on Fridays?"
    )
    files["content/threads/conflit-equipe/thread.md"] = thread_file(
        title="Conflit dans l’équipe", theme="conflits", body="Deux collaborateurs se disputent en réunion d’équipe."
    )
    make_project(files, root=project)
    report = json.loads(run(project, "index", "--json").stdout)
    assert (report["added"], report["updated"]) == (1, 1)
    ix = SearchIndex(project / ".entraide/search/index").open()
    whole = tmp_path / "whole"
    export(whole, ix, load_content(project / "content"), UpdateReport(rebuilt=True))
    incremental = project / EXPORT
    names = sorted(str(p.relative_to(whole)) for p in whole.rglob("*.*") if not p.name.startswith("."))
    assert names == sorted(str(p.relative_to(incremental)) for p in incremental.rglob("*.*") if not p.name.startswith("."))
    assert any(name.endswith(".bin") for name in names) and any(name.endswith(".json") for name in names)
    for name in names:
        if name.endswith(".json"):
            assert json.loads((incremental / name).read_text()) == json.loads((whole / name).read_text()), name
        else:
            assert (incremental / name).read_bytes() == (whole / name).read_bytes(), name


def test_not_excludes_the_first_candidate_too(make_project, run):  # type: ignore[no-untyped-def]
    """Whoosh 2.7's AndNot kept the first match of its positive side when the excluded side started
    earlier (the ranking now excludes by itself; this guards the case)."""
    files = {
        "content/themes.yml": "themes:\n  - slug: conflits\n    title: {fr: Conflits}\n",
        "content/threads/a/thread.md": thread_file("Sujet un", "conflits", "Une réunion.").replace("2025-03-04", "2025-03-03"),
        "content/threads/b/thread.md": thread_file("Sujet deux", "conflits", "Équipe et réunion.").replace("2025-03-04", "2025-03-02"),
        "content/threads/c/thread.md": thread_file("Sujet trois", "conflits", "Une équipe.").replace("2025-03-04", "2025-03-01"),
    }
    project = make_project(files)
    assert run(project, "index").exit_code == 0
    for query in ("équipe -réunion", "équipe NOT réunion", '"une équipe" -réunion'):
        hits = json.loads(run(project, "search", query, "--json").stdout)["hits"]
        assert [hit["slug"] for hit in hits] == ["c"], query


def test_ranking_gives_whooshs_own_scores_across_segments(make_project, run):  # type: ignore[no-untyped-def]
    """search.ranking reads Whoosh's posting blocks itself; its scores must stay Whoosh's BM25F scores,
    across the segments that newer threads are appended in."""
    import random

    from whoosh import query as wq

    from search.analysis import term
    from search.exported import ExportedPostings
    from search.index import SearchIndex
    from search.query import And, Most, Or, Scoped, Word, parse
    from search.ranking import Ranker
    from search.schema import FIELD_BOOSTS, FIELD_LANG, TEXT_FIELDS
    from search.searching import WEIGHTING

    rng = random.Random(3)
    vocabulary = ["équipe", "réunion", "conflit", "planning", "manager", "projet", "client", "team", "meeting"]
    files = {"content/themes.yml": "themes:\n  - slug: t\n    title: {fr: Thème, en: Theme}\n"}

    def thread(n: int) -> str:
        body = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 60)))
        date = f"2025-{1 + n // 100:02d}-{1 + n % 100 // 4:02d}"  # later threads are newer: appended
        return thread_file(f"Sujet {rng.choice(vocabulary)} {n}", "t", body, lang="fr" if n % 3 else "en", date=date)

    for n in range(100):
        files[f"content/threads/fil-{n}/thread.md"] = thread(n)
    project = make_project(files)
    assert run(project, "index").exit_code == 0
    for batch in (range(100, 110), range(110, 130)):  # two more segments
        for n in batch:
            files[f"content/threads/fil-{n}/thread.md"] = thread(n)
        make_project(files, root=project)
        update = json.loads(run(project, "index", "--json").stdout)
        assert update["added"] == len(batch) and not update["compacted"], update

    def whoosh_query(node, fields=TEXT_FIELDS):  # type: ignore[no-untyped-def]
        if isinstance(node, Word):
            return wq.Or([wq.Term(f, term(node.text, FIELD_LANG[f]), boost=FIELD_BOOSTS[f]) for f in fields])
        if isinstance(node, Scoped):
            return whoosh_query(node.children[0], [f for f in fields if f.startswith(f"{node.part}_")])
        children = [whoosh_query(child, fields) for child in node.children]
        return wq.Or(children) if isinstance(node, Or) else wq.And(children)

    ix = SearchIndex(project / ".entraide/search/index").open()
    from_export = ExportedPostings.open(project / ".entraide/search/index", ix)
    assert from_export is not None  # `entraide index` exported this generation of the index
    with ix.searcher(weighting=WEIGHTING) as searcher:
        assert len(searcher.leaf_searchers()) > 2 and searcher.doc_count_all() == searcher.doc_count()
        for text in ("équipe", "équipe réunion", "conflit OR team", "manager projet client", "sujet",
                     "title:équipe réunion", "title:(conflit OR team) sujet"):
            node = parse(text)
            if isinstance(node, Most):  # its threads with every word are the strict query's
                node = And(node.children)
            assert isinstance(node, Word | And | Or | Scoped)
            expected = {hit.docnum: hit.score for hit in searcher.search(whoosh_query(node), limit=None)}
            for exported in (None, from_export):  # Whoosh's posting blocks, then the static export's files
                dense = Ranker(searcher, list(TEXT_FIELDS), exported).evaluate(node)
                found = {int(d): float(dense[d]) for d in dense.nonzero()[0]}
                assert expected and found.keys() == expected.keys(), text
                assert all(abs(found[d] - expected[d]) <= 1e-9 * expected[d] for d in expected), text


def test_title_scope_in_queries():  # type: ignore[no-untyped-def]
    from search.query import And, Or, Phrase, Prefix, QueryError, Scoped, Word, loose, parse

    assert parse("title:conflit équipe") == And((Scoped("title", (Word("conflit"),)), Word("equipe")))
    assert parse('titre:"entretien annuel"') == Scoped("title", (Phrase(("entretien", "annuel")),))
    assert parse("Title:manag*") == Scoped("title", (Prefix("manag"),))
    assert parse("équipe -title:(conflit OR tension)") == And(
        (Word("equipe"),), (Scoped("title", (Or((Word("conflit"), Word("tension"))),)),)
    )
    assert parse("1:1 réunion") == Word("reunion")  # a colon elsewhere is punctuation
    assert parse("note: conflit") == loose((Word("note"), Word("conflit")))  # plain words: loose
    for query, message in [
        ("title:", "title: must be followed by a word, a phrase or a group"),
        ("title: OR conflit", "title: must be followed by a word, a phrase or a group"),
        ("tag:médiation", "'tag:' cannot be searched in the query, only title: can; filter by theme, tag or language instead"),
    ]:
        with pytest.raises(QueryError) as raised:
            parse(query)
        assert str(raised.value) == message


def test_an_export_older_than_the_index_is_not_read(make_project, run):  # type: ignore[no-untyped-def]
    """The CLI ranks from the export only when it was made from the index as it is; else from Whoosh."""
    from entraide.loading.loader import load_content
    from search.exported import ExportedPostings
    from search.index import SearchIndex

    files = two_threads()
    project = make_project(files)
    assert run(project, "index").exit_code == 0
    folder = project / ".entraide/search/index"
    assert ExportedPostings.open(folder, SearchIndex(folder).open()) is not None
    files["content/threads/new-conflict/thread.md"] = thread_file(
        title="Conflit au planning", theme="conflits", body="Un conflit sur le planning."
    )
    make_project(files, root=project)
    SearchIndex(folder).update(load_content(project / "content"))  # the index alone, as after a crash
    assert ExportedPostings.open(folder, SearchIndex(folder).open()) is None
    found = json.loads(run(project, "search", "conflit", "--json").stdout)
    assert sorted(hit["slug"] for hit in found["hits"]) == ["conflit-equipe", "new-conflict"]
    assert run(project, "index").exit_code == 0  # exported again: read again
    assert ExportedPostings.open(folder, SearchIndex(folder).open()) is not None
    assert json.loads(run(project, "search", "conflit", "--json").stdout)["hits"] == found["hits"]


@pytest.mark.parametrize("typed", ["« entretien annuel »", "«entretien annuel»", "“entretien annuel”", "„entretien annuel“"])
def test_typographic_quotes_make_a_phrase(typed):  # type: ignore[no-untyped-def]
    from search.query import Phrase, parse

    assert parse(typed) == parse('"entretien annuel"') == Phrase(("entretien", "annuel"))


def test_a_one_word_submission_is_no_duplicate_of_anything(make_project, run):  # type: ignore[no-untyped-def]
    from entraide.moderation.submissions import DUPLICATE_OVERLAP
    from search.index import SearchIndex
    from search.related import similar_to
    from search.searching import WEIGHTING

    project = make_project(two_threads())
    assert run(project, "index").exit_code == 0
    with SearchIndex(project / ".entraide/search/index").open().searcher(weighting=WEIGHTING) as searcher:
        alone = similar_to(searcher, "Réunion", "Réunion", "fr")  # one word, which the thread holds
        same = similar_to(searcher, "Conflit dans l’équipe", "Deux collaborateurs se disputent en réunion. "
                          "Parlez aux deux séparément.", "fr")
    assert [s.slug for s in alone] == ["conflit-equipe"] and alone[0].overlap < DUPLICATE_OVERLAP
    assert same[0].slug == "conflit-equipe" and same[0].overlap >= DUPLICATE_OVERLAP


def test_one_pass_analysis_gives_the_analyzers_terms_and_positions():  # type: ignore[no-untyped-def]
    """Documents are analysed once, by ``indexed_words``: it must give what the Whoosh analyzer (which
    queries and the highlighter still use, and the site's script mirrors) gives, positions included."""
    import random

    from whoosh.formats import tokens

    from search.analysis import field_postings, indexed_words, vocabulary_analyzer

    rng = random.Random(5)
    pieces = ["équipe", "Équipes", "les", "a", "l’", "d'", "co-worker", "burn‑out", "x-y", "œuvre", "Straße",
              "conflits", "1", "22", "-", "‐", "post-it-note", "L’Équipe-projet", "ÇA", "naïve", "les-uns"]
    texts = ["", "a b c", "les co-worker", "x-les les-x et-et"] + [
        "".join(rng.choice(pieces) + rng.choice(["", " ", "-", ", ", "\n", "’"]) for _ in range(rng.randint(1, 30)))
        for _ in range(400)
    ]
    for lang in ("fr", "en"):
        for text in texts:
            expected: dict[str, list[int]] = {}
            for token in tokens(text, analyzer(lang), {"positions": True, "mode": "index"}):
                expected.setdefault(token.text, []).append(token.pos)
            assert field_postings(indexed_words(text), lang) == expected, text
    for text in texts:
        words: dict[str, int] = {}
        for token in tokens(text, vocabulary_analyzer(), {"mode": "index"}):
            words[token.text] = words.get(token.text, 0) + 1
        counted: dict[str, int] = {}
        for word, _pos in indexed_words(text):
            counted[word] = counted.get(word, 0) + 1
        assert counted == words, text
