"""The MkDocs plugin that turns the content tree into themed pages (see ``builder.plugin``).

``routes`` decides where each page lives, ``views`` shapes the typed context each template gets,
``templating`` renders the Jinja2 templates of ``templates/``, ``i18n`` holds the interface strings,
and ``sitebuild`` is the atomic ``entraide build`` around ``mkdocs build``.
"""
