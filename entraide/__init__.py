"""entraide: moderated discussions turned into a public, static, searchable knowledge base.

The core package holds the content model (``model``), its strict loading (``loading``), the
Markdown renderer that sanitises every post (``markup``), atomic file operations (``atomic``) and the
command-line interface (``cli``). The MkDocs plugin lives in the top-level ``builder`` package and
everything about the Whoosh index in ``search``.
"""

__version__ = "0.1.0"
