"""``entraide new`` checks each answer when it is given and asks again, in the prompts' language.

Every prompt is tried with wrong answers in both languages (generated from the tables below): the
refusal is said in that language (with a "did you mean" for a near miss), the prompt comes again,
and the post is written once the answer is right; nothing of click's English ("Error:", "is not one
of", "Aborted!") ever shows. Leaving a prompt (Ctrl-D, Ctrl-C) ends with a short sentence and a
non-zero status, keeping a text already written as a draft. The prompts are driven through click's
runner with standard input taken for a terminal, and through a real terminal (pexpect).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from entraide.cli.refusals import WORDS
from tests.conftest import valid_files

THEMES = """\
themes:
  - slug: conflits
    title: {fr: "Conflits et tensions", en: "Conflicts"}
  - slug: feedback
    title: {fr: "Feedback", en: "Feedback"}
  - slug: running
    title: {en: "Running"}
"""

TAGS = """\
tags:
  - name: conflit
    aliases: [conflits, tension]
  - name: feedback
  - name: médiation
"""

CLICK_ENGLISH = ("Error:", "is not one of", "Aborted", "invalid input", "Traceback")

# The right answers, prompt by prompt, for a new thread and for a reply, in each language.
THREAD_STEPS = ["lang", "kind", "title", "theme", "tags", "anonymous", "author", "consent"]
REPLY_STEPS = ["lang", "kind", "reply_to", "anonymous", "author", "consent"]
GOOD = {
    "fr": {"lang": "fr", "kind": "n", "title": "Un conflit dans l'équipe", "theme": "feedback",
           "tags": "conflit, médiation", "anonymous": "n", "author": "Inès T.", "consent": "o",
           "reply_to": "conflit-collegues"},
    "en": {"lang": "en", "kind": "n", "title": "A conflict in the team", "theme": "feedback",
           "tags": "conflit, médiation", "anonymous": "n", "author": "Inès T.", "consent": "y",
           "reply_to": "conflit-collegues"},
}
PROMPT = {
    "fr": {"lang": "Langue / language", "kind": "Nouvelle discussion (n) ou réponse", "title": "Titre (",
           "theme": "Thème\u202f: ", "tags": "Étiquettes", "anonymous": "Publier anonymement", "author": "Nom affiché",
           "consent": "Acceptez-vous", "reply_to": "Discussion à laquelle vous répondez"},
    "en": {"lang": "Langue / language", "kind": "New thread (n) or reply", "title": "Title (",
           "theme": "Theme: ", "tags": "Tags, separated", "anonymous": "Publish anonymously", "author": "Name to show",
           "consent": "Do you agree", "reply_to": "Thread you reply to"},
}

# (prompt, wrong answer, what French prompts say, what English prompts say)
WRONG = [
    ("lang", "de", "Répondez fr ou en. / Answer fr or en.", "Répondez fr ou en. / Answer fr or en."),
    ("kind", "x", "Répondez n ou r.", "Answer n or r."),
    ("title", "", "La réponse ne doit pas être vide.", "The answer must not be empty."),
    ("title", "\u200b", "La réponse ne contient que des caractères invisibles.",
     "The answer holds only invisible characters."),
    ("title", "x" * 201, "La réponse fait 201 caractères ; 200 au plus.",
     "The answer is 201 characters long; at most 200 allowed."),
    ("title", "Un con\u200bflit", "La réponse contient le caractère invisible ou d'inversion",
     "Contains the invisible or direction-changing character"),
    ("title", "Un cоnflit", "Le mot « cоnflit » mêle des lettres qui se ressemblent de plusieurs alphabets",
     "The word 'cоnflit' mixes"),  # a Cyrillic о
    ("title", "Écrivez à ines@exemple.fr", "Donnée personnelle : une adresse e-mail (« ines@exemple.fr »).",
     "Personal data: an e-mail address (ines@exemple.fr)."),
    ("title", "Appelez le 06 12 34 56 78", "Donnée personnelle : un numéro de téléphone (« 06 12 34 56 78 »).",
     "Personal data: a phone number (06 12 34 56 78)."),
    ("title", "<b>Un conflit</b>", "Le HTML n'est pas permis ici, c'est du texte simple : retirez « <b> ».",
     "HTML is not allowed here, the title is plain text: remove <b>."),
    ("theme", "feedbak", "Thème « feedbak » inconnu ; vouliez-vous dire « feedback » ?",
     "Unknown theme 'feedbak'; did you mean 'feedback'?"),
    ("theme", "zzz", "Thème « zzz » inconnu ; thèmes : conflits, feedback, running.",
     "Unknown theme 'zzz'; themes: conflits, feedback, running."),
    ("theme", "", "La réponse ne doit pas être vide.", "The answer must not be empty."),
    ("tags", "mediation", "Étiquette « mediation » inconnue ; vouliez-vous dire « médiation » ?",
     "Tag 'mediation' is not in content/tags.yml; did you mean 'médiation'? (editors add new tags there)."),
    ("tags", "conflit, qwertyuiop", "Étiquette « qwertyuiop » inconnue : choisissez celles de content/tags.yml",
     "Tag 'qwertyuiop' is not in content/tags.yml: choose tags from it"),
    ("tags", "Conflit", "L'étiquette « Conflit » doit être en minuscules",
     "Tag 'Conflit' must be lowercase words joined by hyphens"),
    ("tags", "a,b,c,d,e,f,g,h,i", "9 étiquettes : 8 au plus.", "9 tags: at most 8 allowed."),
    ("tags", "0612345678", "Donnée personnelle : un numéro de téléphone", "Personal data: a phone number"),
    ("anonymous", "peut-être", "Répondez o ou n.", "Answer y or n."),
    ("author", "", "La réponse ne doit pas être vide.", "The answer must not be empty."),
    ("author", "x" * 81, "La réponse fait 81 caractères ; 80 au plus.",
     "The answer is 81 characters long; at most 80 allowed."),
    ("author", "ines@exemple.fr", "Donnée personnelle : une adresse e-mail (« ines@exemple.fr »).",
     "Personal data: an e-mail address (ines@exemple.fr)."),
    ("author", "<i>Inès</i>", "Le HTML n'est pas permis ici, c'est du texte simple : retirez « <i> ».",
     "HTML is not allowed here, the author is plain text: remove <i>."),
    ("consent", "oui mais", "Répondez o ou n.", "Answer y or n."),
    ("reply_to", "conflit-colegues", "Aucune discussion publiée « conflit-colegues » ; vouliez-vous dire « conflit-collegues » ?",
     "No published thread 'conflit-colegues'; did you mean 'conflit-collegues'?"),
    ("reply_to", "nulle-part", "Aucune discussion publiée « nulle-part » : donnez le slug de son adresse",
     "No published thread 'nulle-part': give the slug of its address"),
    ("reply_to", "", "La réponse ne doit pas être vide.", "The answer must not be empty."),
]

BODY = "Deux personnes de mon équipe se disputent à chaque réunion.\n"


@pytest.fixture
def project(make_project):
    files = valid_files()
    files["content/themes.yml"] = THEMES
    files["content/tags.yml"] = TAGS
    return make_project(files)


@pytest.fixture
def ask(project, run, monkeypatch, tmp_path):
    """Run ``entraide new`` in ``project`` with ``answers`` typed at its prompts, in a terminal."""
    editor = tmp_path / "editor.py"
    editor.write_text(f"import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write({BODY!r})\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    monkeypatch.setattr(sys.modules["entraide.cli.new"], "_terminal", lambda: True)

    def invoke(answers: list[str], *args: str):  # type: ignore[no-untyped-def]
        from click.testing import CliRunner

        from entraide.cli import main

        monkeypatch.chdir(project)
        return CliRunner().invoke(main, ["new", *args], input="".join(f"{a}\n" for a in answers),
                                  catch_exceptions=False)

    return invoke


def written(project: Path) -> str:
    [path] = list((project / "submissions").glob("*.md"))
    return path.read_text(encoding="utf-8")


def no_click_english(output: str, lang: str) -> None:
    for words in CLICK_ENGLISH + (("[y/N]",) if lang == "fr" else ()):  # click's own yes/no is English
        assert words not in output, output


def cases():  # type: ignore[no-untyped-def]
    for step, wrong, french, english in WRONG:
        for lang, expected, other in (("fr", french, english), ("en", english, french)):
            yield pytest.param(step, wrong, lang, expected, other, id=f"{lang}-{step}-{wrong[:12]!r}")


@pytest.mark.parametrize(("step", "wrong", "lang", "expected", "other"), list(cases()))
def test_a_wrong_answer_is_refused_in_the_prompts_language_and_asked_again(project, ask, step, wrong, lang, expected,
                                                                            other):
    steps = REPLY_STEPS if step == "reply_to" else THREAD_STEPS
    good = dict(GOOD[lang], kind="r" if step == "reply_to" else "n")
    typed = []
    for name in steps:
        typed += [wrong, good[name]] if name == step else [good[name]]
    result = ask(typed)
    assert result.exit_code == 0, result.output
    assert expected in result.output
    if other != expected:
        assert other not in result.output  # nothing of the other language
    question = PROMPT[lang][step]
    assert result.output.count(question) == 2, result.output  # asked, refused, asked again
    refused_at = result.output.index(expected)
    assert result.output.index(question) < refused_at < result.output.rindex(question)
    no_click_english(result.output, lang)
    text = written(project)
    assert text.endswith(BODY)
    if step == "reply_to":
        assert "reply_to: \"conflit-collegues\"" in text
    else:
        assert f'title: "{good["title"]}"\ntheme: "feedback"\ntags: ["conflit", "médiation"]\nlang: "{lang}"' in text
    assert 'author: "Inès T."' in text and "consent: true" in text


def test_an_alias_is_written_as_its_tag(project, ask):
    result = ask(["fr", "n", "Un conflit", "conflits", "tension, médiation", "n", "Inès", "o"])
    assert result.exit_code == 0, result.output
    assert 'tags: ["conflit", "médiation"]' in written(project)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_wrong_flag_is_said_then_asked_for(project, ask, lang):
    result = ask(["n", GOOD[lang]["title"], "feedback", "", "n", "Inès", GOOD[lang]["consent"]],
                 "--lang", lang, "--theme", "feedbak")
    assert result.exit_code == 0, result.output
    said = {"fr": "Thème « feedbak » inconnu ; vouliez-vous dire « feedback » ?",
            "en": "Unknown theme 'feedbak'; did you mean 'feedback'?"}[lang]
    assert said in result.output and result.output.count(PROMPT[lang]["theme"]) == 1
    assert 'theme: "feedback"' in written(project)
    no_click_english(result.output, lang)


ENDED = {"fr": "Interrompu : aucune soumission n'a été écrite.", "en": "Interrupted: no submission was written."}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("step", THREAD_STEPS)
def test_closing_a_prompt_ends_with_a_sentence_in_its_language(project, ask, lang, step):
    typed = [GOOD[lang][name] for name in THREAD_STEPS[: THREAD_STEPS.index(step)]]
    result = ask(typed)  # standard input ends at this prompt: Ctrl-D
    assert result.exit_code == 1
    said = f"{ENDED['fr']} / {ENDED['en']}" if step == "lang" else ENDED[lang]  # both before a language is chosen
    assert said in result.stderr.splitlines(), result.output
    no_click_english(result.output, lang)
    assert not list(project.glob("submissions/*.md")) and not (project / "drafts").exists()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_text_already_written_is_kept_when_a_prompt_is_left(project, ask, tmp_path, lang):
    body = tmp_path / "post.md"
    body.write_text(BODY, encoding="utf-8")
    result = ask(["n", GOOD[lang]["title"], "feedback"], "--lang", lang, "--body-file", str(body), "--id", "2025-06-01-x")
    assert result.exit_code == 1
    kept = {"fr": "Votre texte est gardé dans drafts/2025-06-01-x.md : corrigez-le, puis placez-le dans submissions/.",
            "en": "Your text is kept in drafts/2025-06-01-x.md: fix it, then move it into submissions/."}[lang]
    assert result.stderr.strip().splitlines()[-2:] == [ENDED[lang], kept]
    no_click_english(result.output, lang)
    draft = (project / "drafts/2025-06-01-x.md").read_text(encoding="utf-8")
    assert draft.endswith(BODY) and 'theme: "feedback"' in draft
    assert not list(project.glob("submissions/*.md"))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_final_check_still_runs_and_keeps_a_draft(project, ask, monkeypatch, tmp_path, lang):
    editor = tmp_path / "mail.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'a').write('Écrivez-moi : ines@exemple.fr\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    good = GOOD[lang]
    result = ask([good[name] for name in THREAD_STEPS])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    headline = {"fr": "Erreur : la soumission n'a pas été écrite :", "en": "Error: the submission was not written:"}
    assert lines[-3] == headline[lang]
    assert lines[-2].replace("\u202f", " ").endswith({  # the check's own line, worded as the intake form words it
        "fr": ": donnée personnelle : une adresse e-mail (ines@exemple.fr) ; retirez-la pour que le message "
              "puisse être publié",
        "en": ": personal data: an e-mail address (ines@exemple.fr)"}[lang]), lines
    assert lines[-1].startswith({"fr": "Votre texte est gardé dans drafts/", "en": "Your text is kept in drafts/"}[lang])
    if lang == "fr":
        assert "Error:" not in result.output
    [draft] = list((project / "drafts").glob("*.md"))
    assert draft.read_text(encoding="utf-8").endswith("Écrivez-moi : ines@exemple.fr\n")


# --no-input: every flag checked by the same rules, everything reported at once.

FLAG_CASES = [  # (flags, the check's line in English, in French)
    (("--theme", "feedbak"), "theme: unknown theme 'feedbak'; did you mean 'feedback'?",
     "theme: le thème « feedbak » n'existe pas ; vouliez-vous dire « feedback » ?"),
    (("--title", "x" * 201), "title: is 201 characters long; at most 200 allowed",
     "title: fait 201 caractères ; 200 au plus"),
    (("--author", "ines@exemple.fr"), "author: personal data: an e-mail address (ines@exemple.fr)",
     "author: donnée personnelle : une adresse e-mail (ines@exemple.fr) ; retirez-la pour que le message puisse "
     "être publié"),
    (("--reply-to", "conflit-colegues"), "reply_to: no published thread 'conflit-colegues'; did you mean 'conflit-collegues'?",
     "reply_to: la discussion « conflit-colegues » n'est pas publiée ; vouliez-vous dire « conflit-collegues » ?"),
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("flags", "english", "french"), FLAG_CASES,
                         ids=lambda value: value[0] if isinstance(value, tuple) else None)
def test_flags_are_checked_by_the_same_rules(project, run, tmp_path, lang, flags, english, french):
    line = french if lang == "fr" else english
    body = tmp_path / "post.md"
    body.write_text(BODY, encoding="utf-8")
    given = {"--title": "Un conflit", "--theme": "feedback", "--author": "Inès"}
    if flags[0] == "--reply-to":
        given = {"--author": "Inès"}
    given[flags[0]] = flags[1]
    args = [item for pair in given.items() for item in pair]
    result = run(project, "new", "--no-input", "--lang", lang, *args, "--consent", "--body-file", str(body), "--id", "x")
    assert result.exit_code == 1
    lines = result.stderr.replace("\u202f", " ").splitlines()  # French spacing: narrow no-break spaces
    assert lines[0] == {"fr": "Erreur : la soumission n'a pas été écrite :", "en": "Error: the submission was not written:"}[lang]
    assert any(got.startswith("drafts/x.md:") and got.endswith(line) for got in lines[1:-1]), lines  # where it is
    assert lines[-1].startswith({"fr": "Votre texte est gardé dans drafts/x.md", "en": "Your text is kept in drafts/x.md"}[lang])
    assert (project / "drafts/x.md").read_text(encoding="utf-8").endswith(BODY)
    again = run(project, "new", "--no-input", "--lang", lang, *args, "--consent", "--body-file", str(body), "--id", "x")
    assert again.exit_code == 1 and again.stderr == result.stderr  # the same text again: the same draft
    assert [p.name for p in (project / "drafts").iterdir()] == ["x.md"]
    body.write_text(BODY + "Autre chose.\n", encoding="utf-8")
    other = run(project, "new", "--no-input", "--lang", lang, *args, "--consent", "--body-file", str(body), "--id", "x")
    assert "drafts/x-2.md" in other.stderr and (project / "drafts/x.md").read_text(encoding="utf-8").endswith(BODY)


def test_every_refusal_has_its_french_wording():
    codes = {"choice", "empty", "blank", "multiline", "too-long", "hidden-character", "mixed-script", "tag-too-long",
             "tag-shape", "tag-mixed-script", "too-many", "twice", "personal-data", "raw-html", "link-scheme",
             "oversized", "unknown-theme", "unknown-thread", "unknown-tag"}
    assert codes <= set(WORDS["fr"])


# In a real terminal: Ctrl-C and Ctrl-D end the prompts cleanly.

def spawn(project: Path, *args: str):  # type: ignore[no-untyped-def]
    import pexpect

    # As a shell in a terminal runs it: Ctrl-C interrupts, even if a test before this one left the test
    # process ignoring SIGINT (an ignored signal stays ignored across exec).
    return pexpect.spawn(str(Path(sys.executable).parent / "entraide"), ["new", *args], cwd=str(project),
                         encoding="utf-8", timeout=30, env={**os.environ, "TERM": "dumb", "EDITOR": "true"},
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.parametrize(("lang", "key"), [("fr", "intr"), ("en", "eof")])
def test_ctrl_c_or_ctrl_d_in_a_terminal(project, lang, key, tmp_path):
    import pexpect

    body = tmp_path / "post.md"
    body.write_text(BODY, encoding="utf-8")
    child = spawn(project, "--lang", lang, "--body-file", str(body), "--id", "2025-06-01-y")
    child.expect_exact(PROMPT[lang]["kind"])
    child.sendline("n")
    child.expect_exact(PROMPT[lang]["title"])
    child.sendline("")
    child.expect_exact({"fr": "La réponse ne doit pas être vide.", "en": "The answer must not be empty."}[lang])
    child.expect_exact(PROMPT[lang]["title"])
    child.sendintr() if key == "intr" else child.sendeof()
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 1
    assert ENDED[lang] in output and "drafts/2025-06-01-y.md" in output
    no_click_english(output, lang)
    assert (project / "drafts/2025-06-01-y.md").read_text(encoding="utf-8").endswith(BODY)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_input_reports_a_bad_tag_with_every_other_problem(project, run, tmp_path, lang):
    """A malformed tag is no usage error stopping on its own: the wrong theme, the missing consent,
    the personal data and the link are all in the same answer, in the check's words (status 1)."""
    body = tmp_path / "post.md"
    body.write_text("Écrivez-moi : ines@exemple.fr, ou [ici](javascript:alert(1)).\n", encoding="utf-8")
    result = run(project, "new", "--no-input", "--lang", lang, "--title", "Un conflit", "--theme", "conflit",
                 "--tags", "tagtropinconnu,Conflit", "--author", "Inès", "--body-file", str(body), "--id", "x")
    assert result.exit_code == 1, result.output
    lines = result.stderr.replace("\u202f", " ").splitlines()
    assert len(lines) == 7, lines  # the heading, five problems, where the draft is kept
    expected = {
        "en": ["x.md:3: theme: unknown theme 'conflit'; did you mean 'conflits'?",
               "x.md:4: tags: tag 'Conflit' must be lowercase words joined by hyphens, such as 'prise-de-parole'",
               "x.md:9: consent: the author has not agreed to publication; consent must be true",
               "x.md:13: personal data: an e-mail address (ines@exemple.fr)",
               "x.md:13: link scheme 'javascript:' is not allowed"],
        "fr": ["x.md:3: theme: le thème « conflit » n'existe pas ; vouliez-vous dire « conflits » ?",
               "x.md:4: tags: l'étiquette « Conflit » doit être en minuscules",
               "x.md:9: consent: cochez la case pour accepter la publication",
               "x.md:13: donnée personnelle : une adresse e-mail (ines@exemple.fr)",
               "x.md:13: lien « javascript: » refusé"],
    }[lang]
    for got, want in zip(lines[1:-1], expected, strict=True):
        assert got.startswith("drafts/" + want), (got, want)
    assert not (project / "submissions/x.md").exists()
    assert (project / "drafts/x.md").is_file()


PIPED = {
    "en": ["Error: standard input is not a terminal: give the answers as options (see --help), or run in a terminal",
           "missing --title", "missing --theme", "missing --author", "missing --body-file"],
    "fr": ["Erreur : l'entrée standard n'est pas un terminal : donnez les réponses en options (voir --help), ou "
           "lancez la commande dans un terminal", "--title manque", "--theme manque", "--author manque",
           "--body-file manque"],
}


@pytest.mark.parametrize("lang", ["en", "fr", None])
def test_piped_input_without_no_input_says_why_nothing_was_asked(project, monkeypatch, lang):
    """Standard input that is not a terminal is not taken for --no-input: the message says what happened
    (in French under --lang fr), rather than suggesting to run without a --no-input never given."""
    from click.testing import CliRunner

    from entraide.cli import main

    monkeypatch.chdir(project)
    args = ["new", *(["--lang", lang] if lang else [])]
    result = CliRunner().invoke(main, args, input="fr\n", catch_exceptions=False)
    assert result.exit_code == 1
    expected = PIPED[lang or "en"] if lang else [PIPED["en"][0], "missing --lang", *PIPED["en"][1:]]
    assert result.stderr.splitlines() == expected
    assert "--no-input" not in result.stderr
    assert not list((project / "submissions").glob("*.md"))


def test_piped_input_with_every_answer_given_writes_the_post(project, monkeypatch):
    from click.testing import CliRunner

    from entraide.cli import main

    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["new", "--lang", "fr", "--title", "Un conflit dans l'équipe", "--theme",
                                       "feedback", "--author", "Inès T.", "--consent", "--body-file", "-",
                                       "--id", "x"], input=BODY, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert written(project).endswith(BODY)
