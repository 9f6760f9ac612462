"""A webhook receiver on loopback that verifies every delivery with the official
standardwebhooks library, as a subscriber's endpoint would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Receiver:
    port: int
    secret: str = ""
    status: int = 204
    """What it answers; set it to 500 to fail, 503 to be "down"."""
    hold: threading.Event | None = None
    """When set to an unset event, requests wait for it before they are answered."""
    verified: list[dict[str, Any]] = field(default_factory=list)
    """The payloads that passed verification, in the order they arrived."""
    ids: list[str] = field(default_factory=list)
    unsigned: int = 0
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def received(self, body: bytes, headers: dict[str, str]) -> int:
        self.arrived.set()
        if self.hold is not None:
            self.hold.wait(30)
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            with self.lock:
                self.unsigned += 1
            return 401
        if self.status < 300:
            with self.lock:
                self.verified.append(payload)
                self.ids.append(headers["webhook-id"])
        return self.status

    def once(self) -> list[dict[str, Any]]:
        """The payloads by their first arrival: a delivery retried after an attempt
        that reached the receiver but failed (a timeout) arrives twice."""
        firsts: dict[str, dict[str, Any]] = {}
        with self.lock:
            for msg_id, payload in zip(self.ids, self.verified, strict=True):
                firsts.setdefault(msg_id, payload)
        return list(firsts.values())

    def change_ids(self) -> list[int]:
        with self.lock:
            return [p["data"]["id"] for p in self.verified]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        status = receiver.received(body, dict(self.headers.items()))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@contextmanager
def receiving() -> Iterator[Receiver]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    receiver = Receiver(port=server.server_address[1])
    server.receiver = receiver  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        if receiver.hold is not None:
            receiver.hold.set()
        server.shutdown()
        server.server_close()
