"""Typed contexts for the templates, built from the content model.

Templates get only these view objects: display-ready text, sanitised HTML and relative URLs. This is
also the one place where an author becomes a displayed name, so an anonymous author's identity never
reaches a template (``author_label``).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from markupsafe import Markup

from builder import routes
from builder.i18n import Translator
from builder.posthtml import PostHtml, PostRenderer
from entraide import buildcache, markup
from entraide.buildcache import BuildCache
from entraide.collation import sort_key
from entraide.model import LICENSES, ContentTree, Reply, ReplyFields, Thread, ThreadFields
from entraide.slugs import tag_slug
from entraide.stats import Contributor, anonymous_posts, contributors

Linker = Callable[[str], str]
"""Maps a page's source path (``routes``) to a URL relative to the page being rendered."""


def source_paths(src_uri: str) -> str:
    """The linker that leaves source paths as they are: a view made with it, and the page's address,
    determine the view the page renders (what ``builder.incremental`` keys pages by)."""
    return src_uri

EXCERPT_CHARS = 220
EXCERPT = "excerpt"
"""The build cache's kinds for rendered posts and their excerpts (``entraide.buildcache``)."""
_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class ThreadItem:
    """A thread as it appears in a list."""

    title: str
    url: str
    theme: Link
    date: datetime
    date_label: str
    author: str
    replies: str
    excerpt: str
    tags: list[Link]
    lang: str
    featured: bool


@dataclass(frozen=True)
class ThemeCard:
    title: str
    url: str
    description: str
    threads: str
    count: int


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    label: str
    previous_url: str | None
    next_url: str | None


@dataclass(frozen=True)
class PostView:
    """One post of a thread page, the opening post or a reply."""

    id: str
    anchor: str
    author: str
    date: datetime
    date_label: str
    html: PostHtml
    license: str
    license_url: str
    is_best: bool = False
    source: Source | None = None
    """Where an imported post was first published, for its attribution line."""
    answers: Link | None = None
    """The earlier reply this one answers: « En réponse à <name> », linking to it."""


@dataclass(frozen=True)
class Source:
    """An imported post's attribution: « Publié à l'origine sur <site> par <name> »."""

    site: str
    url: str | None
    author: str


@dataclass(frozen=True)
class HomeView:
    intro: str
    themes: list[ThemeCard]
    featured: list[ThreadItem]
    latest: list[ThreadItem]
    tags_url: str
    all_threads: Link


@dataclass(frozen=True)
class ListingView:
    """A theme page or a tag page: a heading, maybe featured threads, then a paginated list."""

    heading: str
    description: str
    count: str
    featured: list[ThreadItem]
    threads: list[ThreadItem]
    pagination: Pagination
    trail: list[Link]
    """The breadcrumb: the pages above this one, from the home page down."""
    empty: str


@dataclass(frozen=True)
class ThreadView:
    title: str
    lang: str
    lang_label: str
    trail: list[Link]
    """The breadcrumb: home, then the thread's theme."""
    tags: list[Link]
    summary_html: PostHtml | Markup
    opening: PostView
    replies: list[PostView]
    replies_label: str
    best_reply_anchor: str | None
    related: list[Link]


@dataclass(frozen=True)
class ContributeView:
    themes: list[Link]
    example_thread: str
    """A published thread's slug, to show what ``reply_to`` holds."""
    licenses: list[str]
    repository: str
    """The site's ``repo_url``, where pull requests go, if the site names one."""
    form: str
    """The intake form's address (``intake_url`` + ``/new``), if the community runs one."""
    example_date: str
    """The latest post's day: an example date that keeps the page the same for the same content."""


@dataclass(frozen=True)
class ContributorsView:
    people: list[Contributor]
    anonymous_posts: int


@dataclass(frozen=True)
class SearchView:
    index_url: str
    """Relative URL of the exported index folder (ends with a slash)."""
    scripts: list[str]
    themes: list[Link]
    """Theme filter choices: ``url`` holds the theme's slug."""
    tags: list[Link]
    """Tag filter choices, in the order of their labels: ``url`` holds the tag's address name
    (``entraide.slugs.tag_slug``), which the export's fragments and ``tag/`` files use too."""
    strings: str
    """JSON of the interface strings the script shows."""


@dataclass(frozen=True)
class TagsView:
    tags: list[tuple[Link, int]] = field(default_factory=list)


def author_label(fields: ThreadFields | ReplyFields, t: Translator) -> str:
    """The name shown for a post's author: never the real name of an anonymous author."""
    if fields.anonymous or not fields.author:
        return t("anonymous")
    return fields.author


def source_of(fields: ThreadFields | ReplyFields) -> Source | None:
    """The attribution of an imported post; an anonymous post's original name is never shown."""
    if not fields.source and not fields.source_site:
        return None
    from urllib.parse import urlsplit

    site = fields.source_site or urlsplit(fields.source or "").hostname or ""
    author = "" if fields.anonymous else (fields.source_author or "")
    return Source(site=site, url=fields.source, author=author)


def _excerpt(rendered: Markup) -> str:
    """The opening of a post as plain text, for lists and the page's description."""
    text = nh3.clean(rendered, tags=set())
    # the template escapes it again; str.split() would also take French narrow no-break spaces
    text = _ASCII_SPACES.sub(" ", html.unescape(text)).strip()
    if len(text) > EXCERPT_CHARS:
        text = text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def page_count(items: int, per_page: int) -> int:
    return max(1, math.ceil(items / per_page))


class SiteViews:
    """Builds each page's view from one loaded ``ContentTree``; caches what pages share."""

    def __init__(
        self,
        tree: ContentTree,
        t: Translator,
        per_page: int,
        related: dict[str, list[str]] | None = None,
        cache: BuildCache | None = None,
    ):
        self.tree = tree
        self.cache = cache or BuildCache(None)  # without a file: rendered once per build, still
        self.posts = PostRenderer(self.cache)
        self.t = t
        self.per_page = per_page
        self.related = related or {}
        self._excerpts: dict[str, str] = {}
        self._theme_listings: dict[str, tuple[list[Thread], list[Thread]]] = {}
        self._items: dict[str, ThreadItem] = {}
        self._contributors: dict[int, ContributorsView] = {}
        self.tags = self._tags()

    # -- shared pieces -------------------------------------------------------------------------

    def _tags(self) -> dict[str, list[Thread]]:
        """Each tag published threads use and its threads, in the dictionary order of its label here."""
        tags: dict[str, list[Thread]] = {}
        for thread in self.tree.threads:  # newest first, so each tag's list is too
            for tag in thread.fields.tags:
                tags.setdefault(tag, []).append(thread)
        return dict(sorted(tags.items(), key=lambda item: (sort_key(self.tag_label(item[0])), item[0])))

    def tag_label(self, tag: str) -> str:
        """The tag as this interface's readers see it: its label in the site's language."""
        return self.tree.tag_label(tag, self.t.lang)

    def tag_links(self, thread: Thread, link: Linker) -> list[Link]:
        return [Link(link(routes.tag(tag)), self.tag_label(tag)) for tag in thread.fields.tags]

    def excerpt(self, thread: Thread) -> str:
        if thread.slug not in self._excerpts:
            key = buildcache.key_of(EXCERPT, thread.lang, thread.body)
            self._excerpts[thread.slug] = self.cache.memo(
                EXCERPT, key, lambda: _excerpt(self.rendered(thread.body, thread.lang).__html__())
            )
        return self._excerpts[thread.slug]

    def rendered(self, text: str, lang: str) -> PostHtml:
        """A post's sanitised HTML (``builder.posthtml``), made or read from the build cache once printed."""
        return self.posts.html(text, lang)

    def title(self, thread: Thread) -> str:
        return markup.typeset(thread.title, thread.lang)

    def item(self, thread: Thread, link: Linker) -> ThreadItem:
        if link is not source_paths:
            return self._item(thread, link)
        if thread.slug not in self._items:  # listings share threads: the incremental build keys them once each
            self._items[thread.slug] = self._item(thread, link)
        return self._items[thread.slug]

    def _item(self, thread: Thread, link: Linker) -> ThreadItem:
        theme = self.tree.themes_by_slug[thread.theme]
        return ThreadItem(
            title=self.title(thread),
            url=link(routes.thread(thread.slug)),
            theme=Link(link(routes.theme(theme.slug)), theme.title(self.t.lang)),
            date=thread.date,
            date_label=self.t.date(thread.date),
            author=author_label(thread.fields, self.t),
            replies=self.t.plural("replies", len(thread.replies)),
            excerpt=self.excerpt(thread),
            tags=self.tag_links(thread, link),
            lang=thread.lang,
            featured=self.is_featured(thread),
        )

    def is_featured(self, thread: Thread) -> bool:
        theme = self.tree.themes_by_slug[thread.theme]
        return thread.fields.featured or thread.slug in theme.fields.featured

    def featured_in(self, theme_slug: str | None) -> list[Thread]:
        """Featured threads: the theme's own order first, then those flagged ``featured``."""
        themes = [self.tree.themes_by_slug[theme_slug]] if theme_slug else self.tree.themes
        chosen: list[Thread] = []
        for theme in themes:
            chosen += [self.tree.threads_by_slug[slug] for slug in theme.fields.featured]
        flagged = (t for t in self.tree.threads if t.fields.featured and (theme_slug is None or t.theme == theme_slug))
        chosen += [thread for thread in flagged if thread not in chosen]
        return chosen

    def pagination(self, route: Callable[[int], str], page: int, pages: int, link: Linker) -> Pagination:
        return Pagination(
            page=page,
            pages=pages,
            label=self.t("page_of", page=page, pages=pages),
            previous_url=link(route(page - 1)) if page > 1 else None,
            next_url=link(route(page + 1)) if page < pages else None,
        )

    # -- pages ---------------------------------------------------------------------------------

    def home(self, link: Linker, latest: int = 10, featured: int = 6) -> HomeView:
        cards = [
            ThemeCard(
                title=theme.title(self.t.lang),
                url=link(routes.theme(theme.slug)),
                description=theme.description(self.t.lang),
                threads=self.t.plural("threads", len(self.tree.threads_in(theme.slug))),
                count=len(self.tree.threads_in(theme.slug)),
            )
            for theme in self.tree.themes
        ]
        return HomeView(
            intro=self.t("welcome"),
            themes=cards,
            featured=[self.item(thread, link) for thread in self.featured_in(None)[:featured]],
            latest=[self.item(thread, link) for thread in self.tree.threads[:latest]],
            tags_url=link(routes.TAGS),
            all_threads=Link(link(routes.all_threads()), self.t("all_threads_count", n=len(self.tree.threads))),
        )

    def all_threads(self, page: int, link: Linker) -> ListingView:
        return self._listing(
            heading=self.t("all_threads"),
            description="",
            threads=self.tree.threads,
            featured=[],
            route=routes.all_threads,
            page=page,
            trail=[self._home(link)] + ([Link(link(routes.all_threads()), self.t("all_threads"))] if page > 1 else []),
            link=link,
        )

    def theme_listing(self, slug: str) -> tuple[list[Thread], list[Thread]]:
        """A theme's featured threads (shown first, on its first page) and the others, newest first.

        A thread appears once on a theme's pages: the featured ones are not listed again below.
        """
        if slug not in self._theme_listings:  # asked for by the plan and by each page of the theme
            featured = self.featured_in(slug)
            chosen = set(map(id, featured))
            self._theme_listings[slug] = featured, [t for t in self.tree.threads_in(slug) if id(t) not in chosen]
        return self._theme_listings[slug]

    def theme(self, slug: str, page: int, link: Linker) -> ListingView:
        theme = self.tree.themes_by_slug[slug]
        featured, others = self.theme_listing(slug)
        return self._listing(
            heading=theme.title(self.t.lang),
            description=theme.description(self.t.lang),
            threads=others,
            total=len(featured) + len(others),
            featured=featured if page == 1 else [],
            route=lambda n: routes.theme(slug, n),
            page=page,
            trail=[self._home(link)] + ([Link(link(routes.theme(slug)), theme.title(self.t.lang))] if page > 1 else []),
            link=link,
        )

    def tag(self, name: str, page: int, link: Linker) -> ListingView:
        return self._listing(
            heading=self.t("threads_tagged", tag=self.tag_label(name)),
            description="",
            threads=self.tags[name],
            featured=[],
            route=lambda n: routes.tag(name, n),
            page=page,
            trail=[self._home(link), Link(link(routes.TAGS), self.t("tags"))]
            + ([Link(link(routes.tag(name)), self.tag_label(name))] if page > 1 else []),
            link=link,
        )

    def _listing(
        self,
        *,
        heading: str,
        description: str,
        threads: list[Thread],
        featured: list[Thread],
        route: Callable[[int], str],
        total: int | None = None,
        page: int,
        trail: list[Link],
        link: Linker,
    ) -> ListingView:
        pages = page_count(len(threads), self.per_page)
        shown = threads[(page - 1) * self.per_page : page * self.per_page]
        return ListingView(
            heading=heading,
            description=description,
            count=self.t.plural("threads", len(threads) if total is None else total),
            featured=[self.item(thread, link) for thread in featured],
            threads=[self.item(thread, link) for thread in shown],
            pagination=self.pagination(route, page, pages, link),
            trail=trail,
            empty=self.t("empty_theme"),
        )

    def tags_index(self, link: Linker) -> TagsView:
        return TagsView([(Link(link(routes.tag(name)), self.tag_label(name)), len(threads))
                         for name, threads in self.tags.items()])

    def thread(self, slug: str, link: Linker) -> ThreadView:
        thread = self.tree.threads_by_slug[slug]
        theme = self.tree.themes_by_slug[thread.theme]
        best = thread.fields.best_reply
        summary = thread.fields.summary
        return ThreadView(
            title=self.title(thread),
            lang=thread.lang,
            lang_label=self.t(f"lang_{thread.lang}"),
            trail=[self._home(link), Link(link(routes.theme(theme.slug)), theme.title(self.t.lang))],
            tags=self.tag_links(thread, link),
            summary_html=self.rendered(summary, thread.lang) if summary else Markup(""),
            opening=self._post(
                "post",
                thread.fields,
                thread.date,
                thread.body,
                thread.fields.license,
                thread.lang,
            ),
            replies=self._replies(thread, best),
            replies_label=self.t.plural("replies", len(thread.replies)),
            best_reply_anchor=f"reply-{best}" if best else None,
            related=[
                Link(link(routes.thread(other)), self.title(self.tree.threads_by_slug[other]))
                for other in self.related_to(thread)
            ],
        )

    def related_to(self, thread: Thread, limit: int = 5) -> list[str]:
        """Editors' ``related`` list when they gave one, else the index's nearest threads."""
        chosen = [slug for slug in thread.fields.related if slug in self.tree.threads_by_slug]
        if chosen:
            return chosen[:limit]
        found = self.related.get(thread.slug, [])
        return [slug for slug in found if slug in self.tree.threads_by_slug and slug != thread.slug][:limit]

    def contributors(self, link: Linker, limit: int = 100) -> ContributorsView:
        """The most active named contributors; anonymous posts only as a total."""
        if limit not in self._contributors:  # the page is keyed, then rendered: counted once
            self._contributors[limit] = ContributorsView(contributors(self.tree)[:limit], anonymous_posts(self.tree))
        return self._contributors[limit]

    def contribute(self, link: Linker, repository: str, form: str) -> ContributeView:
        """How to propose a post: the pull-request way, step by step, with the site's own themes."""
        example = self.tree.threads[0].slug if self.tree.threads else "conflit-entre-deux-collaborateurs"
        themes = [Link(theme.slug, theme.title(self.t.lang)) for theme in self.tree.themes]
        latest = max((thread.last_activity for thread in self.tree.threads), default=None)
        day = latest.date().isoformat() if latest else "2025-03-04"
        return ContributeView(themes, example, list(LICENSES), repository, form, day)

    def search(self, link: Linker, scripts: list[str]) -> SearchView:
        keys = ("prompt", "searching", "none", "any", "one", "many", "bad_query", "failed", "unsupported",
                "partial_heading", "partial_only", "partial_more", "corrected", "elsewhere",
                *(f"reason_{key}" for key in ("unclosed", "filter_field", "parenthesis", "not_word", "only_excluded",
                                              "scope_word", "wildcard_end", "prefix_short", "too_long", "common")))
        strings = {key: self.t(f"search_{key}") for key in keys}
        strings.update({f"lang_{lang}": self.t(f"lang_{lang}") for lang in ("fr", "en")})
        strings["tags"] = self.t("tags")
        here = link(routes.SEARCH)
        return SearchView(
            index_url=here if here.endswith("/") else here.rsplit("/", 1)[0] + "/",
            scripts=[link(script) for script in scripts],
            themes=[Link(theme.slug, theme.title(self.t.lang)) for theme in self.tree.themes],
            tags=[Link(tag_slug(name), self.tag_label(name)) for name in self.tags],
            strings=json.dumps(strings, ensure_ascii=False),
        )

    def _home(self, link: Linker) -> Link:
        return Link(link(routes.HOME), self.t("home"))

    def _replies(self, thread: Thread, best: str | None) -> list[PostView]:
        by_id = {reply.id: reply for reply in thread.replies}
        return [self._reply(reply, thread, best, by_id.get(reply.fields.in_reply_to or "")) for reply in thread.replies]

    def _reply(self, reply: Reply, thread: Thread, best: str | None, answered: Reply | None) -> PostView:
        answers = (
            Link(f"#reply-{answered.id}", self.t("in_reply_to", name=author_label(answered.fields, self.t)))
            if answered is not None
            else None
        )
        return self._post(f"reply-{reply.id}", reply.fields, reply.date, reply.body, reply.license, thread.lang,
                          id=reply.id, is_best=reply.id == best, answers=answers)

    def _post(
        self,
        anchor: str,
        fields: ThreadFields | ReplyFields,
        date: datetime,
        body: str,
        license: str,
        lang: str,
        *,
        id: str | None = None,
        is_best: bool = False,
        answers: Link | None = None,
    ) -> PostView:
        return PostView(
            id=anchor if id is None else id,
            anchor=anchor,
            author=author_label(fields, self.t),
            date=date,
            date_label=self.t.date(date),
            html=self.rendered(body, lang),  # sanitised by nh3
            license=license,
            license_url=self.tree.licenses[license],
            source=source_of(fields),
            is_best=is_best,
            answers=answers,
        )
