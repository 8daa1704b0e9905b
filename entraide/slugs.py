"""Slugs: the only names that become paths and URLs, so they are checked in one place.

A slug is lowercase ASCII letters, digits and single hyphens, and never a name Windows reserves for a
device (``con``, ``nul``, ``com1``…: a checkout on Windows could not hold the file). Thread slugs live
at the root of the site, so they must not take a route the site itself uses (``themes/``, ``tags/``…).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from slugify import slugify as transliterated

from entraide.errors import shown

MAX_SLUG_LENGTH = 80
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RESERVED_ROUTES = frozenset(
    {
        "404",
        "about",
        "admin",
        "api",
        "assets",
        "contribuer",
        "contribute",
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


WINDOWS_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "conin", "conout"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
)
"""Names Windows gives to devices, with any extension (``con.md`` is the console): never a file name."""


def slug_problem(value: str, *, reserved: bool = False) -> str | None:
    """Why ``value`` is not a valid slug, or ``None`` when it is."""
    if not value:
        return "must not be empty"
    if len(value) > MAX_SLUG_LENGTH:
        return f"'{shown(value)}' is longer than {MAX_SLUG_LENGTH} characters"
    if not _SLUG.match(value):
        suggestion = slugify(value)
        hint = f" (for example '{suggestion}')" if suggestion and suggestion not in WINDOWS_DEVICE_NAMES else ""
        return f"'{shown(value)}' is not a valid slug: use lowercase letters a-z, digits and single hyphens{hint}"
    if value in WINDOWS_DEVICE_NAMES:
        return f"'{value}' is a device name on Windows (like con, nul, com1, lpt1); choose another name"
    if reserved and value in RESERVED_ROUTES:
        return f"'{value}' is reserved for a page of the site; choose another slug"
    return None


_APOSTROPHES = re.compile(r"['\u2019\u2018\u02bc\u00b4`]")


@lru_cache(maxsize=65536)  # pure, and asked again for every tag of every page
def slugify(text: str) -> str:
    """An ASCII slug for any text, transliterated (« sœur » → ``soeur``, « Straße » → ``strasse``) by
    python-slugify; both apostrophes separate words (« l’équipe » and « l'équipe » → ``l-equipe``)."""
    ascii_text = transliterated(_APOSTROPHES.sub(" ", unicodedata.normalize("NFC", text)), lowercase=True)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")


@lru_cache(maxsize=65536)  # every listing item links its tags: a site asks for the same few thousand
def tag_slug(tag: str) -> str:
    """The URL name of a tag's page, never empty: a tag with no ASCII letter or digit (Cyrillic, CJK,
    emoji) gets ``t-`` and a short hash of its text, stable from build to build, so its page can never
    replace ``tags/`` itself."""
    latin = re.search(r"[A-Za-z0-9]", unicodedata.normalize("NFKD", tag))  # else a transliteration could collide
    return (slugify(tag) if latin else "") or "t-" + hashlib.sha256(
        unicodedata.normalize("NFC", tag).encode("utf-8")).hexdigest()[:10]
