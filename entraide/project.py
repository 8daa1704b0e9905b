"""Where a project's folders are, as its ``mkdocs.yml`` and the entraide plugin define them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from entraide.errors import EntraideError


@dataclass(frozen=True)
class Project:
    root: Path
    config_file: Path
    content_dir: Path

    @property
    def submissions_dir(self) -> Path:
        return self.root / "submissions"

    @property
    def moderation_dir(self) -> Path:
        return self.root / "moderation"

    @property
    def log_file(self) -> Path:
        return self.moderation_dir / "log.jsonl"

    @property
    def journal_file(self) -> Path:
        return self.moderation_dir / ".journal.json"

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
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from builder.plugin import EntraidePlugin

        if not config_file.is_file():
            raise EntraideError(f"{config_file}: no such MkDocs configuration file (use -f to name one)")
        try:
            config = load_config(str(config_file))
        except MkDocsException as error:
            raise EntraideError(f"{config_file}: {error.format_message()}") from None
        root = config_file.resolve().parent
        for plugin in config.plugins.values():
            if isinstance(plugin, EntraidePlugin):
                content = (root / (plugin.config.content_dir or config.docs_dir)).resolve()
                return cls(root, config_file.resolve(), content)
        raise EntraideError(f"{config_file}: the entraide plugin is not enabled (plugins: - entraide)")
