"""Dependencies shared by the routes: the session, settings, load-or-404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from app.db import iter_session
from app.models import Article, Source
from app.pagination import (
    CURSOR_DESCRIPTION,
    LIMIT_DESCRIPTION,
    MAX_ID,
    MAX_LIMIT,
    cursor_pattern,
)
from app.preconditions import IfMatch, parse_if_match
from app.reads import AsyncReads, Read, loop_connection
from app.services.articles import load_article
from app.services.sources import load_source
from app.settings import Settings


# The cheap dependencies are async: a plain `def` costs a threadpool hop each.
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    yield from iter_session(request.app.state.engine)


T = TypeVar("T")


async def run_read(request: Request, read: Read[T]) -> T:
    """Run a hot read where it costs least (see app.reads): PostgreSQL through the
    async driver; SQLite on the event loop when an index bounds it, in the
    threadpool when it may scan."""
    state = request.app.state
    engine: Engine = state.engine
    if engine.dialect.name == "postgresql":
        if getattr(state, "async_reads", None) is None:
            url = engine.url.render_as_string(hide_password=False)
            state.async_reads = AsyncReads(url, size=state.settings.read_pool_size)
        return await read.run_async(state.async_reads)
    if read.index_bounded:
        if getattr(state, "loop_connection", None) is None:
            state.loop_connection = loop_connection(engine)
        return read.run(state.loop_connection)
    return await run_in_threadpool(read.run, engine)


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
EngineDep = Annotated[Engine, Depends(get_engine)]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)]


def _cursor_query(arity: int) -> Any:
    # The pattern documents the cursor; the service checks it, so a bad one is 400.
    return Query(
        description=CURSOR_DESCRIPTION, json_schema_extra={"pattern": cursor_pattern(arity)}
    )


Cursor = Annotated[str | None, _cursor_query(1)]
TextOrderCursor = Annotated[str | None, _cursor_query(2)]


def id_path(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")


def _article(session: SessionDep, article_id: Annotated[int, id_path("article")]) -> Article:
    return load_article(session, article_id)


def _source(session: SessionDep, source_id: Annotated[int, id_path("source")]) -> Source:
    return load_source(session, source_id)


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            description='The ETag of the version this write is based on (`"3"`). '
            "Required: 428 without it, 412 when the resource has changed since."
        ),
    ] = None,
) -> IfMatch:
    return parse_if_match(if_match)


IfMatchDep = Annotated[IfMatch, Depends(_if_match)]
ArticleDep = Annotated[Article, Depends(_article)]
SourceDep = Annotated[Source, Depends(_source)]
