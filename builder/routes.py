"""Where every generated page lives: one place for the site's URL layout.

    index.md                          home
    <thread-slug>/index.md            a thread (short, stable permalinks)
    themes/<slug>/index.md            a theme, first page; then themes/<slug>/page/<n>/index.md
    tags/index.md                     all tags; tags/<tag-slug>/index.md (and /page/<n>/) per tag
    search/index.md                   the search page, beside the index export in search/
    contributors/index.md             the most active contributors
    contribuer/index.md               how to propose a post (the pull-request way, and the form if any)
    discussions/index.md              every thread, newest first; then discussions/page/<n>/index.md

Thread slugs are checked against ``entraide.slugs.RESERVED_ROUTES`` so they never shadow these.
"""

from __future__ import annotations

from entraide.slugs import tag_slug

HOME = "index.md"
TAGS = "tags/index.md"
SEARCH = "search/index.md"
CONTRIBUTORS = "contributors/index.md"
CONTRIBUTE = "contribuer/index.md"
SEARCH_FILES = "search/"
"""The search page; the index export (meta.json, t/, d/, theme/, tag/) is copied beside it."""


def all_threads(page: int = 1) -> str:
    return "discussions/index.md" if page == 1 else f"discussions/page/{page}/index.md"


def thread(slug: str) -> str:
    return f"{slug}/index.md"


def theme(slug: str, page: int = 1) -> str:
    return f"themes/{slug}/index.md" if page == 1 else f"themes/{slug}/page/{page}/index.md"


def tag(name: str, page: int = 1) -> str:
    base = f"tags/{tag_slug(name)}"
    return f"{base}/index.md" if page == 1 else f"{base}/page/{page}/index.md"
