"""Every export format, end to end: import → check → accept → build → search, and a second run skips."""

from __future__ import annotations

import json

from tests.htmlsite import page, reply_ids, text
from tests.importing import FIXTURES, import_and_publish, published_slug, small_project, submission_files

BASIS = "licence CC BY-SA de la source"
SE_DUMP = str(FIXTURES / "stackexchange" / "workplace.stackexchange.com")
SE_SLUG = "how-do-i-handle-a-conflict-between-two-team-members"


def test_a_stack_exchange_dump_becomes_threads_with_their_answers_in_order(make_project, run):
    project = small_project(make_project)
    summary = import_and_publish(run, project, "stackexchange", SE_DUMP, "--theme", "conflits", "--lang", "en",
                                 "--basis", BASIS)
    assert summary == ("Imported 2 threads and 3 replies from workplace.stackexchange.com into submissions/ "
                       "as submissions (names); skipped 0.")
    html = page(project / "site", SE_SLUG)
    prefix = "se-workplace-stackexchange-com-"
    assert reply_ids(html) == [prefix + "a13", prefix + "a14", prefix + "a15"]  # date order, not score
    assert f'class="ent-post ent-reply ent-reply--best" id="reply-{prefix}a15"' in html
    words = text(html)
    assert ("Publié à l’origine sur workplace.stackexchange.com par Priya N., licence CC-BY-SA-3.0") in words
    for name in ("Tomás R.", "Guest Reader", "Grace Hopkins"):
        assert f"par {name}, licence CC-BY-SA-3.0" in words
    assert '<a href="https://workplace.stackexchange.com/q/12" rel="nofollow noopener noreferrer">' in html
    assert "<h3>Context</h3>" in html and "<h1>Context" not in html
    assert ('<a href="https://workplace.stackexchange.com/q/7" rel="nofollow noopener noreferrer ugc">'
            "this older question</a>") in html
    assert ('<a href="https://workplace.stackexchange.com/images/chart.png" rel="nofollow noopener noreferrer ugc">'
            "[Image: tension chart]</a>") in html
    assert "<img" not in html.split('<div class="ent-post__body"', 1)[1]
    assert "H₂O and e = mc²." in html and "H~2~O" not in html and "mc^2^" not in html
    thread = (project / "content/threads" / SE_SLUG / "thread.md").read_text(encoding="utf-8")
    assert 'basis: "licence CC BY-SA de la source"' in thread and f'best_reply: "{prefix}a15"' in thread
    log = [json.loads(line) for line in (project / "moderation/log.jsonl").read_text().splitlines()]
    assert [entry["action"] for entry in log] == ["import"] + ["accept"] * 5
    assert all(entry["basis"] == BASIS for entry in log)
    found = run(project, "search", "clear agenda", "--json")
    assert SE_SLUG in [hit["slug"] for hit in json.loads(found.output)["hits"]]
    (formula,) = json.loads(run(project, "search", "H2O", "--json").output)["hits"]  # folded: ₂ is a 2
    assert "H₂O and e = mc²." in formula["snippet"]
    attribution = run(project, "search", "origine OR originally OR publié", "--json")
    assert json.loads(attribution.output)["hits"] == []  # the attribution is no post text
    feed = (project / "site/feed.xml").read_text(encoding="utf-8")
    assert "Publié à l’origine" not in feed and "workplace.stackexchange.com par" not in feed


def test_a_second_import_of_the_same_dump_writes_nothing_and_says_why(make_project, run):
    project = small_project(make_project)
    args = ("import", "stackexchange", SE_DUMP, "--theme", "conflits", "--lang", "en", "--basis", BASIS)
    assert run(project, *args).exit_code == 0
    before = submission_files(project)
    again = run(project, *args)
    assert again.exit_code == 0, again.output
    assert again.output.strip() == ("Imported 0 threads and 0 replies from workplace.stackexchange.com into "
                                    "submissions/ as submissions (names); skipped 5 (5 already pending).")
    assert submission_files(project) == before
    assert run(project, "accept", "se-workplace-stackexchange-com-q12", "--editor", "Anne E.").exit_code == 0
    assert run(project, "reject", "se-workplace-stackexchange-com-a14", "--editor", "Anne E.",
               "--reason", "hors sujet").exit_code == 0
    third = run(project, *args, "--json")
    report = json.loads(third.output)
    assert (report["threads"], report["replies"], report["written"]) == (0, 0, [])
    assert report["skipped"] == {"already pending": 3, "already published": 1, "already rejected": 1}


def test_a_reply_cannot_be_accepted_before_its_thread(make_project, run):
    project = small_project(make_project)
    assert run(project, "import", "stackexchange", SE_DUMP, "--theme", "conflits", "--basis", BASIS).exit_code == 0
    early = run(project, "accept", "se-workplace-stackexchange-com-a15", "--editor", "Anne E.")
    assert early.exit_code == 1
    assert early.output.strip() == ("Error: 'se-workplace-stackexchange-com-a15' replies to "
                                    "'se-workplace-stackexchange-com-q12', which is not a published thread yet: "
                                    "accept that thread first")


def test_a_discourse_topic_keeps_its_solution_and_names_its_mentions(make_project, run):
    project = small_project(make_project)
    summary = import_and_publish(run, project, "discourse", str(FIXTURES / "discourse"), "--theme", "running",
                                 "--source-url", "https://forum.example.org", "--license", "CC-BY-SA-4.0",
                                 "--basis", "licence CC BY-SA du forum")
    assert summary == ("Imported 1 thread and 2 replies from forum.example.org into submissions/ as submissions "
                       "(names); skipped 2 (2 whispers, moderator actions, hidden or deleted posts).")
    slug = "preparer-son-premier-10-km-en-trois-mois"
    html = page(project / "site", slug)
    assert reply_ids(html) == ["discourse-forum-example-org-t41-p2", "discourse-forum-example-org-t41-p3"]
    assert 'ent-reply--best" id="reply-discourse-forum-example-org-t41-p3"' in html
    words = text(html)
    assert "Ajoutez une sortie longue le week-end, @Mathieu L." in words
    assert "Publié à l’origine sur forum.example.org par Aurélie, licence CC-BY-SA-4.0" in words
    assert '<a href="https://forum.example.org/t/plans-10-km/12"' in html
    assert '<a href="https://forum.example.org/uploads/default/original/1X/plan.png"' in html
    assert "note interne" not in html
    assert "<h4>Mon niveau</h4>" in html


def test_a_slack_export_is_anonymous_unless_told_otherwise(make_project, run):
    project = small_project(make_project)
    refused = run(project, "import", "slack", str(FIXTURES / "slack" / "export"), "--theme", "conflits",
                  "--basis", "accord des membres")
    assert refused.exit_code == 1 and submission_files(project) == {}
    assert refused.output.splitlines() == [
        "Error: managers/2025-03-04.json: message ts=1741082400.000200: the export does not say its posts' licence: "
        "give --license", "1 problem in the export; nothing was imported."]
    summary = import_and_publish(run, project, "slack", str(FIXTURES / "slack" / "export"), "--theme", "conflits",
                                 "--license", "CC-BY-SA-4.0", "--basis", "accord des membres, charte du 2025-03-01")
    assert summary == ("Imported 1 thread and 2 replies from Slack into submissions/ as submissions (anonymous); "
                       "skipped 3 (2 bot, join and other system messages; 1 message without replies "
                       "(not a discussion)).")
    html = page(project / "site", published_slug(project))
    assert len(reply_ids(html)) == 2
    words = text(html)
    assert "@membre je les verrais séparément d'abord, voir ce guide" in words
    assert "Publié à l’origine sur Slack, licence CC-BY-SA-4.0" in words  # no name: anonymous
    for secret in ("Claire", "Karim", "Sophie", "U01CLAIRE", "Lemaire"):
        assert secret not in "".join(submission_files(project).values())
        for built in (project / "site").rglob("*.html"):
            assert secret not in built.read_text(encoding="utf-8"), built
    assert "Membre anonyme" in words


def test_slack_pseudonyms_are_stable_and_used_in_mentions(make_project, run):
    project = small_project(make_project)
    result = run(project, "import", "slack", str(FIXTURES / "slack" / "export"), "--theme", "conflits",
                 "--pseudonyms", "--basis", "accord des membres", "--license", "CC-BY-SA-4.0", "--json")
    assert result.exit_code == 0, result.output
    posts = submission_files(project)
    opening = next(text for text in posts.values() if "\nreply_to:" not in text)
    pseudonym = opening.split('author: "', 1)[1].split('"', 1)[0]
    assert pseudonym.startswith("Membre ") and len(pseudonym) == len("Membre ") + 6
    assert any(f"@{pseudonym} je les verrais" in text for text in posts.values())
    assert "Claire" not in "".join(posts.values()) and "source_author" not in "".join(posts.values())


def test_a_viva_engage_export_leaves_private_and_deleted_messages_out(make_project, run):
    project = small_project(make_project)
    summary = import_and_publish(run, project, "yammer", str(FIXTURES / "yammer"), "--theme", "conflits",
                                 "--license", "CC-BY-SA-4.0", "--basis", "accord des membres, charte du 2025-03-01")
    assert summary == ("Imported 1 thread and 2 replies from Viva Engage into submissions/ as submissions "
                       "(anonymous); skipped 2 (1 deleted message; 1 private message or private group "
                       "(never imported)).")
    html = page(project / "site", published_slug(project))
    assert reply_ids(html) == ["viva-viva-engage-m9002", "viva-viva-engage-m9004"]
    assert "@membre un café virtuel" in text(html)
    for absent in ("Conversation privée", "Message supprimé", "Léa", "Hugo", "lea@example.org"):
        assert absent not in html


def test_a_form_csv_with_a_mapping_file_becomes_one_thread_per_answer(make_project, run):
    project = small_project(make_project)
    summary = import_and_publish(run, project, "csv", str(FIXTURES / "csv" / "reponses.csv"), "--theme", "conflits",
                                 "--mapping", str(FIXTURES / "csv" / "mapping.yml"), "--license", "CC-BY-4.0",
                                 "--keep-names", "--basis", "accord des répondants (case cochée du formulaire)")
    assert summary == ("Imported 2 threads and 0 replies from formulaire into submissions/ as submissions (names); "
                       "skipped 0.")
    html = page(project / "site", "comment-dire-non-a-mon-propre-manager")
    assert "Publié à l’origine sur formulaire par Nadia K., licence CC-BY-4.0" in text(html)
    assert '<a class="ent-tag"' in html and "priorités" in html
    found = run(project, "search", "retard", "--json")
    assert "un-collaborateur-arrive-toujours-en-retard" in [h["slug"] for h in json.loads(found.output)["hits"]]


def test_the_column_mapping_may_be_given_on_the_command_line(make_project, run):
    project = small_project(make_project)
    result = run(project, "import", "csv", str(FIXTURES / "csv" / "reponses.csv"), "--theme", "conflits",
                 "--map", "title=Votre question,body=Contexte,date=Horodateur", "--license", "CC-BY-4.0",
                 "--basis", "accord des répondants")
    assert result.exit_code == 0, result.output
    posts = submission_files(project)
    assert len(posts) == 2 and all("anonymous: true" in text for text in posts.values())
    assert all("date: 2025-03-0" in text for text in posts.values())


def test_a_public_source_can_be_imported_without_names(make_project, run):
    project = small_project(make_project)
    result = run(project, "import", "stackexchange", SE_DUMP, "--theme", "conflits", "--anonymous", "--basis", BASIS)
    assert result.exit_code == 0, result.output
    posts = "".join(submission_files(project).values())
    for name in ("Priya", "Tomás", "Guest Reader", "Grace", "source_author"):
        assert name not in posts
    assert posts.count("anonymous: true") == 5


def test_the_basis_is_required(make_project, run):
    project = small_project(make_project)
    result = run(project, "import", "stackexchange", SE_DUMP, "--theme", "conflits")
    assert result.exit_code == 2 and "Missing option '--basis'" in result.output
    assert submission_files(project) == {}


def test_one_accept_all_publishes_an_import_threads_before_their_replies(make_project, run):
    project = small_project(make_project)
    assert run(project, "import", "stackexchange", SE_DUMP, "--theme", "conflits", "--lang", "en",
               "--basis", BASIS).exit_code == 0
    done = run(project, "accept", "--all", "--editor", "Anne E.", "--json")
    assert done.exit_code == 0, done.output
    assert submission_files(project) == {}  # replies named their thread's submission id: accepted after it
    thread = (project / "content/threads" / SE_SLUG / "thread.md").read_text(encoding="utf-8")
    assert 'best_reply: "se-workplace-stackexchange-com-a15"' in thread
    assert len(list((project / "content/threads" / SE_SLUG).glob("se-*.md"))) == 3
    assert run(project, "check").exit_code == 0
    log = [json.loads(line) for line in (project / "moderation/log.jsonl").read_text().splitlines()]
    assert [entry["action"] for entry in log].count("accept") == 5


FORM_MAP = "title=Question,body=Détails,date=Horodateur,id=Id,author=Nom,reply_to=Réponse à"
FORM_HEADER = "Horodateur,Id,Question,Détails,Nom,Réponse à\n"


def test_form_rows_may_reply_to_a_row_a_reply_row_an_earlier_import_or_a_published_thread(make_project, run, tmp_path):
    from tests.conftest import valid_files

    project = make_project({**valid_files(), "submissions/README.md": "Pending posts.\n"})
    first = tmp_path / "premier.csv"
    first.write_text(FORM_HEADER + (
        "2025-03-10 09:00,t1,Comment annoncer une réorganisation ?,Mon équipe va changer de périmètre.,Nadia K.,\n"
        "2025-03-10 10:00,r1,,Annoncez-la d'abord en face à face.,Thomas,t1\n"
        "2025-03-10 11:00,r2,,Et laissez du temps pour les questions.,Inès,r1\n"
        "2025-03-11 08:00,r3,,Chez nous une médiation a aidé.,Paul,conflit-collegues\n"
    ), encoding="utf-8")
    args = ("--map", FORM_MAP, "--theme", "conflits", "--license", "CC-BY-4.0", "--keep-names", "--basis", "accord")
    imported = run(project, "import", "csv", str(first), *args)
    assert imported.exit_code == 0, imported.output
    assert imported.output.strip().splitlines()[-1] == (
        "Imported 1 thread and 3 replies from formulaire into submissions/ as submissions (names); skipped 0.")
    posts = submission_files(project)
    assert 'reply_to: "form-formulaire-rt1"' in posts["form-formulaire-rr1"]
    assert "in_reply_to" not in posts["form-formulaire-rr1"]
    assert 'reply_to: "form-formulaire-rt1"\nin_reply_to: "form-formulaire-rr1"' in posts["form-formulaire-rr2"]
    assert 'reply_to: "conflit-collegues"' in posts["form-formulaire-rr3"]
    later = tmp_path / "suite.csv"
    later.write_text(FORM_HEADER + "2025-03-12 08:00,r4,,Prévoyez un point une semaine après.,Léa,t1\n",
                     encoding="utf-8")
    assert run(project, "import", "csv", str(later), *args).exit_code == 0
    assert 'reply_to: "form-formulaire-rt1"' in submission_files(project)["form-formulaire-rr4"]
    done = run(project, "accept", "--all", "--editor", "Anne E.")
    assert done.exit_code == 0, done.output
    assert submission_files(project) == {}
    assert run(project, "build").exit_code == 0
    html = page(project / "site", "comment-annoncer-une-reorganisation")
    assert reply_ids(html) == ["form-formulaire-rr1", "form-formulaire-rr2", "form-formulaire-rr4"]
    assert '<a class="ent-post__answers" href="#reply-form-formulaire-rr1">En réponse à Thomas</a>' in html
    assert "form-formulaire-rr3" in reply_ids(page(project / "site", "conflit-collegues"))


def test_a_form_reply_row_naming_nothing_known_stops_the_import_with_its_row(make_project, run, tmp_path):
    project = small_project(make_project)
    export = tmp_path / "reponses.csv"
    export.write_text(FORM_HEADER + (
        "2025-03-10 09:00,t1,Comment annoncer une réorganisation ?,Mon équipe va changer.,Nadia K.,\n"
        "2025-03-10 10:00,r1,,Annoncez-la en face à face.,Thomas,t9\n"
        "2025-03-10 11:00,t1,Une autre question,Même id.,Inès,\n"
    ), encoding="utf-8")
    result = run(project, "import", "csv", str(export), "--map", FORM_MAP, "--theme", "conflits",
                 "--license", "CC-BY-4.0", "--basis", "accord")
    assert result.exit_code == 1
    assert "reponses.csv:4: id 't1' is also the id of reponses.csv:2" in result.output
    assert "Traceback" not in result.output and submission_files(project) == {}
    del_dup = export.read_text(encoding="utf-8").splitlines()[:-1]
    export.write_text("\n".join(del_dup) + "\n", encoding="utf-8")
    result = run(project, "import", "csv", str(export), "--map", FORM_MAP, "--theme", "conflits",
                 "--license", "CC-BY-4.0", "--basis", "accord")
    assert result.exit_code == 1
    assert ("reponses.csv:3: reply_to: 't9' is not a thread of this export, of an earlier import, "
            "or a published thread") in result.output
    assert submission_files(project) == {}
