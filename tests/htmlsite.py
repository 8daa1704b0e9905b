"""Reading the built site's HTML in tests: small helpers over the markup our templates produce."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def listed_threads(html: str) -> list[str]:
    """Hrefs of the thread titles in a page's lists, in order."""
    return re.findall(r'class="ent-item__title" href="([^"]+)"', html)


def reply_ids(html: str) -> list[str]:
    return re.findall(r'<article class="ent-post ent-reply[^"]*" id="reply-([^"]+)"', html)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):  # noqa: ANN001
        if not self.skip:
            self.parts.append(data)


def text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def nav_links(html: str) -> list[str]:
    """The distinct links of Material's navigation on a page, in order."""
    links = []
    for tag in re.findall(r"<a [^>]*md-nav__link[^>]*>", html):
        href = re.search(r'href="([^"]*)"', tag)
        if href and href.group(1) not in links:
            links.append(href.group(1))
    return links
