"""Engine and sessions; SQLite gets WAL, foreign keys and writers that queue."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Engine, event, make_url
from sqlalchemy.engine import Connection
from sqlmodel import Session, create_engine

from app.settings import Settings

T = TypeVar("T")

# A write transaction on SQLite asks for the write lock when it begins
# (BEGIN IMMEDIATE), so concurrent writers wait on busy_timeout instead of
# failing with "database is locked" when a read lock cannot be upgraded.
WRITE = {"sqlite_begin": "IMMEDIATE"}


def make_engine(settings: Settings) -> Engine:
    if settings.is_sqlite:
        # One connection per threadpool worker, kept: a new SQLite connection costs
        # its pragmas and a cold page cache on every request past the pool.
        in_file = make_url(settings.database_url).database not in (None, "", ":memory:")
        engine = create_engine(
            settings.database_url,
            echo=settings.log_sql,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
            **({"pool_size": 40, "max_overflow": 0} if in_file else {}),
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    return create_engine(
        settings.database_url,
        echo=settings.log_sql,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def iter_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


def read_in_session(engine: Engine, read: Callable[..., T], /, **kwargs: Any) -> T:
    """``read(session=..., **kwargs)`` in a session of its own, closed when it returns."""
    with Session(engine) as session:
        return read(session=session, **kwargs)


def begin_write(session: Session) -> None:
    """Start the session's write transaction (see WRITE).

    A read transaction still open is ended first: on SQLite a read lock cannot
    be upgraded safely, so the write begins afresh. Callers re-read what they
    check inside it (objects loaded before keep their values: no expiry).
    """
    if session.in_transaction():
        session.commit()
    session.connection(execution_options=WRITE)
