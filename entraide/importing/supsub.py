"""``<sup>`` and ``<sub>`` of imported HTML as text a reader can read.

Posts are CommonMark, which has no superscript or subscript, and pages never let raw HTML through:
``x^2^`` or ``H~2~O`` would reach readers as written. Unicode has raised and lowered forms for the
digits, the signs, the parentheses and some letters, so ``H<sub>2</sub>O`` reads « H₂O » and
``mc<sup>2</sup>`` « mc² ». When one character of the text has no such form, the whole text is
written ``x^(n+q)`` or ``H_(aq)`` instead (``^q``, ``_q`` for one character): half-raised text
would read as a different formula.
"""

from __future__ import annotations

_SIGNS = "0123456789+-−=()"

SUPERSCRIPTS: dict[str, str] = {
    **dict(zip(_SIGNS, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾", strict=True)),
    **dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True)),
    **dict(zip("ABDEGHIJKLMNOPRTUVW", "ᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ", strict=True)),
}
"""Every character with a superscript form (no ``q``, and capitals only where Unicode has one)."""

SUBSCRIPTS: dict[str, str] = {
    **dict(zip(_SIGNS, "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎", strict=True)),
    **dict(zip("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)),
}
"""Every character with a subscript form: digits, signs and a few lower-case letters."""

_RAISED = frozenset(SUPERSCRIPTS.values())
_LOWERED = frozenset(SUBSCRIPTS.values())


def superscript(text: str) -> str:
    """``text`` of a ``<sup>``: « ² », « ⁿ⁺¹ », else ``^(text)``."""
    return _shifted(text, SUPERSCRIPTS, _RAISED, "^")


def subscript(text: str) -> str:
    """``text`` of a ``<sub>``: « ₂ », else ``_(text)`` (the underscore escaped for Markdown)."""
    return _shifted(text, SUBSCRIPTS, _LOWERED, "\\_")


def _shifted(text: str, forms: dict[str, str], shifted: frozenset[str], mark: str) -> str:
    core = text.strip()
    if not core:
        return " " if text else ""  # an empty element leaves no mark; a space in it still separates
    before = text[: len(text) - len(text.lstrip())] and " "
    after = text[len(text.rstrip()) :] and " "
    if all(char in forms or char in shifted for char in core):  # nested: already shifted characters stay
        written = "".join(forms.get(char, char) for char in core)
    elif len(core) == 1 or _grouped(core):
        written = mark + core
    else:
        written = f"{mark}({core})"
    return before + written + after


def _grouped(text: str) -> bool:
    """Whether ``text`` is one parenthesised group, ``(aq)``: no second pair of parentheses around it."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for at, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and at < len(text) - 1:
            return False  # "(a)(b)" closes before its end
    return depth == 0
