"""Material's navigation, rendered once for each distinct way a page can see it.

Material renders the whole navigation (``partials/nav.html``) again for every page: at 10,000 threads
that was about a third of its time. What that partial prints depends on the build (the navigation, the
configuration) and, per page, only on a few things: each entry's address as seen from the page (the
``url`` filter makes them relative), which entries are active, whether an entry is the page itself, and
the page's table of contents when Material integrates it. Every thread sits at the same depth and
outside the navigation, so thousands of pages share one rendering.

entraide's ``theme/partials/nav.html`` prints ``entraide_nav()``, which renders the partial it
shadows (Material's, or a custom one later in the theme's folders) for a key made of exactly those
things, and reuses it for any page with the same key. A test builds the site with and without the
override and compares the bytes.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

PARTIAL = "partials/nav.html"


class NavigationCache:
    """One per build: renderings of the shadowed navigation partial by what they depend on."""

    def __init__(self, env: jinja2.Environment):
        self.env = env
        self._template: jinja2.Template | None = None
        self._rendered: dict[tuple[Any, ...], Markup] = {}

    @jinja2.pass_context
    def render(self, context: jinja2.runtime.Context) -> Markup:
        values = context.get_all()
        key = self._key(context, values)
        if key not in self._rendered:
            self._rendered[key] = Markup(self._shadowed().render(values))
        return self._rendered[key]

    def _key(self, context: jinja2.runtime.Context, values: dict[str, Any]) -> tuple[Any, ...]:
        url = self.env.filters["url"]
        page, nav = values.get("page"), values.get("nav")
        extra = (values.get("config") or {}).get("extra") or {}

        def entries(items: Any) -> tuple[Any, ...]:
            return tuple(
                (
                    type(item).__name__,
                    str(item.title),
                    url(context, item.url) if getattr(item, "url", None) is not None else None,
                    bool(getattr(item, "active", False)),
                    item is page,
                    _meta(item),
                    entries(item.children) if getattr(item, "children", None) else (),
                )
                for item in items or ()
            )

        homepage = extra.get("homepage") or getattr(getattr(nav, "homepage", None), "url", None)
        toc = tuple((entry.title, entry.url) for entry in getattr(page, "toc", None) or ())
        return (
            str(values.get("base_url", "")),
            url(context, homepage) if homepage else None,
            entries(getattr(nav, "items", ())),
            toc,
        )

    def _shadowed(self) -> jinja2.Template:
        """The navigation partial that entraide's override hides: the next one on the theme's path."""
        if self._template is None:
            loader = self.env.loader
            folders = list(getattr(loader, "searchpath", ()))
            found = [folder for folder in folders if _has(folder)]
            if len(found) < 2:
                raise jinja2.TemplateNotFound(f"{PARTIAL} beneath entraide's override")
            source = jinja2.FileSystemLoader(found[1]).get_source(self.env, PARTIAL)[0]
            self._template = self.env.from_string(source)
        return self._template


def _has(folder: str) -> bool:
    try:
        jinja2.FileSystemLoader(folder).get_source(jinja2.Environment(), PARTIAL)
    except jinja2.TemplateNotFound:
        return False
    return True


def _meta(item: Any) -> tuple[tuple[str, str], ...]:
    meta = getattr(item, "meta", None)
    return tuple(sorted((str(key), repr(value)) for key, value in meta.items())) if isinstance(meta, dict) else ()
