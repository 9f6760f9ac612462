"""Caps on requests' header fields and bodies, enforced before anything parses them."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem


class BodySizeLimit:
    """Answers 413 to a body over ``max_bytes``, whether or not it declares its length."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        # Read the body up to the cap, then hand the buffered body to the app.
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._reject(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            f"The request body is larger than {self.max_bytes} bytes.",
            slug="payload-too-large",
            limit=self.max_bytes,
        )
        await response(scope, receive, send)


class HeaderSizeLimit:
    """Answers 431 to a request whose header fields, names and values, take more than
    ``max_bytes``. The server has read them by then: this caps what the app takes,
    not what the server buffers."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = sum(len(name) + len(value) for name, value in scope["headers"])
            if size > self.max_bytes:
                response = problem(
                    431,
                    f"The request's header fields take {size} bytes; the limit is "
                    f"{self.max_bytes}.",
                    limit=self.max_bytes,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
