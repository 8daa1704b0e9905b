"""Contributors' Markdown → safe HTML. The only way a post's text reaches a page.

Posts are CommonMark (markdown-it-py, with tables and strikethrough): raw HTML in a post is shown as
text, never interpreted, and there is no attribute-list or include syntax to abuse. Bare web
addresses become links. Headings are demoted below the page's own, and the result is sanitised by
nh3 with an allow-list: no script, no event handler, no style, no image (it would call a third-party
host: an image becomes a visible link to it, labelled with its description), and no link but
http(s), mailto and links within the site, decided once entities, percent-escapes and control
characters are decoded (``java%09script:`` is no http link). French text gets French spacing before
``; : ! ? »`` and after « as narrow no-break spaces, so punctuation never wraps onto a line of its own.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

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

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROLS_AND_SPACE = re.compile(r"[\x00-\x20\x7f-\x9f\s]+")


def decoded_url(value: str) -> str:
    """``value`` as a browser may finally read it: entities and percent-escapes decoded (repeatedly, so
    a double encoding gains nothing), C0/C1 controls, whitespace and invisible characters removed."""
    from urllib.parse import unquote

    from entraide.loading.characters import without_invisible

    for _ in range(4):
        before = value
        value = _CONTROLS_AND_SPACE.sub("", without_invisible(unquote(htmllib.unescape(value))))
        if value == before:
            break
    return value


def link_scheme(value: str) -> str | None:
    """The scheme of a link target as a browser would read it once decoded (lower case), or ``None``
    for a link without one (``/page``, ``#reply-2``, ``page.html``)."""
    match = _SCHEME.match(decoded_url(value))
    return match.group(1).lower() if match else None


def safe_href(value: str) -> str | None:
    """``value`` if it is an http(s) or mailto link or a link within this site, decided after decoding;
    ``None`` (the attribute is dropped) for anything else: ``java%09script:``, ``//other.host``…"""
    url = decoded_url(value)
    if match := _SCHEME.match(url):
        return value if match.group(1).lower() in URL_SCHEMES else None
    if url.startswith(("//", "\\", "/\\", "\\/")) or ":" in url.split("/", 1)[0]:
        return None  # another host, or a scheme a browser would still find
    return value


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    return safe_href(value) if attribute == "href" else value


_cleaner = nh3.Cleaner(
    attribute_filter=_attribute_filter,
    tags=set(ALLOWED_TAGS),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    clean_content_tags={"script", "style", "template", "svg", "math", "noscript", "iframe", "object"},
)


IMAGE_LABEL = {"fr": ("[Image : {alt}]", "[Image]"), "en": ("[Image: {alt}]", "[Image]")}


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image is never embedded (the reader's browser would call its host) nor dropped: it becomes
    a link to it, ``[Image : description]``, whose address is then checked as any link's."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env).strip()
    described, bare = IMAGE_LABEL.get(env.get("lang", "fr") if isinstance(env, dict) else "fr", IMAGE_LABEL["fr"])
    text = htmllib.escape(described.format(alt=alt) if alt else bare, quote=False)
    src = str(token.attrs.get("src", ""))
    if not src:
        return text
    return f'<a href="{htmllib.escape(src)}">{text}</a>'


def _parser(linkify: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": linkify}).enable(["table", "strikethrough"])
    parser.add_render_rule("image", _image_as_link)
    return parser.enable("linkify") if linkify else parser


_plain = _parser(linkify=False)
_linkifying = _parser(linkify=True)  # four times slower: used only when a post holds an address


def sanitise(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes."""
    return _cleaner.clean(html)


def render(text: str, lang: str = "fr") -> str:
    """Render a post's Markdown to sanitised HTML, with French spacing for French text."""
    parser = _linkifying if _links(text) else _plain
    return _finish(parser.render(text, {"lang": lang}), lang)


def render_and_plain(text: str, lang: str = "fr") -> tuple[str, str]:
    """``render(text, lang)`` and ``plain_text(text, lang)``, from one parse of the Markdown where they share it.

    Parsing is most of the cost of either. They parse alike unless the post holds an address (pages
    turn it into a link, which the search text does not need)."""
    if _links(text):
        return render(text, lang), plain_text(text, lang)
    raw = _plain.render(text, {"lang": lang})
    return _finish(raw, lang), _without_tags(raw)


def _links(text: str) -> bool:
    return "://" in text or "www." in text


def _finish(html: str, lang: str) -> str:
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


def typeset(text: str, lang: str) -> str:
    """Plain text (a title, a post's search text) with its language's typography, as pages print it:
    French spacing for French, nothing for English. It only turns typed spaces into narrow no-break
    spaces, so the text keeps its length (the search's offsets into it stay right)."""
    return plain_french_spacing(text) if lang == "fr" else text


def _demote(match: re.Match[str]) -> str:
    level = min(int(match.group(2)) + 2, 6)
    return f"<{match.group(1)}h{level}"


_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>")
INLINE_TAGS = frozenset({"a", "abbr", "b", "code", "del", "em", "i", "ins", "mark", "s", "small", "span", "strong",
                         "sub", "sup", "u"})
"""Tags inside a line of text: dropped without a trace, so ``**mot**, suite`` reads « mot, suite »."""
CELL_TAGS = frozenset({"td", "th"})
"""A table's cells: a space between them, a row on one line. Every other tag (paragraphs, items,
headings, line breaks…) ends a line."""
_SPACES = re.compile(r"[ \t]+")


def plain_text(text: str, lang: str = "fr") -> str:
    """A post's Markdown as plain text, for the search index and its snippets.

    Markdown is rendered without raw HTML (as for pages, with an image's label in the post's
    language), then tags are dropped; a literal ``<`` in a post is escaped by the renderer, so
    nothing a post writes can pass for a tag here.
    """
    return _without_tags(_plain.render(text, {"lang": lang}))


def _tag_gap(match: re.Match[str]) -> str:
    name = match.group(2).lower()
    return "" if name in INLINE_TAGS else " " if name in CELL_TAGS else "\n"


def _without_tags(html: str) -> str:
    html = _TAG.sub(_tag_gap, html)
    lines = (_SPACES.sub(" ", line).strip() for line in htmllib.unescape(html).split("\n"))
    return "\n".join(line for line in lines if line)  # line by line: linear whatever the spacing


def links_and_images(text: str) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The links and the images of a post as the renderer sees them: ``(line, target)`` pairs, lines
    counted from 0 at the first line of ``text``. Read from the parser's tokens, not guessed by a regex."""
    links: list[tuple[int, str]] = []
    images: list[tuple[int, str]] = []
    for block in _linkifying.parse(text):
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] if block.map else 0
        for token in block.children:
            if token.type == "softbreak" or token.type == "hardbreak":
                line += 1
            elif token.type == "link_open":
                links.append((line, str(token.attrs.get("href", ""))))
            elif token.type == "image":
                images.append((line, str(token.attrs.get("src", ""))))
    return links, images
