"""``entraide build``: a real ``mkdocs build`` into a fresh folder, swapped in only on success.

The site is built next to its destination (same file system, so the swap is a rename), checked, and
exchanged with the previous site in one step. If anything fails — a content problem, a template
error, a crash — the previous site is left exactly as it was and the fresh folder is removed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException

from builder.incremental import up_to_date
from builder.phases import Phases
from builder.plugin import EntraidePlugin
from builder.publish import discard, fresh_folder, publish
from builder.trash import take_skeleton
from entraide.errors import EntraideError
from entraide.faults import checkpoint

Progress = Callable[[int, int], None]


@dataclass
class BuildResult:
    site_dir: Path
    threads: int
    replies: int
    themes: int
    pages: int
    seconds: float
    warnings: list[str] = field(default_factory=list)
    reused: int = 0
    """Pages unchanged since the published site, linked from it instead of rendered (``builder.incremental``)."""
    up_to_date: bool = False
    """Nothing the site is built from changed since the published build: MkDocs did not even start."""
    search: str = ""
    """What the search index update did ("index up to date", "re-indexed 1 added"…)."""
    phases: dict[str, float] = field(default_factory=dict)
    """Wall seconds of each step (``builder.phases``); MkDocs' own work between them is not listed."""

    def summary(self) -> str:
        warnings = len(self.warnings)
        return (
            f"Built {self.threads} threads ({self.replies} replies) in {self.themes} themes: "
            f"{self.pages} pages in {_show(self.site_dir)}/"
            + (" (up to date: nothing changed since the last build)" if self.up_to_date
               else f" ({self.pages - self.reused} rendered, {self.reused} unchanged)" if self.reused else "")
            + f", {warnings} warning{'s' * (warnings != 1)}, "
            f"{self.seconds:.1f} s" + (f"; search: {self.search}" if self.search else "")
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "site_dir": str(self.site_dir),
            "threads": self.threads,
            "replies": self.replies,
            "themes": self.themes,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "reused": self.reused,
            "up_to_date": self.up_to_date,
            "warnings": self.warnings,
            "search": self.search,
            "phases": self.phases,
        }


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings for the summary instead of letting them interleave with progress."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.warnings.append(record.getMessage())
        else:
            self.errors.append(record.getMessage())


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Build the site described by ``config_file``; raise ``EntraideError`` and keep the old site on failure.

    ``jobs`` processes render the pages (``builder.parallel``); None lets a large site use every core."""
    started = time.perf_counter()
    phases = Phases()
    if not config_file.is_file():
        raise EntraideError(f"{config_file}: no such MkDocs configuration file")
    try:
        config = load_config(str(config_file), strict=strict)
    except MkDocsException as error:
        raise EntraideError(f"{_show(config_file)}: {error.format_message()}") from None
    target = (site_dir or Path(config.site_dir)).resolve()
    plugin = _plugin(config)
    plugin.phases = phases
    with phases.timed("inputs"):
        inputs = plugin.inputs_key(config)
        result = _unchanged(plugin, config, target, inputs, started)
    if result is not None:
        result.phases = phases.as_dict()
        return result
    fresh = fresh_folder(target)
    skeleton = take_skeleton(plugin.trash_folder(config), fresh)  # the folders a previous site left
    config.site_dir = str(fresh)
    plugin.publishes = False  # this function publishes, after its own checks
    plugin.incremental = True
    plugin.previous_site = target if (target / "index.html").is_file() else None
    plugin.progress = progress
    plugin.jobs = jobs
    collector = _Collect()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(collector)
    previous_propagate = mkdocs_logger.propagate
    mkdocs_logger.propagate = False  # our handler reports; nothing else prints over the progress bar
    try:
        with _quiet_dirty_warning():
            mkdocs_build.build(config, dirty=True)  # renders only the pages that changed (builder.incremental)
        checkpoint("build-before-swap")
        with phases.timed("publish"):
            publish(fresh, target, plugin.trash_folder(config), skeleton)
            if plugin.reuse is not None and not collector.warnings:  # a build with warnings says them again
                plugin.reuse.save(target, inputs or "", plugin.search_state(), plugin.stats)
    except (Abort, MkDocsException) as error:
        if plugin.content_error is not None:
            raise plugin.content_error.as_content_error() from None
        raise EntraideError(_failure(collector, error)) from None
    except EntraideError:
        raise
    except Exception as error:  # a bug or an I/O error: still no traceback, still no broken site
        raise EntraideError(f"the build failed ({type(error).__name__}: {error}); the previous site is kept") from None
    finally:
        mkdocs_logger.removeHandler(collector)
        mkdocs_logger.propagate = previous_propagate
        discard(fresh)
        plugin.publishes = True
        plugin.incremental, plugin.previous_site, plugin.jobs = False, None, None
    stats = plugin.stats
    reused = plugin.reuse.reused if plugin.reuse is not None else 0
    return BuildResult(
        site_dir=target,
        threads=stats["threads"],
        replies=stats["replies"],
        themes=stats["themes"],
        pages=stats["pages"],
        seconds=time.perf_counter() - started,
        warnings=collector.warnings,
        reused=reused,
        search=plugin.search.update.summary() if plugin.search else "",
        phases=phases.as_dict(),
    )


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave stale pages: ours starts from a folder without files
    (empty, or the folders of a retired site: ``builder.trash``) and links
    only pages whose inputs are unchanged, so the warning does not apply (and would fail ``--strict``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    logger, dropping = logging.getLogger(mkdocs_build.__name__), _DropDirtyWarning()
    logger.addFilter(dropping)
    try:
        yield
    finally:
        logger.removeFilter(dropping)


def _unchanged(
    plugin: EntraidePlugin, config: MkDocsConfig, target: Path, inputs: str | None, started: float
) -> BuildResult | None:
    """The result of a build that has nothing to do: the site was built from these very inputs."""
    if inputs is None or not plugin.may_skip(config):
        return None
    stats = up_to_date(plugin.state_folder(config), target, inputs, plugin.search_state(config))
    if stats is None:
        return None
    return BuildResult(
        site_dir=target,
        threads=stats.get("threads", 0),
        replies=stats.get("replies", 0),
        themes=stats.get("themes", 0),
        pages=stats.get("pages", 0),
        seconds=time.perf_counter() - started,
        reused=stats.get("pages", 0),
        up_to_date=True,
        search="index up to date",
    )


def _plugin(config) -> EntraidePlugin:
    for plugin in config.plugins.values():
        if isinstance(plugin, EntraidePlugin):
            return plugin
    raise EntraideError("the entraide plugin is not enabled in mkdocs.yml (plugins: - entraide)")


def _failure(collector: _Collect, error: MkDocsException) -> str:
    message = collector.errors[-1] if collector.errors else str(error.format_message())
    if collector.warnings and "strict mode" in message:
        message += ":\n" + "\n".join(f"  {warning}" for warning in collector.warnings)
    return f"the build failed: {message}; the previous site is kept"


def _show(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover
        return str(path)
