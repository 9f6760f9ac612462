"""Where the claim reads run, and the statements they run, compiled once.

Per execution, SQLAlchemy's cache lookup, execution context and Row objects
cost more than the database takes to find a page of claims, and a hop to a
worker thread costs more again. So a claim read is a `CompiledSelect` run on
the driver's cursor, wherever suits the database (`Readers`):

- inside a session's transaction (what the writes and the CLI use);
- SQLite: on the event loop, on a connection kept for it, when an index bounds
  the read to a few hundred microseconds; in a worker thread when it may scan;
- PostgreSQL: on the event loop through psycopg's async driver (`AsyncPool`),
  which waits on the network without a thread.

Errors of the drivers come out as SQLAlchemy's (`DBAPIError.instance`), as
they would from a session.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from fastapi.concurrency import run_in_threadpool
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Engine, Select, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import PoolProxiedConnection
from sqlmodel import Session

Rows = Sequence[Sequence[Any]]

WAIT_S = 5.0
"""How long a PostgreSQL read waits for a connection of the async pool."""


@dataclass(frozen=True, slots=True)
class CompiledSelect:
    """A Core select compiled once for a dialect. Its types still convert the
    parameters; the rows come back as the driver gives them."""

    sql: str
    order: tuple[str, ...] | None  # parameter names in order, for positional drivers
    defaults: Mapping[str, Any]
    binds: Mapping[str, Callable[[Any], Any]]

    @classmethod
    def of(cls, statement: Select[Any], dialect: Dialect) -> CompiledSelect:
        compiled = statement.compile(dialect=dialect)
        binds = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                binds[name] = process
        return cls(
            sql=compiled.string,
            order=tuple(compiled.positiontup) if compiled.positiontup is not None else None,
            defaults={name: bind.value for bind, name in compiled.bind_names.items()},
            binds=binds,
        )

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters for ``sql``: converted by their types, in order."""
        values = {**self.defaults, **params}
        for name, process in self.binds.items():
            if values[name] is not None:
                values[name] = process(values[name])
        return tuple(values[name] for name in self.order) if self.order is not None else values


def _fetch(dbapi_connection: Any, query: CompiledSelect, params: Mapping[str, Any]) -> Rows:
    args = query.arguments(params)
    with _as_sqlalchemy_errors(query.sql, args):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(query.sql, args)
            rows: Rows = cursor.fetchall()
            return rows
        finally:
            cursor.close()


@contextmanager
def _as_sqlalchemy_errors(sql: str, args: Any) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, psycopg.Error) as exc:
        base = sqlite3.Error if isinstance(exc, sqlite3.Error) else psycopg.Error
        raise DBAPIError.instance(sql, args, exc, base) from exc


def rows_in(session: Session, query: CompiledSelect, params: Mapping[str, Any]) -> Rows:
    """The rows, read inside the session's transaction."""
    return _fetch(session.connection().connection.dbapi_connection, query, params)


def rows_on(engine: Engine, query: CompiledSelect, params: Mapping[str, Any]) -> Rows:
    """The rows, read on a pooled connection of their own (their own snapshot)."""
    with _as_sqlalchemy_errors(query.sql, None):
        connection = engine.raw_connection()
    try:
        return _fetch(connection.dbapi_connection, query, params)
    finally:
        connection.close()  # back to the pool, which ends the read transaction


class Readers:
    """Runs the claim reads of the API on the event loop, or off it when they may scan."""

    async def rows(
        self, query: CompiledSelect, params: Mapping[str, Any], *, may_scan: bool
    ) -> Rows:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    @staticmethod
    def for_engine(engine: Engine, *, pool_size: int) -> Readers:
        if engine.dialect.name == "postgresql":
            return AsyncPool(engine.url.render_as_string(hide_password=False), size=pool_size)
        return SQLiteReaders(engine)


@dataclass
class SQLiteReaders(Readers):
    """Bounded reads on a connection kept for the event loop; the rest in a thread.

    Those reads take a few hundred microseconds and run one at a time, and in
    WAL mode a reader never waits for a writer; a connection of their own means
    the loop never waits for the pool either (the workers may hold it all).
    """

    engine: Engine
    _loop_connection: PoolProxiedConnection | None = field(default=None, init=False)

    async def rows(
        self, query: CompiledSelect, params: Mapping[str, Any], *, may_scan: bool
    ) -> Rows:
        if may_scan:
            return await run_in_threadpool(rows_on, self.engine, query, params)
        if self._loop_connection is None:
            with _as_sqlalchemy_errors(query.sql, None):
                self._loop_connection = self.engine.raw_connection()
        return _fetch(self._loop_connection.dbapi_connection, query, params)

    async def close(self) -> None:
        if self._loop_connection is not None:
            self._loop_connection.close()
            self._loop_connection = None


class _DroppedConnection(psycopg.OperationalError):
    """The connection was gone before or during the read."""


@dataclass
class AsyncPool(Readers):
    """PostgreSQL reads on the event loop: a small psycopg async pool in autocommit,
    so a read is one round trip (no BEGIN, no ROLLBACK, no ping) and no thread."""

    url: str = field(repr=False)  # a SQLAlchemy URL (postgresql+psycopg://...), password and all
    size: int = 10
    _pool: AsyncConnectionPool | None = field(default=None, init=False)
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _turns: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._turns = asyncio.Semaphore(self.size)

    async def rows(
        self, query: CompiledSelect, params: Mapping[str, Any], *, may_scan: bool
    ) -> Rows:
        args = query.arguments(params)
        with _as_sqlalchemy_errors(query.sql, args):
            return await self._rows(query.sql, args)

    async def _rows(self, sql: str, args: Any) -> Rows:
        pool = await self._open()
        deadline = asyncio.get_running_loop().time() + WAIT_S
        await self._take_turn(deadline)
        try:
            while True:
                try:
                    return await self._fetch(pool, deadline, sql, args)
                except _DroppedConnection:
                    # The server dropped connections (a restart): the pool discards
                    # the broken one on its way back, and check() the idle ones. Those
                    # busy at the time come back broken later, one by one, so a read
                    # may meet several: it tries again until its deadline (then 503).
                    if asyncio.get_running_loop().time() >= deadline:
                        raise
                    await pool.check()
        finally:
            self._turns.release()

    async def _take_turn(self, deadline: float) -> None:
        """Wait, until ``deadline``, for one of the pool's ``size`` turns.

        Reads queue here rather than in the pool: under load most reads wait for a
        connection, and a semaphore's queue costs a read ~30 µs less CPU than the
        pool's. The pool then finds a connection ready, or is connecting one.
        """
        if not self._turns.locked():
            await self._turns.acquire()  # free: returns at once
            return
        try:
            async with asyncio.timeout_at(deadline):
                await self._turns.acquire()
        except TimeoutError:
            raise PoolTimeout(f"no connection to the database within {WAIT_S:.0f} s") from None

    async def _fetch(self, pool: AsyncConnectionPool, deadline: float, sql: str, args: Any) -> Rows:
        # PoolTimeout (no connection by the deadline: the server down, or every
        # connection busy) and errors of the query itself are not retried.
        timeout = max(deadline - asyncio.get_running_loop().time(), 0.001)
        async with pool.connection(timeout=timeout) as conn:
            try:
                cursor = await conn.execute(sql, args)
                return await cursor.fetchall()
            except psycopg.OperationalError as exc:
                if conn.broken:
                    raise _DroppedConnection from exc
                raise

    async def _open(self) -> AsyncConnectionPool:
        if self._pool is not None:
            return self._pool
        async with self._opening:
            if self._pool is None:
                url = make_url(self.url).set(drivername="postgresql")
                conninfo = url.render_as_string(hide_password=False)
                pool = AsyncConnectionPool(
                    conninfo, min_size=1, max_size=self.size, open=False,
                    kwargs={"autocommit": True},
                )  # fmt: skip
                # Connects in the background: a server that is down makes each read
                # wait WAIT_S for a connection, not every request queue on this lock.
                await pool.open(wait=False)
                self._pool = pool
            return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
