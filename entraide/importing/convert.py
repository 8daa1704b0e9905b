"""Source text → the Markdown of a post: HTML through markdownify, then the same renderer and
sanitiser as every post (``entraide.markup``) when the site is built.

The conversion only has to be faithful; safety is the renderer's job, which treats the result like any
contributor's text (raw HTML shown as text, links checked, images turned into links). What it adds for
imports: links and images made absolute against the source's address, ``<sup>``/``<sub>`` written
with Unicode's raised and lowered characters where they exist (``entraide.importing.supsub``), math
kept as its TeX or text, and titles made one clean line.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from markdownify import MarkdownConverter

from entraide.importing.model import MENTION_CLOSE, MENTION_OPEN, Markup
from entraide.importing.supsub import subscript, superscript
from entraide.loading.characters import without_invisible

MAX_TITLE = 200
_SENTINELS = re.compile(f"[{MENTION_OPEN}{MENTION_CLOSE}]")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")


class _Converter(MarkdownConverter):
    """markdownify, with addresses made absolute and math kept readable."""

    def __init__(self, base_url: str | None, **options: Any):
        super().__init__(**options)
        self.base_url = base_url

    def _absolute(self, url: str) -> str:
        return urljoin(self.base_url, url) if self.base_url and url else url

    def convert_a(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        if el.get("href"):
            el["href"] = self._absolute(el["href"])
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        src = self._absolute(el.get("src") or "")
        alt = (el.get("alt") or el.get("title") or "").replace("]", "").replace("[", "").strip()
        return f"![{alt}]({src})" if src else (f"[Image : {alt}]" if alt else "")

    def convert_sup(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return text if "_noformat" in parent_tags else superscript(text)

    def convert_sub(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        return text if "_noformat" in parent_tags else subscript(text)

    def convert_math(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
        tex = el.find("annotation", attrs={"encoding": "application/x-tex"})
        written = el.get("alttext") or (tex.get_text() if tex else el.get_text(" "))
        return f"`{written.strip()}`" if written.strip() else ""


def clean_source_text(text: str) -> str:
    """A source's own text with the mention markers removed: only adapters write them."""
    return _SENTINELS.sub("", text)


def to_markdown(text: str, markup: Markup, base_url: str | None = None) -> str:
    """A post's text as Markdown, ready for a submission's body."""
    if markup == "html":
        converter = _Converter(
            base_url, heading_style="ATX", bullets="-", escape_misc=False,
            bs4_options="lxml",  # lxml's parser (feedgen already needs lxml): twice as fast as html.parser
        )
        text = converter.convert(text)
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def one_line_title(text: str, fallback: str) -> str:
    """A title on one line, without invisible characters, cut at a word to ``MAX_TITLE`` characters."""
    title = _SPACES.sub(" ", without_invisible(clean_source_text(text))).strip() or fallback
    if len(title) <= MAX_TITLE:
        return title
    cut = title[: MAX_TITLE - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def title_from_text(markdown: str, fallback: str, words: int = 14) -> str:
    """A title for a source without titles (chat, Viva Engage): the first words of the first line."""
    first = next((line for line in markdown.split("\n") if line.strip()), "")
    first = re.sub(r"[*_`#>\[\]]", "", first)
    parts = first.split()
    title = " ".join(parts[:words]) + ("…" if len(parts) > words else "")
    return one_line_title(title, fallback)
