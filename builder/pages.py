"""Generated pages: MkDocs pages whose HTML comes from a template, not from a Markdown file.

MkDocs lets a plugin give a ``File`` its own ``Page`` subclass. Ours skips reading a source and
running Markdown (there is none: the posts were rendered and sanitised by ``entraide.markup``) and
fills ``content`` from the page's template, so every generated page costs MkDocs only its theme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
    contribute: str = ""
    """Where the page's contribution link leads in the intake (``/new?theme=…``, ``/reply/…``), if anywhere."""


class GeneratedPage(Page):
    def __init__(self, spec: PageSpec, file: File, config: MkDocsConfig, render: Callable[[GeneratedPage], str]):
        # MkDocs' theme templates print titles and descriptions without escaping: they get HTML here.
        super().__init__(str(escape(spec.title)), file, config)
        self.spec = spec
        self._render = render

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
