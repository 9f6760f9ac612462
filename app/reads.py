"""The hot reads: statements compiled once, run on the driver's cursor.

Per execution, SQLAlchemy's cache lookup, execution context and Row objects
cost more than the database takes to find a page of claims, and a hop to a
worker thread costs more again. So a hot read is a `Read`: a `CompiledSelect`,
its parameters, and what to make of the rows. It runs wherever suits the
database (app.api.deps.run_read):

- inside a session's transaction, or on a pooled connection of its own, in a
  worker thread (every database; what the CLI and the write routes use);
- SQLite: on the event loop, on a connection kept for it (`LoopConnection`),
  when an index bounds the read to a few hundred microseconds;
- PostgreSQL: on the event loop through psycopg's async driver (`AsyncReads`),
  which waits on the network without a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import Engine, Select, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.pool import PoolProxiedConnection
from sqlmodel import Session

T = TypeVar("T")
Rows = Sequence[Sequence[Any]]

WAIT_S = 5.0
"""How long a PostgreSQL read waits for a connection of the async pool."""


@dataclass(frozen=True, slots=True)
class LoopConnection:
    """A SQLite connection kept for the reads that run on the event loop.

    Those reads take a few hundred microseconds and run one at a time, and in WAL
    mode a reader never waits for a writer; a connection of their own means the
    loop never waits for the pool either (the threadpool's workers may hold it all).
    """

    connection: PoolProxiedConnection
    dialect: Dialect

    def close(self) -> None:
        self.connection.close()


Db = Session | Engine | LoopConnection
"""Where a read runs: inside a session's transaction, on a pooled connection of
its own (each statement its own snapshot), or on the event loop's connection."""


def loop_connection(engine: Engine) -> LoopConnection:
    return LoopConnection(engine.raw_connection(), engine.dialect)


def dialect_of(db: Db) -> Dialect:
    return db.get_bind().dialect if isinstance(db, Session) else db.dialect


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

    def arguments(self, **params: Any) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters for ``sql``: converted by their types, in order."""
        values = {**self.defaults, **params}
        for name, process in self.binds.items():
            if values[name] is not None:
                values[name] = process(values[name])
        return tuple(values[name] for name in self.order) if self.order is not None else values

    def rows(self, db: Db, **params: Any) -> Rows:
        args = self.arguments(**params)
        if isinstance(db, Session):
            return _fetch(db.connection().connection.dbapi_connection, self.sql, args)
        if isinstance(db, LoopConnection):
            return _fetch(db.connection.dbapi_connection, self.sql, args)
        connection = db.raw_connection()
        try:
            return _fetch(connection.dbapi_connection, self.sql, args)
        finally:
            connection.close()  # back to the pool, which ends the read transaction


def _fetch(dbapi_connection: Any, sql: str, args: Any) -> Rows:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(sql, args)
        rows: Rows = cursor.fetchall()
        return rows
    finally:
        cursor.close()


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """One statement, its parameters, and what its rows make."""

    query: CompiledSelect
    params: Mapping[str, Any]
    result: Callable[[Rows], T]
    index_bounded: bool = True
    """Whether an index bounds the work whatever the table's size (no scan)."""

    def run(self, db: Db) -> T:
        return self.result(self.query.rows(db, **self.params))

    async def run_async(self, reads: AsyncReads) -> T:
        return self.result(await reads.rows(self.query, **self.params))


class _DroppedConnection(psycopg.OperationalError):
    """The connection was gone before or during the read."""


@dataclass
class AsyncReads:
    """PostgreSQL reads on the event loop: a small psycopg async pool in autocommit,
    so a read is one round trip (no BEGIN, no ROLLBACK, no ping) and no thread."""

    url: str  # a SQLAlchemy URL (postgresql+psycopg://...)
    size: int = 10
    _pool: AsyncConnectionPool | None = field(default=None, init=False)
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _turns: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self._turns = asyncio.Semaphore(self.size)

    async def rows(self, query: CompiledSelect, **params: Any) -> Rows:
        pool = await self._open()
        args = query.arguments(**params)
        deadline = asyncio.get_running_loop().time() + WAIT_S
        await self._take_turn(deadline)
        try:
            while True:
                try:
                    return await self._fetch(pool, deadline, query.sql, args)
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
