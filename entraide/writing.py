"""Writing posts back to disk: front matter that reads back exactly as it was meant.

Strings are always double-quoted (JSON's escapes are valid YAML), multi-line text is a literal block
with an explicit indentation, booleans are ``true``/``false`` and dates ISO: nothing is left for YAML
to guess. ``post_text`` checks that what it wrote loads back to the same fields, so a bug here can
never silently change a post.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime
from typing import Any

import frontmatter

from entraide.loading import postfile
from entraide.loading.schema import bind, field_specs


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {scalar(item)}" for key, item in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def emit(metadata: dict[str, Any]) -> str:
    """The YAML of a front matter, one key per line, in the given order."""
    lines = []
    for key, value in metadata.items():
        if value is None or value == () or value == []:
            continue
        if isinstance(value, str) and "\n" in value:
            block = "\n".join(f"  {line}" if line else "" for line in value.split("\n"))
            lines.append(f"{key}: |2-\n{block}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines)


class StrictYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, exporting with ``emit``."""

    def export(self, metadata: dict[str, object], **kwargs: object) -> str:
        return emit(dict(metadata))


def fields_metadata(fields: Any) -> dict[str, Any]:
    """A fields data class as front-matter values, in declaration order, defaults left out."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(fields):
        value = getattr(fields, field.name)
        default = field.default if field.default is not dataclasses.MISSING else None
        if value != default or field.metadata["spec"].required:
            values[field.name] = value
    return values


def post_text(fields: Any, body: str) -> str:
    """The full text of a post file for ``fields`` and ``body``; verified to read back identically."""
    post = frontmatter.Post(body.strip() + "\n", handler=StrictYAMLHandler(), **fields_metadata(fields))
    text = frontmatter.dumps(post) + "\n"
    raw = postfile.split(postfile.decode(text.encode("utf-8")))
    problems: list[str] = []
    again = bind(type(fields), raw.meta, lambda line, name, message: problems.append(f"{name}: {message}"))
    if problems or again != fields or raw.body != body.strip():
        raise ValueError(f"internal error: a post would not read back as written ({'; '.join(problems)})")
    assert set(fields_metadata(fields)) <= set(field_specs(type(fields)))
    return text


_TOP_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):")


def edited_post_text(original: str, old: Any, new: Any) -> str:
    """``original`` with only the front-matter keys that differ between ``old`` and ``new`` rewritten.

    Unchanged keys keep their lines (comments, quoting, order) and the body keeps its bytes, so an
    editor's change shows as a small diff. The result is verified to read back as ``new``.
    """
    lines = original.split("\n")
    if not lines or lines[0].strip() != "---":
        return post_text(new, postfile.split(postfile.decode(original.encode("utf-8"))).body)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        return post_text(new, postfile.split(postfile.decode(original.encode("utf-8"))).body)
    blocks: list[tuple[str | None, list[str]]] = []
    for line in lines[1:end]:
        match = _TOP_KEY.match(line)
        if match or not blocks:
            blocks.append((match.group(1) if match else None, [line]))
        else:
            blocks[-1][1].append(line)
    wanted = fields_metadata(new)
    kept: list[str] = []
    for key, block in blocks:
        if key is None or key not in field_specs(type(new)):
            kept += block  # comments stay as they were
            continue
        if key not in wanted:  # back to its default: dropped if it changed, kept as written if not
            if getattr(old, key) == getattr(new, key):
                kept += block
            continue
        same = getattr(old, key) == getattr(new, key)
        kept += block if same else emit({key: wanted[key]}).split("\n")
    present = {key for key, _block in blocks}
    for key, value in wanted.items():
        if key not in present:
            kept += emit({key: value}).split("\n")
    text = "\n".join(["---", *[line for line in kept if line is not None], *lines[end:]])
    raw = postfile.split(postfile.decode(text.encode("utf-8")))
    problems: list[str] = []
    again = bind(type(new), raw.meta, lambda line, name, message: problems.append(f"{name}: {message}"))
    if problems or again != new:
        raise ValueError(f"internal error: an edited post would not read back as meant ({'; '.join(problems)})")
    return text
