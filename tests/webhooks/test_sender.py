"""One delivery attempt against a real HTTP receiver on loopback."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from app.webhooks import sender
from app.webhooks.sender import Sender, send

BODY = b'{"type":"claim.updated","id":42}'
HEADERS = {"content-type": "application/json", "webhook-id": "msg_1"}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    client: tuple[str, int]


@dataclass
class Receiver:
    port: int
    requests: list[Received] = field(default_factory=list)

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse can be seen

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        receiver.requests.append(
            Received(self.path, dict(self.headers.items()), body, self.client_address)
        )
        if self.path == "/ok":
            self.answer(204)
        elif self.path == "/fail":
            self.answer(500, b"boom")
        elif self.path == "/redirect":
            self.answer(302, location=receiver.url("/ok"))
        elif self.path == "/slow":
            time.sleep(3)
            self.answer(200)
        elif self.path == "/trickle":  # headers at once, then a byte every 0.1 s
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.1)
        elif self.path == "/endless":  # a body that never ends, as fast as it goes
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"y" * 16384
            while True:
                self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))

    def answer(self, status: int, body: bytes = b"", location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up mid-answer is what several tests do on purpose


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    yield from _serve(None)


def _serve(tls: ssl.SSLContext | None) -> Iterator[Receiver]:
    server = QuietServer(("127.0.0.1", 0), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.receiver = Receiver(server.server_address[1])  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.receiver  # type: ignore[attr-defined]
    sender.close_connections()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names to answer with the given addresses, one answer per lookup, in turn;
    every other name (and every IP literal) resolves as usual."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            address = answers[host].pop(0)
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_delivers_body_and_headers_to_an_allowed_private_receiver(receiver: Receiver) -> None:
    attempt = send(receiver.url("/ok"), BODY, HEADERS, timeout=5, allow_private=True)

    assert (attempt.status_code, attempt.error, attempt.ok) == (204, None, True)
    assert 0 < attempt.latency_ms < 5000
    [got] = receiver.requests
    assert got.body == BODY
    assert got.headers["webhook-id"] == "msg_1"
    assert got.headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert got.headers["Content-Length"] == str(len(BODY))


def test_refuses_loopback_unless_private_addresses_are_allowed(receiver: Receiver) -> None:
    attempt = send(receiver.url("/ok"), BODY, HEADERS, timeout=5, allow_private=False)

    assert attempt == sender.Attempt(None, attempt.latency_ms, "address 127.0.0.1 is loopback")
    assert not attempt.ok
    assert receiver.requests == []


def test_refuses_a_host_name_that_resolves_to_loopback(receiver: Receiver) -> None:
    url = receiver.url("/ok", host="localhost")
    attempt = send(url, BODY, HEADERS, timeout=5, allow_private=False)

    assert attempt.error is not None
    assert attempt.error.startswith("localhost resolves to ")
    assert attempt.error.endswith("which is loopback")
    assert receiver.requests == []


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # 127.0.0.1 as one number: what the OS resolves, not what it looks like
        "127.1",
        "0.0.0.0",  # reaches the local machine on Linux
        "[::ffff:127.0.0.1]",
    ],
)
def test_refuses_ip_literals_by_the_address_they_reach(receiver: Receiver, host: str) -> None:
    attempt = send(receiver.url("/ok", host=host), BODY, HEADERS, timeout=5, allow_private=False)

    assert attempt.error is not None
    assert "loopback" in attempt.error or "unspecified" in attempt.error
    assert receiver.requests == []


def test_a_rebinding_name_never_reaches_the_private_address(
    receiver: Receiver, fake_dns: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The attacker's DNS answers a public address first, loopback after: a sender that
    # checked one lookup and connected by another would reach the receiver.
    fake_dns["rebind.example"] = ["8.8.8.8", "127.0.0.1", "127.0.0.1"]
    connected: list[tuple[str, int]] = []
    real_connect = socket.create_connection

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        connected.append(address)
        if address[0] == "8.8.8.8":  # stands in for the public host; nothing leaves the machine
            raise ConnectionRefusedError
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    url = receiver.url("/ok", host="rebind.example")

    first = send(url, BODY, HEADERS, timeout=5, allow_private=False)
    assert first.error == "connection refused"
    assert connected == [("8.8.8.8", receiver.port)]
    assert fake_dns["rebind.example"] == ["127.0.0.1", "127.0.0.1"], "one lookup per attempt"

    second = send(url, BODY, HEADERS, timeout=5, allow_private=False)
    assert second.error == "rebind.example resolves to 127.0.0.1, which is loopback"
    assert connected == [("8.8.8.8", receiver.port)]
    assert receiver.requests == []


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    attempt = send(receiver.url("/redirect"), BODY, HEADERS, timeout=5, allow_private=True)

    assert attempt.status_code == 302
    assert not attempt.ok
    assert attempt.error == f"redirect not followed (to {receiver.url('/ok')})"
    assert [r.path for r in receiver.requests] == ["/redirect"]


def test_a_server_error_is_a_failed_attempt_with_its_status(receiver: Receiver) -> None:
    attempt = send(receiver.url("/fail"), BODY, HEADERS, timeout=5, allow_private=True)

    assert (attempt.status_code, attempt.error, attempt.ok) == (500, None, False)


def test_a_slow_receiver_times_out_within_about_the_timeout(receiver: Receiver) -> None:
    started = time.monotonic()
    attempt = send(receiver.url("/slow"), BODY, HEADERS, timeout=0.5, allow_private=True)
    elapsed = time.monotonic() - started

    assert attempt.error == "timed out after 0.5 s"
    assert (attempt.status_code, attempt.ok) == (None, False)
    assert 0.45 < elapsed < 1.5
    assert 450 < attempt.latency_ms < 1500


def test_the_timeout_bounds_the_whole_attempt_not_each_read(receiver: Receiver) -> None:
    # Every byte arrives well within the timeout; the answer as a whole takes 10 s.
    started = time.monotonic()
    attempt = send(receiver.url("/trickle"), BODY, HEADERS, timeout=1, allow_private=True)

    assert attempt.error == "timed out after 1 s"
    assert time.monotonic() - started < 1.5


def test_an_endless_answer_is_read_only_up_to_the_cap(receiver: Receiver) -> None:
    # Reading it all would run into the timeout; stopping at the cap is a quick success.
    started = time.monotonic()
    attempt = send(receiver.url("/endless"), BODY, HEADERS, timeout=5, allow_private=True)

    assert (attempt.status_code, attempt.error) == (200, None)
    assert time.monotonic() - started < 2


def test_connections_are_reused_across_attempts(receiver: Receiver) -> None:
    for _ in range(3):
        assert send(receiver.url("/ok"), BODY, HEADERS, timeout=5, allow_private=True).ok

    assert len({r.client for r in receiver.requests}) == 1


def test_a_closed_port_is_connection_refused() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    attempt = send(f"http://127.0.0.1:{port}/", BODY, HEADERS, timeout=5, allow_private=True)

    assert (attempt.status_code, attempt.error) == (None, "connection refused")


def test_an_unresolvable_name_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    attempt = send("https://nowhere.example/", BODY, HEADERS, timeout=5, allow_private=False)

    assert attempt.error == "could not resolve nowhere.example"


def test_a_hanging_lookup_is_bounded_by_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    def getaddrinfo(*args: Any, **kwargs: Any) -> Any:
        time.sleep(2)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    started = time.monotonic()
    attempt = send("https://slow-dns.example/", BODY, HEADERS, timeout=0.3, allow_private=False)

    assert attempt.error == "timed out after 0.3 s"
    assert time.monotonic() - started < 0.8


def test_an_invalid_url_is_an_error_not_an_exception() -> None:
    attempt = send("ftp://files.example/", BODY, HEADERS, timeout=5, allow_private=True)

    assert attempt.error is not None and attempt.error.startswith("invalid URL: ")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for the name hooks.test only (not for 127.0.0.1)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=hooks.test", "-addext", "subjectAltName=DNS:hooks.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_receiver(certificate: tuple[Path, Path]) -> Iterator[Receiver]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    yield from _serve(context)


def test_tls_verifies_the_url_host_name_not_the_address_connected_to(
    tls_receiver: Receiver, certificate: tuple[Path, Path], fake_dns: dict[str, list[str]]
) -> None:
    trusting_it = ssl.create_default_context(cafile=str(certificate[0]))
    trusting = Sender(allow_private=True, ssl_context=trusting_it)
    fake_dns["hooks.test"] = ["127.0.0.1"]
    try:
        by_name_url = tls_receiver.url("/ok", host="hooks.test", scheme="https")
        by_name = trusting.send(by_name_url, BODY, HEADERS, timeout=5)
        by_address_url = tls_receiver.url("/ok", scheme="https")
        by_address = trusting.send(by_address_url, BODY, HEADERS, timeout=5)
    finally:
        trusting.close()

    assert (by_name.status_code, by_name.error) == (204, None)
    assert by_address.error is not None and "TLS certificate rejected" in by_address.error
    assert [r.headers["Host"] for r in tls_receiver.requests] == [f"hooks.test:{tls_receiver.port}"]


def test_tls_to_an_untrusted_certificate_fails(
    tls_receiver: Receiver, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["hooks.test"] = ["127.0.0.1"]
    url = tls_receiver.url("/ok", host="hooks.test", scheme="https")
    attempt = send(url, BODY, HEADERS, timeout=5, allow_private=True)

    assert attempt.error is not None and "TLS certificate rejected" in attempt.error
    assert tls_receiver.requests == []
