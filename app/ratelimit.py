"""Rate limits per API key and per client address, told in the RateLimit fields.

A request to /v1 counts against its API key when it carries a live one, and
against its client address otherwise: the ASGI scope's client, which is what
uvicorn's proxy_headers made of X-Forwarded-For behind a trusted proxy. Past
the quota it is answered 429 with Retry-After. Every answer carries the fields
of draft-ietf-httpapi-ratelimit-headers-10:

    RateLimit-Policy: "key";q=600;w=60
    RateLimit: "key";r=42;t=17

Windows are fixed, as limits' fixed-window strategy keeps them: a client's
first request starts one, rate_limit_window_s long, and every request in it
counts, refused ones too. On SQLite one process counts in its memory (limits'
MemoryStorage); on PostgreSQL every process counts in the rate_limit_window
table, one statement a request, so they all share each client's budget.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import Protocol

import psycopg
from fastapi import FastAPI
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as ConnectionPoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db import read_in_session
from app.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_S, problem
from app.services.keys import authenticate
from app.settings import Settings

log = logging.getLogger("claimdesk")

LIMITED_PREFIX = "/v1/"
"""What is limited: the API. /healthz, /docs, /redoc and /openapi.json are not."""

POOL_SIZE = 4
"""PostgreSQL: connections each process keeps for the counts, at most."""

WAIT_S = 5.0
"""PostgreSQL: how long a request waits for one of them (then 503)."""

KEY_CACHE_S = 60.0
"""How long a token, once found to be a live key's, counts as that key unasked."""

KEY_CACHE_SIZE = 10_000
"""Tokens remembered at most; past it, the one remembered first is forgotten."""

_DATABASE_ERRORS = (OperationalError, ConnectionPoolTimeout, psycopg.OperationalError)


@dataclass(frozen=True, slots=True)
class Policy:
    """A quota policy: its name in the RateLimit fields, and its quota per window."""

    name: str
    item: RateLimitItem

    @property
    def field(self) -> str:
        return f'"{self.name}";q={self.item.amount};w={self.item.get_expiry()}'


@dataclass(frozen=True, slots=True)
class Window:
    """Where a client stands once its request is counted."""

    allowed: bool
    remaining: int
    reset_s: int
    """Whole seconds until the window ends and the quota is whole again."""


class Counts(Protocol):
    """Where the requests are counted: in the process, or in the database."""

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window: ...

    async def close(self) -> None: ...


class MemoryCounts:
    """One process's counts, by limits' fixed-window strategy in its memory storage.

    The synchronous storage: a hit costs microseconds on the event loop, where
    the asynchronous one sweeps every key on each hit.
    """

    def __init__(self) -> None:
        self._limiter = FixedWindowRateLimiter(MemoryStorage())

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window:
        allowed = self._limiter.hit(item, *identifiers)
        reset_at, remaining = self._limiter.get_window_stats(item, *identifiers)
        return Window(allowed, remaining, _whole_seconds(reset_at - time.time()))

    async def close(self) -> None:
        pass


# A window past its end starts again at this hit. The database's clock decides,
# so processes on several machines agree on when a window ends.
_HIT = """
INSERT INTO rate_limit_window AS w (key, hits, resets_at)
VALUES (%(key)s, 1, now() + make_interval(secs => %(window_s)s))
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN w.resets_at > now() THEN w.hits + 1 ELSE 1 END,
    resets_at = CASE WHEN w.resets_at > now() THEN w.resets_at ELSE excluded.resets_at END
RETURNING hits, extract(epoch FROM resets_at - now())::float8
"""
_SWEEP = "DELETE FROM rate_limit_window WHERE resets_at <= now()"


class DatabaseCounts:
    """The counts every process on one PostgreSQL database shares, in the same
    fixed windows: one upsert a request, through a small pool of psycopg's async
    driver in autocommit (no thread, no transaction). limits' strategy would
    read the window back in two more statements, each costing what the upsert does.
    """

    def __init__(self, url: str) -> None:
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool = AsyncConnectionPool(
            conninfo, min_size=1, max_size=POOL_SIZE, open=False, kwargs={"autocommit": True}
        )
        self._sweep_at = 0.0

    async def hit(self, item: RateLimitItem, *identifiers: str) -> Window:
        if self._pool.closed:
            await self._pool.open(wait=False)  # connects in the background
        window_s = item.get_expiry()
        async with self._pool.connection(timeout=WAIT_S) as conn:
            cursor = await conn.execute(
                _HIT, {"key": item.key_for(*identifiers), "window_s": window_s}
            )
            row = await cursor.fetchone()
            assert row is not None  # an upsert returns its row
            hits, reset_s = row
            # Windows that ended stay until a hit reuses them; once a window, this
            # process deletes them, so the table holds the clients of one window.
            if (now := time.monotonic()) >= self._sweep_at:
                self._sweep_at = now + window_s
                await conn.execute(_SWEEP)
        return Window(hits <= item.amount, max(item.amount - hits, 0), _whole_seconds(reset_s))

    async def close(self) -> None:
        await self._pool.close()


def _whole_seconds(seconds: float) -> int:
    return max(math.ceil(seconds), 0)


class LiveKeys:
    """The public id of a token's key, when it is a live key's: the budget is the
    key's only then, or anyone could send a made-up id for a fresh budget each
    time. Found in the database once per KEY_CACHE_S; a token that is no key's
    is asked again each time (and counts against its address)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._ids: dict[bytes, tuple[str, float]] = {}

    async def public_id(self, token: str) -> str | None:
        # Remembered by the token's hash, as the database keeps the secret's: not in clear.
        digest = hashlib.sha256(token.encode()).digest()
        now = time.monotonic()
        cached = self._ids.get(digest)
        if cached is not None and cached[1] > now:
            return cached[0]
        key = await run_in_threadpool(read_in_session, self._engine, authenticate, token=token)
        if key is None:
            self._ids.pop(digest, None)
            return None
        if len(self._ids) >= KEY_CACHE_SIZE:
            del self._ids[next(iter(self._ids))]  # the oldest
        self._ids[digest] = (key.public_id, now + KEY_CACHE_S)
        return key.public_id


def _bearer(scope: Scope) -> str | None:
    scheme, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def client_address(scope: Scope) -> str:
    """The client's address; for IPv6 its /64, which one client usually holds whole."""
    client = scope.get("client")
    if not client:
        return "unknown"
    try:
        address = ipaddress.ip_address(client[0])
    except ValueError:  # not an IP address: a Unix socket's peer, say
        return str(client[0])
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimits:
    """Counts every request to the API; answers 429 past the quota, and adds the
    RateLimit fields to every answer, whatever its status."""

    def __init__(self, app: ASGIApp, settings: Settings, counts: Counts, engine: Engine) -> None:
        self.app = app
        self.counts = counts
        self.keys = LiveKeys(engine)
        window_s = settings.rate_limit_window_s
        self.per_key = Policy(
            "key", RateLimitItemPerSecond(settings.rate_limit_key_quota, window_s)
        )
        self.per_address = Policy(
            "address", RateLimitItemPerSecond(settings.rate_limit_address_quota, window_s)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "").removeprefix(scope.get("root_path", ""))
        if scope["type"] != "http" or not path.startswith(LIMITED_PREFIX):
            await self.app(scope, receive, send)
            return
        try:
            policy, identity = await self._identify(scope)
            window = await self.counts.hit(policy.item, policy.name, identity)
        except _DATABASE_ERRORS as exc:
            log.warning("rate limits unavailable on %s %s: %s", scope["method"], path, exc)
            unavailable = problem(
                503, DATABASE_UNAVAILABLE, slug="database-unavailable",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )  # fmt: skip
            await unavailable(scope, receive, send)
            return
        fields = {
            "RateLimit-Policy": policy.field,
            "RateLimit": f'"{policy.name}";r={window.remaining};t={window.reset_s}',
        }
        if not window.allowed:
            await self._refuse(policy, window, fields)(scope, receive, send)
            return

        async def send_with_fields(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in fields.items():
                    headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_fields)

    async def _identify(self, scope: Scope) -> tuple[Policy, str]:
        token = _bearer(scope)
        if token is not None and (public_id := await self.keys.public_id(token)) is not None:
            return self.per_key, public_id
        return self.per_address, client_address(scope)

    def _refuse(self, policy: Policy, window: Window, fields: dict[str, str]) -> ASGIApp:
        # Retry-After is never before the reset the RateLimit field announces.
        retry_after = max(window.reset_s, 1)
        whose = "for this API key" if policy is self.per_key else "from this address"
        return problem(
            429,
            f"More than {policy.item.amount} requests in {policy.item.get_expiry()} s {whose}; "
            f"send again in {retry_after} s.",
            slug="quota-exceeded",
            headers={**fields, "Retry-After": str(retry_after)},
            **{"violated-policies": [policy.name]},
        )


def install_rate_limits(app: FastAPI, settings: Settings) -> None:
    """Add the middleware when CLAIMDESK_RATE_LIMIT is on: counting in memory on
    SQLite, in the database on PostgreSQL. close_rate_limits closes it."""
    if not settings.rate_limit:
        return
    counts = MemoryCounts() if settings.is_sqlite else DatabaseCounts(settings.database_url)
    app.state.rate_limits = counts
    app.add_middleware(RateLimits, settings=settings, counts=counts, engine=app.state.engine)


async def close_rate_limits(app: FastAPI) -> None:
    """Close the counts' connections, if any; on the event loop that used them."""
    if (counts := getattr(app.state, "rate_limits", None)) is not None:
        await counts.close()
