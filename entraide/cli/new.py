"""``entraide new``: write a valid submission, by answering prompts or with flags in scripts."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from entraide import clock, identifiers
from entraide.cli.options import config_option, project
from entraide.composing import check_text, submission_text
from entraide.errors import ContentError, EntraideError
from entraide.loading.loader import load_content
from entraide.model import LANGUAGES, LICENSES
from entraide.slugs import slugify

PROMPTS = {
    "fr": {
        "kind": "Nouvelle discussion (n) ou réponse à une discussion (r)",
        "reply_to": "Slug de la discussion à laquelle vous répondez",
        "title": "Titre (la question ou l'histoire, en une ligne)",
        "themes": "Thèmes :",
        "theme": "Thème",
        "tags": "Étiquettes, séparées par des virgules (facultatif)",
        "author": "Nom affiché (par exemple « Claire M. »)",
        "anonymous": "Publier anonymement (« Membre anonyme ») ?",
        "consent": "Acceptez-vous la publication de ce texte sous licence {license} ?",
        "body": "# Écrivez votre message en Markdown sous cette ligne, puis enregistrez et fermez.\n",
        "written": "Soumission écrite : {path}\nVérifiez-la avec `entraide check`, puis proposez-la (pull request).",
        "yes_no": "on",
        "draft": "Votre texte est gardé dans {path} : corrigez-le, puis placez-le dans submissions/.",
        "reply_name": "reponse",
    },
    "en": {
        "kind": "New thread (n) or reply to a thread (r)",
        "reply_to": "Slug of the thread you reply to",
        "title": "Title (the question or story, on one line)",
        "themes": "Themes:",
        "theme": "Theme",
        "tags": "Tags, separated by commas (optional)",
        "author": "Name to show (for example “Claire M.”)",
        "anonymous": "Publish anonymously (“Anonymous member”)?",
        "consent": "Do you agree to the publication of this text under the {license} licence?",
        "body": "# Write your post in Markdown below this line, then save and close.\n",
        "written": "Submission written: {path}\nCheck it with `entraide check`, then propose it (pull request).",
        "yes_no": "yn",
        "draft": "Your text is kept in {path}: fix it, then move it into submissions/.",
        "reply_name": "reply",
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
@click.option("--tags", type=identifiers.TAGS, help="Comma-separated tags of a new thread.")
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

    Missing answers are asked for (the themes are listed); with --no-input, they are errors.

    \b
    Example:
      entraide new
      entraide new --no-input --lang fr --title "Un conflit dans mon équipe" --theme conflits \\
        --author "Claire M." --consent --body-file post.md
      entraide new --no-input --lang fr --reply-to conflit-entre-deux-collaborateurs \\
        --author "Karim B." --consent --body-file - < reply.md
    """
    found = project(config_file)
    interactive = not no_input and sys.stdin.isatty()

    def ask(name: str, text: str, **kwargs):  # type: ignore[no-untyped-def]
        if not interactive:
            raise EntraideError(f"missing --{name.replace('_', '-')} (or run without --no-input to be asked)")
        return click.prompt(text, **kwargs)

    lang = lang or (ask("lang", "Langue / language", type=click.Choice(LANGUAGES), default="fr"))
    words = PROMPTS[lang]
    try:
        tree = load_content(found.content_dir, base=found.root)
    except ContentError:
        tree = None
    wants_reply = reply_to is None and title is None and interactive
    if wants_reply and click.prompt(words["kind"], type=click.Choice(["n", "r"]), default="n") == "r":
        reply_to = click.prompt(words["reply_to"], type=identifiers.THREAD_SLUG)
    metadata: dict[str, object] = {}
    if reply_to:
        metadata["reply_to"] = reply_to
    else:
        metadata["title"] = title or ask("title", words["title"])
        if theme is None and interactive and tree is not None:
            click.echo(words["themes"])
            for item in tree.themes:
                click.echo(f"  {item.slug:<20} {item.title(lang)}")
        metadata["theme"] = theme or ask("theme", words["theme"], type=identifiers.THEME_SLUG)
        if tags is None and interactive:
            tags = click.prompt(words["tags"], default="", show_default=False, type=identifiers.TAGS)
        metadata["tags"] = [tag.strip() for tag in (tags or "").split(",") if tag.strip()]
        metadata["lang"] = lang
    if anonymous is None:
        anonymous = _confirm(words["anonymous"], lang) if interactive else False
    metadata["author"] = author or ask("author", words["author"])
    metadata["anonymous"] = anonymous
    metadata["date"] = clock.now().replace(second=0, microsecond=0)
    if not consent:
        consent = _confirm(words["consent"].format(license=license_), lang) if interactive else False
    metadata["consent"] = consent
    if not reply_to:
        metadata["license"] = license_
    if body_file is not None:
        body = body_file.read()
    elif interactive:
        edited = click.edit(words["body"], extension=".md")
        body = "\n".join(line for line in (edited or "").split("\n") if not line.startswith("# "))
    else:
        raise EntraideError("missing --body-file (the post's text; '-' reads it from stdin)")
    text = submission_text(metadata, body)
    replied = tree.threads_by_slug.get(reply_to) if tree is not None and reply_to else None
    post_lang = replied.fields.lang if replied is not None else lang  # a reply is in its thread's language
    name = submission_id or _default_id(metadata, found.submissions_dir, PROMPTS[post_lang]["reply_name"])
    _write_checked(found, name, text, tree, words["draft"])
    click.echo(words["written"].format(path=found.show(found.submissions_dir / f"{name}.md")))


def _confirm(question: str, lang: str) -> bool:
    """A yes/no question in the prompts' language (click's own ``[y/N]`` is English whatever the post)."""
    yes, no = PROMPTS[lang]["yes_no"][0], PROMPTS[lang]["yes_no"][1]
    answer = click.prompt(f"{question} [{yes}/{no.upper()}]", default=no, show_default=False,
                          value_proc=lambda value: value.strip().lower()[:1])
    while answer not in (yes, no, "y"):
        answer = click.prompt(f"{question} [{yes}/{no.upper()}]", default=no, show_default=False,
                              value_proc=lambda value: value.strip().lower()[:1])
    return answer in (yes, "y")


def _default_id(metadata: dict[str, object], folder: Path, reply_name: str) -> str:
    day = clock.now().strftime("%Y-%m-%d")
    words = str(metadata.get("title") or f"{reply_name}-{metadata['reply_to']}")
    slug = slugify(words)
    if len(slug) > 40:
        slug = slug[:41].rsplit("-", 1)[0]  # whole words only
    base = f"{day}-{slug}".rstrip("-")
    candidate, n = base, 2
    while (folder / f"{candidate}.md").exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _write_checked(found, name: str, text: str, tree, draft_words: str) -> None:  # type: ignore[no-untyped-def]
    """Check the submission as `entraide check` would, under its final name; write it only if clean,
    else keep it as a draft (the contributor's text is never thrown away) and say where."""
    identifiers.require(name, identifiers.SUBMISSION)
    folder = found.submissions_dir
    shown_folder = found.show(folder) + "/"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise EntraideError(f"{shown_folder} is not a folder: move what is there away, then try again")
    final = folder / f"{name}.md"
    if os.path.lexists(final):
        raise EntraideError(f"{found.show(final)} already exists: choose another --id")
    try:
        checked = check_text(name, text, tree, found.root)
    except OSError as error:
        raise EntraideError(f"cannot check the submission: {error.strerror or error}") from None
    errors = [p for p in checked.problems if p.severity == "error"]
    if errors:
        shown = found.show(final)
        lines = [f"{shown}:{p.line}: {p.field + ': ' if p.field else ''}{p.message}" for p in errors]
        lines.append(_saved_draft(found, name, text, draft_words))
        raise EntraideError("the submission was not written:\n" + "\n".join(lines))
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


def _saved_draft(found, name: str, text: str, words: str) -> str:  # type: ignore[no-untyped-def]
    """Write ``text`` under drafts/ (never over an earlier draft) and return the sentence saying where."""
    from entraide import atomic

    folder = found.root / DRAFTS_DIR
    path, n = folder / f"{name}.md", 2
    while os.path.lexists(path):
        path, n = folder / f"{name}-{n}.md", n + 1
    try:
        folder.mkdir(exist_ok=True)
        atomic.write_text(path, text)
    except OSError as error:  # the text is still on screen to copy: say so rather than hide the check's answer
        return f"(the text could not be kept as a draft: {error.strerror or error})"
    return words.format(path=found.show(path))
