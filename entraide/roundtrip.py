"""The one round-trip YAML configuration for every edit of an editors' file (themes.yml, tags.yml).

Editors write these files by hand too, so an edit must change only what it changes: comments, key
order and quoting kept, the files' own indentation (two spaces, list items indented), and lines
folded at 120 columns rather than ruamel's 80, which would rewrap every long description.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML


def editor_yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 120
    return yaml


def loaded(text: str) -> Any:
    return editor_yaml().load(text)


def dumped(data: Any) -> str:
    out = io.StringIO()
    editor_yaml().dump(data, out)
    return out.getvalue()
