"""One exception family for every error a user can cause.

``EntraideError`` subclasses ``click.ClickException`` so that the CLI edge turns any of them into a
clean message and exit code 1, never a traceback. ``ContentError`` carries *all* the problems found
in a content tree, each pointing at a file, a line and a field.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import click

from entraide.wording import counted

MAX_ECHO = 80
"""At most this many characters of an offending value are repeated in a message."""


def shown(value: object, limit: int = MAX_ECHO) -> str:
    """``value`` as a message may repeat it: invisible and control characters spelled ``<U+200B>``,
    and cut to ``limit`` characters, so a hostile value can neither flood nor disguise a message."""
    text = str(value)
    cut = len(text) > limit
    out: list[str] = []
    for char in text[:limit]:
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != " ":
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    return "".join(out) + ("…" if cut else "")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located precisely enough to fix it without searching."""

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"
    """``error`` blocks; ``warning`` is shown but lets the command succeed."""
    code: str = ""
    """A stable name for the kind of problem (``personal-data``, ``raw-html``…), for overrides and tools."""

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        level = " warning:" if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{level}{field} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
            "code": self.code,
        }

    def github(self) -> str:
        """A GitHub Actions workflow command: the problem shows on the pull request's diff."""
        kind = "warning" if self.severity == "warning" else "error"
        message = (f"{self.field}: " if self.field else "") + self.message
        escaped = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = path.replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={path},line={self.line},title=entraide check::{escaped}"


class EntraideError(click.ClickException):
    """Base of every error entraide reports to a user."""


class ContentError(EntraideError):
    """The content tree has problems; all of them are listed, sorted by file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        lines = [str(p) for p in self.problems]
        files = len({p.path for p in self.problems})
        self.summary = f"{counted(count, 'problem')} in {counted(files, 'file')}"
        super().__init__("\n".join(lines + [self.summary + "."]))

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        """Problems one per line, as compilers print them, so editors and CI can jump to them."""
        click.echo(self.format_message(), file=file, err=file is None)


def error_json(error: EntraideError) -> dict[str, object]:
    """A refusal as the JSON a ``--json`` command prints: ``ok`` false, the message, and each problem
    when the error lists them."""
    problems = getattr(error, "problems", None)
    return {
        "ok": False,
        "error": error.format_message(),
        "problems": [p.as_dict() for p in problems] if isinstance(problems, list) else [],
    }


class WordedError(EntraideError):
    """An error already worded for its reader, in the prompts' language: shown as it is, without
    click's English ``Error:`` in front of it."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(self.format_message(), file=file, err=file is None)
