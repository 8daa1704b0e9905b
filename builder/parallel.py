"""Pages rendered on every core: how many workers render a build's pages.

MkDocs renders pages one after the other, and on a large site rendering is most of a build. Once the
content is loaded, everything a page needs is in memory (the views, the navigation, the theme's
environment), so ``entraide build`` defers its pages while MkDocs reads the others, then, at
``on_env``, shares them out between forked workers (``entraide.workers``) that render each page as
MkDocs would (its own ``_populate_page`` and ``_build_page``), so a page's bytes do not depend on
which process made it, and write it at once: no page is held in memory once written.
"""

from __future__ import annotations

from entraide.workers import worker_count

MIN_PAGES = 400
"""Below this many pages a build renders in one process: forking and merging would cost more than it saves."""


def page_workers(requested: int | None, pages: int) -> int:
    return worker_count(requested, pages, MIN_PAGES)
