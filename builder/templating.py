"""The Jinja2 environment of the generated pages.

Templates come from the site's ``templates/`` folder (so a community restyles its pages without
touching Python), always with autoescaping and strict undefined variables: a typo in a template is a
build error, not a silently empty page. User text reaches templates only through ``builder.views``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import PluginError

from builder.i18n import Translator


class Templates:
    def __init__(self, folder: Path, t: Translator):
        if not folder.is_dir():
            raise PluginError(f"entraide: the templates folder {folder} does not exist")
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(folder)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self.env.globals["t"] = t
        self.env.globals["lang"] = t.lang

    def render(self, name: str, view: Any, **extra: Any) -> str:
        try:
            return self.env.get_template(name).render(view=view, **extra)
        except jinja2.TemplateNotFound as error:
            raise PluginError(f"entraide: template '{error.name}' not found in templates/") from None
        except jinja2.TemplateError as error:
            lineno, filename = getattr(error, "lineno", None), getattr(error, "filename", None)
            where = f"{filename}:{lineno}: " if lineno else ""
            raise PluginError(f"entraide: template error: {where}{error}") from None
