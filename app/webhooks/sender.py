"""Deliver one webhook attempt, never to an address the policy forbids.

The host is resolved inside the connection pool's network backend, each address is
checked against app.webhooks.targets.is_forbidden_address, and the socket is opened
to that same vetted IP: there is no second lookup a rebinding DNS server could answer
differently. TLS still verifies the URL's host name (httpcore passes it as SNI and
server_hostname). httpcore is used directly, below httpx, because it never follows
redirects and never reads proxy settings from the environment (a proxy would make
the connection to an address nobody checked).
"""

from __future__ import annotations

import logging
import socket
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import httpcore

from app.webhooks.targets import check_target_url, is_forbidden_address

log = logging.getLogger(__name__)

BODY_CAP = (
    64 * 1024
)  # the receiver's answer is read this far (to reuse the connection), then dropped
_DEFAULT_PORTS = {"http": 80, "https": 443}

# The monotonic time the current attempt must end by. A context variable because the
# pool does its I/O in the calling thread, on streams that outlive any one attempt.
_deadline: ContextVar[float | None] = ContextVar("webhook_deadline", default=None)

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


def _time_left(timeout: float | None = None) -> float:
    """The time an operation may take: no longer than the attempt has left."""
    deadline = _deadline.get()
    if deadline is None:
        if timeout is None:
            raise RuntimeError("webhook I/O outside an attempt")
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left if timeout is None else min(timeout, left)


@contextmanager
def _attempt_deadline(seconds: float) -> Iterator[None]:
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


class _DeadlineStream(httpcore.NetworkStream):
    """Every read, write and handshake bounded by the attempt's deadline, so a receiver
    that trickles one byte at a time cannot stretch the attempt."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _time_left(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self._inner.start_tls(ssl_context, server_hostname, _time_left(timeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _VettingBackend(httpcore.NetworkBackend):
    def __init__(self, *, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._tcp = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        allowed = [a for a in addresses if self._allow_private or not is_forbidden_address(a)]
        if not allowed:
            first = addresses[0]
            reason = is_forbidden_address(first)
            if first == host.split("%")[0]:
                raise _Refused(f"address {first} is {reason}")
            raise _Refused(f"{host} resolves to {first}, which is {reason}")
        error: httpcore.ConnectError | None = None
        for address in allowed:
            try:
                # An IP literal: create_connection cannot resolve it to anything else.
                stream = self._tcp.connect_tcp(
                    address, port, _time_left(timeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc  # try the host's next address, as create_connection would
                continue
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise _Refused("webhooks are not delivered over Unix sockets")


def _resolve(host: str, port: int) -> list[str]:
    """The host's addresses (an IP literal gives itself), in getaddrinfo's order."""
    lookup = _resolver.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = lookup.result(timeout=_time_left())
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


class Sender:
    """Delivers attempts over a pool of kept-alive connections.

    Thread-safe: any number of threads may call send at once. Each pooled connection
    was vetted when it was opened, so reusing it is as safe as the first request.
    """

    def __init__(
        self,
        *,
        allow_private: bool,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 100,
    ) -> None:
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=max_connections,
            max_keepalive_connections=20,
            keepalive_expiry=30.0,
            network_backend=_VettingBackend(allow_private=allow_private),
        )

    def send(self, url: str, body: bytes, headers: Mapping[str, str], *, timeout: float) -> Attempt:
        """POST body to url: one attempt, over within about `timeout` seconds, whatever
        the receiver does. Never raises for anything the network or receiver does."""
        started = time.monotonic()

        def attempt(status: int | None, error: str | None) -> Attempt:
            return Attempt(status, round((time.monotonic() - started) * 1000, 1), error)

        try:
            request_url, host_header = _request_target(url)
        except ValueError as exc:
            return attempt(None, f"invalid URL: {exc}")
        phases = {"connect": timeout, "read": timeout, "write": timeout, "pool": timeout}
        try:
            with (
                _attempt_deadline(timeout),
                self._pool.stream(
                    "POST",
                    request_url,
                    headers=[("Host", host_header), *headers.items()],
                    content=body,
                    extensions={"timeout": phases},
                ) as response,
            ):
                received = 0
                for chunk in response.iter_stream():
                    received += len(chunk)
                    if received >= BODY_CAP:
                        break
                status, answer_headers = response.status, response.headers
        except (TimeoutError, httpcore.TimeoutException):
            return attempt(None, f"timed out after {timeout:g} s")
        except _Refused as exc:
            return attempt(None, str(exc))
        except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
            return attempt(None, _describe(exc))
        except Exception:
            log.exception("webhook attempt to %s failed unexpectedly", url)
            return attempt(None, "internal error while sending (see the server log)")
        if 300 <= status < 400:
            location = next((v for k, v in answer_headers if k.lower() == b"location"), b"")
            where = f" (to {location[:200].decode('latin-1')})" if location else ""
            return attempt(status, f"redirect not followed{where}")
        return attempt(status, None)

    def close(self) -> None:
        """Close the kept-alive connections; the sender stays usable."""
        self._pool.close()


def _request_target(url: str) -> tuple[httpcore.URL, str]:
    check_target_url(url)
    parts = urlsplit(url)
    host = parts.hostname or ""
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        is_ipv6 = ip_address(host.split("%")[0]).version == 6
    except ValueError:
        is_ipv6 = False
    host_header = f"[{host}]" if is_ipv6 else host
    if parts.port is not None and parts.port != _DEFAULT_PORTS[parts.scheme]:
        host_header += f":{parts.port}"
    return httpcore.URL(scheme=parts.scheme, host=host, port=parts.port, target=target), host_header


def _describe(exc: Exception) -> str:
    """A line an admin can act on, from httpcore's error and the OS error under it."""
    # httpcore wraps the OS error as its first argument; the pool re-raises `from None`,
    # so __cause__ is gone by the time the error gets here.
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"TLS certificate rejected: {cause.verify_message}"
    if isinstance(cause, ssl.SSLError):
        return f"TLS handshake failed: {cause.reason or cause}"
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(cause, ConnectionResetError):
        return "connection reset by the receiver"
    if isinstance(cause, OSError) and cause.strerror:
        return f"network error: {cause.strerror.lower()}"
    if isinstance(exc, httpcore.RemoteProtocolError):
        return f"invalid HTTP response: {exc}"
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
