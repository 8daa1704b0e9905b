"""Posts rendered once per build: sanitised HTML for the pages, plain text for the search.

A cold build needs both for every post, and parsing the Markdown is most of the cost of either. The
search's analysis comes first, so it asks this renderer for a post's plain text: the renderer makes
the page's HTML from the same parse (``entraide.markup.render_and_plain``) and keeps it in the build
cache, where the page finds it later (and where pages rendered by other workers find it too, since
they are forked after the search is done).
"""

from __future__ import annotations

from markupsafe import Markup

from entraide import buildcache, markup
from entraide.buildcache import BuildCache

POST_HTML = "post-html"


class PostRenderer:
    def __init__(self, cache: BuildCache):
        self.cache = cache
        cache.read_one_by_one(POST_HTML)  # a warm build renders a few pages' posts, not all of them


    def html(self, text: str, lang: str) -> PostHtml:
        """A post's sanitised HTML, made (or taken from the build cache) only when a page prints it. Its
        entry is kept in the cache either way: the post is still on the site, and a template edit
        renders its page again."""
        key = _key(text, lang)
        self.cache.keep(POST_HTML, key)
        return PostHtml(key, self, text, lang)

    def made(self, key: bytes, text: str, lang: str) -> Markup:
        """The HTML of ``text``, from the build cache when these bytes were rendered before."""
        return Markup(self.cache.memo(POST_HTML, key, lambda: markup.render(text, lang)))

    def plain(self, text: str, lang: str) -> str:
        """A post's plain text (``entraide.markup.plain_text``); its HTML is cached on the way."""
        key = _key(text, lang)
        if self.cache.has(POST_HTML, key):
            return markup.plain_text(text, lang)
        html, plain = markup.render_and_plain(text, lang)
        self.cache.put(POST_HTML, key, html.encode("utf-8", "surrogatepass"))
        return plain


class PostHtml:
    """A post's HTML in a page's view: printed as the HTML (``__html__``), written in the view's repr
    as its build-cache key, which names everything the HTML is made from (the post's bytes, its
    language, the code and libraries that render it). So a page's key (``builder.incremental``) is
    computed without making or reading any HTML: only pages that are rendered fetch it."""

    __slots__ = ("key", "_renderer", "_text", "_lang")

    def __init__(self, key: bytes, renderer: PostRenderer, text: str, lang: str):
        self.key, self._renderer, self._text, self._lang = key, renderer, text, lang

    def __html__(self) -> Markup:
        return self._renderer.made(self.key, self._text, self._lang)

    def __str__(self) -> str:
        return str(self.__html__())

    def __repr__(self) -> str:
        return f"PostHtml({self.key.hex()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PostHtml) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


def _key(text: str, lang: str) -> bytes:
    return buildcache.key_of(POST_HTML, lang, text)
