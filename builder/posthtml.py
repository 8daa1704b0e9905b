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

    def html(self, text: str, lang: str) -> Markup:
        """A post's sanitised HTML, from the build cache when these bytes were rendered before."""
        return Markup(self.cache.memo(POST_HTML, _key(text, lang), lambda: markup.render(text, lang)))

    def __call__(self, text: str, lang: str) -> str:
        return self.plain(text, lang)

    # What a worker that analysed posts adds to the cache goes back to the build (``search.analysing``).

    def mark(self) -> int:
        return self.cache.mark()

    def changes(self, since: int) -> object:
        return self.cache.changes(since)

    def absorb(self, changes: object) -> None:
        self.cache.absorb(changes)  # type: ignore[arg-type]

    def plain(self, text: str, lang: str) -> str:
        """A post's plain text (``entraide.markup.plain_text``); its HTML is cached on the way."""
        key = _key(text, lang)
        if self.cache.has(POST_HTML, key):
            return markup.plain_text(text)
        html, plain = markup.render_and_plain(text, lang)
        self.cache.put(POST_HTML, key, html.encode("utf-8", "surrogatepass"))
        return plain


def _key(text: str, lang: str) -> bytes:
    return buildcache.key_of(POST_HTML, lang, text)
