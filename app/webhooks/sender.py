"""Deliver one webhook attempt, never to an address the policy forbids.

The host is resolved for each new connection, each address is checked against
app.webhooks.targets.is_forbidden_address, and the socket is opened to that same
vetted IP: there is no second lookup a rebinding DNS server could answer
differently. TLS still verifies the URL's host name (as SNI and server_hostname).

The HTTP/1.1 exchange is written here, on the socket, not by an HTTP client: an
attempt is one POST whose headers are all ours, and of its answer only the status
(and a redirect's Location) matters. httpcore and h11 cost about ten times the CPU
of the exchange itself (bench/README.md, "Webhooks"), which a worker beside the API
takes from the API. Nothing here follows a redirect or reads proxy settings from
the environment (a proxy would make the connection to an address nobody checked).
A connection is kept for the next attempt only when its answer was read to its end
by its own framing (Content-Length or chunked, HTTP/1.1, no `Connection: close`);
after any other answer it is closed.
"""

from __future__ import annotations

import functools
import logging
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import urlsplit

import certifi

from app.webhooks.targets import check_target_url, is_forbidden_address

log = logging.getLogger(__name__)

BODY_CAP = 64 * 1024
"""An answer's body is read this far to reuse its connection; a longer one closes it."""
HEAD_CAP = 64 * 1024
"""The longest status line and headers an answer may have."""
KEEPALIVE_S = 30.0
"""How long an idle connection is kept for the next attempt to its target."""
MAX_IDLE = 20
"""The most idle connections one sender keeps, over all its targets."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9]{2})(?: [^\r\n]*)?")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e]*")

# getaddrinfo takes no timeout; a lookup that hangs must not hold the attempt past
# its deadline, so it runs here and is waited for only as long as the deadline allows.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-dns")


@dataclass(frozen=True)
class Attempt:
    """What one delivery attempt came to, as the delivery log shows it."""

    status_code: int | None  # None when no response arrived
    latency_ms: float
    error: str | None  # None when the receiver answered and status_code says it all

    @property
    def ok(self) -> bool:
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300


class _Refused(Exception):
    """An attempt given up before or while connecting; the message is for the log."""


class _Malformed(Exception):
    """An answer that is not HTTP/1.x; the message is for the log."""


def _time_left(deadline: float) -> float:
    """The time an operation may take: what the attempt has left."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    host_header: str


@functools.lru_cache(maxsize=1024)
def _target(url: str) -> _Target:
    """The URL checked and split, once per URL (a ValueError is not cached)."""
    check_target_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        is_ipv6 = ip_address(host.split("%")[0]).version == 6
    except ValueError:
        is_ipv6 = False
    host_header = f"[{host}]" if is_ipv6 else host
    if parts.port is not None and parts.port != _DEFAULT_PORTS[parts.scheme]:
        host_header += f":{parts.port}"
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    return _Target(parts.scheme, host, port, path, host_header)


def _request(target: _Target, headers: Mapping[str, str], body: bytes) -> bytes:
    lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.host_header}"]
    for name, value in headers.items():
        # Ours, but a line break in one would be a header (or a request) of its own.
        if not _TOKEN.fullmatch(name) or not _FIELD_VALUE.fullmatch(value):
            raise ValueError(f"invalid header {name!r}")
        lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + body


class _Connection:
    """One socket to one vetted address, and what was read from it but not used."""

    __slots__ = ("sock", "buffer", "idle_since")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.idle_since = 0.0

    def close(self) -> None:
        self.sock.close()

    def stale(self) -> bool:
        """Whether the receiver closed it (or sent something unasked) while it was idle."""
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        poller = select.poll()
        poller.register(self.sock, select.POLLIN)
        return bool(poller.poll(0))

    def write(self, data: bytes, deadline: float) -> None:
        self.sock.settimeout(_time_left(deadline))  # sendall: for the whole of it
        self.sock.sendall(data)

    def fill(self, deadline: float) -> bool:
        """Read what has arrived; False at the end of the stream."""
        self.sock.settimeout(_time_left(deadline))
        data = self.sock.recv(65536)
        self.buffer += data
        return bool(data)

    def read_until(self, marker: bytes, cap: int, deadline: float) -> bytes:
        start = 0
        while (end := self.buffer.find(marker, start)) < 0:
            if len(self.buffer) > cap:
                raise _Malformed("headers too long")
            start = max(0, len(self.buffer) - len(marker) + 1)
            if not self.fill(deadline):
                raise _Malformed("the receiver closed the connection mid-answer")
        if end > cap:
            raise _Malformed("headers too long")
        out = bytes(self.buffer[:end])
        del self.buffer[: end + len(marker)]
        return out

    def take(self, size: int, deadline: float) -> bytes:
        while len(self.buffer) < size:
            if not self.fill(deadline):
                raise _Malformed("the receiver closed the connection mid-answer")
        out = bytes(self.buffer[:size])
        del self.buffer[:size]
        return out


def _exchange(conn: _Connection, request: bytes, deadline: float) -> tuple[int, bytes, bool]:
    """Send the request, read the answer: its status, its Location (or b""), and
    whether the connection may carry the next request."""
    conn.write(request, deadline)
    while True:
        head = conn.read_until(b"\r\n\r\n", HEAD_CAP, deadline)
        status_line, *lines = head.split(b"\r\n")
        if not (match := _STATUS_LINE.fullmatch(status_line)):
            raise _Malformed(f"status line {status_line[:100]!r}")
        status = int(match[2])
        if status == 101:
            raise _Malformed("switching protocols, unasked")
        if status >= 200:
            break  # an interim answer (100 Continue, 103 Early Hints) is skipped
    fields: dict[bytes, list[bytes]] = {}
    for line in lines:
        name, colon, value = line.partition(b":")
        if not colon or not name or name != name.strip():
            raise _Malformed(f"header line {line[:100]!r}")
        fields.setdefault(name.lower(), []).append(value.strip(b" \t"))
    location = fields.get(b"location", [b""])[0]
    if match[1] != b"1" or b"close" in _tokens(fields.get(b"connection")):
        return status, location, False  # closed after this answer: its body is not read
    return status, location, _read_body(conn, status, fields, deadline)


def _read_body(
    conn: _Connection, status: int, fields: dict[bytes, list[bytes]], deadline: float
) -> bool:
    """Read the answer's body to its end, as its framing says; whether the connection
    is then ready for the next request (False: the body is left unread, and it is
    closed)."""
    if status in (204, 304):
        pass  # no body
    elif b"transfer-encoding" in fields:
        if _tokens(fields[b"transfer-encoding"])[-1:] != [b"chunked"]:
            return False  # its body ends when the connection does
        if not _read_chunked(conn, deadline):
            return False
    elif b"content-length" in fields:
        lengths = set(_tokens(fields[b"content-length"]))
        if len(lengths) != 1 or not (length := lengths.pop()).isdigit():
            raise _Malformed("bad Content-Length")
        if int(length) > BODY_CAP:
            return False
        conn.take(int(length), deadline)
    else:
        return False  # its body ends when the connection does
    return not conn.buffer  # anything past the answer's end is not HTTP


def _read_chunked(conn: _Connection, deadline: float) -> bool:
    """Read a chunked body to its end; False if it outgrew the cap first."""
    read = 0
    while True:
        size_line = conn.read_until(b"\r\n", 1024, deadline)
        try:
            size = int(size_line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise _Malformed(f"chunk size {size_line[:100]!r}") from None
        if size == 0:
            while conn.read_until(b"\r\n", HEAD_CAP, deadline):
                pass  # trailer fields, up to the blank line
            return True
        read += size
        if read > BODY_CAP:
            return False
        if conn.take(size + 2, deadline)[-2:] != b"\r\n":
            raise _Malformed("chunk longer than its size")


def _tokens(values: list[bytes] | None) -> list[bytes]:
    return [t.strip().lower() for v in values or () for t in v.split(b",") if t.strip()]


def _resolve(host: str, port: int, deadline: float) -> list[str]:
    """The host's addresses (an IP literal gives itself), in getaddrinfo's order."""
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=_time_left(deadline))
    except FutureTimeout:
        raise TimeoutError from None
    except (socket.gaierror, UnicodeError):
        raise _Refused(f"could not resolve {host}") from None
    addresses: list[str] = []
    for *_, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _Refused(f"could not resolve {host}")
    return addresses


def _default_ssl_context() -> ssl.SSLContext:
    """The system's trust store and certifi's, as httpx trusts them."""
    context = ssl.create_default_context()
    context.load_verify_locations(certifi.where())
    return context


class Sender:
    """Delivers attempts, keeping connections alive between them.

    Thread-safe: any number of threads may call send at once, each on a connection of
    its own. Each kept connection was vetted when it was opened, so reusing it is as
    safe as the first request.
    """

    def __init__(self, *, allow_private: bool, ssl_context: ssl.SSLContext | None = None) -> None:
        self._allow_private = allow_private
        self._ssl_context = ssl_context
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._idle_count = 0
        self._lock = threading.Lock()

    def send(self, url: str, body: bytes, headers: Mapping[str, str], *, timeout: float) -> Attempt:
        """POST body to url: one attempt, over within about `timeout` seconds, whatever
        the receiver does. Never raises for anything the network or receiver does."""
        started = time.monotonic()
        deadline = started + timeout

        def attempt(status: int | None, error: str | None) -> Attempt:
            return Attempt(status, round((time.monotonic() - started) * 1000, 1), error)

        try:
            target = _target(url)
        except ValueError as exc:
            return attempt(None, f"invalid URL: {exc}")
        request = _request(target, headers, body)
        key = (target.scheme, target.host, target.port)
        conn: _Connection | None = None
        keep = False
        try:
            conn = self._take(key) or self._connect(target, deadline)
            status, location, keep = _exchange(conn, request, deadline)
        except TimeoutError:
            return attempt(None, f"timed out after {timeout:g} s")
        except _Refused as exc:
            return attempt(None, str(exc))
        except _Malformed as exc:
            return attempt(None, f"invalid HTTP response: {exc}")
        except OSError as exc:
            return attempt(None, _describe(exc))
        except Exception:
            log.exception("webhook attempt to %s failed unexpectedly", url)
            return attempt(None, "internal error while sending (see the server log)")
        finally:
            if conn is not None:
                if keep:
                    self._give(key, conn)
                else:
                    conn.close()
        if 300 <= status < 400:
            where = f" (to {location[:200].decode('latin-1')})" if location else ""
            return attempt(status, f"redirect not followed{where}")
        return attempt(status, None)

    def _take(self, key: tuple[str, str, int]) -> _Connection | None:
        """A kept connection to this target, if one is still good."""
        now = time.monotonic()
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                conn = idle.pop()
                self._idle_count -= 1
            if now - conn.idle_since < KEEPALIVE_S and not conn.stale():
                return conn
            conn.close()

    def _give(self, key: tuple[str, str, int], conn: _Connection) -> None:
        conn.idle_since = time.monotonic()
        with self._lock:
            if self._idle_count < MAX_IDLE:
                self._idle.setdefault(key, []).append(conn)
                self._idle_count += 1
                return
        conn.close()

    def _connect(self, target: _Target, deadline: float) -> _Connection:
        addresses = _resolve(target.host, target.port, deadline)
        allowed = [a for a in addresses if self._allow_private or not is_forbidden_address(a)]
        if not allowed:
            first = addresses[0]
            reason = is_forbidden_address(first)
            if first == target.host.split("%")[0]:
                raise _Refused(f"address {first} is {reason}")
            raise _Refused(f"{target.host} resolves to {first}, which is {reason}")
        error: OSError | None = None
        for address in allowed:
            try:
                # An IP literal: create_connection cannot resolve it to anything else.
                sock = socket.create_connection((address, target.port), _time_left(deadline))
            except TimeoutError:
                raise
            except OSError as exc:
                error = exc  # try the host's next address, as create_connection would
                continue
            break
        else:
            assert error is not None
            raise error
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if target.scheme == "https":
                if self._ssl_context is None:
                    self._ssl_context = _default_ssl_context()
                sock.settimeout(_time_left(deadline))  # the handshake
                sock = self._ssl_context.wrap_socket(sock, server_hostname=target.host)
        except BaseException:
            sock.close()
            raise
        return _Connection(sock)

    def close(self) -> None:
        """Close the kept-alive connections; the sender stays usable."""
        with self._lock:
            idle, self._idle, self._idle_count = self._idle, {}, 0
        for conns in idle.values():
            for conn in conns:
                conn.close()


def _describe(exc: OSError) -> str:
    """A line an admin can act on, from the OS error."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate rejected: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by the receiver"
    if exc.strerror:
        return f"network error: {exc.strerror.lower()}"
    return f"network error: {exc or type(exc).__name__}"


_senders = {flag: Sender(allow_private=flag) for flag in (False, True)}


def send(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    timeout: float,
    allow_private: bool,
) -> Attempt:
    """One attempt through the process-wide sender for this allow_private setting."""
    return _senders[allow_private].send(url, body, headers, timeout=timeout)


def close_connections() -> None:
    """Close the process-wide senders' kept-alive connections (at shutdown)."""
    for sender in _senders.values():
        sender.close()
