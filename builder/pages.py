"""Generated pages: MkDocs pages whose HTML comes from a template, not from a Markdown file.

MkDocs lets a plugin give a ``File`` its own ``Page`` subclass. Ours skips reading a source and
running Markdown (there is none: the posts were rendered and sanitised by ``entraide.markup``) and
fills ``content`` from the page's template, so every generated page costs MkDocs only its theme.

A page's ``update_date`` (the sitemap's ``<lastmod>``, and the mtime MkDocs writes into
``sitemap.xml.gz``) is the date of the latest post it shows, not the build date: two builds of the
same content, on any day, give the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

Linker = Callable[[str], str]


@dataclass(frozen=True)
class PageSpec:
    """What a generated page is: its template, title, and how to build its view."""

    template: str
    title: str
    view: Callable[[Linker], Any]
    css_class: str
    description: str = ""
    updated: str = field(kw_only=True)
    """ISO date of the latest post on the page (``content_date``): required, so that no page of the
    sitemap ever carries the build date (same content, same bytes)."""
    contribute: str = field(default="", kw_only=True)
    """Where the page's contribution link leads in the intake (``/new?theme=…``, ``/reply/…``), if anywhere."""


EARLIEST, LATEST = date(1970, 1, 2), date(2106, 1, 1)
"""The dates a gzip header can hold (MkDocs writes the latest page date there as a 32-bit mtime)."""


def content_date(dates: Iterable[datetime]) -> str:
    """The latest of ``dates`` as an ISO date, within what the sitemap's gzip header can hold."""
    latest = max((moment.date() for moment in dates), default=EARLIEST)
    return min(max(latest, EARLIEST), LATEST).isoformat()


class GeneratedFile(File):
    """A generated page's file. ``reused`` once the previous site's copy was linked in its place
    (``builder.incremental``), ``deferred`` when the plugin renders it itself (``builder.parallel``):
    either way MkDocs' dirty build then leaves it alone."""

    reused = False
    deferred = False

    def is_modified(self) -> bool:
        return not (self.reused or self.deferred)


class GeneratedPage(Page):
    def __init__(self, spec: PageSpec, file: File, config: MkDocsConfig, render: Callable[[GeneratedPage], str]):
        # MkDocs' theme templates print titles and descriptions without escaping: they get HTML here.
        super().__init__(str(escape(spec.title)), file, config)
        self.spec = spec
        self._render = render
        self.keyed = False
        """Whether this build keyed the page already (``builder.incremental``): a changed page is keyed once."""
        if spec.updated:
            self.update_date = spec.updated

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = {"title": self.title}
        if self.spec.description:
            self.meta["description"] = str(escape(self.spec.description))
        if self.spec.css_class == "thread":
            self.meta["og_type"] = "article"

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self._render(self)
        self.toc = get_toc([])
        self.present_anchor_ids = set()
