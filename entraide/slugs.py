"""Slugs: the only names that become paths and URLs, so they are checked in one place.

A slug is lowercase ASCII letters, digits and single hyphens. Thread slugs live at the root of the
site, so they must not take a route the site itself uses (``themes/``, ``tags/``, ``assets/``…).
"""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG_LENGTH = 80
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RESERVED_ROUTES = frozenset(
    {
        "404",
        "about",
        "admin",
        "api",
        "assets",
        "contributors",
        "contributeurs",
        "discussions",
        "css",
        "feed",
        "feeds",
        "fonts",
        "images",
        "img",
        "index",
        "javascripts",
        "js",
        "page",
        "robots",
        "rss",
        "search",
        "recherche",
        "site",
        "sitemap",
        "static",
        "stylesheets",
        "tag",
        "tags",
        "theme",
        "themes",
        "thread",
        "threads",
        "search-index",
    }
)


def slug_problem(value: str, *, reserved: bool = False) -> str | None:
    """Why ``value`` is not a valid slug, or ``None`` when it is."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_SLUG_LENGTH:
        return f"is longer than {MAX_SLUG_LENGTH} characters"
    if not _SLUG.match(value):
        suggestion = slugify(value)
        hint = f" (for example '{suggestion}')" if suggestion else ""
        return f"'{value}' is not a valid slug: use lowercase letters a-z, digits and single hyphens{hint}"
    if reserved and value in RESERVED_ROUTES:
        return f"'{value}' is reserved for a page of the site; choose another slug"
    return None


def slugify(text: str) -> str:
    """An ASCII slug for any text: accents folded, everything else turned into hyphens."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")
