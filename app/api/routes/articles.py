from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from app.api.auth import EditorKey
from app.api.deps import ArticleDep, Cursor, Limit, SessionDep, SettingsDep, TextOrderCursor
from app.api.errors_doc import problems
from app.api.responses import raw_json_response
from app.pagination import DEFAULT_LIMIT
from app.schemas import ArticleIn, ArticleIngested, ArticleOut, ArticlePage, ClaimPage
from app.services import articles as service
from app.services.claims import list_article_claims as list_claims_of_article

router = APIRouter(prefix="/articles", tags=["articles"])


@router.post(
    "",
    response_model=ArticleIngested,
    status_code=status.HTTP_201_CREATED,
    summary="Ingest an article",
    responses={
        200: {
            "model": ArticleIngested,
            "description": "The text was seen before; the stored article.",
        },
        **problems(401, 403, 413),
    },
)
def ingest_article(
    data: ArticleIn, session: SessionDep, settings: SettingsDep, response: Response, key: EditorKey
) -> dict[str, Any]:
    """Split the text into sentences and claims, attribute each claim and store it all
    in one transaction. Posting a text already stored returns that article with 200."""
    article, created = service.ingest_article(
        session=session, data=data, max_bytes=settings.max_article_bytes, actor=key.name
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    response.headers["Location"] = f"/v1/articles/{article.id}"
    return service.ingested_article(session, article)


@router.get("", response_model=ArticlePage, summary="List articles", responses=problems(400))
def list_articles(
    session: SessionDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> dict[str, Any]:
    """Articles, newest first, without their texts."""
    return service.list_articles(session=session, limit=limit, cursor=cursor)


@router.get(
    "/{article_id}", response_model=ArticleOut, summary="Get an article", responses=problems(404)
)
def get_article(article: ArticleDep, session: SessionDep) -> dict[str, Any]:
    """One article with its verbatim text and its sentences' offsets."""
    return service.article_detail(session, article)


@router.get(
    "/{article_id}/claims",
    response_model=ClaimPage,
    summary="List an article's claims",
    responses=problems(400, 404),
)
def list_article_claims(
    article: ArticleDep,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: TextOrderCursor = None,
) -> Response:
    """The article's claims in text order."""
    assert article.id is not None
    page = list_claims_of_article(db=session, article_id=article.id, limit=limit, cursor=cursor)
    return raw_json_response(page.json())
