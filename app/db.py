"""Engine and sessions; SQLite gets WAL, foreign keys and writers that queue.
Every write goes through `write_transaction`, and every change to a versioned
row through `versioned_update`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from sqlalchemy import Engine, event, make_url, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, create_engine

from app.errors import Conflict, NotFound, PreconditionFailed
from app.models import table_of, utcnow
from app.preconditions import IfMatch, etag
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


Row = TypeVar("Row", bound=SQLModel)


def load_or_404(
    session: Session, model: type[Row], row_id: int, name: str | None = None, *, lock: bool = False
) -> Row:
    """The row of ``model`` with this id (FOR UPDATE with ``lock``); 404 ("Source 5
    does not exist.") without one."""
    row = session.get(model, row_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"{name or model.__name__} {row_id} does not exist.")
    return row


CONFLICT = "The request conflicts with a change made at the same time; send it again."


@contextmanager
def write_transaction(session: Session, *, conflict: str = CONFLICT) -> Iterator[Session]:
    """One write: begun as a write (see WRITE), committed when the block ends,
    rolled back whole when anything in it fails.

    A read transaction still open is rolled back first: on SQLite a read lock
    cannot be upgraded safely, and a read has nothing to commit. That expires
    what it loaded, so rows loaded before are read again inside the write.
    A unique or foreign key that the write breaks (a concurrent writer took the
    name first) is a 409 with ``conflict`` as its detail.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a write transaction began with changes not yet written")
    if session.in_transaction():
        session.rollback()
    session.connection(execution_options=WRITE)
    try:
        yield session
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(conflict) from None
    except BaseException:
        session.rollback()
        raise


class Versioned(Protocol):
    """A row whose mapper checks its version on every UPDATE and DELETE
    (app.models: `version_id_col`, with the new version set here)."""

    id: Any
    version: int
    updated_at: Any


def versioned_update(
    session: Session,
    row: Versioned,
    if_match: IfMatch,
    changes: Mapping[str, Any],
    *,
    touch: bool = False,
) -> bool:
    """Apply the changes that differ from the row's values, as a compare-and-swap on
    its version: the UPDATE names the version read, so of two writers who read the
    same one only the first lands; the second gets 412. Whether anything changed:
    a write that changes nothing (and is not ``touch``) keeps the version.
    """
    if_match.check(row.version)
    changed = {name: value for name, value in changes.items() if getattr(row, name) != value}
    if not changed and not touch:
        return False
    for name, value in changed.items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = utcnow()
    _flush_checked(session, row)
    return True


def versioned_delete(session: Session, row: Versioned, if_match: IfMatch) -> None:
    """Delete the row if it is still at the version read (412 otherwise)."""
    if_match.check(row.version)
    session.delete(row)
    _flush_checked(session, row)


def _flush_checked(session: Session, row: Versioned) -> None:
    row_id, table = row.id, table_of(type(row))  # type: ignore[arg-type]
    try:
        session.flush()
    except StaleDataError:
        # Another writer committed between our read and our write (PostgreSQL).
        session.rollback()
        now = session.execute(select(table.c.version).where(table.c.id == row_id)).scalar()
        if now is None:
            raise NotFound("The resource was deleted while this write was being made.") from None
        raise PreconditionFailed(
            "The resource changed while this write was being made; retry with its new ETag.",
            headers={"ETag": etag(now)},
            current_version=now,
        ) from None
