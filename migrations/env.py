"""Alembic environment: the schema of app.models, the URL from the settings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import context
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

import app.models  # registers the tables on SQLModel.metadata
from app.db import make_engine
from app.settings import Settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return config.attributes.get("database_url") or Settings().database_url


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        compare_type=True,
        # The full-text search index is each database's own, built by its migration.
        include_name=app.models.in_the_models,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        literal_binds=connection is None,
    )


@contextmanager
def _one_at_a_time(connection: Connection) -> Iterator[None]:
    """On PostgreSQL, processes starting together (N API processes, M workers)
    migrate one at a time; the later ones find the schema at head and do nothing."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(_LOCK)
    connection.commit()  # the lock is the session's: it outlives this transaction
    try:
        yield
    finally:
        connection.rollback()
        connection.execute(_UNLOCK)
        connection.commit()


_LOCK = text("SELECT pg_advisory_lock(7301202615)")
_UNLOCK = text("SELECT pg_advisory_unlock(7301202615)")


if context.is_offline_mode():
    _configure(url=_url())
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(Settings(database_url=_url()))
    try:
        with engine.connect() as connection, _one_at_a_time(connection):
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
