"""Characters that make text look other than it is: invisible ones, direction overrides, look-alikes.

A zero-width space or a right-to-left override lets "Claire M." and "Claire\u200b M." be two people, or
makes a title read backwards; a Cyrillic "С" in "Сlaire" impersonates a Latin name. Names and titles
refuse them; the screening removes the invisible ones before looking for e-mail addresses and phone
numbers, so that hiding one inside an address does not hide the address.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata

BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
FILLERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
"""Characters that are not format characters (``Cf``) but show as nothing."""

CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "MATHEMATICAL"})
"""Scripts whose letters look like one another's: one word mixing two of them is a disguise."""

_EMOJI_JOINABLE = frozenset({"So", "Sk"})


def is_invisible(char: str) -> bool:
    """A character that shows as nothing: format characters (zero-width, bidi, soft hyphen…) and fillers."""
    return unicodedata.category(char) == "Cf" or char in FILLERS


def describe(char: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``, for messages."""
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed character')})"


def hidden_character(text: str, *, allow_emoji_joiner: bool = False) -> str | None:
    """The first invisible or direction-changing character in ``text``, or ``None``.

    With ``allow_emoji_joiner``, a zero-width joiner after a symbol (an emoji sequence such as 👩‍💻)
    is allowed: it is how such emoji are written.
    """
    for index, char in enumerate(text):
        if not is_invisible(char):
            continue
        if allow_emoji_joiner and char == "\u200d" and index and _joins_emoji(text, index):
            continue
        return char
    return None


def _joins_emoji(text: str, index: int) -> bool:
    before = text[index - 1]
    if before == "\ufe0f" and index > 1:
        before = text[index - 2]
    after = text[index + 1] if index + 1 < len(text) else ""
    return unicodedata.category(before) in _EMOJI_JOINABLE and unicodedata.category(after or " ") in _EMOJI_JOINABLE


@functools.cache
def _invisible() -> re.Pattern[str]:
    """One character class of everything ``is_invisible`` accepts, so that removing them runs in C.

    Format characters (``Cf``) exist only in planes 0, 1 and 14: those are the code points scanned.
    """
    scanned = (*range(0x20000), *range(0xE0000, 0xE1000))
    points = sorted({p for p in scanned if unicodedata.category(chr(p)) == "Cf"} | {ord(char) for char in FILLERS})
    ranges: list[list[int]] = []  # as ranges: a class of 171 single characters matches ten times slower
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


def without_invisible(text: str) -> str:
    """``text`` with every invisible character removed (lines kept: newlines are not invisible)."""
    return text if text.isascii() else _invisible().sub("", text)


def is_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces (no-break ones too), invisible characters or ``&nbsp;``."""
    return not without_invisible(html.unescape(text)).strip()


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in ("FULLWIDTH", "HALFWIDTH"):
        return "FULLWIDTH"
    if first == "MATHEMATICAL":
        return "MATHEMATICAL"
    return first if first in CONFUSABLE_SCRIPTS else None


def mixed_script_word(text: str) -> tuple[str, list[str]] | None:
    """The first word mixing letters of two look-alike scripts (``Сlaire``: Cyrillic and Latin), with
    those scripts; ``None`` when every word keeps to one script."""
    word: list[str] = []
    scripts: set[str] = set()
    for char in text + " ":
        if char.isalnum() or char in "'’-" or unicodedata.category(char).startswith("M"):
            word.append(char)
            if script := _script(char):
                scripts.add(script)
            continue
        if len(scripts) > 1:
            return "".join(word), sorted(scripts)
        word, scripts = [], set()
    return None
