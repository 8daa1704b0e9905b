"""What entraide changes in MkDocs' own Jinja environment, the one Material's templates run in.

That environment does not autoescape: Material prints ``page.title``, nav titles, the site name and
page descriptions as they are. entraide hands MkDocs only escaped text (``builder.pages``,
``builder.plugin``), and two things here keep that text inert whatever a theme does with it:

* ``striptags`` is replaced by a version whose output is escaped again. Jinja's own filter unescapes
  entities after removing tags, so ``&lt;img onerror=…&gt;`` came out of it as a live ``<img>``; with
  any template, the class of "escaped text turned back into markup" is gone.
* ``entraide_csp()`` gives each page a strict Content-Security-Policy: scripts only from the site
  itself, plus the hashes of the inline scripts that Material's own partials render for that page
  (computed from the partials, never from the page), so a script that slipped into a page would
  still not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from builder.navcache import NavigationCache

MATERIAL_INLINE_SCRIPTS = (
    "partials/javascripts/base.html",
    "partials/javascripts/palette.html",
    "partials/javascripts/announce.html",
    "partials/javascripts/outdated.html",
    "partials/javascripts/content.html",
    "partials/javascripts/consent.html",
)
"""Material's partials that print inline scripts; only what these render is allowed inline."""

_INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_NON_SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?(?!text/javascript|module)[^"'\s>]""", re.IGNORECASE)


def safe_striptags(value: Any) -> Markup:
    """Jinja's ``striptags``, with its result escaped again instead of unescaped."""
    return escape(Markup(str(value)).striptags())


def script_hashes(html: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for the inline scripts a browser would run in ``html``."""
    hashes = []
    for attributes, body in _INLINE_SCRIPT.findall(html):
        if "src=" in (attributes or "").lower() or _NON_SCRIPT_TYPE.search(attributes or ""):
            continue  # an external script is covered by 'self'; a JSON block never runs
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


class ContentSecurityPolicy:
    """Builds each page's policy; one instance per build, cached by what the partials depend on."""

    def __init__(self, *, live_reload: bool = False):
        self.live_reload = live_reload
        self._cache: dict[tuple[str, str], str] = {}

    @jinja2.pass_context
    def for_page(self, context: jinja2.runtime.Context) -> str:
        """The policy of the page being rendered (``{{ entraide_csp() }}`` in a template)."""
        values = context.get_all()
        config = values.get("config") or {}
        extra = config.get("extra") or {}
        key = (str(values.get("base_url", "")), str(extra.get("scope", "")))
        if key not in self._cache:
            self._cache[key] = self._policy(context.environment, values)
        return self._cache[key]

    def _policy(self, env: jinja2.Environment, values: dict[str, Any]) -> str:
        if self.live_reload:
            # `mkdocs serve` injects its own inline reload script into every page, on this machine only.
            scripts = "'self' 'unsafe-inline'"
        else:
            hashes: list[str] = []
            for name in MATERIAL_INLINE_SCRIPTS:
                try:
                    rendered = env.get_template(name).render(values)
                except jinja2.TemplateError:
                    continue  # a theme without this partial prints no such script
                hashes += script_hashes(rendered)
            scripts = " ".join(["'self'", *sorted(set(hashes))])
        directives = [
            "default-src 'none'",
            f"script-src {scripts}",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "manifest-src 'self'",
            "worker-src 'self'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
        return "; ".join(directives)


@dataclass(frozen=True)
class Footer:
    """What every page's footer links to."""

    contribute: str
    """The intake form's address, or the site's Contribuer page (a site path)."""
    external: bool
    contact: str = ""
    """``mailto:`` or http(s) address of the editors, from the plugin's ``contact``."""


def contact_href(contact: str) -> str | None:
    """The link for the plugin's ``contact`` (an e-mail address or an http(s) address), ``None`` if neither."""
    value = contact.strip()
    if value.startswith(("https://", "http://")) and not any(c.isspace() or c in "\"<>" for c in value):
        return value
    if re.fullmatch(r"[^@\s\"<>:/]+@[^@\s\"<>:/]+\.[^@\s\"<>:/]+", value):
        return "mailto:" + value
    return None


def install(env: jinja2.Environment, policy: ContentSecurityPolicy, t: Any, footer: Footer) -> jinja2.Environment:
    """``t`` gives the theme's overrides (404, header, footer) entraide's interface strings; the navigation
    is rendered once per distinct state (``builder.navcache``)."""
    env.filters["striptags"] = safe_striptags
    env.globals["entraide_csp"] = policy.for_page
    env.globals["entraide_t"] = t
    env.globals["entraide_footer"] = footer
    env.globals["entraide_nav"] = NavigationCache(env).render
    return env
