"""Dependencies shared by the routes: the session, settings, the claim store,
load-or-404 for each resource, If-Match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from sqlmodel import Session

from app.claims import ClaimStore
from app.db import iter_session, load_or_404
from app.models import Annotation, Article, Source
from app.pagination import (
    CURSOR_DESCRIPTION,
    LIMIT_DESCRIPTION,
    MAX_ID,
    MAX_LIMIT,
    TIME_CURSOR_PATTERN,
    cursor_pattern,
)
from app.preconditions import IfMatch, parse_if_match
from app.services.articles import ARTICLE_CURSOR_PATTERN
from app.settings import Settings


# The cheap dependencies are async: a plain `def` costs a threadpool hop each.
async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def claim_store(request: Request) -> ClaimStore:
    """The app's ClaimStore, built in its lifespan (app.main)."""
    store: ClaimStore = request.app.state.claims
    return store


def database_session(request: Request) -> Iterator[Session]:
    yield from iter_session(request.app.state.engine)


SettingsDep = Annotated[Settings, Depends(app_settings)]
SessionDep = Annotated[Session, Depends(database_session)]
ClaimStoreDep = Annotated[ClaimStore, Depends(claim_store)]

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)]


def _cursor_query(arity: int) -> Any:
    # The pattern documents the cursor; the service checks it, so a bad one is 400.
    return Query(
        description=CURSOR_DESCRIPTION, json_schema_extra={"pattern": cursor_pattern(arity)}
    )


Cursor = Annotated[str | None, _cursor_query(1)]
TextOrderCursor = Annotated[str | None, _cursor_query(2)]
TimeOrderCursor = Annotated[
    str | None,
    Query(description=CURSOR_DESCRIPTION, json_schema_extra={"pattern": TIME_CURSOR_PATTERN}),
]
ArticleCursor = Annotated[
    str | None,
    Query(
        description=CURSOR_DESCRIPTION + " A search's cursor is refused (400) without `q`, "
        "and the listing's without it.",
        json_schema_extra={"pattern": ARTICLE_CURSOR_PATTERN},
    ),
]


def id_path(what: str) -> Any:
    return Path(ge=1, le=MAX_ID, description=f"The {what}'s id.")


ClaimId = Annotated[int, id_path("claim")]


def _article(session: SessionDep, article_id: Annotated[int, id_path("article")]) -> Article:
    return load_or_404(session, Article, article_id)


def _source(session: SessionDep, source_id: Annotated[int, id_path("source")]) -> Source:
    return load_or_404(session, Source, source_id)


def _annotation(
    session: SessionDep, annotation_id: Annotated[int, id_path("annotation")]
) -> Annotation:
    return load_or_404(session, Annotation, annotation_id)


def _existing_claim(session: SessionDep, claims: ClaimStoreDep, claim_id: ClaimId) -> int:
    claims.require(session, claim_id)
    return claim_id


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
AnnotationDep = Annotated[Annotation, Depends(_annotation)]
ExistingClaimId = Annotated[int, Depends(_existing_claim)]
"""A claim id, 404 when there is no such claim."""
