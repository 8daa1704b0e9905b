"""The export formats ``entraide import`` reads, by name: each one a small adapter module."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from entraide.importing.model import SourceExport

FORMATS = ("stackexchange", "discourse", "slack", "yammer", "csv")


@dataclass(frozen=True)
class Request:
    path: Path
    source_url: str | None = None
    site: str | None = None
    mapping: dict[str, str] | None = None


def read(format_name: str, request: Request) -> SourceExport:
    """The export at ``request.path`` in the intermediate form."""
    # the adapters (and the HTML converter they share) load only for an import, not for every command
    from entraide.importing import discourse, forms, slack, stackexchange, yammer

    if format_name == "stackexchange":
        export = stackexchange.read(request.path, request.site or _host(request.source_url))
    elif format_name == "discourse":
        export = discourse.read(request.path, request.source_url)
        if request.site:
            export.site = request.site
    elif format_name == "slack":
        export = slack.read(request.path, request.site)
    elif format_name == "yammer":
        export = yammer.read(request.path, request.site)
    else:
        export = forms.read(request.path, request.mapping or {}, request.site)
    if request.source_url and format_name not in ("stackexchange", "discourse"):
        export.base_url = request.source_url
    return export


def _host(url: str | None) -> str | None:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname if url else None
