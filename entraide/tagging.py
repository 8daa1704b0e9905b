"""The tag vocabulary as a library: suggestions for unknown tags, and the edits of content/tags.yml.

``entraide tags``, ``accept`` and ``check`` use it, and so can an importer mapping a source's tags.
A suggestion is offered only when the unknown tag is plainly a typo of a known one: the two compared
with accents and case folded (``mediation`` is ``médiation``), with a similarity ratio of at least
``SUGGESTION_RATIO`` — 'conflits' suggests 'conflit', 'discussion' suggests nothing ('inclusion' is
another word).
"""

from __future__ import annotations

import dataclasses
import difflib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from entraide.errors import EntraideError
from entraide.model import LANGUAGES, ContentTree, TagVocabulary, ThreadFields
from entraide.project import Project
from entraide.roundtrip import dumped, loaded
from entraide.slugs import slugify
from entraide.wording import counted

SUGGESTION_RATIO = 0.8
LANGUAGE_NAMES = {"fr": "French", "en": "English"}


def suggest(tag: str, vocabulary: TagVocabulary) -> str | None:
    """The vocabulary's name ``tag`` is most likely a misspelling of, or ``None`` if none is close."""
    folded = slugify(tag)
    best: tuple[float, str] | None = None
    for known in sorted([*vocabulary.names, *vocabulary.aliases]):
        matcher = difflib.SequenceMatcher(None, folded, slugify(known))
        if matcher.real_quick_ratio() < SUGGESTION_RATIO or matcher.quick_ratio() < SUGGESTION_RATIO:
            continue
        ratio = matcher.ratio()
        if ratio >= SUGGESTION_RATIO and (best is None or ratio > best[0]):
            best = (ratio, known)
    return vocabulary.canonical(best[1]) if best else None


def resolve(tag: str, vocabulary: TagVocabulary | None) -> str | None:
    """The tag to write for ``tag``: itself without a vocabulary, its name if it is a name or an
    alias, ``None`` if the vocabulary does not know it."""
    if vocabulary is None:
        return tag
    return vocabulary.canonical(tag)


# -- editing content/tags.yml and the posts that use a tag ------------------------------------------

HEADER = "# The tags editors allow. `entraide tags add|alias|rename` edit this file, keeping its comments.\ntags:\n"


class TagEditRefused(EntraideError):
    """A vocabulary edit that cannot be made as asked; nothing was changed."""


def checked_tag(value: str, what: str = "tag") -> str:
    """``value`` if posts may write it as a tag, else ``TagEditRefused`` saying why."""
    from entraide.identifiers import tag_problem

    if problem := tag_problem(value):
        raise TagEditRefused(f"{what}: {problem}")
    return value


def with_tag(text: str, name: str, aliases: tuple[str, ...] = (), labels: dict[str, str] | None = None) -> str:
    """``text`` (a tags.yml, comments and order kept) with the tag ``name`` added in alphabetical place."""
    data = _load(text)
    _refuse_known(data, [name, *aliases])
    entry = CommentedMap()
    entry["name"] = name
    if labels:
        entry["labels"] = _flow_map({lang: labels[lang] for lang in LANGUAGES if lang in labels})
    if aliases:
        entry["aliases"] = _flow(aliases)
    entries = data["tags"]
    position = next((i for i, e in enumerate(entries) if slugify(str(e.get("name"))) > slugify(name)), len(entries))
    entries.insert(position, entry)
    return dumped(data)


def with_alias(text: str, name: str, alias: str) -> str:
    """``text`` with ``alias`` added to the aliases of the tag ``name``."""
    data = _load(text)
    entry = _entry(data, name)
    if any(e.get("name") == alias for e in data["tags"]):
        raise TagEditRefused(f"'{alias}' is already a tag, with its own page: to make it the twin of '{name}' "
                             f"(one tag, its threads retagged), run `entraide tags twin {name} {alias} --lang LANG`")
    _refuse_known(data, [alias])
    if entry.get("aliases") is None:
        entry["aliases"] = _flow(())
    entry["aliases"].append(alias)
    return dumped(data)


def renamed(text: str, old: str, new: str, *, keep_alias: bool = False) -> str:
    """``text`` with the tag ``old`` named ``new`` (merged into ``new`` if that is a tag already);
    ``keep_alias`` keeps ``old`` as an alias, so that posts still writing it are understood."""
    data = _load(text)
    entry = _entry(data, old)
    aliases = [str(a) for a in entry.get("aliases") or []]
    target = next((e for e in data["tags"] if e.get("name") == new), None)
    others = [e for e in data["tags"] if e is not entry and e is not target]
    if any(new in (e.get("aliases") or []) for e in others):
        raise TagEditRefused(f"'{new}' is an alias of another tag: rename '{old}' to that tag instead")
    merged = [a for a in aliases if a != new] + ([old] if keep_alias else [])
    if target is None:
        entry["name"] = new
        if merged:
            entry["aliases"] = _flow(tuple(merged))
        elif "aliases" in entry:
            del entry["aliases"]
    else:
        data["tags"].remove(entry)
        if merged:
            if target.get("aliases") is None:
                target["aliases"] = _flow(())
            target["aliases"].extend(a for a in merged if a not in target["aliases"])
        for lang, label in (entry.get("labels") or {}).items():  # the merged tag's labels fill the gaps
            if lang not in (target.get("labels") or {}):
                _set_label(target, str(lang), str(label))
    return dumped(data)


def with_label(text: str, name: str, lang: str, label: str | None) -> str:
    """``text`` with the tag ``name`` shown as ``label`` in the ``lang`` interface (``None``: as its name)."""
    data = _load(text)
    entry = _entry(data, name)
    if label is not None:
        _set_label(entry, lang, label)
    elif lang in (entry.get("labels") or {}):
        del entry["labels"][lang]
        if not entry["labels"]:
            del entry["labels"]
    else:
        raise TagEditRefused(f"tag '{name}' has no {LANGUAGE_NAMES[lang]} label")
    return dumped(data)


def _set_label(entry: Any, lang: str, label: str) -> None:
    """Set one label, the labels kept in the order of LANGUAGES and just after the name."""
    labels = entry.get("labels")
    if labels is None:
        labels = _flow_map({})
        keys = list(entry)
        entry.insert(keys.index("name") + 1 if "name" in keys else 0, "labels", labels)
    if lang in labels:
        labels[lang] = label
        return
    after = [key for key in labels if key in LANGUAGES and LANGUAGES.index(key) > LANGUAGES.index(lang)]
    labels.insert(list(labels).index(after[0]) if after else len(labels), lang, label)


def vocabulary_of(text: str) -> TagVocabulary:
    """The vocabulary ``text`` defines, read by the same strict loader as a build; refused if broken."""
    from entraide.loading.loader import TAGS_FILE, Collector, load_vocabulary

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / TAGS_FILE
        path.write_text(text, encoding="utf-8")
        collector = Collector(Path(folder))
        vocabulary = load_vocabulary(path, collector)
    if collector.problems or vocabulary is None:
        details = "; ".join(f"line {p.line}: {p.field}: {p.message}" for p in collector.problems)
        raise TagEditRefused(f"the edit would make tags.yml invalid ({details}); nothing changed")
    return vocabulary


def retagged(tags: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    """``tags`` with ``old`` replaced by ``new``, each tag once, order kept."""
    return tuple(dict.fromkeys(new if tag == old else tag for tag in tags))


def _load(text: str) -> Any:
    data = loaded(text or HEADER)
    if data is None or not isinstance(data.get("tags"), list):
        if data is None or data.get("tags") is None:
            data = data if data is not None else CommentedMap()
            data["tags"] = CommentedSeq()
        else:
            raise TagEditRefused("tags.yml must hold a 'tags:' list; fix it first")
    return data


def _entry(data: Any, name: str) -> Any:
    for entry in data["tags"]:
        if entry.get("name") == name:
            return entry
    aliased = next((e.get("name") for e in data["tags"] if name in (e.get("aliases") or [])), None)
    if aliased:
        raise TagEditRefused(f"'{name}' is an alias of '{aliased}', not a tag")
    raise TagEditRefused(f"no tag '{name}' in content/tags.yml")


def _refuse_known(data: Any, values: list[str]) -> None:
    for value in values:
        for entry in data["tags"]:
            if entry.get("name") == value:
                raise TagEditRefused(f"'{value}' is already a tag")
            if value in (entry.get("aliases") or []):
                raise TagEditRefused(f"'{value}' is already an alias of '{entry.get('name')}'")
    if len(set(values)) != len(values):
        raise TagEditRefused("the same spelling is given twice")


def _flow_map(values: dict[str, str]) -> CommentedMap:
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def _flow(values: tuple[str, ...]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


# -- the edits, on a project: checked, then one journaled operation with its log entry --------------


@dataclass(frozen=True)
class TagUse:
    name: str
    aliases: tuple[str, ...]
    threads: int
    submissions: int
    labels: dict[str, str] = dataclasses.field(default_factory=dict)
    """Interface language → label, as content/tags.yml gives them."""


def usage(project: Project) -> tuple[list[TagUse], dict[str, int]]:
    """Each tag of the vocabulary with how many published threads and pending submissions use it,
    and the tags published threads use that the vocabulary lacks (all of them without a vocabulary)."""
    from entraide.moderation.decisions import published

    tree = published(project)
    pending = _pending_threads(project)
    published_counts: dict[str, int] = {}
    for thread in tree.threads:
        for tag in thread.fields.tags:
            published_counts[tag] = published_counts.get(tag, 0) + 1
    pending_counts: dict[str, int] = {}
    for _path, fields, _text in pending:
        for tag in fields.tags:
            name = resolve(tag, tree.vocabulary) or tag
            pending_counts[name] = pending_counts.get(name, 0) + 1
    vocabulary = tree.vocabulary
    names = list(vocabulary.names) if vocabulary else sorted(published_counts, key=slugify)
    aliases = {name: tuple(a for a, n in (vocabulary.aliases if vocabulary else {}).items() if n == name)
               for name in names}
    labels = vocabulary.labels if vocabulary else {}
    uses = [TagUse(n, aliases[n], published_counts.get(n, 0), pending_counts.get(n, 0), dict(labels.get(n, {})))
            for n in names]
    outside = {tag: count for tag, count in published_counts.items() if tag not in names}
    return uses, outside


def add(project: Project, name: str, aliases: tuple[str, ...], *, editor: str,
        labels: dict[str, str] | None = None) -> str:
    checked_tag(name)
    for alias in aliases:
        checked_tag(alias, "--alias")
    text = with_tag(_current(project), name, aliases, labels)
    details: dict[str, Any] = {"aliases": list(aliases)} | ({"labels": labels} if labels else {})
    _commit(project, "tags-add", name, editor, {_file(project): text}, **details)
    return f"Added the tag '{name}'" + (f" (aliases: {', '.join(aliases)})." if aliases else ".")


def label(project: Project, name: str, lang: str, text: str | None, *, editor: str) -> str:
    """Show the tag ``name`` as ``text`` in the ``lang`` interface (``None``: as its name again)."""
    if text is not None:
        text = text.strip()
        if not text:
            raise TagEditRefused("LABEL: must not be empty (use --remove to show the tag's name)")
    edited = with_label(_current(project), name, lang, text)
    _commit(project, "tags-label", name, editor, {_file(project): edited}, lang=lang, label=text)
    language = LANGUAGE_NAMES[lang]
    if text is None:
        return f"The tag '{name}' shows as '{name}' in {language} again."
    return f"The tag '{name}' now shows as '{text}' in {language}."


def twin(project: Project, name: str, other: str, lang: str, *, editor: str, text: str | None = None) -> str:
    """Group ``other``, the ``lang`` twin of the tag ``name``, into it: one tag and one page, ``other``
    kept as an alias (accept and curate write it as ``name``), the threads and submissions using it
    retagged, and ``name`` shown in ``lang`` as ``text`` (by default the twin's label there, or its
    name), unless it already has a label there — as one crash-safe, logged operation."""
    from entraide.moderation.decisions import published

    if name == other:
        raise TagEditRefused("a tag cannot be its own twin")
    tree = published(project)
    current = _current(project)
    vocabulary = vocabulary_of(current)
    for tag, what in ((name, "NAME"), (other, "TWIN")):
        if tag not in vocabulary.names:
            owner = vocabulary.aliases.get(tag)
            raise TagEditRefused(f"{what}: '{tag}' is an alias of '{owner}', not a tag" if owner
                                 else f"{what}: no tag '{tag}' in content/tags.yml")
    if text is not None and not text.strip():
        raise TagEditRefused("--label: must not be empty")
    if text is None and lang not in vocabulary.labels.get(name, {}):
        text = vocabulary.label(other, lang)
    edited = renamed(current, other, name, keep_alias=True)
    if text is not None:
        edited = with_label(edited, name, lang, text.strip())
    writes, threads, pending = _retagged_posts(project, tree, other, name)
    writes[_file(project)] = edited
    shown = vocabulary_of(edited).label(name, lang)
    _commit(project, "tags-twin", name, editor, writes, twin=other, lang=lang, label=shown, threads=threads,
            submissions=pending)
    return (f"'{other}' is now the {LANGUAGE_NAMES[lang]} twin of '{name}': one tag, shown as '{shown}' in "
            f"{LANGUAGE_NAMES[lang]}; {threads} thread{'s' * (threads != 1)} and {pending} "
            f"submission{'s' * (pending != 1)} retagged, '{other}' kept as an alias.")


def alias(project: Project, name: str, spelling: str, *, editor: str) -> str:
    checked_tag(spelling, "ALIAS")
    text = with_alias(_current(project), name, spelling)
    _commit(project, "tags-alias", name, editor, {_file(project): text}, alias=spelling)
    return f"'{spelling}' is now an alias of '{name}': accept and curate write it as '{name}'."


def rename(project: Project, old: str, new: str, *, editor: str, keep_alias: bool = False) -> str:
    """Rename (or merge) a tag in the vocabulary, in every published thread and every pending
    submission using it, as one crash-safe operation."""
    from entraide.moderation.decisions import published

    checked_tag(new, "NEW")
    if old == new:
        raise TagEditRefused("the old and the new name are the same")
    tree = published(project)
    writes: dict[str, str] = {}
    vocabulary = tree.vocabulary
    if vocabulary is not None and (old in vocabulary.names or old in vocabulary.aliases):
        text = renamed(_current(project), old, new, keep_alias=keep_alias)
        vocabulary_of(text)
        writes[_file(project)] = text
    elif vocabulary is not None:  # a tag only submissions use (an import's): it becomes a known one
        if keep_alias:
            raise TagEditRefused(f"'{old}' is not in content/tags.yml: make it an alias with `entraide tags alias`")
        known = vocabulary.canonical(new)
        if known is None:
            raise TagEditRefused(f"'{new}' is not in content/tags.yml: add it first with `entraide tags add {new}`")
        new = known
    elif keep_alias:
        raise TagEditRefused("--keep-alias needs content/tags.yml, where aliases are kept")
    posts, threads, pending = _retagged_posts(project, tree, old, new)
    writes.update(posts)
    if not writes:
        raise TagEditRefused(f"no tag '{old}' in content/tags.yml, in a published thread or in a submission")
    _commit(project, "tags-rename", old, editor, writes, to=new, threads=threads, submissions=pending)
    return (f"Renamed the tag '{old}' to '{new}' in {counted(threads, 'thread')} and "
            f"{counted(pending, 'submission')}" + (f", '{old}' kept as an alias." if keep_alias else "."))


def _retagged_posts(project: Project, tree: ContentTree, old: str, new: str) -> tuple[dict[str, str], int, int]:
    """The new text of every published thread and pending submission tagged ``old``, tagged ``new``
    instead, and how many of each."""
    from entraide.writing import edited_post_text

    writes: dict[str, str] = {}
    threads = 0
    for thread in tree.threads:
        if old in thread.fields.tags:
            fields = dataclasses.replace(thread.fields, tags=retagged(thread.fields.tags, old, new))
            original = thread.source.read_text(encoding="utf-8")
            writes[project.show(thread.source)] = edited_post_text(original, thread.fields, fields)
            threads += 1
    pending = 0
    for path, fields, original in _pending_threads(project):
        if old in fields.tags:
            new_fields = dataclasses.replace(fields, tags=retagged(fields.tags, old, new))
            writes[project.show(path)] = edited_post_text(original, fields, new_fields)
            pending += 1
    return writes, threads, pending


def _pending_threads(project: Project) -> list[tuple[Path, ThreadFields, str]]:
    """Readable new-thread submissions: their path, fields and text as written."""
    from entraide.moderation import submissions

    found = []
    for path in submissions.submission_paths(project):
        submission = submissions.read(path, project.root)
        if isinstance(submission.fields, ThreadFields):
            found.append((path, submission.fields, path.read_text(encoding="utf-8")))
    return found


def _file(project: Project) -> str:
    from entraide.loading.loader import TAGS_FILE

    return project.show(project.content_dir / TAGS_FILE)


def _current(project: Project) -> str:
    """tags.yml as it is; when there is none yet, one listing every tag published threads use, so
    that starting a vocabulary never makes a published thread invalid."""
    from entraide.loading.loader import TAGS_FILE
    from entraide.moderation.decisions import published

    path = project.content_dir / TAGS_FILE
    if path.is_file():
        return path.read_text(encoding="utf-8")
    text = HEADER
    for tag in sorted({tag for thread in published(project).threads for tag in thread.fields.tags}, key=slugify):
        text = with_tag(text, tag)
    return text


def _commit(project: Project, action: str, target: str, editor: str, writes: dict[str, str], **details: Any) -> None:
    from entraide.moderation import journal
    from entraide.moderation.decisions import log_entry

    if (tags_file := _file(project)) in writes:
        vocabulary_of(writes[tags_file])
    journal.run(project, journal.Operation(entry=log_entry(action, target, editor, **details), writes=writes))
