"""A cap on request bodies, applied before any parsing: 413 for a declared or a streamed excess.

A ``Content-Length`` over the cap is refused before a byte of the body is read; a body without one
(chunked) is counted as it streams, and ``BodyTooLarge`` stops the parser as soon as it goes over.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The body is over the cap; the app answers 413."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, too_large: ASGIApp):
        self.app, self.max_bytes, self.too_large = app, max_bytes, too_large

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self.too_large(scope, receive, send)
                    return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)
