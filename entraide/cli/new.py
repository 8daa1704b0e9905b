"""``entraide new``: write a valid submission, by answering prompts or with flags in scripts."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from entraide import answers, clock, identifiers
from entraide.answers import Refusal
from entraide.cli import prompting
from entraide.cli.options import config_option, project
from entraide.cli.refusals import worded
from entraide.composing import check_text, submission_text
from entraide.errors import ContentError, EntraideError, WordedError
from entraide.intake.words import message as said
from entraide.loading.loader import load_content
from entraide.model import LANGUAGES, LICENSES, ContentTree, TagVocabulary
from entraide.slugs import slugify

PROMPTS = {
    "fr": {
        "kind": "Nouvelle discussion (n) ou réponse à une discussion (r)",
        "reply_to": "Discussion à laquelle vous répondez "
                    "(la fin de son adresse, par exemple conflit-entre-deux-collaborateurs)",
        "title": "Titre (la question ou l'histoire, en une ligne)",
        "themes": "Thèmes\u202f:",
        "theme": "Thème",
        "tags": "Étiquettes, séparées par des virgules (facultatif)",
        "author": "Nom affiché (par exemple « Claire M. »)",
        "anonymous": "Publier anonymement (« Membre anonyme ») ?",
        "consent": "Acceptez-vous la publication de ce texte sous licence {license} ?",
        "body": "# Écrivez votre message en Markdown sous cette ligne, puis enregistrez et fermez.\n",
        "written": "Soumission écrite : {path}\nVérifiez-la avec `entraide check`, puis proposez-la (pull request).",
        "draft": "Votre texte est gardé dans {path} : corrigez-le, puis placez-le dans submissions/.",
        "reply_name": "reponse",
        "draft_name": "brouillon",
        "not_written": "la soumission n'a pas été écrite :",
        "exists": "{path} existe déjà : choisissez un autre --id",
    },
    "en": {
        "kind": "New thread (n) or reply to a thread (r)",
        "reply_to": "Thread you reply to (the end of its address, for example remote-employee-feeling-isolated)",
        "title": "Title (the question or story, on one line)",
        "themes": "Themes:",
        "theme": "Theme",
        "tags": "Tags, separated by commas (optional)",
        "author": "Name to show (for example “Claire M.”)",
        "anonymous": "Publish anonymously (“Anonymous member”)?",
        "consent": "Do you agree to the publication of this text under the {license} licence?",
        "body": "# Write your post in Markdown below this line, then save and close.\n",
        "written": "Submission written: {path}\nCheck it with `entraide check`, then propose it (pull request).",
        "draft": "Your text is kept in {path}: fix it, then move it into submissions/.",
        "reply_name": "reply",
        "draft_name": "draft",
        "not_written": "the submission was not written:",
        "exists": "{path} already exists: choose another --id",
    },
}


@click.command()
@config_option
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the post (and of the prompts).")
@click.option(
    "--reply-to", metavar="SLUG", type=identifiers.THREAD_SLUG,
    help="Write a reply to this thread instead of a new thread.",
)
@click.option("--title", help="Title of a new thread.")
@click.option("--theme", type=identifiers.THEME_SLUG, help="Theme slug of a new thread.")
@click.option("--tags", type=identifiers.FORM_TAGS, help="Comma-separated tags of a new thread.")
@click.option("--author", help="The name shown (kept hidden with --anonymous).")
@click.option("--anonymous/--named", default=None, help="Publish as an anonymous member.")
@click.option("--license", "license_", type=click.Choice(LICENSES), default=LICENSES[0], show_default=True)
@click.option("--consent", is_flag=True, help="You agree to publication under the licence.")
@click.option("--body-file", type=click.File("r", encoding="utf-8"), help="The post's Markdown ('-': stdin).")
@click.option(
    "--id", "submission_id", type=identifiers.SUBMISSION_ID,
    help="File name in submissions/ (default: date and title).",
)
@click.option("--no-input", is_flag=True, help="Never prompt: fail on what is missing (for scripts).")
def new(
    config_file: Path,
    lang: str | None,
    reply_to: str | None,
    title: str | None,
    theme: str | None,
    tags: str | None,
    author: str | None,
    anonymous: bool | None,
    license_: str,
    consent: bool,
    body_file: Any,
    submission_id: str | None,
    no_input: bool,
) -> None:
    """Write a new submission into submissions/, checked with the same rules as `entraide check`.

    Missing answers are asked for (the themes are listed), each checked as it is given and asked
    again with the reason when refused; with --no-input, they are errors, all reported at once.

    \b
    Example:
      entraide new
      entraide new --no-input --lang fr --title "Un conflit dans mon équipe" --theme conflits \\
        --author "Claire M." --consent --body-file post.md
      entraide new --no-input --lang fr --reply-to conflit-entre-deux-collaborateurs \\
        --author "Karim B." --consent --body-file - < reply.md
    """
    found = project(config_file)
    terminal = _terminal()
    interactive = not no_input and terminal
    body = body_file.read() if body_file is not None else None  # read first: kept if the prompts are left
    try:
        tree = load_content(found.content_dir, base=found.root)
    except ContentError:
        tree = None
    form = _Form(interactive, lang, piped=not no_input and not terminal)
    metadata: dict[str, object] = {}
    try:
        if lang is None and interactive:
            lang = form.lang = prompting.choose("Langue / language", None, LANGUAGES, "fr")
        elif lang is None:
            form.missing.append("--lang")
        words = PROMPTS[lang or "en"]
        if reply_to is None and title is None and interactive:
            if prompting.choose(words["kind"], lang, ("n", "r"), "n") == "r":
                reply_to = form.answer("--reply-to", None, words["reply_to"], _thread_check(tree))
        elif reply_to is not None:
            reply_to = form.answer("--reply-to", reply_to, words["reply_to"], _thread_check(tree))
        if reply_to:
            metadata["reply_to"] = reply_to
        else:
            metadata["title"] = form.answer("--title", title, words["title"], _text_check("title"))
            if interactive and tree is not None and (theme is None or _theme_check(tree)(theme)):
                click.echo(words["themes"])
                for item in tree.themes:
                    click.echo(f"  {item.slug:<20} {item.title(lang or 'fr')}")
            metadata["theme"] = form.answer("--theme", theme, words["theme"], _theme_check(tree))
            vocabulary = tree.vocabulary if tree is not None else None
            written = form.answer("--tags", tags, words["tags"], _tags_check(vocabulary, strict=interactive),
                                  required=False)
            metadata["tags"] = _tag_names(written or "", vocabulary)
            metadata["lang"] = lang
        if anonymous is None:
            anonymous = prompting.confirm(words["anonymous"], lang or "en") if interactive else False
        metadata["author"] = form.answer("--author", author, words["author"],
                                         _text_check("author", reply=bool(reply_to)))
        metadata["anonymous"] = anonymous
        metadata["date"] = clock.now().replace(second=0, microsecond=0)
        if not consent:
            question = words["consent"].format(license=license_)
            consent = prompting.confirm(question, lang or "en") if interactive else False
        metadata["consent"] = consent
        if not reply_to:
            metadata["license"] = license_
        if body is None and interactive:
            edited = click.edit(words["body"], extension=".md")
            body = "\n".join(line for line in (edited or "").split("\n") if not line.startswith("# "))
        elif body is None:
            form.missing.append("--body-file")
    except prompting.PromptsEnded as ended:
        if body is None or not body.strip():
            raise
        said = PROMPTS[ended.lang or "en"]
        name = submission_id or _default_id(metadata, found.submissions_dir, said)
        _draft, kept = _saved_draft(found, name, submission_text(metadata, body), said["draft"])
        raise prompting.PromptsEnded(ended.lang, f"{prompting.ended(ended.lang)}\n{kept}") from None
    form.stop_if_incomplete()
    assert lang is not None and body is not None
    text = submission_text(metadata, body)
    replied = tree.threads_by_slug.get(reply_to) if tree is not None and reply_to else None
    post_lang = replied.fields.lang if replied is not None else lang  # a reply is in its thread's language
    name = submission_id or _default_id(metadata, found.submissions_dir, PROMPTS[post_lang])
    _write_checked(found, name, text, tree, lang)
    click.echo(words["written"].format(path=found.show(found.submissions_dir / f"{name}.md")))


def _terminal() -> bool:
    """Whether a person can answer prompts (standard input is a terminal)."""
    return sys.stdin.isatty()


MISSING = {
    "fr": {
        "flag": "{flag} manque (ou lancez la commande sans --no-input : elle vous le demandera)",
        "--body-file": "--body-file manque (le texte du message ; « - » le lit sur l'entrée standard)",
        "piped": "l'entrée standard n'est pas un terminal : donnez les réponses en options (voir --help), "
                 "ou lancez la commande dans un terminal",
        "piped-flag": "{flag} manque",
    },
    "en": {
        "flag": "missing {flag} (or run without --no-input to be asked)",
        "--body-file": "missing --body-file (the post's text; '-' reads it from stdin)",
        "piped": "standard input is not a terminal: give the answers as options (see --help), or run in a terminal",
        "piped-flag": "missing {flag}",
    },
}
"""What is missing, worded for --no-input, or for standard input that is not a terminal (piped or
redirected, without --no-input): there, running without --no-input would not help, so it says why
nothing was asked instead."""


def _failed(lang: str | None, message: str) -> EntraideError:
    """The error to raise: click's (``Error: …``) in English, ``Erreur : …`` under French prompts."""
    if lang == "fr":
        return WordedError(f"Erreur : {message}")
    return EntraideError(message)


@dataclass
class _Form:
    """The answers being gathered: asked for in a terminal, else taken from the flags, what is
    missing or refused noted to be reported all at once."""

    interactive: bool
    lang: str | None
    piped: bool = False
    """Not asked because standard input is not a terminal, although --no-input was not given."""
    missing: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def answer(self, flag: str, given: str | None, question: str, check: prompting.Check,
               *, required: bool = True) -> str | None:
        """``given`` if ``check`` accepts it; else asked for (after saying why, in a terminal)."""
        if given is not None:
            refusals = check(given)
            if not refusals:
                return given
            if not self.interactive:
                self.refused += [f"{flag}: {worded(refusal, self.lang or 'en')}" for refusal in refusals]
                return given  # without a missing flag, the final check words it as `entraide check` does
            prompting.tell(refusals, self.lang)
        elif not self.interactive:
            if required:
                self.missing.append(flag)
            return None
        return prompting.ask(question, self.lang, check)

    def stop_if_incomplete(self) -> None:
        """Every missing flag, and what was refused in the others, in one error."""
        if not self.missing:
            return
        words = MISSING[self.lang or "en"]
        if self.piped:
            lines = [words["piped"]] + [words["piped-flag"].format(flag=flag) for flag in self.missing]
        else:
            lines = [words.get(flag, words["flag"]).format(flag=flag) for flag in self.missing]
        lines += self.refused
        raise _failed(self.lang, "\n".join(lines))


def _theme_check(tree: ContentTree | None) -> prompting.Check:
    def check(answer: str) -> list[Refusal]:
        if tree is None:  # the content does not load: the final check says why
            return _identifier_refusals(answer, identifiers.THEME)
        refusal = answers.theme(answer, tree)
        return [refusal] if refusal else []

    return check


def _thread_check(tree: ContentTree | None) -> prompting.Check:
    def check(answer: str) -> list[Refusal]:
        if tree is None:
            return _identifier_refusals(answer, identifiers.THREAD)
        refusal = answers.thread(answer, tree)
        return [refusal] if refusal else []

    return check


def _identifier_refusals(answer: str, kind: str) -> list[Refusal]:
    problem = identifiers.problem(answer, kind)
    return [Refusal("invalid", problem)] if problem else []


def _text_check(name: str, *, reply: bool = False) -> prompting.Check:
    return lambda answer: answers.text_field(name, answer, reply=reply)


def _tags_check(vocabulary: TagVocabulary | None, *, strict: bool) -> prompting.Check:
    """The tags' own rules; outside the vocabulary too when ``strict`` (in a terminal, where the
    contributor can choose again; on files the check only warns, and editors choose at acceptance)."""

    def check(answer: str) -> list[Refusal]:
        refusals = answers.tags(answer, vocabulary)[1]
        return [r for r in refusals if strict or r.code != answers.UNKNOWN_TAG]

    return check


def _tag_names(written: str, vocabulary: TagVocabulary | None) -> list[str]:
    """The tags to write: their vocabulary names when all are known, else as written."""
    names, refusals = answers.tags(written, vocabulary)
    return list(names) if not refusals else [tag.strip() for tag in written.split(",") if tag.strip()]


def _default_id(metadata: dict[str, object], folder: Path, words: dict[str, str]) -> str:
    """``<day>-<the title as a slug>`` (``<day>-reply-<slug>`` for a reply), free in ``folder``."""
    day = clock.now().strftime("%Y-%m-%d")
    if metadata.get("title"):
        text = str(metadata["title"])
    elif metadata.get("reply_to"):
        text = f"{words['reply_name']}-{metadata['reply_to']}"
    else:  # left before a title was given: a draft all the same
        text = words["draft_name"]
    slug = slugify(text)
    if len(slug) > 40:
        slug = slug[:41].rsplit("-", 1)[0]  # whole words only
    base = f"{day}-{slug}".rstrip("-")
    candidate, n = base, 2
    while (folder / f"{candidate}.md").exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _write_checked(found, name: str, text: str, tree, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Check the submission as `entraide check` would, under its final name; write it only if clean,
    else keep it as a draft (the contributor's text is never thrown away) and say where."""
    identifiers.require(name, identifiers.SUBMISSION)
    words = PROMPTS[lang]
    folder = found.submissions_dir
    shown_folder = found.show(folder) + "/"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise EntraideError(f"{shown_folder} is not a folder: move what is there away, then try again")
    final = folder / f"{name}.md"
    if os.path.lexists(final):
        _draft, kept = _saved_draft(found, name, text, words["draft"])
        raise _failed(lang, words["exists"].format(path=found.show(final)) + "\n" + kept)
    try:
        checked = check_text(name, text, tree, found.root)
    except OSError as error:
        raise EntraideError(f"cannot check the submission: {error.strerror or error}") from None
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors:
        draft, kept = _saved_draft(found, name, text, words["draft"])
        shown = found.show(draft) if draft is not None else found.show(final)  # where the lines are now
        lines = [f"{shown}:{p.line}: {p.field + ': ' if p.field else ''}{said(p.message, lang)}" for p in errors]
        lines.append(kept)
        raise _failed(lang, words["not_written"] + "\n" + "\n".join(lines))
    from entraide import atomic

    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic.write_text(final, text)
        os.chmod(final, 0o644)
    except OSError as error:
        raise EntraideError(f"cannot write {found.show(final)}: {error.strerror or error}") from None


DRAFTS_DIR = "drafts"
"""Where ``new`` keeps a post the check refused: outside submissions/, so that no check or pull
request takes it for a submission (ignored by git)."""


def _saved_draft(found, name: str, text: str, words: str) -> tuple[Path | None, str]:  # type: ignore[no-untyped-def]
    """Write ``text`` under drafts/ (never over another draft; the same text again is the same draft)
    and return where, with the sentence saying so."""
    from entraide import atomic

    folder = found.root / DRAFTS_DIR
    path, n = folder / f"{name}.md", 2
    while os.path.lexists(path) and not _holds(path, text):
        path, n = folder / f"{name}-{n}.md", n + 1
    try:
        folder.mkdir(exist_ok=True)
        if not os.path.lexists(path):
            atomic.write_text(path, text)
    except OSError as error:  # the text is still on screen to copy: say so rather than hide the check's answer
        return None, f"(the text could not be kept as a draft: {error.strerror or error})"
    return path, words.format(path=found.show(path))


def _holds(path: Path, text: str) -> bool:
    """Whether ``path`` is a regular file holding exactly ``text`` (a draft kept by an earlier try)."""
    try:
        return not path.is_symlink() and path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
