"""Contributors' Markdown → safe HTML. The only way a post's text reaches a page.

Posts are CommonMark (markdown-it-py, with tables and strikethrough): raw HTML in a post is shown as
text, never interpreted, and there is no attribute-list or include syntax to abuse. Bare web
addresses become links. Headings are demoted below the page's own, and the result is sanitised by
nh3 with an allow-list: no script, no event handler, no style, no image (it would call a third-party
host), and no link scheme but http(s) and mailto. French text gets French spacing before
``; : ! ? »`` and after « as narrow no-break spaces, so punctuation never wraps onto a line of its own.
"""

from __future__ import annotations

import html as htmllib
import re

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer ugc"

_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# Only a space the writer typed is replaced: "12:30", "http:" or "&gt;" are never touched.
_BEFORE_PUNCT = re.compile(r"(?<=\S)[ \u00a0]([;:!?»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0](?=\S)")
_NARROW_NBSP = "\u202f"

_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    clean_content_tags={"script", "style", "template", "svg", "math", "noscript", "iframe", "object"},
)


def _parser(linkify: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": linkify}).enable(["table", "strikethrough"])
    return parser.enable("linkify") if linkify else parser


_plain = _parser(linkify=False)
_linkifying = _parser(linkify=True)  # four times slower: used only when a post holds an address


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes."""
    return _cleaner.clean(html)


def render(text: str, lang: str = "fr") -> str:
    """Render a post's Markdown to sanitised HTML, with French spacing for French text."""
    parser = _linkifying if ("://" in text or "www." in text) else _plain
    html = parser.render(text)
    html = _HEADING.sub(_demote, html)
    html = sanitise(html)
    if lang == "fr":
        html = french_spacing(html)
    return html


def french_spacing(html: str) -> str:
    """Narrow no-break spaces before ``; : ! ? »`` and after ``«``, outside tags and code."""
    if "<code" not in html and "<pre" not in html:  # fast path: spacing inside attributes is harmless
        return plain_french_spacing(html)
    parts = _TAG_OR_TEXT.split(html)
    in_code = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part[1:].lstrip("/").split(" ", 1)[0].rstrip(">").lower()
            if name in ("code", "pre"):
                in_code += -1 if part.startswith("</") else 1
            continue
        if in_code or not part:
            continue
        part = _BEFORE_PUNCT.sub(lambda m: _NARROW_NBSP + m.group(1), part)
        parts[index] = _AFTER_GUILLEMET.sub("«" + _NARROW_NBSP, part)
    return "".join(parts)


def plain_french_spacing(text: str) -> str:
    """``french_spacing`` for plain text such as a title (escaped later by the template)."""
    text = _BEFORE_PUNCT.sub(lambda m: _NARROW_NBSP + m.group(1), text)
    return _AFTER_GUILLEMET.sub("«" + _NARROW_NBSP, text)


def _demote(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}"


_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
_BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br", "hr"})
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")


def plain_text(text: str) -> str:
    """A post's Markdown as plain text, for the search index and its snippets.

    Markdown is rendered without raw HTML (as for pages), then every tag is dropped; a literal ``<``
    in a post is escaped by the renderer, so nothing a post writes can pass for a tag here.
    """
    html = _plain.render(text)
    html = _TAG.sub(lambda m: "\n" if m.group(2).lower() in _BLOCK_TAGS else " ", html)
    text = htmllib.unescape(html)
    return _BLANK_LINES.sub("\n", _SPACES.sub(" ", text)).strip()
