"""Contributors and editors, end to end: new → check → review → accept/reject/redact/withdraw → build."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import THREAD, valid_files
from tests.htmlsite import page, reply_ids

SUB_THREAD = """\
---
title: "Mon premier recrutement : par où commencer ?"
theme: conflits
tags: [recrutement]
lang: fr
author: "Inès T."
anonymous: false
date: 2025-06-01 08:30
consent: true
license: CC-BY-SA-4.0
---
Je recrute pour la première fois. {extra}
"""

SUB_REPLY = """\
---
reply_to: conflit-collegues
author: "Hugo L."
anonymous: {anonymous}
date: 2025-06-02 18:00
consent: true
---
Parlez-leur séparément. {extra}
"""


def sub_thread(extra: str = "") -> str:
    return SUB_THREAD.format(extra=extra)


def sub_reply(extra: str = "", anonymous: str = "false") -> str:
    return SUB_REPLY.format(extra=extra, anonymous=anonymous)


def log_entries(project: Path) -> list[dict]:
    path = project / "moderation/log.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def queue(make_project):
    files = valid_files()
    files["submissions/2025-06-01-premier-recrutement.md"] = sub_thread()
    files["submissions/2025-06-02-hugo.md"] = sub_reply()
    return make_project(files)


def test_contributor_writes_a_submission_with_new_and_it_checks_clean(make_project, run, tmp_path):
    project = make_project(valid_files())
    body = tmp_path / "post.md"
    body.write_text("Comment bien accueillir une nouvelle recrue ?\n")
    result = run(project, "new", "--no-input", "--lang", "fr", "--title", "Accueillir une recrue", "--theme",
                 "conflits", "--tags", "onboarding, accueil", "--author", "Inès T.", "--consent",
                 "--body-file", str(body), "--id", "2025-06-01-accueil")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Soumission écrite : submissions/2025-06-01-accueil.md\n")
    text = (project / "submissions/2025-06-01-accueil.md").read_text()
    assert 'title: "Accueillir une recrue"\ntheme: "conflits"\ntags: ["onboarding", "accueil"]\nlang: "fr"' in text
    check = run(project, "check")
    assert check.exit_code == 0, check.output
    assert "and 1 submission: no problem." in check.stdout


def test_new_refuses_what_check_would_refuse(make_project, run, tmp_path):
    project = make_project(valid_files())
    body = tmp_path / "post.md"
    body.write_text("Écrivez-moi : ines@exemple.fr\n")
    result = run(project, "new", "--no-input", "--lang", "en", "--title", "Hello", "--theme", "conflit",
                 "--author", "Inès", "--consent", "--body-file", str(body), "--id", "x")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: the submission was not written:",
        "drafts/x.md:3: theme: unknown theme 'conflit'; did you mean 'conflits'?",
        "drafts/x.md:12: personal data: an e-mail address (ines@exemple.fr)",
        "Your text is kept in drafts/x.md: fix it, then move it into submissions/.",
    ]
    assert not (project / "submissions/x.md").exists()
    draft = (project / "drafts/x.md").read_text(encoding="utf-8")  # the text is never thrown away
    assert draft.startswith("---\n") and draft.endswith("Écrivez-moi : ines@exemple.fr\n")
    again = run(project, "new", "--no-input", "--lang", "fr", "--title", "Bonjour", "--theme", "conflit",
                "--author", "Inès", "--consent", "--body-file", str(body), "--id", "x")
    assert "Votre texte est gardé dans drafts/x-2.md : corrigez-le, puis placez-le dans submissions/." in again.stderr
    assert (project / "drafts/x.md").read_text(encoding="utf-8") == draft  # an earlier draft is kept too
    missing = run(project, "new", "--no-input", "--lang", "fr", "--theme", "conflits")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [  # every missing flag at once, in the language asked for
        "Erreur : --title manque (ou lancez la commande sans --no-input : elle vous le demandera)",
        "--author manque (ou lancez la commande sans --no-input : elle vous le demandera)",
        "--body-file manque (le texte du message ; « - » le lit sur l'entrée standard)",
    ]
    missing = run(project, "new", "--no-input", "--theme", "conflit", "--author", "a@b.fr")
    assert missing.exit_code == 1
    assert missing.stderr.splitlines() == [
        "Error: missing --lang (or run without --no-input to be asked)",
        "missing --title (or run without --no-input to be asked)",
        "missing --body-file (the post's text; '-' reads it from stdin)",
        "--theme: Unknown theme 'conflit'; did you mean 'conflits'?",
        "--author: Personal data: an e-mail address (a@b.fr).",
    ]


def test_check_flags_submissions_with_lines_and_github_annotations(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply("Appelez-moi au 06 12 34 56 78. <b>merci</b> [x](javascript:alert(1))")
    files["submissions/2025-06-03-curieux.md"] = sub_reply().replace("conflit-collegues", "nulle-part")
    files["submissions/2025-06-04-editeur.md"] = sub_thread().replace("license:", "featured: true\nlicense:")
    files["submissions/2025-06-05-doublon.md"] = sub_thread().replace("Mon premier recrutement : par où commencer ?", "Conflit collègues")
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "submissions/2025-06-02-hugo.md:8: personal data: a phone number (06 12 34 56 78)",
        "submissions/2025-06-02-hugo.md:8: warning: raw HTML is shown as text, not interpreted: <b>",
        "submissions/2025-06-02-hugo.md:8: warning: raw HTML is shown as text, not interpreted: </b>",
        "submissions/2025-06-02-hugo.md:8: link scheme 'javascript:' is not allowed (only http, https and mailto); "
        "the link will be removed",
        "submissions/2025-06-03-curieux.md:2: reply_to: no published thread 'nulle-part'",
        "submissions/2025-06-04-editeur.md:10: featured: is set by editors, not in a submission",
        "submissions/2025-06-05-doublon.md:2: warning: title: a thread 'conflit-collegues' already exists: "
        "accept with --slug, or make it a reply (reply_to: conflit-collegues)",
        "4 problems and 3 warnings in 4 files.",
    ]
    github = run(project, "check", "--format", "github", "submissions/2025-06-02-hugo.md")
    assert github.stdout.splitlines()[0] == (
        "::error file=submissions/2025-06-02-hugo.md,line=8,title=entraide check::"
        "personal data: a phone number (06 12 34 56 78)"
    )
    assert github.stdout.splitlines()[1].startswith("::warning file=submissions/2025-06-02-hugo.md,line=8,")


def test_reply_id_collision(make_project, run):
    files = valid_files()
    files["submissions/2025-03-05-karim.md"] = sub_reply()
    result = run(make_project(files), "check")
    assert "submissions/2025-03-05-karim.md:1: id: thread 'conflit-collegues' already has a post '2025-03-05-karim': rename the file" in result.stdout


def test_review_and_show(queue, run):
    result = run(queue, "review")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "2 pending submissions (oldest first):"
    assert "  2025-06-01-premier-recrutement" in result.stdout
    assert "thread: Mon premier recrutement : par où commencer ?" in result.stdout
    assert "reply → conflit-collegues" in result.stdout and "by Hugo L." in result.stdout
    data = json.loads(run(queue, "review", "--json").stdout)
    assert [(item["id"], item["kind"], item["status"]) for item in data] == [
        ("2025-06-01-premier-recrutement", "thread", "ok"), ("2025-06-02-hugo", "reply", "ok"),
    ]
    shown = run(queue, "show", "2025-06-01-premier-recrutement")
    assert "slug     mon-premier-recrutement-par-ou-commencer (change with accept --slug)" in shown.stdout
    assert "  12  Je recrute pour la première fois." in shown.stdout
    missing = run(queue, "show", "nope")
    assert missing.exit_code == 1
    assert missing.stderr == "Error: no pending submission 'nope' (2025-06-01-premier-recrutement, 2025-06-02-hugo)\n"


WRONG_FIELDS = [  # (the submission's line, the options that replace it, what is filed)
    pytest.param("theme: conflit", ("--theme", "conflits"), 'theme: "conflits"', id="unknown-theme"),
    pytest.param("tags: [Recrutement, gestion de crise]", ("--tags", "recrutement"), 'tags: ["recrutement"]',
                 id="malformed-tags"),
    pytest.param("tags: [inconnu]", ("--tags", "conflit"), 'tags: ["conflit"]', id="unknown-tag"),
    pytest.param("theme: Conflits!", ("--theme", "conflits", "--tags", "conflit"), 'theme: "conflits"',
                 id="malformed-theme"),
]


@pytest.mark.parametrize(("line", "options", "filed"), WRONG_FIELDS)
def test_accept_with_theme_or_tags_replaces_a_wrong_proposed_value(make_project, run, line, options, filed):
    """The editor's --theme or --tags is checked instead of the proposed value, whose problems no longer block."""
    files = valid_files()
    files["content/tags.yml"] = "tags:\n  - name: conflit\n  - name: médiation\n  - name: recrutement\n"
    key = line.split(":")[0]
    proposed = next(old for old in SUB_THREAD.splitlines() if old.startswith(key + ":"))
    files["submissions/2025-06-01-premier-recrutement.md"] = sub_thread().replace(proposed, line)
    project = make_project(files)
    refused = run(project, "accept", "2025-06-01-premier-recrutement", "--editor", "Anne E.")
    assert refused.exit_code == 1  # without the option, the proposed value is the problem
    assert f"'{line.split(':', 1)[1].strip(' []').split(',')[0]}'" in refused.output, refused.output
    result = run(project, "accept", "2025-06-01-premier-recrutement", "--editor", "Anne E.", *options)
    assert result.exit_code == 0, result.output
    assert filed in (project / "content/threads/mon-premier-recrutement-par-ou-commencer/thread.md").read_text()


def test_the_theme_given_to_accept_is_checked_instead(make_project, run):
    files = valid_files()
    files["submissions/2025-06-01-premier-recrutement.md"] = sub_thread().replace("theme: conflits", "theme: conflit")
    project = make_project(files)
    result = run(project, "accept", "2025-06-01-premier-recrutement", "--editor", "Anne E.", "--theme", "runing")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: '2025-06-01-premier-recrutement' has problems to fix first:\n"
        "  submissions/2025-06-01-premier-recrutement.md:3: theme: unknown theme 'runing'; did you mean 'running'?\n"
    )
    assert (project / "submissions/2025-06-01-premier-recrutement.md").exists()


def test_accept_a_thread_and_a_reply_then_build(queue, run):
    result = run(queue, "accept", "2025-06-01-premier-recrutement", "--editor", "Anne E.", "--theme", "running",
                 "--tags", "recrutement,premier-poste", "--slug", "premier-recrutement")
    assert result.exit_code == 0, result.output
    assert result.stdout == "Accepted 2025-06-01-premier-recrutement as thread 'premier-recrutement'.\n"
    filed = (queue / "content/threads/premier-recrutement/thread.md").read_text()
    assert 'theme: "running"\ntags: ["recrutement", "premier-poste"]' in filed
    assert not (queue / "submissions/2025-06-01-premier-recrutement.md").exists()
    assert run(queue, "accept", "2025-06-02-hugo", "--editor", "Anne E.").exit_code == 0
    assert (queue / "content/threads/conflit-collegues/2025-06-02-hugo.md").is_file()
    entries = log_entries(queue)
    assert [(e["action"], e["post"], e["editor"]) for e in entries] == [
        ("accept", "2025-06-01-premier-recrutement", "Anne E."), ("accept", "2025-06-02-hugo", "Anne E."),
    ]
    assert entries[0]["target"] == "content/threads/premier-recrutement/thread.md"
    assert run(queue, "build").exit_code == 0
    assert "Je recrute pour la première fois." in page(queue / "site", "premier-recrutement")
    assert reply_ids(page(queue / "site", "conflit-collegues")) == ["2025-03-05-karim", "2025-03-06-anon", "2025-06-02-hugo"]


def test_personal_data_blocks_acceptance_until_redacted_or_overridden(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply("Mon mail : hugo@exemple.fr, chez Durand SA.")
    project = make_project(files)
    refused = run(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        "Error: '2025-06-02-hugo' cannot be accepted yet (redact it with `entraide redact`, or override with "
        "--override-personal-data REASON):",
        "  submissions/2025-06-02-hugo.md:8: personal data: an e-mail address (hugo@exemple.fr)",
    ]
    dry = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--replace", "Durand SA=une PME")
    assert "-Parlez-leur séparément. Mon mail : hugo@exemple.fr, chez Durand SA." in dry.stdout
    assert "+Parlez-leur séparément. Mon mail : [donnée personnelle retirée], chez une PME." in dry.stdout
    assert dry.exit_code == 1  # without a terminal, an unconfirmed redaction is not a success
    assert dry.stderr == "Error: Not saved: no terminal to confirm on; run again with --yes to save.\n"
    assert "hugo@exemple.fr" in (project / "submissions/2025-06-02-hugo.md").read_text()
    saved = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--yes", "--editor", "Anne E.")
    assert saved.stdout.endswith("Redacted 2025-06-02-hugo (1 replacement).\n")
    assert run(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.").exit_code == 0
    published = (project / "content/threads/conflit-collegues/2025-06-02-hugo.md").read_text()
    assert "hugo@exemple.fr" not in published and "[donnée personnelle retirée]" in published
    assert [e["action"] for e in log_entries(project)] == ["redact", "accept"]


def test_override_personal_data_with_a_logged_reason(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply("Le numéro national d'écoute : 0 800 00 00 00 ou 01 23 45 67 89.")
    project = make_project(files)
    result = run(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.", "--override-personal-data",
                 "numéro public d'une association")
    assert result.exit_code == 0, result.output
    entry = log_entries(project)[-1]
    assert entry["override_personal_data"] == "numéro public d'une association" and entry["personal_data_lines"] == [8]


def test_four_eyes(queue, run):
    refused = run(queue, "accept", "2025-06-02-hugo", "--editor", "hugo l")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: '2025-06-02-hugo' was written by hugo l: another editor must accept it (four-eyes), "
        "or give --allow-own REASON\n"
    )
    allowed = run(queue, "accept", "2025-06-02-hugo", "--editor", "Hugo L.", "--allow-own", "seul éditeur en congé")
    assert allowed.exit_code == 0
    assert log_entries(queue)[-1]["allow_own"] == "seul éditeur en congé"


def test_editor_defaults_to_git_user(queue, run):
    subprocess.run(["git", "init", "-q"], cwd=queue, check=True)
    subprocess.run(["git", "config", "user.name", "Git Éditrice"], cwd=queue, check=True)
    assert run(queue, "accept", "2025-06-02-hugo").exit_code == 0
    assert log_entries(queue)[-1]["editor"] == "Git Éditrice"


def test_reject_logs_the_reason_never_the_text(queue, run):
    result = run(queue, "reject", "2025-06-02-hugo", "--reason", "Hors sujet", "--editor", "Anne E.")
    assert result.exit_code == 0 and result.stdout == "Rejected 2025-06-02-hugo: Hors sujet\n"
    assert not (queue / "submissions/2025-06-02-hugo.md").exists()
    raw = (queue / "moderation/log.jsonl").read_text()
    assert "Parlez-leur" not in raw and "Hugo" not in raw
    entry = log_entries(queue)[-1]
    assert (entry["action"], entry["post"], entry["reason"], entry["editor"]) == ("reject", "2025-06-02-hugo", "Hors sujet", "Anne E.")
    assert entry["when"].endswith("Z")


def test_withdraw_a_thread_removes_it_and_every_reference(make_project, run):
    files = valid_files()
    files["content/themes.yml"] = files["content/themes.yml"].replace(
        '    description:\n      fr: "Désaccords dans l\'équipe."\n',
        '    description:\n      fr: "Désaccords dans l\'équipe."\n    # mis en avant par les éditeurs\n'
        "    featured: [conflit-collegues]\n",
    )
    files["content/threads/autre/thread.md"] = THREAD.replace("license: CC-BY-SA-4.0", "license: CC-BY-SA-4.0\nrelated: [conflit-collegues]")
    project = make_project(files)
    assert run(project, "build").exit_code == 0
    assert (project / "site/conflit-collegues/index.html").exists()
    result = run(project, "withdraw", "conflit-collegues", "--reason", "Demande de l'autrice", "--editor", "Anne E.")
    assert result.exit_code == 0, result.output
    assert not (project / "content/threads/conflit-collegues").exists()
    themes = (project / "content/themes.yml").read_text()
    assert "# mis en avant par les éditeurs" in themes and "conflit-collegues" not in themes
    assert "related" not in (project / "content/threads/autre/thread.md").read_text()
    assert run(project, "build").exit_code == 0
    site = project / "site"
    assert not (site / "conflit-collegues").exists()
    assert "conflit-collegues" not in (site / "sitemap.xml").read_text()
    assert not any("conflit-collegues" in p.read_text() for p in site.rglob("*.html"))


def test_withdraw_the_best_reply(make_project, run):
    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace("license: CC-BY-SA-4.0", "license: CC-BY-SA-4.0\nbest_reply: 2025-03-05-karim")
    project = make_project(files)
    result = run(project, "withdraw", "conflit-collegues/2025-03-05-karim", "--reason", "Propos identifiants", "--editor", "A")
    assert result.exit_code == 0, result.output
    assert not (project / "content/threads/conflit-collegues/2025-03-05-karim.md").exists()
    assert "best_reply" not in (project / "content/threads/conflit-collegues/thread.md").read_text()
    assert run(project, "check").exit_code == 0
    unknown = run(project, "withdraw", "conflit-collegues/nope", "--reason", "x", "--editor", "A")
    assert unknown.stderr == "Error: thread 'conflit-collegues' has no reply 'nope' (2025-03-06-anon)\n"


def test_accepted_anonymous_reply_hides_the_name(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply(anonymous="true")
    project = make_project(files)
    assert run(project, "accept", "2025-06-02-hugo", "--editor", "Anne E.").exit_code == 0
    assert run(project, "build").exit_code == 0
    for built in (project / "site").rglob("*"):
        if built.is_file():
            data = built.read_bytes()
            assert b"Hugo" not in data and b"Sophie Lemaire" not in data, built


def test_new_asks_in_a_terminal_and_shows_the_themes(make_project, tmp_path):
    import os
    import sys

    import pexpect

    project = make_project(valid_files())
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('Comment accueillir une recrue ?\\n')\n")
    child = pexpect.spawn(
        str(Path(sys.executable).parent / "entraide"), ["new"], cwd=str(project), encoding="utf-8", timeout=30,
        env={**os.environ, "EDITOR": f"{sys.executable} {editor}", "TERM": "dumb"},
    )
    child.expect("Langue / language")
    child.sendline("fr")
    child.expect(r"Nouvelle discussion \(n\) ou réponse")
    child.sendline("n")
    child.expect("Titre")
    child.sendline("Accueillir une recrue")
    child.expect("conflits +Conflits et tensions")
    child.expect("running +Running")
    child.expect("Thème")
    child.sendline("conflits")
    child.expect("Étiquettes")
    child.sendline("onboarding")
    child.expect(r"anonymement \(« Membre anonyme »\) \? \[o/N\]")  # French choices, not click's [y/N]
    child.sendline("n")
    child.expect("Nom affiché")
    child.sendline("Inès T.")
    child.expect(r"Acceptez-vous la publication de ce texte sous licence [^\r\n]+ \[o/N\]")
    child.sendline("o")
    child.expect("Soumission écrite : (submissions/[^\r\n]+)")
    written = project / child.match.group(1)
    child.expect(pexpect.EOF)
    text = written.read_text()
    assert 'title: "Accueillir une recrue"' in text and text.endswith("Comment accueillir une recrue ?\n")


MARKUP_IN_FIELDS = [
    "<img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "<a href=javascript:alert(1)>x</a>",
    "<!-- x --><b>gras</b>",
]


@pytest.mark.parametrize("payload", MARKUP_IN_FIELDS)
@pytest.mark.parametrize("field", ["title", "author"])
def test_markup_in_a_one_line_field_blocks_check_and_accept(make_project, run, field, payload):
    files = valid_files()
    value = payload.replace("\\", "\\\\").replace('"', '\\"')
    original = {"title": '"Mon premier recrutement : par où commencer ?"', "author": '"Inès T."'}[field]
    files["submissions/2025-06-01-x.md"] = sub_thread().replace(f"{field}: {original}", f'{field}: "{value}"')
    project = make_project(files)
    result = run(project, "check")
    assert result.exit_code == 1
    line = {"title": 2, "author": 6}[field]
    assert f"submissions/2025-06-01-x.md:{line}: {field}: HTML is not allowed here, the {field} is plain text: remove" in result.stdout
    result = run(project, "accept", "2025-06-01-x", "--editor", "Ed")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (project / "submissions/2025-06-01-x.md").exists()
    assert not (project / "content/threads/mon-premier-recrutement-par-ou-commencer").exists()


def test_redacting_a_reply_uses_its_threads_language(make_project, run):
    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace("lang: fr", "lang: en")
    files["submissions/2025-06-02-hugo.md"] = sub_reply("Write to me at hugo@example.org.")
    project = make_project(files)
    saved = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--yes", "--editor", "Anne E.")
    assert saved.exit_code == 0, saved.output
    text = (project / "submissions/2025-06-02-hugo.md").read_text()
    assert "Write to me at [personal data removed]." in text and "donnée" not in text


def test_redact_json(make_project, run):
    files = valid_files()
    files["submissions/2025-06-02-hugo.md"] = sub_reply("Mon mail : hugo@exemple.fr.")
    project = make_project(files)
    unconfirmed = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--json")
    assert unconfirmed.exit_code == 1
    assert json.loads(unconfirmed.stdout)["ok"] is False
    assert "hugo@exemple.fr" in (project / "submissions/2025-06-02-hugo.md").read_text()
    saved = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--yes", "--json", "--editor", "Anne E.")
    assert saved.exit_code == 0, saved.output
    data = json.loads(saved.stdout)
    assert (data["ok"], data["replacements"], data["file"]) == (True, 1, "submissions/2025-06-02-hugo.md")
    assert "+Parlez-leur séparément. Mon mail : [donnée personnelle retirée]." in data["diff"]
    again = run(project, "redact", "2025-06-02-hugo", "--personal-data", "--yes", "--json", "--editor", "Anne E.")
    assert json.loads(again.stdout)["replacements"] == 0


@pytest.mark.parametrize(("thread_lang", "prompts_lang", "name"), [
    ("fr", "fr", "reponse-conflit-collegues"), ("en", "fr", "reply-conflit-collegues"),
    ("en", "en", "reply-conflit-collegues"), ("fr", "en", "reponse-conflit-collegues"),
])
def test_a_replys_default_file_name_is_in_its_threads_language(make_project, run, tmp_path, thread_lang,
                                                                  prompts_lang, name):
    files = valid_files()
    files["content/threads/conflit-collegues/thread.md"] = THREAD.replace("lang: fr", f"lang: {thread_lang}")
    project = make_project(files)
    body = tmp_path / "post.md"
    body.write_text("Voyez-les séparément, puis ensemble.\n")
    result = run(project, "new", "--no-input", "--lang", prompts_lang, "--reply-to", "conflit-collegues",
                 "--author", "Inès", "--consent", "--body-file", str(body))
    assert result.exit_code == 0, result.output
    assert [path.stem[11:] for path in (project / "submissions").glob("*.md")] == [name]


def test_withdrawing_a_featured_thread_changes_only_its_featured_line_in_themes_yml(make_project, run):
    from tests.conftest import THEMES

    themes = THEMES.replace(
        '      fr: "Désaccords dans l\'équipe."',
        '      fr: "Désaccords dans l’équipe, tensions entre collègues, médiation, et tout ce qui fait qu’une équipe '
        'ne se parle plus."  # long: longer than 80 columns',
    ).replace("  - slug: running", "    featured: [conflit-collegues, autre]\n  - slug: running")
    files = valid_files()
    files["content/themes.yml"] = themes
    files["content/threads/autre/thread.md"] = THREAD.replace("Conflit entre deux collègues", "Un autre conflit") \
        .replace("Deux personnes de mon équipe ne se parlent plus.", "Une autre histoire de conflit.")
    project = make_project(files)
    assert run(project, "check").exit_code == 0
    before = (project / "content/themes.yml").read_text(encoding="utf-8")
    done = run(project, "withdraw", "conflit-collegues", "--editor", "Anne E.", "--reason", "demande de l'autrice")
    assert done.exit_code == 0, done.output
    after = (project / "content/themes.yml").read_text(encoding="utf-8")
    assert after == before.replace("featured: [conflit-collegues, autre]", "featured: [autre]")
