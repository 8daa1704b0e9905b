"""Load the whole content tree, or report every problem in it at once.

Each file is read, split and bound to its schema independently; then the links between files are
checked (a thread's theme exists, its best reply is one of its replies, featured and related slugs
exist…). Only when nothing at all is wrong does ``load_content`` return a ``ContentTree``; otherwise
it raises one ``ContentError`` listing every problem as ``path:line: field: message``.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from entraide import buildcache, clock
from entraide.buildcache import BuildCache
from entraide.collation import folded
from entraide.errors import ContentError, Problem
from entraide.loading import characters, postfile, safefile, yamlsafe
from entraide.loading.digests import FileDigests
from entraide.loading.schema import Report, bind, bind_values
from entraide.model import (
    LANGUAGES,
    LICENSE_URLS,
    OPENING_POST_NAME,
    ContentTree,
    LicenseFields,
    Reply,
    ReplyFields,
    TagFields,
    TagVocabulary,
    Theme,
    ThemeFields,
    Thread,
    ThreadFields,
    text_key,
)
from entraide.slugs import slug_problem, tag_slug
from entraide.workers import WorkerPool, worker_count

log = logging.getLogger(__name__)

THEMES_FILE = "themes.yml"
TAGS_FILE = "tags.yml"
LICENSES_FILE = "licenses.yml"
THREADS_DIR = "threads"
MAX_BODY_CHARS = 40_000
THREAD_FOLDER = "thread-folder"
"""The build cache's kind for a thread folder loaded without any problem (``entraide.buildcache``)."""

F = TypeVar("F", bound=ThreadFields | ReplyFields)


@dataclass
class LoadedPost:
    """A post file bound to its schema, with the line of each field for later checks."""

    path: Path
    fields: ThreadFields | ReplyFields
    body: str
    lines: dict[str, int]
    body_line: int = 1


@dataclass
class Collector:
    """Collects problems with paths shown relative to the project folder."""

    base: Path
    problems: list[Problem] = field(default_factory=list)

    def show(self, path: Path) -> str:
        try:
            return os.path.relpath(path, self.base)
        except ValueError:  # pragma: no cover - another drive on Windows
            return str(path)

    def add(self, path: Path, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.show(path), line, field_name, message))

    def reporter(self, path: Path):
        return lambda line, field_name, message: self.add(path, line, field_name, message)


def load_content(
    content_dir: Path, *, base: Path | None = None, cache: BuildCache | None = None, jobs: int | None = None,
    digests: FileDigests | None = None,
) -> ContentTree:
    """Load and validate ``content_dir``; raise ``ContentError`` listing every problem.

    The build passes its ``cache`` (``entraide.buildcache``): a thread folder whose files' bytes it loaded
    before without any problem is not parsed again. ``digests`` are the build's (the up-to-date check
    took them: ``entraide.loading.digests``). ``jobs`` processes read the thread folders (None: every
    core on a large tree).
    """
    content_dir = content_dir.resolve()
    collector = Collector(base or content_dir.parent)
    if not content_dir.is_dir():
        collector.add(content_dir, 1, "", "the content folder does not exist")
        raise ContentError(collector.problems)
    themes, theme_lines = _load_themes(content_dir / THEMES_FILE, collector)
    vocabulary = load_vocabulary(content_dir / TAGS_FILE, collector)
    licenses = load_licenses(content_dir / LICENSES_FILE, collector)
    threads = _load_threads(content_dir / THREADS_DIR, collector, cache, jobs, digests)
    _check_links(themes, theme_lines, threads, collector, content_dir / THEMES_FILE)
    for post, replies in threads:
        for loaded in (post, *replies):
            if (problem := license_problem(loaded.fields.license, licenses)) is not None:
                collector.add(loaded.path, loaded.lines["license"], "license", problem)
    if vocabulary is not None:
        for post, _replies in threads:
            for tag in post.fields.tags:  # type: ignore[union-attr]
                if problem := vocabulary.problem(tag):
                    collector.add(post.path, post.lines["tags"], "tags", problem)
    if collector.problems:
        raise ContentError(collector.problems)
    published = [_thread(post, replies) for post, replies in threads]
    published.sort(key=lambda thread: (thread.date, thread.slug), reverse=True)
    return ContentTree(content_dir, themes, published, vocabulary, licenses)


def known_names(content_dir: Path) -> tuple[list[str], TagVocabulary] | None:
    """The theme slugs and the tag names (aliases included) a filter may name, read from themes.yml and
    tags.yml only (no thread is read); None when either file has a problem or no vocabulary exists, so
    that a command filtering by them does not refuse a value it cannot judge."""
    collector = Collector(content_dir)
    themes, _lines = _load_themes(content_dir / THEMES_FILE, collector)
    vocabulary = load_vocabulary(content_dir / TAGS_FILE, collector)
    if collector.problems or vocabulary is None:
        return None
    return [theme.slug for theme in themes], vocabulary


def license_problem(license: str | None, licenses: dict[str, str]) -> str | None:
    """Why a post cannot carry ``license`` on this site, or None."""
    if license is None or license in licenses:
        return None
    return f"expected one of {', '.join(licenses)}; found '{license}' (editors add licences in content/{LICENSES_FILE})"


def load_licenses(path: Path, collector: Collector) -> dict[str, str]:
    """The built-in licences, plus those of content/licenses.yml (optional): SPDX id → address."""
    licenses = dict(LICENSE_URLS)
    if not os.path.lexists(path):
        return licenses
    report = collector.reporter(path)
    try:
        root = yamlsafe.parse(postfile.read_text(path))
    except OSError as error:
        report(1, "", f"cannot be read: {error.strerror or error}")
        return licenses
    except (postfile.PostFormatError, yamlsafe.YamlError) as error:
        report(error.line, error.field, error.message)
        return licenses
    entries = root.get("licenses") if isinstance(root, yamlsafe.Mapping) else None
    if not isinstance(entries, yamlsafe.Sequence):
        report(1, "licenses", "the file must hold a 'licenses:' list")
        return licenses
    for item in entries.items:
        if not isinstance(item, yamlsafe.Mapping):
            report(item.line, "licenses", f"each licence is a mapping with id and url, not {yamlsafe.kind_of(item)}")
            continue
        fields = bind(LicenseFields, item, report, what="licence")
        if fields is None:
            continue
        if fields.id in licenses:
            report(item.line, "id", f"licence '{fields.id}' is already known")
            continue
        licenses[fields.id] = fields.url
    return licenses


def load_vocabulary(path: Path, collector: Collector) -> TagVocabulary | None:
    """content/tags.yml, the allowed tags and their aliases; None when the file does not exist."""
    if not os.path.lexists(path):
        return None
    report = collector.reporter(path)
    try:
        root = yamlsafe.parse(postfile.read_text(path))
    except OSError as error:
        report(1, "", f"cannot be read: {error.strerror or error}")
        return None
    except (postfile.PostFormatError, yamlsafe.YamlError) as error:
        report(error.line, error.field, error.message)
        return None
    if not isinstance(root, yamlsafe.Mapping) or not isinstance(root.get("tags"), yamlsafe.Sequence):
        report(1, "tags", "the file must hold a 'tags:' list")
        return None
    names: dict[str, int] = {}
    aliases: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    label_lines: dict[str, dict[str, int]] = {}
    entries = root.get("tags")
    assert isinstance(entries, yamlsafe.Sequence)
    for item in entries.items:
        if not isinstance(item, yamlsafe.Mapping):
            report(item.line, "tags", f"each tag must be a mapping with a name, not {yamlsafe.kind_of(item)}")
            continue
        fields = bind(TagFields, item, report, what="tag")
        if fields is None:
            continue
        if fields.name in names or fields.name in aliases:
            report(item.line, "name", f"tag '{fields.name}' is already listed (line {names.get(fields.name, '?')})")
            continue
        names[fields.name] = item.line
        for alias in fields.aliases:
            if alias in names or alias in aliases:
                report(item.line, "aliases", f"'{alias}' is already a tag or an alias")
            else:
                aliases[alias] = fields.name
        if fields.labels:
            labels[fields.name] = fields.labels
            label_lines[fields.name] = _label_lines(item)
    vocabulary = TagVocabulary(tuple(names), aliases, labels)
    _check_labels(vocabulary, names, label_lines, report)
    return vocabulary


def _label_lines(item: yamlsafe.Mapping) -> dict[str, int]:
    """The line of each language's label of a tags.yml entry (that of ``labels:`` when on one line)."""
    node = item.get("labels")
    if not isinstance(node, yamlsafe.Mapping):
        return {}
    return {lang: value.line for lang, (_key, value) in node.entries.items()}


def _check_labels(
    vocabulary: TagVocabulary, lines: dict[str, int], label_lines: dict[str, dict[str, int]], report: Report
) -> None:
    """Two tags that one interface would show alike (accents and case aside) are refused: a reader
    could not tell their pages apart. Twins are one tag with a label per language, not two tags."""
    for lang in LANGUAGES:
        shown_by: dict[str, str] = {}
        for name in vocabulary.names:
            label = vocabulary.label(name, lang)
            other = shown_by.setdefault(folded(label), name)
            has = {tag: lang in vocabulary.labels.get(tag, {}) for tag in (name, other)}
            if other == name or not any(has.values()):
                continue
            if all(has.values()):
                line = label_lines[name][lang]
                message = (f"the {lang} label '{label}' looks like '{vocabulary.label(other, lang)}', the label of "
                           f"tag '{other}' (line {lines[other]}): two tags would look alike; give each its own label")
            else:
                labelled, plain = (name, other) if has[name] else (other, name)
                line = label_lines[labelled][lang]
                message = (f"the {lang} label '{vocabulary.label(labelled, lang)}' of tag '{labelled}' is how tag "
                           f"'{plain}' (line {lines[plain]}) shows: two tags would look alike; if they are twins, "
                           f"group them with `entraide tags twin {labelled} {plain} --lang {lang}`")
            report(line, "labels", message)


def read_post_file(
    path: Path,
    schema: type[F] | Callable[[yamlsafe.Mapping], type[F]],
    collector: Collector,
    *,
    extra_check: Callable[[yamlsafe.Mapping, Callable[[int, str, str], None]], bool] | None = None,
    overrides: dict[str, yamlsafe.Node] | None = None,
) -> LoadedPost | None:
    """Read one post file and bind it to ``schema``; ``None`` (and problems) when it is broken.

    ``schema`` may be a function of the front matter (a submission is a thread or a reply depending on
    its ``reply_to``); ``extra_check`` may refuse more (it reports and returns ``False``); ``overrides``
    replace fields as written (an editor's ``accept --theme``), so that the values given are checked
    instead of the file's.
    """
    report = collector.reporter(path)
    try:
        raw = postfile.read_post(path)
    except OSError as error:
        report(1, "", f"cannot be read: {error.strerror or error}")
        return None
    except postfile.PostFormatError as error:
        report(error.line, error.field, error.message)
        return None
    if overrides:
        raw = dataclasses.replace(raw, meta=with_overrides(raw.meta, overrides))
    chosen = schema if isinstance(schema, type) else schema(raw.meta)
    values, bound = bind_values(chosen, raw.meta, report)
    fields = chosen(**values) if bound else None
    if extra_check is not None and not extra_check(raw.meta, report):
        fields = None
    lines = {key: key_node.line for key, (key_node, _) in raw.meta.entries.items()}
    if values.get("consent") is False:  # checked whatever else is wrong: every problem in one pass
        report(lines["consent"], "consent", "the author has not agreed to publication; consent must be true")
        fields = None
    readable = "anonymous" not in raw.meta.entries or "anonymous" in values  # an unreadable flag is judged later
    unnamed = not values.get("anonymous") and not values.get("author")
    if readable and unnamed and not _reported(collector, path, "author"):
        report(raw.meta.line, "author", "missing author: give a display name, or set anonymous: true")
        fields = None
    if not raw.body.strip():
        report(raw.body_line, "", "the post has no text after its front matter")
        fields = None
    elif characters.is_blank(raw.body):
        report(raw.body_line, "", "the post has no visible text: only spaces, invisible characters or &nbsp;")
        fields = None
    elif len(raw.body) > MAX_BODY_CHARS:
        report(raw.body_line, "", f"the text is {len(raw.body)} characters long; at most {MAX_BODY_CHARS} allowed")
        fields = None
    if fields is None:
        return None
    return LoadedPost(path, fields, raw.body, lines, raw.body_line)


def with_overrides(meta: yamlsafe.Mapping, overrides: dict[str, yamlsafe.Node]) -> yamlsafe.Mapping:
    """``meta`` with the fields of ``overrides`` replaced (or added), on the line of the field they replace."""
    entries = dict(meta.entries)
    for name, node in overrides.items():
        key = entries[name][0] if name in entries else yamlsafe.Scalar(meta.line, name)
        entries[name] = (key, node)
    return dataclasses.replace(meta, entries=entries)


def _reported(collector: Collector, path: Path, field_name: str) -> bool:
    """Whether a problem of ``field_name`` in ``path`` is already reported (an author that is not
    valid text is not also missing)."""
    shown = collector.show(path)
    return any(p.path == shown and p.field == field_name for p in collector.problems)


def _load_themes(path: Path, collector: Collector) -> tuple[list[Theme], dict[str, dict[str, int]]]:
    """Themes in file order, and for each theme the line of each of its fields."""
    report = collector.reporter(path)
    try:
        text = postfile.read_text(path)
        root = yamlsafe.parse(text)
    except FileNotFoundError:
        report(1, "", "missing: the themes file lists the editors' themes")
        return [], {}
    except OSError as error:
        report(1, "", f"cannot be read: {error.strerror or error}")
        return [], {}
    except (postfile.PostFormatError, yamlsafe.YamlError) as error:
        report(error.line, error.field, error.message)
        return [], {}
    if not isinstance(root, yamlsafe.Mapping) or not isinstance(root.get("themes"), yamlsafe.Sequence):
        report(1, "themes", "the file must hold a 'themes:' list")
        return [], {}
    for key, (key_node, _) in root.entries.items():
        if key != "themes":
            report(key_node.line, key, "unknown field; the file holds only a 'themes:' list")
    themes: list[Theme] = []
    lines: dict[str, dict[str, int]] = {}
    seen: dict[str, int] = {}
    entries = root.get("themes")
    assert isinstance(entries, yamlsafe.Sequence)
    for item in entries.items:
        if not isinstance(item, yamlsafe.Mapping):
            report(
                item.line, "themes", f"each theme must be a mapping with slug and title, not {yamlsafe.kind_of(item)}"
            )
            continue
        fields = bind(ThemeFields, item, report, what="theme")
        if fields is None:
            continue
        slug_line = item.entries["slug"][0].line
        if fields.slug in seen:
            report(slug_line, "slug", f"theme '{fields.slug}' is already defined on line {seen[fields.slug]}")
            continue
        seen[fields.slug] = slug_line
        themes.append(Theme(fields, len(themes)))
        lines[fields.slug] = {key: key_node.line for key, (key_node, _) in item.entries.items()}
    if not themes and not collector.problems:
        report(root.line, "themes", "no theme is defined")
    return themes, lines


MIN_PARALLEL_FOLDERS = 500
"""From this many thread folders on, they are loaded on every core (``entraide.workers``)."""


def _load_threads(
    threads_dir: Path, collector: Collector, cache: BuildCache | None = None, jobs: int | None = None,
    digests: FileDigests | None = None,
) -> list[tuple[LoadedPost, list[LoadedPost]]]:
    """Every thread folder's opening post and replies, in sorted (stable) order.

    Folders found in the build cache are taken from it here. The others are independent, so many of
    them are shared out between ``jobs`` processes (every core by default); each folder's problems
    are collected on their own and listed in folder order, so the report is the same whoever read
    which folder."""
    if os.path.lexists(threads_dir) and (problem := safefile.folder_problem(threads_dir)):
        collector.add(threads_dir, 1, "", problem)
        return []
    if not threads_dir.is_dir():
        return []
    entries = [entry for entry in sorted(threads_dir.iterdir()) if not entry.name.startswith(".")]
    if digests is None and cache is not None:
        digests = FileDigests(cache)
    results: dict[int, tuple[tuple[LoadedPost, list[LoadedPost]] | None, list[Problem]]] = {}
    keys: dict[int, bytes | None] = {}
    for index, entry in enumerate(entries):
        own = Collector(collector.base)
        if problem := safefile.folder_problem(entry):
            own.add(entry, 1, "", problem)
            results[index] = (None, own.problems)
        elif not entry.is_dir():
            own.add(entry, 1, "", "unexpected file: each thread is a folder holding thread.md and its replies")
            results[index] = (None, own.problems)
        else:
            keys[index] = key = _thread_key(entry, digests) if digests is not None else None
            if (found := _from_cache(entry, cache, key)) is not None:
                results[index] = (found, [])
    todo = [index for index in range(len(entries)) if index not in results]
    mark = cache.mark() if cache is not None else 0

    def work(number: int) -> None:
        index = todo[number]
        own = Collector(collector.base)
        results[index] = (_load_thread(entries[index], own, cache, keys[index], digests), own.problems)

    def report() -> tuple[Any, ...]:
        return {index: results[index] for index in todo if index in results}, (
            cache.changes(mark) if cache is not None else None)

    def merge(reported: tuple[Any, ...]) -> None:
        found, changes = reported
        results.update(found)
        if cache is not None:
            cache.absorb(changes)

    pool = WorkerPool(worker_count(jobs, len(todo), MIN_PARALLEL_FOLDERS))
    pool.run(len(todo), work, report, merge)
    loaded: list[tuple[LoadedPost, list[LoadedPost]]] = []
    for index in range(len(entries)):
        thread, problems = results[index]
        collector.problems.extend(problems)
        if thread is not None:
            loaded.append(thread)
    return loaded


def _from_cache(
    folder: Path, cache: BuildCache | None, key: bytes | None
) -> tuple[LoadedPost, list[LoadedPost]] | None:
    """A thread folder whose files' bytes are those of a thread loaded before without any problem."""
    if cache is None or key is None or (found := cache.get(THREAD_FOLDER, key, buildcache.loads)) is None:
        return None
    opening, replies = found
    return (LoadedPost(folder / OPENING_POST_NAME, *opening),
            [LoadedPost(folder / name, *reply) for name, *reply in replies])


def _load_thread(
    folder: Path, collector: Collector, cache: BuildCache | None = None, key: bytes | None = None,
    digests: FileDigests | None = None,
) -> tuple[LoadedPost, list[LoadedPost]] | None:
    """A thread folder not found in the build cache, read and checked file by file (``_read_thread``),
    then kept in the cache under ``key`` when it has no problem and its files are still those the key
    was made from (an edit during the build is read, but never cached under the old bytes' key)."""
    before = len(collector.problems)
    thread = _read_thread(folder, collector)
    if (cache is not None and key is not None and thread is not None and len(collector.problems) == before
            and digests is not None and digests.same_entries(str(folder))):
        opening, replies = thread
        value = (_cached(opening), [(reply.path.name, *_cached(reply)) for reply in replies])
        cache.put(THREAD_FOLDER, key, buildcache.dumps(value))
    return thread


def _cached(post: LoadedPost) -> tuple[object, ...]:
    return post.fields, post.body, post.lines, post.body_line


def _thread_key(folder: Path, digests: FileDigests) -> bytes | None:
    """The build cache's key for a thread folder: its name and every entry's name and bytes (by their
    digest, ``entraide.loading.digests``); None when an entry is anything but a regular post file of
    an acceptable size (the file-by-file path reports it)."""
    parts: list[str | bytes] = [THREAD_FOLDER, str(clock.zone()), folder.name]
    try:
        for entry in digests.entries(str(folder)):
            name = entry.name
            if name.startswith("."):
                continue
            status = entry.stat(follow_symlinks=False)
            if not name.endswith(".md") or not stat.S_ISREG(status.st_mode) or status.st_size > postfile.MAX_FILE_BYTES:
                return None
            digest = digests.digest(entry.path, status, postfile.MAX_FILE_BYTES)
            parts += [name, status.st_size.to_bytes(8, "little"), digest]
    except OSError:  # safefile.NotRegular included
        return None
    return buildcache.key_of(*parts)


def _read_thread(folder: Path, collector: Collector) -> tuple[LoadedPost, list[LoadedPost]] | None:
    if problem := slug_problem(folder.name, reserved=True):
        collector.add(folder, 1, "slug", f"folder name {problem}")
    opening_path = folder / OPENING_POST_NAME
    if not os.path.lexists(opening_path):
        collector.add(folder, 1, "", f"the thread has no {OPENING_POST_NAME} (its opening post)")
        return None
    opening = read_post_file(opening_path, ThreadFields, collector)
    replies: list[LoadedPost] = []
    for path in sorted(folder.iterdir()):
        if path.name == OPENING_POST_NAME or path.name.startswith("."):
            continue
        if path.suffix == ".md" and (problem := safefile.problem(path)):
            collector.add(path, 1, "", problem)
            continue
        if path.suffix != ".md":
            collector.add(path, 1, "", "unexpected entry: a thread folder holds only .md post files")
            continue
        if problem := slug_problem(path.stem):
            collector.add(path, 1, "id", f"reply file name {problem}")
            continue
        reply = read_post_file(path, ReplyFields, collector)
        if reply is None:
            continue
        reply_to = reply.fields.reply_to  # type: ignore[union-attr]
        if reply_to is not None and reply_to != folder.name:
            collector.add(
                path,
                reply.lines["reply_to"],
                "reply_to",
                f"is '{reply_to}' but the file is in the thread '{folder.name}'",
            )
        replies.append(reply)
    for post in (opening, *replies):
        if post is not None:
            _check_relative_links(post, collector)
    if opening is None:
        return None
    _check_replies(opening, replies, collector)
    return opening, replies  # a broken reply was reported: the load fails, but links still get checked


def _check_relative_links(post: LoadedPost, collector: Collector) -> None:
    """A relative link in a published post is a broken link on its page and in the feeds: the same
    rule as for submissions (``entraide accept`` refuses them), for posts edited by hand."""
    from entraide.moderation.screening import relative_links

    for finding in relative_links(post.body, post.body_line):
        collector.add(post.path, finding.line, "", finding.message)


def _check_replies(opening: LoadedPost, replies: list[LoadedPost], collector: Collector) -> None:
    """A reply is not older than its thread, answers a reply of its own thread, and says something no
    other post of the thread said."""
    seen = {text_key(opening.body): OPENING_POST_NAME}
    reply_ids = {reply.path.stem for reply in replies}
    for reply in replies:
        answered = reply.fields.in_reply_to  # type: ignore[union-attr]
        if answered is not None and (answered == reply.path.stem or answered not in reply_ids):
            why = ("a reply cannot answer itself" if answered == reply.path.stem
                   else f"no reply '{answered}' in this thread")
            collector.add(reply.path, reply.lines["in_reply_to"], "in_reply_to", why)
        if reply.fields.date < opening.fields.date:
            collector.add(
                reply.path,
                reply.lines["date"],
                "date",
                f"{reply.fields.date:%Y-%m-%d %H:%M} is before the thread's opening post "
                f"({opening.fields.date:%Y-%m-%d %H:%M})",
            )
        key = text_key(reply.body)
        if key in seen:
            collector.add(reply.path, reply.body_line, "", f"the same text as {seen[key]} in this thread: a duplicate")
        else:
            seen[key] = reply.path.name


def _check_links(
    themes: list[Theme],
    theme_lines: dict[str, dict[str, int]],
    threads: list[tuple[LoadedPost, list[LoadedPost]]],
    collector: Collector,
    themes_path: Path,
) -> None:
    """Checks that span files: themes, best replies, related and featured threads, tag addresses."""
    theme_slugs = [theme.slug for theme in themes]
    thread_themes = {post.path.parent.name: post.fields.theme for post, _ in threads}  # type: ignore[union-attr]
    folders = themes_path.parent / THREADS_DIR
    existing = {path.name for path in folders.iterdir()} if folders.is_dir() else set()
    tag_owner: dict[str, tuple[str, Path]] = {}
    for post, replies in threads:
        fields = post.fields
        assert isinstance(fields, ThreadFields)
        slug = post.path.parent.name
        if themes and fields.theme not in theme_slugs:
            close = difflib.get_close_matches(fields.theme, theme_slugs, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; themes: {', '.join(theme_slugs)}"
            collector.add(post.path, post.lines["theme"], "theme", f"unknown theme '{fields.theme}'{hint}")
        reply_ids = [reply.path.stem for reply in replies]
        if fields.best_reply and fields.best_reply not in reply_ids:
            known = ", ".join(reply_ids) if reply_ids else "the thread has no reply"
            collector.add(
                post.path,
                post.lines["best_reply"],
                "best_reply",
                f"no reply '{fields.best_reply}' in this thread ({known})",
            )
        for related in fields.related:
            if related == slug:
                collector.add(post.path, post.lines["related"], "related", "a thread cannot be related to itself")
            elif related not in existing:
                collector.add(post.path, post.lines["related"], "related", f"no thread '{related}'")
        for tag in fields.tags:
            key = tag_slug(tag)
            owner = tag_owner.setdefault(key, (tag, post.path))
            if owner[0] != tag:
                collector.add(
                    post.path,
                    post.lines["tags"],
                    "tags",
                    f"tag '{tag}' and tag '{owner[0]}' ({collector.show(owner[1])}) would share one page; "
                    "use one spelling",
                )
    for theme in themes:
        for featured in theme.fields.featured:
            line = theme_lines[theme.slug].get("featured", 1)
            if featured not in existing:
                collector.add(themes_path, line, "featured", f"no thread '{featured}'")
            elif featured in thread_themes and thread_themes[featured] != theme.slug:
                collector.add(
                    themes_path,
                    line,
                    "featured",
                    f"thread '{featured}' belongs to theme '{thread_themes[featured]}', not '{theme.slug}'",
                )


def _thread(post: LoadedPost, replies: list[LoadedPost]) -> Thread:
    fields = post.fields
    assert isinstance(fields, ThreadFields)
    built = [
        Reply(
            id=reply.path.stem,
            source=reply.path,
            fields=reply.fields,  # type: ignore[arg-type]
            body=reply.body,
            license=reply.fields.license or fields.license,
        )
        for reply in replies
    ]
    built.sort(key=lambda reply: (reply.date, reply.id))
    return Thread(post.path.parent.name, post.path, fields, post.body, tuple(built))
