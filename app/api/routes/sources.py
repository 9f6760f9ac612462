from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from app.api.auth import EditorKey
from app.api.deps import Cursor, IfMatchDep, Limit, SessionDep, SourceDep, id_path
from app.api.errors_doc import problems
from app.api.responses import raw_json_response
from app.models import ClaimStatus
from app.pagination import DEFAULT_LIMIT
from app.preconditions import etag
from app.schemas import ClaimPage, SourceIn, SourceOut, SourcePage, SourcePatch, StorableText
from app.services import claims as claims_service
from app.services import sources as service

router = APIRouter(prefix="/sources", tags=["sources"])


@router.get("", response_model=SourcePage, summary="List sources", responses=problems(400))
def list_sources(
    session: SessionDep,
    q: Annotated[
        StorableText | None,
        Query(min_length=1, max_length=200, description="Name or alias contains."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The source registry in id order, each with its aliases and claim count."""
    return service.list_sources(session=session, limit=limit, cursor=cursor, q=q)


@router.get(
    "/{source_id}", response_model=SourceOut, summary="Get a source", responses=problems(404)
)
def get_source(source: SourceDep, session: SessionDep, response: Response) -> dict[str, Any]:
    """One source with its aliases, affiliation and claim count; `ETag` carries its version."""
    response.headers["ETag"] = etag(source.version)
    return service.get_source(session=session, source=source)


@router.get(
    "/{source_id}/claims",
    response_model=ClaimPage,
    summary="List a source's claims",
    responses=problems(400, 404),
)
def list_source_claims(
    source: SourceDep,
    session: SessionDep,
    claim_status: Annotated[ClaimStatus | None, Query(alias="status")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    """The claims attributed to this source, in id order."""
    filters = claims_service.ClaimFilters(source_id=source.id, status=claim_status)
    page = claims_service.list_claims(db=session, filters=filters, limit=limit, cursor=cursor)
    return raw_json_response(page.json())


@router.post(
    "",
    response_model=SourceOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a source",
    responses=problems(401, 403, 409),
)
def create_source(
    data: SourceIn, _editor: EditorKey, session: SessionDep, response: Response
) -> dict[str, Any]:
    """A new source; 409 when its name or one of its aliases already names another."""
    source = service.create_source(session=session, data=data)
    response.headers["ETag"] = etag(source.version)
    response.headers["Location"] = f"/v1/sources/{source.id}"
    return service.get_source(session=session, source=source)


@router.patch(
    "/{source_id}",
    response_model=SourceOut,
    summary="Edit a source",
    responses=problems(400, 401, 403, 404, 409, 412, 428),
)
def update_source(
    source_id: Annotated[int, id_path("source")],
    data: SourcePatch,
    _editor: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    response: Response,
) -> dict[str, Any]:
    """Change its name, kind, description, affiliation or aliases (the list given
    replaces the old one). `If-Match` is required."""
    source = service.update_source(
        session=session, source_id=source_id, data=data, if_match=if_match
    )
    response.headers["ETag"] = etag(source.version)
    return service.get_source(session=session, source=source)
