"""The HTTP/1.1 protocol uvicorn serves the app with.

uvicorn answers a request its parser cannot read (a malformed request line or
header field, a Content-Length that is no number, a request target over 64 KiB)
itself, before the app sees it, and with text/plain. HttpProtocol answers those
with problem+json like every other error. Serve with
`uvicorn app.main:app --http app.server:HttpProtocol`; `claimdesk serve` does.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from app.errors import problem

HTTP_PROTOCOL = "app.server:HttpProtocol"
"""uvicorn's `--http` (or `http=`) value for this protocol."""


class HttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, the one it picks by default, with its own 400
    as a problem."""

    def send_400_response(self, msg: str) -> None:
        response = problem(
            400, "The request is not HTTP/1.1 the server can read.", slug="malformed-http"
        )
        headers = [
            *self.server_state.default_headers,
            *response.raw_headers,
            (b"connection", b"close"),
        ]
        head = [b"HTTP/1.1 400 Bad Request", *(name + b": " + value for name, value in headers)]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + response.body)
        self.transport.close()
