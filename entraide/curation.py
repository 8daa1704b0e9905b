"""Editors' curation: themes (``content/themes.yml``) and threads (theme, tags, takeaways, best reply,
featured, related).

``themes.yml`` is edited with ruamel.yaml's round trip, so its comments, order and quoting survive;
thread files are rewritten through ``entraide.writing``. Every edit is checked before anything is
written (the new themes file is parsed by the same strict loader as a build), then carried out as a
journaled operation with an entry in the moderation log, like a moderation decision.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from entraide.errors import EntraideError
from entraide.loading.loader import THEMES_FILE, Collector, _load_themes, load_content
from entraide.model import ContentTree, Thread
from entraide.moderation import journal
from entraide.moderation.decisions import editor_tags, log_entry
from entraide.project import Project
from entraide.roundtrip import dumped, loaded
from entraide.slugs import slug_problem
from entraide.suggestions import hint
from entraide.wording import counted
from entraide.writing import edited_post_text


class CurationRefused(EntraideError):
    """An edit that cannot be made as asked; nothing was changed."""


def _load(project: Project) -> tuple[ContentTree, Any]:
    tree = load_content(project.content_dir, base=project.root)
    data = loaded((project.content_dir / THEMES_FILE).read_text(encoding="utf-8"))
    return tree, data


def _checked_themes(text: str) -> None:
    """Parse the new themes file as a build would: a broken edit never reaches the disk."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / THEMES_FILE
        path.write_text(text, encoding="utf-8")
        collector = Collector(Path(folder))
        _load_themes(path, collector)
        if collector.problems:
            details = "; ".join(f"line {p.line}: {p.field}: {p.message}" for p in collector.problems)
            raise CurationRefused(f"the edit would make themes.yml invalid ({details}); nothing changed")


def _entry_of(data: Any, slug: str) -> CommentedMap:
    for entry in data["themes"]:
        if entry.get("slug") == slug:
            return entry
    known = ", ".join(str(entry.get("slug")) for entry in data["themes"])
    raise CurationRefused(f"no theme '{slug}'; themes: {known}")


def _commit(project: Project, action: str, target: str, editor: str, writes: dict[str, str], **details: Any) -> None:
    themes_path = project.show(project.content_dir / THEMES_FILE)
    if themes_path in writes:
        _checked_themes(writes[themes_path])
    entry = log_entry(action, target, editor, **details)
    journal.run(project, journal.Operation(entry=entry, writes=writes))


def _texts(values: dict[str, str | None], field: str = "") -> dict[str, str]:
    """The given texts by language; markup is refused (a theme's words are plain text on every page)."""
    texts = {lang: text for lang, text in values.items() if text}
    for lang, text in texts.items():
        if markup := _markup(text):
            raise CurationRefused(
                f"--{field}-{lang}: HTML is not allowed in a theme's {field}, it is plain text "
                f"(found {markup}); nothing changed"
            )
    return texts


def _markup(text: str) -> str | None:
    from entraide.moderation import screening

    for finding in screening.screen(text, 1):
        if finding.code == screening.RAW_HTML:
            return repr(finding.match[:40])
    return None


# -- themes ------------------------------------------------------------------------------------


def add_theme(
    project: Project, slug: str, titles: dict[str, str | None], descriptions: dict[str, str | None],
    *, after: str | None, editor: str,
) -> str:
    tree, data = _load(project)
    if problem := slug_problem(slug, reserved=False):
        raise CurationRefused(f"'{slug}': {problem}")
    if slug in tree.themes_by_slug:
        raise CurationRefused(f"theme '{slug}' already exists")
    title = _texts(titles, "title")
    if not title:
        raise CurationRefused("a theme needs a title: --title-fr and/or --title-en")
    entry = CommentedMap()
    entry["slug"] = slug
    entry["title"] = CommentedMap(title)
    if description := _texts(descriptions, "description"):
        entry["description"] = CommentedMap(description)
    position = len(data["themes"])
    if after is not None:
        position = list(data["themes"]).index(_entry_of(data, after)) + 1
    data["themes"].insert(position, entry)
    _commit(project, "theme-add", slug, editor, {project.show(project.content_dir / THEMES_FILE): dumped(data)})
    return f"Added theme '{slug}' at position {position + 1} of {len(data['themes'])}."


def edit_theme(
    project: Project, slug: str, titles: dict[str, str | None], descriptions: dict[str, str | None], *, editor: str
) -> str:
    _tree, data = _load(project)
    entry = _entry_of(data, slug)
    changed = []
    for key, values in (("title", titles), ("description", descriptions)):
        for lang, text in _texts(values, key).items():
            block = entry.setdefault(key, CommentedMap())
            block[lang] = text
            changed.append(f"{key} ({lang})")
    if not changed:
        raise CurationRefused("nothing to change: give --title-fr/--title-en or --description-fr/--description-en")
    _commit(project, "theme-edit", slug, editor, {project.show(project.content_dir / THEMES_FILE): dumped(data)},
            fields=changed)
    return f"Edited theme '{slug}': {', '.join(changed)}."


def move_theme(
    project: Project, slug: str, *, before: str | None = None, after: str | None = None,
    position: int | None = None, editor: str,
) -> str:
    if sum(option is not None for option in (before, after, position)) != 1:
        raise CurationRefused("say where: one of --before SLUG, --after SLUG or --position N")
    _tree, data = _load(project)
    themes: CommentedSeq = data["themes"]
    entry = _entry_of(data, slug)
    themes.remove(entry)
    if position is not None:
        if not 1 <= position <= len(themes) + 1:
            raise CurationRefused(f"--position must be between 1 and {len(themes) + 1}")
        index = position - 1
    else:
        anchor = _entry_of(data, before or after)  # type: ignore[arg-type]
        index = list(themes).index(anchor) + (1 if after else 0)
    themes.insert(index, entry)
    _commit(project, "theme-move", slug, editor, {project.show(project.content_dir / THEMES_FILE): dumped(data)},
            position=index + 1)
    return f"Moved theme '{slug}' to position {index + 1} of {len(themes)}."


def remove_theme(project: Project, slug: str, *, editor: str) -> str:
    tree, data = _load(project)
    entry = _entry_of(data, slug)
    used = tree.threads_in(slug)
    if used:
        sample = ", ".join(thread.slug for thread in used[:3]) + ("…" if len(used) > 3 else "")
        raise CurationRefused(
            f"theme '{slug}' still holds {counted(len(used), 'thread')} ({sample}); "
            f"move them first: entraide curate SLUG --theme OTHER"
        )
    data["themes"].remove(entry)
    _commit(project, "theme-remove", slug, editor, {project.show(project.content_dir / THEMES_FILE): dumped(data)})
    return f"Removed theme '{slug}'."


# -- threads -----------------------------------------------------------------------------------


@dataclasses.dataclass
class ThreadEdit:
    title: str | None = None
    """A better title (an import's first words, a typo); the thread keeps its address."""
    theme: str | None = None
    tags: tuple[str, ...] | None = None
    summary: str | None = None
    """Markdown of the takeaways; an empty string removes them."""
    best_reply: str | None = None
    """A reply id; an empty string removes the mark."""
    featured: bool | None = None
    related: tuple[str, ...] | None = None


def current_summary(project: Project, slug: str) -> str:
    """The takeaways thread ``slug`` has now (``""``: none), to show what an edit would replace."""
    tree, _data = _load(project)
    thread = tree.threads_by_slug.get(slug)
    if thread is None:
        raise CurationRefused(f"no published thread '{slug}'{hint(slug, tree.threads_by_slug)}")
    return (thread.fields.summary or "").strip()


def curate(project: Project, slug: str, edit: ThreadEdit, *, editor: str) -> str:
    tree, data = _load(project)
    thread = tree.threads_by_slug.get(slug)
    if thread is None:
        raise CurationRefused(f"no published thread '{slug}'{hint(slug, tree.threads_by_slug)}")
    fields = thread.fields
    if edit.title is not None:
        from entraide import answers

        title = " ".join(edit.title.split())
        if refusals := answers.text_field("title", title):
            raise CurationRefused(f"--title: {'; '.join(refusal.message for refusal in refusals)}")
        fields = dataclasses.replace(fields, title=title)
    if edit.theme is not None:
        if edit.theme not in tree.themes_by_slug:
            raise CurationRefused(
                f"unknown theme '{edit.theme}'{hint(edit.theme, tree.themes_by_slug)} "
                f"(themes: {', '.join(tree.themes_by_slug)})"
            )
        fields = dataclasses.replace(fields, theme=edit.theme)
    if edit.tags is not None:
        fields = dataclasses.replace(fields, tags=editor_tags(edit.tags, tree, CurationRefused))
    if edit.summary is not None:
        fields = dataclasses.replace(fields, summary=edit.summary.strip() or None)
    if edit.best_reply is not None:
        fields = dataclasses.replace(fields, best_reply=_best_reply(thread, edit.best_reply))
    if edit.related is not None:
        fields = dataclasses.replace(fields, related=_related(tree, slug, edit.related))
    changed = [f.name for f in dataclasses.fields(fields) if getattr(fields, f.name) != getattr(thread.fields, f.name)]
    writes: dict[str, str] = {}
    if fields != thread.fields:
        original = thread.source.read_text(encoding="utf-8")
        writes[project.show(thread.source)] = edited_post_text(original, thread.fields, fields)
    featured_now = any(slug in theme.fields.featured for theme in tree.themes)
    feature = featured_now if edit.featured is None else edit.featured
    if "theme" in changed or feature != featured_now:
        for entry in data["themes"]:  # take it out everywhere, then put it in its (new) theme
            listed = entry.get("featured")
            if listed is not None and slug in listed:
                listed.remove(slug)
        if feature:
            entry = _entry_of(data, fields.theme)
            if entry.get("featured") is None:
                entry["featured"] = CommentedSeq()
                entry["featured"].fa.set_flow_style()
            entry["featured"].append(slug)
        writes[project.show(project.content_dir / THEMES_FILE)] = dumped(data)
        if feature != featured_now:
            changed.append("featured" if feature else "unfeatured")
    if not changed:
        raise CurationRefused(f"nothing to change for '{slug}': it is already as asked")
    _commit(project, "curate", slug, editor, writes, fields=changed)
    return f"Curated '{slug}': {', '.join(changed)}. Rebuild the site to publish."


def _best_reply(thread: Thread, reply_id: str) -> str | None:
    if not reply_id:
        return None
    if reply_id not in {reply.id for reply in thread.replies}:
        known = ", ".join(reply.id for reply in thread.replies) or "it has no reply"
        raise CurationRefused(f"thread '{thread.slug}' has no reply '{reply_id}' ({known})")
    return reply_id


def _related(tree: ContentTree, slug: str, related: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [other for other in related if other not in tree.threads_by_slug]
    if unknown:
        named = ", ".join(f"'{u}'{hint(u, tree.threads_by_slug)}" for u in unknown)
        raise CurationRefused(f"--related: no published thread {named}")
    if slug in related:
        raise CurationRefused("--related: a thread cannot be related to itself")
    return tuple(dict.fromkeys(related))



