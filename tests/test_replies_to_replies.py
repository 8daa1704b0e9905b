"""A reply may answer an earlier reply of its thread (``in_reply_to``): its page says « En réponse à … »
and links to it; it waits for that reply as a reply waits for its thread; a rejected or withdrawn
reply leaves its answers in the thread, answering the thread; the published tree keeps it consistent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import valid_files
from tests.htmlsite import page, reply_ids, text
from tests.importing import FIXTURES, import_and_publish, published_slug, small_project, submission_files

EDITOR = "Anne E."
THREAD_DIR = "content/threads/conflit-collegues"


def answer(in_reply_to: str, words: str, date: str = "2025-06-02 18:00", author: str = "Hugo L.",
           anonymous: str = "false") -> str:
    return (f"---\nreply_to: conflit-collegues\nin_reply_to: {in_reply_to}\nauthor: \"{author}\"\n"
            f"anonymous: {anonymous}\ndate: {date}\nconsent: true\n---\n{words}\n")


def answers_link(html: str, reply_id: str) -> str:
    """The « En réponse à » link in the header of reply ``reply_id`` ('' when it has none)."""
    article = html.split(f'id="reply-{reply_id}"', 1)[1].split("</header>", 1)[0]
    if 'class="ent-post__answers"' not in article:
        return ""
    return article.split('class="ent-post__answers"', 1)[1].split("</a>", 1)[0]


def test_a_published_reply_to_a_reply_links_to_it_and_never_names_an_anonymous_author(make_project, run):
    files = valid_files()
    files[f"{THREAD_DIR}/2025-03-07-lea.md"] = answer("2025-03-06-anon", "Et si vous leur proposiez une médiation ?",
                                                       date="2025-03-07 08:00", author="Léa")
    files[f"{THREAD_DIR}/2025-03-08-paul.md"] = answer("2025-03-05-karim", "Séparément, oui, puis ensemble.",
                                                        date="2025-03-08 08:00", author="Paul")
    project = make_project(files)
    built = run(project, "build")
    assert built.exit_code == 0, built.output
    html = page(project / "site", "conflit-collegues")
    assert answers_link(html, "2025-03-07-lea") == ' href="#reply-2025-03-06-anon">En réponse à Membre anonyme'
    assert answers_link(html, "2025-03-08-paul") == ' href="#reply-2025-03-05-karim">En réponse à Karim B.'
    assert answers_link(html, "2025-03-05-karim") == ""
    assert "Sophie" not in html and "Lemaire" not in html
    assert reply_ids(html) == ["2025-03-05-karim", "2025-03-06-anon", "2025-03-07-lea", "2025-03-08-paul"]


@pytest.mark.parametrize(
    ("answered", "message"),
    [("inconnu", "no reply 'inconnu' in this thread"), ("2025-03-07-lea", "a reply cannot answer itself")],
)
def test_a_published_reply_answering_no_reply_of_its_thread_is_an_error_naming_the_line(
        make_project, run, answered, message):
    files = valid_files()
    files[f"{THREAD_DIR}/2025-03-07-lea.md"] = answer(answered, "Une médiation ?", date="2025-03-07 08:00")
    project = make_project(files)
    checked = run(project, "check")
    assert checked.exit_code == 1
    assert f"{THREAD_DIR}/2025-03-07-lea.md:3: in_reply_to: {message}" in checked.output
    assert run(project, "build").exit_code != 0
    assert not (project / "site").exists()


def pending_chain(make_project):  # noqa: ANN001, ANN201
    """Three pending replies, each answering the one before; their names sort against that order."""
    files = valid_files()
    files["submissions/c-first.md"] = answer("2025-03-06-anon", "D'abord, écoutez chacun.", date="2025-06-02 08:00")
    files["submissions/b-second.md"] = answer("c-first", "Oui, et notez ce que chacun dit.", date="2025-06-02 09:00")
    files["submissions/a-third.md"] = answer("b-second", "Puis une réunion à trois.", date="2025-06-02 09:00")
    files["submissions/README.md"] = "Pending posts.\n"
    return make_project(files)


def test_accept_all_takes_each_reply_after_the_reply_it_answers(make_project, run):
    project = pending_chain(make_project)
    checked = run(project, "check")
    assert checked.exit_code == 0, checked.output
    assert "submissions/b-second.md:3: warning: in_reply_to: answers the pending reply 'c-first': accept that reply first" \
        in checked.output
    done = run(project, "accept", "--all", "--editor", EDITOR, "--json")
    assert done.exit_code == 0, done.output
    assert [o["post"] for o in json.loads(done.output)["done"]] == ["c-first", "b-second", "a-third"]
    assert submission_files(project) == {}
    third = (project / THREAD_DIR / "a-third.md").read_text(encoding="utf-8")
    assert 'in_reply_to: "b-second"' in third
    assert run(project, "build").exit_code == 0
    html = page(project / "site", "conflit-collegues")
    assert answers_link(html, "a-third") == ' href="#reply-b-second">En réponse à Hugo L.'
    assert answers_link(html, "c-first") == ' href="#reply-2025-03-06-anon">En réponse à Membre anonyme'


def test_a_reply_is_not_accepted_before_the_pending_reply_it_answers(make_project, run):
    project = pending_chain(make_project)
    before = submission_files(project)
    refused = run(project, "accept", "b-second", "--editor", EDITOR)
    assert refused.exit_code == 1
    assert "'b-second' answers the pending reply 'c-first': accept that reply first" in refused.output
    assert "Traceback" not in refused.output
    assert submission_files(project) == before
    assert not (project / THREAD_DIR / "b-second.md").exists()


def test_an_answer_to_a_rejected_reply_keeps_its_text_and_answers_the_thread(make_project, run):
    project = pending_chain(make_project)
    assert run(project, "reject", "c-first", "--editor", EDITOR, "--reason", "hors sujet").exit_code == 0
    checked = run(project, "check")
    assert ("submissions/b-second.md:3: warning: in_reply_to: answers reply 'c-first', which is neither published nor "
            "pending: accepting files it as a reply to the thread") in checked.output
    done = run(project, "accept", "b-second", "--editor", EDITOR)
    assert done.exit_code == 0, done.output
    assert "(the reply it answered, 'c-first', is not published: it answers the thread)" in done.output
    published = (project / THREAD_DIR / "b-second.md").read_text(encoding="utf-8")
    assert "in_reply_to" not in published and "Oui, et notez ce que chacun dit." in published
    assert run(project, "accept", "a-third", "--editor", EDITOR).exit_code == 0
    assert 'in_reply_to: "b-second"' in (project / THREAD_DIR / "a-third.md").read_text(encoding="utf-8")
    assert run(project, "check").exit_code == 0


def test_withdrawing_a_reply_detaches_its_answers_and_changes_only_that_line(make_project, run):
    files = valid_files()
    files[f"{THREAD_DIR}/2025-03-07-lea.md"] = (
        "---\n# imported from the forum\nreply_to: conflit-collegues\nin_reply_to: 2025-03-05-karim\n"
        "author: 'Léa'\ndate: 2025-03-07 08:00\nconsent: true\n---\nUne médiation ?\n\n\n"
    )
    project = make_project(files)
    before = (project / THREAD_DIR / "2025-03-07-lea.md").read_text(encoding="utf-8")
    done = run(project, "withdraw", "conflit-collegues/2025-03-05-karim", "--editor", EDITOR, "--reason", "demande")
    assert done.exit_code == 0, done.output
    after = (project / THREAD_DIR / "2025-03-07-lea.md").read_text(encoding="utf-8")
    assert after == before.replace("in_reply_to: 2025-03-05-karim\n", "")
    assert run(project, "check").exit_code == 0
    assert run(project, "build").exit_code == 0
    html = page(project / "site", "conflit-collegues")
    assert reply_ids(html) == ["2025-03-06-anon", "2025-03-07-lea"] and answers_link(html, "2025-03-07-lea") == ""


def test_a_viva_engage_reply_to_a_reply_says_which_one_it_answers(make_project, run):
    project = small_project(make_project)
    import_and_publish(run, project, "yammer", str(FIXTURES / "yammer"), "--theme", "conflits", "--pseudonyms",
                       "--license", "CC-BY-SA-4.0", "--basis", "accord des membres")
    folder = project / "content/threads" / published_slug(project)
    earlier = (folder / "viva-viva-engage-m9002.md").read_text(encoding="utf-8")
    assert "in_reply_to" not in earlier
    pseudonym = earlier.split('author: "', 1)[1].split('"', 1)[0]
    assert pseudonym.startswith("Membre ")
    later = (folder / "viva-viva-engage-m9004.md").read_text(encoding="utf-8")
    assert 'in_reply_to: "viva-viva-engage-m9002"' in later
    html = page(project / "site", published_slug(project))
    link = answers_link(html, "viva-viva-engage-m9004")
    assert link == f' href="#reply-viva-viva-engage-m9002">En réponse à {pseudonym}'
    assert "Hugo" not in html


def test_a_discourse_reply_to_post_number_becomes_in_reply_to(make_project, run):
    project = small_project(make_project)
    import_and_publish(run, project, "discourse", str(FIXTURES / "discourse"), "--theme", "running",
                       "--source-url", "https://forum.example.org", "--license", "CC-BY-SA-4.0",
                       "--basis", "licence CC BY-SA du forum")
    html = page(project / "site", "preparer-son-premier-10-km-en-trois-mois")
    assert answers_link(html, "discourse-forum-example-org-t41-p2") == ""
    assert answers_link(html, "discourse-forum-example-org-t41-p3") == (
        ' href="#reply-discourse-forum-example-org-t41-p2">En réponse à Karim B.')


def english(project: Path) -> Path:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    return project


def test_the_english_interface_says_in_reply_to_and_originally_published(make_project, run):
    project = english(small_project(make_project))
    import_and_publish(run, project, "discourse", str(FIXTURES / "discourse"), "--theme", "running",
                       "--source-url", "https://forum.example.org", "--license", "CC-BY-SA-4.0",
                       "--basis", "licence CC BY-SA du forum")
    html = page(project / "site", "preparer-son-premier-10-km-en-trois-mois")
    words = text(html)
    assert "Originally published on forum.example.org by Aurélie, licence CC-BY-SA-4.0" in words
    assert "Originally published on forum.example.org by Mathieu L., licence CC-BY-SA-4.0" in words
    assert "Publié à l’origine" not in words and "En réponse à" not in words
    assert answers_link(html, "discourse-forum-example-org-t41-p3").endswith(">In reply to Karim B.")
    assert '<a href="https://forum.example.org/t/preparer-son-premier-10-km/41/3"' in html
