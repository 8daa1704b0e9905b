"""Pages from Jinja2 templates with every value escaped, sent with strict security headers.

The templates live in the project's ``templates/intake/`` (beside the site's page templates) so a
community can reword them; autoescape is on for all of them, so nothing a person types is ever
read as HTML. Every response, error pages included, carries a Content-Security-Policy allowing
only this host's own stylesheet and script: no page of the intake loads anything from elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entraide.errors import EntraideError

FOLDER = "intake"

SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "cache-control": "no-store",
}


def environment(templates_dir: Path) -> jinja2.Environment:
    folder = templates_dir / FOLDER
    if not (folder / "form.html").is_file():
        raise EntraideError(f"{folder}: the intake's templates are missing (form.html, receipt.html, message.html)")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page(env: jinja2.Environment, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(env.get_template(name).render(**context), status_code=status)


class SecurityHeaders:
    """ASGI middleware: the headers above on every response, whatever produced it."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _value in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
