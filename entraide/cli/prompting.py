"""Questions asked in a terminal, in one language, each answer checked when it is given.

click's own prompts answer a wrong value with English ("Error: 'x' is not one of …", ``[y/N]``,
"Aborted!") whatever the language of the questions; here a refused answer is explained in the
prompts' language and asked again, and Ctrl-D or Ctrl-C ends with a short sentence in that language.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from entraide.answers import Refusal
from entraide.cli.refusals import worded
from entraide.errors import WordedError

Check = Callable[[str], list[Refusal]]

ENDED = {
    "fr": "Interrompu : aucune soumission n'a été écrite.",
    "en": "Interrupted: no submission was written.",
}
YES_NO = {"fr": ("o", "n"), "en": ("y", "n")}
SUFFIX = {"fr": "\u202f: ", "en": ": "}
"""After a question: French puts a narrow no-break space before the colon (« Thème : »)."""


class PromptsEnded(WordedError):
    """The contributor closed (Ctrl-D) or interrupted (Ctrl-C) a prompt."""

    def __init__(self, lang: str | None, message: str = ""):
        self.lang = lang
        super().__init__(message or ended(lang))


def ended(lang: str | None) -> str:
    """What an interruption prints, in ``lang`` (both languages before one is chosen)."""
    return f"{ENDED['fr']} / {ENDED['en']}" if lang is None else ENDED[lang]


def tell(refusals: list[Refusal], lang: str | None) -> None:
    """Say, in ``lang``, why an answer was refused."""
    for refusal in refusals:
        click.echo(worded(refusal, lang), err=True)


def ask(question: str, lang: str | None, check: Check, *, default: str = "", show_default: bool = True) -> str:
    """Ask until ``check`` refuses nothing; ``default`` is the answer to an empty line."""
    while True:
        answer = _line(question, lang, default, show_default and bool(default))
        refusals = check(answer)
        if not refusals:
            return answer
        tell(refusals, lang)


def choose(question: str, lang: str | None, choices: tuple[str, ...], default: str, *,
           show_default: bool = True) -> str:
    """One of ``choices`` (case and spaces ignored), asked again until it is one."""
    check: Check = lambda answer: _choice(answer, choices)  # noqa: E731
    return ask(question, lang, check, default=default, show_default=show_default).strip().lower()


def confirm(question: str, lang: str) -> bool:
    """A yes/no question with this language's letters (``[o/N]``), no by default; ``y`` is yes too."""
    yes, no = YES_NO[lang]
    choices = tuple(dict.fromkeys((yes, no, "y")))
    answer = choose(f"{question} [{yes}/{no.upper()}]", lang, choices, no, show_default=False)
    return answer in (yes, "y")


def _choice(answer: str, choices: tuple[str, ...]) -> list[Refusal]:
    if answer.strip().lower() in choices:
        return []
    shown_choices = tuple(choice for choice in choices if choice != "y" or choices[0] == "y")
    return [Refusal("choice", f"answer {' or '.join(shown_choices)}", {"choices": "|".join(shown_choices)})]


def _line(question: str, lang: str | None, default: str, show_default: bool) -> str:
    """One line typed in answer, stripped (``default`` for an empty one); an interruption is ``PromptsEnded``."""
    try:
        return str(click.prompt(question, default=default, show_default=show_default,
                                prompt_suffix=SUFFIX.get(lang or "", ": "))).strip()
    except click.Abort:
        click.echo("", err=True)  # the prompt's line is left open: end it before the sentence
        raise PromptsEnded(lang) from None
