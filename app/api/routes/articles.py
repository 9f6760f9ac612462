from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.auth import EditorKey
from app.api.deps import (
    ArticleCursor,
    ArticleDep,
    ClaimStoreDep,
    Limit,
    SessionDep,
    SettingsDep,
    TextOrderCursor,
)
from app.api.documented import link, problems
from app.api.responses import raw_json_response
from app.pagination import DEFAULT_LIMIT
from app.schemas import (
    ARTICLE_SEARCH_DESCRIPTION,
    ArticleIn,
    ArticleIngestedOut,
    ArticleOut,
    ArticlePage,
    ClaimPage,
    SearchText,
)
from app.services import articles as service

router = APIRouter(prefix="/articles", tags=["articles"])

_ARTICLE = {"article_id": "$response.body#/id"}
_INGESTED_LINKS = {
    "GetArticle": link("get_article", _ARTICLE),
    "ListArticleClaims": link("list_article_claims", _ARTICLE),
    "GetFirstClaim": link("get_claim", {"claim_id": "$response.body#/claims/0/id"}),
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Ingest an article",
    responses={
        201: {"links": _INGESTED_LINKS},
        200: {
            "model": ArticleIngestedOut,
            "description": "The text was seen before; the stored article.",
            "links": _INGESTED_LINKS,
        },
        **problems(401, 403, 413),
    },
)
def ingest_article(
    data: ArticleIn,
    session: SessionDep,
    claims: ClaimStoreDep,
    settings: SettingsDep,
    response: Response,
    key: EditorKey,
) -> ArticleIngestedOut:
    """Split the text into sentences and claims, attribute each claim and store it all
    in one transaction. Posting a text already stored returns that article with 200."""
    article, created = service.ingest_article(
        session=session, claims=claims, data=data, max_bytes=settings.max_article_bytes,
        actor=key.name,
    )  # fmt: skip
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    response.headers["Location"] = f"/v1/articles/{article.id}"
    return service.ingested_article(session, claims, article)


@router.get("", summary="List and search articles", responses=problems(400))
def list_articles(
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: ArticleCursor = None,
    q: Annotated[SearchText | None, Query(description=ARTICLE_SEARCH_DESCRIPTION)] = None,
) -> ArticlePage:
    """Articles, newest first, without their texts; with `q`, the articles whose title or
    text matches, best first."""
    return service.list_articles(session=session, limit=limit, cursor=cursor, q=q)


@router.get("/{article_id}", summary="Get an article", responses=problems(404))
def get_article(article: ArticleDep, session: SessionDep) -> ArticleOut:
    """One article with its verbatim text and its sentences' offsets."""
    return service.article_out(session, article)


@router.get(
    "/{article_id}/claims",
    response_model=ClaimPage,
    summary="List an article's claims",
    responses=problems(400, 404),
)
async def list_article_claims(
    article: ArticleDep,
    claims: ClaimStoreDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: TextOrderCursor = None,
) -> Response:
    """The article's claims in text order."""
    assert article.id is not None
    page = await claims.article_page(article.id, limit=limit, cursor=cursor)
    return raw_json_response(page.json())
