"""The ``entraide`` MkDocs plugin: content tree in, themed pages out, all in memory.

Event by event:

* ``on_config`` loads and validates the whole content tree (any problem stops the build, every problem
  listed), sets the navigation to home + themes + tags (listing every thread would make the build
  quadratic), and quiets MkDocs about pages deliberately left out of it;
* ``on_files`` drops the raw content files (they hold anonymous authors' names and are never copied
  to the site) and adds one generated page per route of ``builder.routes``: a ``GeneratedPage``
  that renders its Jinja2 template from its typed view instead of running Markdown;
* ``on_serve`` watches the templates so that ``mkdocs serve`` reloads on any change.

Each build holds the project's lock (``entraide.locking``) from ``on_config`` to ``on_post_build``
(or ``on_build_error``): plain ``mkdocs build`` and each rebuild of ``mkdocs serve`` write the search
index and the site, as ``entraide build`` does, which holds the same lock already (it is re-entrant).
MkDocs keeps a plugin that has ``on_startup`` from one configuration to the next (for ``mkdocs
serve``), so ``on_config`` resets the state of the previous build first.
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any

import rjsmin
from markupsafe import escape
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import CountHandler, get_relative_url

from builder import routes
from builder.feeds import write_feeds
from builder.i18n import Translator
from builder.incremental import PageReuse, inputs_key, page_key, site_key
from builder.pages import GeneratedFile, GeneratedPage, PageSpec, content_date
from builder.parallel import page_workers
from builder.phases import Phases
from builder.posthtml import PostRenderer
from builder.publish import discard, fresh_folder, publish
from builder.sources import file_problems, tree_problems
from builder.templating import Templates
from builder.theme_env import ContentSecurityPolicy, Footer, contact_href, install
from builder.views import SiteViews, page_count, source_paths
from entraide import clock, locking
from entraide.buildcache import FILE_NAME, BuildCache
from entraide.errors import ContentError, EntraideError, Problem
from entraide.faults import checkpoint
from entraide.gitrepo import Repository
from entraide.loading.digests import FileDigests
from entraide.loading.loader import load_content
from entraide.model import LANGUAGES, ContentTree
from entraide.moderation import journal
from entraide.project import Project
from entraide.statedir import ensure as statedir_ensure
from entraide.statedir import state_dir
from entraide.workers import WorkerFailed, WorkerPool
from search.service import Refreshed, export_dir, export_stamp, refresh

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

STYLESHEET = "assets/entraide.css"
THEME_OVERRIDES = "theme"
"""Beside the page templates: entraide's overrides of Material's own templates."""
STATE_FOLDER, SEARCH_FOLDER, NO_DOCS, TRASH = ".entraide", "search", "no-docs", "trash"
"""The project's build state (never committed): the search index, the page manifest, an empty docs folder,
previous sites being deleted (``builder.trash``)."""
CACHE_FOLDER = "cache"
"""The build cache (``entraide.buildcache``), in the private state folder: it holds front matter."""
SEARCH_STATIC = Path(__file__).resolve().parent.parent / "search" / "static"
SEARCH_SCRIPTS = (
    "assets/vendor/french-stemmer.global.min.js",
    "assets/vendor/english-stemmer.global.min.js",
    "assets/entraide-search.js",
)
"""The search page's scripts, in load order; the files come from ``search/static``."""


class EntraideConfig(base.Config):
    """Options of the plugin in ``mkdocs.yml`` (paths are relative to that file)."""

    content_dir = c.Optional(c.Type(str))
    """The content tree; defaults to ``docs_dir``, so that ``mkdocs serve`` watches it."""
    templates_dir = c.Type(str, default="templates")
    """The Jinja2 templates of the generated pages, and ``assets/`` beside them."""
    language = c.Optional(c.Choice(LANGUAGES))
    """Interface language; defaults to the Material theme's ``language`` when it is fr or en."""
    per_page = c.Type(int, default=20)
    """Threads per page of a theme or tag listing."""
    intake_delivery = c.Choice(("folder", "git"), default="folder")
    """How ``entraide intake`` hands posts over: into ``submissions/``, or pushed as ``submission/<id>`` branches."""
    intake_remote = c.Optional(c.Type(str))
    """The git remote (name, URL or path) submission branches are pushed to, with ``intake_delivery: git``."""
    intake_url = c.Optional(c.Type(str))
    """Address of the ``entraide intake`` form service: home and theme pages link to it to ask, threads to reply."""
    time_zone = c.Type(str, default="Europe/Paris")
    """The community's time zone (IANA name): posts' times written without an offset are its wall-clock time."""
    contact = c.Optional(c.Type(str))
    """How readers and authors reach the editors (an e-mail address or a page's address), e.g. for a takedown."""


class ContentBuildError(PluginError):
    """The content tree has problems; ``mkdocs build`` prints them all and stops."""

    def __init__(self, error: ContentError):
        super().__init__(error.message)
        self.problems: list[Problem] = error.problems

    def as_content_error(self) -> ContentError:
        return ContentError(self.problems)


class EntraidePlugin(BasePlugin[EntraideConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.tree: ContentTree | None = None
        self.plan: dict[str, PageSpec] = {}
        self.urls: dict[str, str] = {}
        self.content_error: ContentBuildError | None = None
        self.progress: Callable[[int, int], None] | None = None
        self.rendered = 0
        self.search: Refreshed | None = None
        self.serving = False
        self.dirty = False
        self.publishes = True
        """Build into a fresh folder and swap it in at the end; ``entraide build`` does that itself."""
        self.fresh: Path | None = None
        self.target: Path | None = None
        self.warnings = CountHandler()
        self._locked: Path | None = None
        self.intake_url = ""
        self.repository = ""
        self.contact = ""
        self.zone: tzinfo = UTC
        self.cache = BuildCache(None)
        self._opened_cache: BuildCache | None = None
        """The cache ``inputs_key`` read just before this build: ``on_config`` takes it over."""
        self._digests: FileDigests | None = None
        """The digests and folder listings ``inputs_key`` took: the loader keys thread folders by them."""
        self._folder_digests: dict[str, bytes] | None = None
        self.inputs: list[Path] = []
        """Folders whose files are never copied to the site: the content, and the docs folder MkDocs lists."""
        self.incremental = False
        """Set by ``entraide build``, which runs MkDocs' dirty build: pages unchanged since ``previous_site``
        (the published site, if any) are linked from it instead of rendered (``builder.incremental``)."""
        self.previous_site: Path | None = None
        self.reuse: PageReuse | None = None
        self.site_key = ""
        self.jobs: int | None = None
        """Processes that render the pages (``entraide build --jobs``); None: every core on a large site."""
        self.deferred: list[GeneratedPage] = []
        """The pages this plugin renders itself at ``on_env``, shared out between workers (``builder.parallel``)."""
        self.nav: Navigation | None = None
        self.pool: WorkerPool | None = None
        self.phases = Phases()

    # MkDocs keeps one instance of a plugin that has ``on_startup`` for the whole process (for
    # ``mkdocs serve``): whatever one build sets is reset before the next.

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty

    def on_shutdown(self) -> None:
        self.serving = self.dirty = False

    # -- configuration -------------------------------------------------------------------------

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.content_error, self.fresh, self.target, self.rendered = None, None, None, 0
        self.reuse, self.deferred, self.nav, self.pool = None, [], None, None
        if not self.incremental:  # entraide build times its own first steps, then MkDocs'
            self.phases = Phases()
        root = Path(config.config_file_path or ".").resolve().parent
        self._unlock()  # a previous build of this instance that ended without either event
        gc.unfreeze()  # what the previous build kept (``_kept``; ``mkdocs serve`` builds many times)
        try:
            locking.acquire(root)
        except EntraideError as error:
            raise PluginError(f"entraide: {error.format_message()}") from None
        self._locked = root
        self.content_dir = (root / (self.config.content_dir or config.docs_dir)).resolve()
        if not self.serving and self.content_dir == Path(config.docs_dir).resolve():
            # Every file there is a post that on_files would drop: MkDocs need not list 50,000 of them.
            config.docs_dir = str(statedir_ensure(root / STATE_FOLDER / NO_DOCS))
        self.inputs = [self.content_dir, Path(config.docs_dir).resolve()]
        self.templates_dir = Path(os.path.abspath(root / self.config.templates_dir))  # links are refused, not followed
        self.root = root
        if problems := tree_problems(self.templates_dir, root):
            self.content_error = ContentBuildError(ContentError(problems))
            raise self.content_error
        if self.config.per_page < 1:
            raise PluginError("entraide: per_page must be at least 1")
        self.intake_url = (self.config.intake_url or "").rstrip("/")
        if self.intake_url and not self.intake_url.startswith(("https://", "http://")):
            raise PluginError("entraide: intake_url must be an http(s) address, such as https://forms.example.org")
        try:
            self.zone = clock.parse_zone(self.config.time_zone)
        except EntraideError as error:
            raise PluginError(f"entraide: {error}") from None
        clock.set_zone(self.zone)  # before the content is read: it gives times written without an offset
        self.contact = ""
        if self.config.contact:
            href = contact_href(self.config.contact)
            if href is None:
                raise PluginError("entraide: contact must be an e-mail address or an http(s) address")
            self.contact = href
        repository = str(config.repo_url or "")
        self.repository = repository if repository.startswith(("https://", "http://")) else ""
        theme_language = str(config.theme.get("language") or "fr")
        lang = self.config.language or (theme_language if theme_language in LANGUAGES else "fr")
        self.t = Translator(lang)
        self._refuse_pending_moderation(root, Path(config.config_file_path or root / "mkdocs.yml"), self.content_dir)
        if self.publishes and not self.serving and not self.dirty:
            self._build_aside(config)
        self.site_name = str(config.site_name)
        # Material prints these unescaped: from here on MkDocs only sees them as escaped text.
        config.site_name = escape(self.site_name)
        if config.site_description:
            config.site_description = escape(str(config.site_description))
        try:
            self.cache = self._build_cache(root)
            digests, self._digests = self._digests, None
            if digests is not None and digests.cache is not self.cache:
                digests = None
            with self.phases.timed("load content"), _kept():
                self.tree = load_content(self.content_dir, base=root, cache=self.cache, jobs=self.jobs,
                                         digests=digests)
            del digests  # its listings: tens of thousands of entries, not needed from here on
        except ContentError as error:
            self.content_error = ContentBuildError(error)
            raise self.content_error from None
        self.search_dir = root / STATE_FOLDER / SEARCH_FOLDER
        self._refuse_committed_state(root, self.target or Path(config.site_dir))
        try:
            # Not while serving (the live-reload server's threads must not be forked), nor with --jobs 1.
            with self.phases.timed("search"):
                self.search = refresh(self.search_dir, self.tree, background=not self.serving and self.jobs != 1,
                                      plain=PostRenderer(self.cache).plain, shared=self.cache,
                                      jobs=self.jobs if self.incremental else 1)
        except EntraideError as error:
            raise PluginError(f"entraide: search index: {error.format_message()}") from None
        gc.freeze()  # see _kept
        self.templates = Templates(self.templates_dir, self.t)
        overrides = str(self.templates_dir / THEME_OVERRIDES)
        if Path(overrides).is_dir() and overrides not in config.theme.dirs:
            # The header, the policy and the feeds live there: a site never goes without them.
            config.theme.dirs.insert(0, overrides)
        self.views = SiteViews(self.tree, self.t, self.config.per_page, related=self.search.related,
                               cache=self.cache)
        if config.nav is None:
            config.nav = self._navigation()
        config.validation.nav.omitted_files = logging.DEBUG  # threads are left out of the nav on purpose
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        return config

    def _refuse_committed_state(self, root: Path, site_dir: Path) -> None:
        """The search index and the site are made on this machine: a committed copy is never trusted."""
        if not (root / ".git").exists():
            return
        candidates = (root / STATE_FOLDER, root / "site", site_dir)
        folders = sorted({os.path.relpath(path, root) for path in candidates} - {".", ".."})
        folders = [folder for folder in folders if not folder.startswith("..")]
        tracked = Repository(root).tracked(*folders)
        if tracked:
            shown = ", ".join(tracked[:3]) + (f" and {len(tracked) - 3} more" if len(tracked) > 3 else "")
            raise PluginError(
                f"entraide: {shown}: committed to git, but the search index and the site are built on this "
                "machine and a committed copy is never trusted; remove them from git "
                f"(git rm -r --cached {' '.join(folders)}) and build again"
            )

    def _refuse_pending_moderation(self, root: Path, config_file: Path, content_dir: Path) -> None:
        """No build publishes a half-done decision, nor runs while a planted journal sits in the checkout."""
        project = Project(root, config_file, content_dir)
        try:
            journal.refuse_legacy(project)
        except EntraideError as error:
            raise PluginError(f"entraide: {error.format_message()}") from None
        if os.path.lexists(project.journal_file):
            raise PluginError(
                f"entraide: {project.journal_file} shows a moderation operation that was interrupted; "
                "run any entraide command (entraide check) to finish it, then build again"
            )

    def _navigation(self) -> list[Any]:
        assert self.tree is not None
        themes = [{str(escape(theme.title(self.t.lang))): routes.theme(theme.slug)} for theme in self.tree.themes]
        return [
            {self.t("home"): routes.HOME},
            {self.t("themes"): themes},
            {self.t("all_threads"): routes.all_threads()},
            {self.t("tags"): routes.TAGS},
            {self.t("contributors"): routes.CONTRIBUTORS},
        ]  # search is in the header of every page

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        footer = Footer(f"{self.intake_url}/new", True, self.contact) if self.intake_url else Footer(
            routes.CONTRIBUTE.removesuffix("index.md"), False, self.contact)
        env = install(env, ContentSecurityPolicy(live_reload=self.serving), self.t, footer)
        if self.deferred:
            with self.phases.timed("pages"):
                self._render_deferred(env, config, files)
        return env

    def _render_deferred(self, env: Any, config: MkDocsConfig, files: Files) -> None:
        """Render and write the deferred pages as MkDocs would, on every core (``builder.parallel``).

        MkDocs calls this just before it writes its own pages: the navigation and the theme are ready.
        Each page is dropped from memory once written, so a large site is never held whole."""
        assert self.nav is not None
        pages, nav, doc_files = self.deferred, self.nav, files.documentation_pages()
        mark = self.cache.mark()

        def work(index: int) -> None:
            page = pages[index]
            file = page.file
            assert isinstance(file, GeneratedFile)
            if self.reuse is not None and self._reuse(page):
                self._started_page()  # unchanged: linked in, neither read nor rendered
                return
            file.deferred = False
            _populate_page(page, config, files)
            if not file.reused:
                _build_page(page, config, doc_files, nav, env)
            file.deferred = True
            page.content = None

        def report() -> tuple[Any, ...]:  # pages are keyed as they render: a worker's keys are its own
            assert self.reuse is not None
            return self.reuse.keys, self.reuse.reused, self.cache.changes(mark)

        def merge(reported: tuple[Any, ...]) -> None:
            assert self.reuse is not None
            keys, reused, changes = reported
            self.reuse.keys.update(keys)
            self.reuse.reused += reused
            self.cache.absorb(changes)

        self.pool = WorkerPool(page_workers(self.jobs, len(pages)), expected=(EntraideError, MkDocsException))
        try:
            self.pool.run(len(pages), work, report, merge)
        except WorkerFailed as error:
            message = str(error)
            raise PluginError(message if message.startswith("entraide:") else f"entraide: {message}") from None

    # -- files ---------------------------------------------------------------------------------

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        with self.phases.timed("plan"):
            return self._files(files, config)

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        for file in list(files):
            if file.abs_src_path and any(_inside(Path(file.abs_src_path), folder) for folder in self.inputs):
                files.remove(file)  # raw posts are input, never output
        self.plan = self._plan()
        for src_uri, spec in self.plan.items():
            file = GeneratedFile.generated(config, src_uri, content="")
            _replace(files, file)
            GeneratedPage(spec, file, config, self._render_page)  # becomes file.page
        for file in list(files):
            if _unused_theme_file(file.src_uri):
                files.remove(file)
        stylesheet = self.templates_dir / STYLESHEET
        if stylesheet.is_file():
            _replace(files, File.generated(config, STYLESHEET, abs_src_path=str(stylesheet)))
        for script in SEARCH_SCRIPTS:
            _replace(files, _search_script(config, script))
        self._refuse_unsafe_sources(files, config)
        self.urls = {src_uri: files.get_file_from_path(src_uri).url for src_uri in self.plan}  # type: ignore[union-attr]
        if self.incremental:
            folders, self._folder_digests = self._folder_digests, None
            self.site_key = site_key(config, [*config.theme.dirs, str(self.templates_dir)], self.root, folders)
            self.reuse = PageReuse(self.root / STATE_FOLDER, self.previous_site, Path(config.site_dir))
            if set(config.plugins) == {"entraide"}:  # no other plugin expects its page events in MkDocs' order
                generated = [file for file in files if isinstance(file, GeneratedFile)]
                for file in generated:
                    file.deferred = True
                self.deferred = [file.page for file in generated if isinstance(file.page, GeneratedPage)]
        return files

    def _refuse_unsafe_sources(self, files: Files, config: MkDocsConfig) -> None:
        """Nothing is copied to the site through a link, from a special file or from elsewhere."""
        custom = config.theme.custom_dir
        installed = [Path(d) for d in config.theme.dirs if d != custom and not _inside(Path(d), self.root)]
        sources = [Path(file.abs_src_path) for file in files if file.abs_src_path]
        if problems := file_problems(sources, self.root, [*installed, SEARCH_STATIC]):
            self.content_error = ContentBuildError(ContentError(problems))
            raise self.content_error

    def _plan(self) -> dict[str, PageSpec]:
        assert self.tree is not None
        t, views, per_page = self.t, self.views, self.config.per_page
        everything = content_date(thread.last_activity for thread in self.tree.threads)
        plan: dict[str, PageSpec] = {
            routes.HOME: PageSpec("home.html", t("home"), views.home, "home", updated=everything, contribute="/new"),
            routes.TAGS: PageSpec("tags.html", t("tags"), views.tags_index, "tags", updated=everything),
            routes.CONTRIBUTORS: PageSpec(
                "contributors.html", t("contributors"), views.contributors, "contributors", updated=everything
            ),
            routes.CONTRIBUTE: PageSpec(
                "contribute.html", t("contribute"),
                lambda link: views.contribute(link, self.repository, self.intake_url and f"{self.intake_url}/new"),
                "contribute", updated=everything,
            ),
            routes.SEARCH: PageSpec(
                "search.html", t("search"), lambda link: views.search(link, list(SEARCH_SCRIPTS)), "search",
                updated=everything, contribute="/new",
            ),
        }
        pages = page_count(len(self.tree.threads), per_page)
        for n in range(1, pages + 1):
            title = t("all_threads") + (f" ({t('page_of', page=n, pages=pages)})" if n > 1 else "")
            plan[routes.all_threads(n)] = PageSpec(
                "listing.html", title, _bind(views.all_threads, n), "all", updated=everything
            )
        for theme in self.tree.themes:
            featured, others = views.theme_listing(theme.slug)
            updated = content_date(thread.last_activity for thread in featured + others)
            pages = page_count(len(others), per_page)
            for n in range(1, pages + 1):
                title = theme.title(t.lang) + (f" ({t('page_of', page=n, pages=pages)})" if n > 1 else "")
                plan[routes.theme(theme.slug, n)] = PageSpec(
                    "listing.html",
                    title,
                    _bind(views.theme, theme.slug, n),
                    "theme",
                    description=theme.description(t.lang),
                    updated=updated,
                    contribute=f"/new?theme={theme.slug}",
                )
        for name, threads in views.tags.items():
            updated = content_date(thread.last_activity for thread in threads)
            pages = page_count(len(threads), per_page)
            for n in range(1, pages + 1):
                plan[routes.tag(name, n)] = PageSpec(
                    "listing.html", t("threads_tagged", tag=views.tag_label(name)), _bind(views.tag, name, n), "tag",
                    updated=updated,
                )
        for thread in self.tree.threads:
            plan[routes.thread(thread.slug)] = PageSpec(
                "thread.html",
                views.title(thread),
                _bind(views.thread, thread.slug),
                "thread",
                description=views.excerpt(thread),
                updated=content_date([thread.last_activity]),
                contribute=f"/reply/{thread.slug}",
            )
        return plan

    # -- pages ---------------------------------------------------------------------------------

    def _render_page(self, page: GeneratedPage) -> str:
        self._started_page()
        if self.reuse is not None and not page.keyed and self._reuse(page):
            return ""
        spec = page.spec
        return self.templates.render(spec.template, spec.view(self._linker(page)), css_class=spec.css_class,
                                     site_name=self.site_name, contribute=self._contribution(page))

    def _started_page(self) -> None:
        self.rendered += 1
        checkpoint("build-rendering")
        if self.progress is not None and not (self.pool and self.pool.in_worker):
            self.progress(self.pool.done() + 1 if self.pool else self.rendered, len(self.plan))

    def _reuse(self, page: GeneratedPage) -> bool:
        """Key the page (``builder.incremental``); link the previous site's file in its place, and say so,
        when that file was made from the same key."""
        assert self.reuse is not None and isinstance(page.file, GeneratedFile)
        page.keyed = True
        spec = page.spec
        key = page_key(self.site_key, page.file.dest_uri, spec.template, spec.title, spec.description, spec.updated,
                       spec.css_class, self._contribution(page), self.site_name, spec.view(source_paths))
        page.file.reused = self.reuse.reuse(page.file.dest_uri, key)
        return page.file.reused

    def _linker(self, page: GeneratedPage) -> Callable[[str], str]:
        here = page.url

        def link(src_uri: str) -> str:
            return get_relative_url(self.urls.get(src_uri, src_uri), here)  # pages, or static files by path

        return link

    def _contribution(self, page: GeneratedPage) -> str:
        """Where the page's "ask" or "reply" link leads: the intake form, else the contribution page."""
        contribute = page.spec.contribute
        if contribute and self.intake_url:
            return self.intake_url + contribute
        if contribute:  # no form: the page that explains the pull-request way
            anchor = "#repondre" if contribute.startswith("/reply/") else "#question"
            return self._linker(page)(routes.CONTRIBUTE) + anchor
        return ""

    @event_priority(-100)  # last: the site is complete only once every plugin wrote its part
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Put the search index export beside the search page (hard links: no copy), write the feeds."""
        target = Path(config.site_dir) / routes.SEARCH_FILES
        try:
            with self.phases.timed("search"):
                self._complete_search()
            with self.phases.timed("finish"):
                link_tree(export_dir(self.search_dir), target)
                write_feeds(self.views, self.t, Path(config.site_dir), self.site_name, config.site_url, self.zone)
                self.cache.save()
            self._publish(config)
        finally:
            self._unlock()

    # -- publishing a plain ``mkdocs build`` ---------------------------------------------------

    def _build_aside(self, config: MkDocsConfig) -> None:
        """Send MkDocs' output to a fresh folder: it empties ``site_dir`` before writing anything."""
        self.target = Path(config.site_dir).resolve()
        self.fresh = fresh_folder(self.target)
        config.site_dir = str(self.fresh)
        if config.strict:  # MkDocs aborts on warnings only after the last event: count them first
            self.warnings = CountHandler()
            self.warnings.setLevel(logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)

    def _publish(self, config: MkDocsConfig) -> None:
        if self.fresh is None or self.target is None:
            return
        fresh, target = self.fresh, self.target
        self.fresh = None
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if config.strict and self.warnings.get_counts():
            discard(fresh)
            log.error("entraide: warnings in strict mode; the previous site is kept")
        else:
            try:
                publish(fresh, target, self.trash_folder(config))
            except EntraideError as error:
                discard(fresh)
                raise PluginError(f"entraide: {error.format_message()}") from None
        config.site_dir = str(target)  # for what runs next (gh-deploy reads it)

    def _complete_search(self) -> None:
        if self.search is not None:
            try:
                self.search.complete()
            except EntraideError as error:
                raise PluginError(f"entraide: search index: {error.format_message()}") from None

    def on_build_error(self, *, error: Exception) -> None:
        """A failed plain build leaves the previous site exactly as it was (and the previous index)."""
        if self.search is not None:
            self.search.abandon()
        logging.getLogger("mkdocs").removeHandler(self.warnings)
        if self.fresh is not None:
            discard(self.fresh)
            self.fresh = None
            log.error("entraide: the build failed; the previous site is kept")
        self._unlock()

    def _unlock(self) -> None:
        if self._locked is not None:
            locking.release(self._locked)
            self._locked = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.templates_dir))
        if not _inside(self.content_dir, Path(config.docs_dir).resolve()):
            server.watch(str(self.content_dir))
        return server

    # -- a build with nothing to do (``entraide build``, ``builder.incremental``) ---------------

    def _paths(self, config: MkDocsConfig) -> tuple[Path, Path, Path]:
        """Project root, content folder and templates folder, as ``on_config`` will resolve them."""
        root = Path(config.config_file_path or ".").resolve().parent
        content = (root / (self.config.content_dir or config.docs_dir)).resolve()
        return root, content, Path(os.path.abspath(root / self.config.templates_dir))

    def inputs_key(self, config: MkDocsConfig) -> str | None:
        root, content, templates = self._paths(config)
        cache = self._opened_cache = self._build_cache(root)
        self._folder_digests = {}  # for site_key in on_files: the template folders are walked once
        self._digests = FileDigests(cache)
        key = inputs_key(config, content, templates, root, self._digests, self._folder_digests)
        cache.save()  # the digests it took, also when the build then has nothing to do
        self._opened_cache = cache
        return key

    def _build_cache(self, root: Path) -> BuildCache:
        """This build's cache (the one ``inputs_key`` opened, if it did), in the project's private state
        folder: it holds front matter, anonymous authors' names included."""
        cache, self._opened_cache = self._opened_cache, None
        folder = state_dir(root) / CACHE_FOLDER
        return cache if cache is not None and cache.path == folder / FILE_NAME else BuildCache(folder)

    def state_folder(self, config: MkDocsConfig) -> Path:
        return self._paths(config)[0] / STATE_FOLDER

    def trash_folder(self, config: MkDocsConfig) -> Path:
        """Where previous sites wait to be deleted (``builder.trash``)."""
        return self.state_folder(config) / TRASH

    def search_state(self, config: MkDocsConfig | None = None) -> str | None:
        """The state of the search export the site links to (None when there is none)."""
        folder = self.state_folder(config) / SEARCH_FOLDER if config is not None else self.search_dir
        return export_stamp(folder)

    def may_skip(self, config: MkDocsConfig) -> bool:
        """Whether the refusals every build makes before reading content pass: no interrupted moderation
        operation, no committed copy of the index or the site."""
        root, content, _templates = self._paths(config)
        try:
            self._refuse_pending_moderation(root, Path(config.config_file_path or root / "mkdocs.yml"), content)
            self._refuse_committed_state(root, Path(config.site_dir).resolve())
        except PluginError:
            return False  # the build itself says why
        return True

    # -- figures for ``entraide build`` --------------------------------------------------------

    @property
    def stats(self) -> dict[str, int]:
        tree = self.tree
        return {
            "threads": len(tree.threads) if tree else 0,
            "replies": tree.reply_count if tree else 0,
            "themes": len(tree.themes) if tree else 0,
            "pages": len(self.plan),
        }


@contextmanager
def _kept() -> Iterator[None]:
    """Load what the whole build keeps without cyclic garbage collections, then set it aside from them
    (``gc.freeze``, until the next build starts: thawing at the end would only buy a last collection).
    The content tree and the search state are millions of objects in no cycle worth finding. Otherwise
    each full collection walks all of them (3 s of a 10,000-thread rebuild), and in a forked worker it
    also writes to every page it walks, unsharing it from the parent."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


def _bind(function: Callable[..., Any], *args: Any) -> Callable[[Callable[[str], str]], Any]:
    return lambda link: function(*args, link)


def link_tree(source: Path, target: Path) -> None:
    """Hard-link every file of ``source`` into ``target``; copy where linking is not possible."""
    for folder, _subfolders, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            if name.startswith("."):
                continue
            try:
                os.link(Path(folder) / name, destination / name)
            except OSError:
                shutil.copy2(Path(folder) / name, destination / name)


def _search_script(config: MkDocsConfig, script: str) -> File:
    """A search script for the site: the vendored ones as shipped (already minified), ours minified
    (``rjsmin``: comments and spaces only), so that a first query downloads fewer bytes."""
    source = SEARCH_STATIC / script.removeprefix("assets/")
    if script.endswith(".min.js"):
        return File.generated(config, script, abs_src_path=str(source))
    return File.generated(config, script, content=rjsmin.jsmin(source.read_text(encoding="utf-8")))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        log.warning(f"entraide: a page of the site replaces '{existing.src_uri}'")
        files.remove(existing)
    files.append(file)


UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
"""Material's own search (lunr and its web worker, 1.2 MB): turned off here, never fetched by a page."""


def _unused_theme_file(src_uri: str) -> bool:
    """A theme file no page uses: Material's search engine, and the source maps of its bundles."""
    return src_uri.startswith(UNUSED_THEME_FILES) or (src_uri.startswith("assets/") and src_uri.endswith(".map"))
