"""Where a project's folders are, as its ``mkdocs.yml`` and the entraide plugin define them.

The configuration is read as data (``siteconfig``): finding the folders must not run the hooks or
import the plugins the file names, since a pull request can change that file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from entraide import clock, siteconfig, statedir
from entraide.errors import EntraideError

PLUGIN = "entraide"
JOURNAL_NAME = "journal.json"
LEGACY_JOURNAL = "moderation/.journal.json"
"""Where entraide 0.1 kept its journal, inside the checkout: a file there is never replayed."""


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    content_dir: Path
    site_dir: Path | None = None
    templates_dir: Path | None = None

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    @property
    def moderation_dir(self) -> Path:
        return self.root / "moderation"

    @property
    def log_file(self) -> Path:
        return self.moderation_dir / "log.jsonl"

    @cached_property
    def state_dir(self) -> Path:
        """Private state out of any pull request's reach (``statedir``); not created until written."""
        return statedir.state_dir(self.root)

    @property
    def journal_file(self) -> Path:
        return self.state_dir / JOURNAL_NAME

    @property
    def legacy_journal_file(self) -> Path:
        return self.root / LEGACY_JOURNAL

    @property
    def search_dir(self) -> Path:
        """The search index and its static export: rebuilt from content, never committed."""
        return self.root / ".entraide" / "search"

    def show(self, path: Path) -> str:
        """``path`` relative to the project, as messages print it."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)

    @classmethod
    def from_config(cls, config_file: Path) -> Project:
        """The project ``config_file`` describes, read without importing anything it names."""
        if not config_file.is_file():
            raise EntraideError(f"{config_file}: no such MkDocs configuration file (use -f to name one)")
        config = siteconfig.read(config_file)
        root = config_file.resolve().parent
        options = _plugin_options(config, config_file)
        docs_dir = _path_setting(config, "docs_dir", "docs", config_file)
        content_dir = _path_setting(options, "content_dir", docs_dir, config_file)
        try:
            clock.set_zone(clock.parse_zone(options.get("time_zone", clock.DEFAULT)))
        except EntraideError as error:
            raise EntraideError(f"{config_file}: {error}") from None
        return cls(
            root,
            config_file.resolve(),
            (root / content_dir).resolve(),
            site_dir=(root / _path_setting(config, "site_dir", "site", config_file)).resolve(),
            templates_dir=(root / _path_setting(options, "templates_dir", "templates", config_file)).resolve(),
        )


def _plugin_options(config: dict[str, Any], config_file: Path) -> dict[str, Any]:
    """The entraide plugin's options, from ``plugins:`` as a list or as a mapping."""
    plugins = config.get("plugins")
    entries = plugins.items() if isinstance(plugins, dict) else []
    if isinstance(plugins, list):
        entries = [next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, None)
                   for item in plugins]
    for name, options in entries:
        if name == PLUGIN:
            if options is None:
                return {}
            if not isinstance(options, dict):
                raise EntraideError(f"{config_file}: the options of the entraide plugin must be a mapping")
            return options
    raise EntraideError(f"{config_file}: the entraide plugin is not enabled (plugins: - entraide)")


def _path_setting(settings: dict[str, Any], name: str, default: str, config_file: Path) -> str:
    value = settings.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise EntraideError(f"{config_file}: {name} must be a folder's path, as plain text")
    return value
