"""Atom feeds: the latest threads of the whole site, and of each theme.

Written with feedgen (valid Atom, escaping handled by lxml) after MkDocs wrote the pages. Only
published threads are in the tree this reads, so a withdrawn thread leaves the feeds at the next
build. Authors appear as the pages show them: « Membre anonyme » for anonymous posts.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from builder import routes
from builder.i18n import Translator
from builder.views import SiteViews, author_label
from entraide.model import Thread

ENTRIES = 50
SITE_FEED = "feed.xml"


def theme_feed(slug: str) -> str:
    return f"themes/{slug}/feed.xml"


def _url(site_url: str | None, path: str) -> str:
    """An absolute URL when the site's address is known (``site_url``), else a site-relative one."""
    return urljoin(site_url, path) if site_url else "/" + path


def _page_path(src_uri: str) -> str:
    return src_uri.removesuffix("index.md")


def _aware(value: datetime, zone: tzinfo) -> datetime:
    """A post's time (the community's wall-clock time, ``entraide.clock``) with its offset."""
    return value.replace(tzinfo=zone) if value.tzinfo is None else value


def _feed(
    views: SiteViews, t: Translator, threads: list[Thread], title: str, feed_path: str, page_path: str,
    site_url: str | None, zone: tzinfo,
) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(_url(site_url, feed_path) if site_url else f"urn:entraide:feed:{feed_path}")
    feed.title(title)
    feed.language(t.lang)
    feed.link(href=_url(site_url, page_path), rel="alternate", type="text/html")
    feed.link(href=_url(site_url, feed_path), rel="self", type="application/atom+xml")
    newest = sorted(threads, key=lambda thread: thread.last_activity, reverse=True)[:ENTRIES]
    latest = max((thread.last_activity for thread in newest), default=datetime(2000, 1, 1, tzinfo=UTC))
    feed.updated(_aware(latest, zone))
    for thread in reversed(newest):  # feedgen prepends: add oldest first so the newest comes first
        entry = feed.add_entry()
        link = _url(site_url, _page_path(routes.thread(thread.slug)))
        entry.id(link if site_url else f"urn:entraide:thread:{thread.slug}")
        entry.title(views.title(thread))
        entry.link(href=link, rel="alternate", type="text/html")
        entry.author({"name": author_label(thread.fields, t)})
        entry.published(_aware(thread.date, zone))
        entry.updated(_aware(thread.last_activity, zone))
        entry.summary(views.excerpt(thread))
        entry.content(str(views.rendered(thread.body, thread.lang)), type="html")  # the build cache's HTML
        entry.category(term=thread.theme, label=views.tree.themes_by_slug[thread.theme].title(t.lang))
        for tag in thread.fields.tags:  # the term stays the tag, whatever the language; the label is the reader's
            entry.category(term=tag, label=views.tag_label(tag))
    return feed


def write_feeds(views: SiteViews, t: Translator, site_dir: Path, site_name: str, site_url: str | None,
                zone: tzinfo = UTC) -> list[Path]:
    """Write the site's feed and one per theme into ``site_dir``; returns their paths."""
    tree = views.tree
    written = []
    feeds = [(tree.threads, site_name, SITE_FEED, _page_path(routes.HOME))]
    feeds += [
        (tree.threads_in(theme.slug), f"{theme.title(t.lang)} — {site_name}", theme_feed(theme.slug),
         _page_path(routes.theme(theme.slug)))
        for theme in tree.themes
    ]
    for threads, title, feed_path, page_path in feeds:
        path = site_dir / feed_path
        path.parent.mkdir(parents=True, exist_ok=True)
        _feed(views, t, threads, title, feed_path, page_path, site_url, zone).atom_file(str(path), pretty=True)
        written.append(path)
    return written
