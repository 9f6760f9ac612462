from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.auth import EditorKey
from app.api.deps import ClaimStoreDep, Cursor, IfMatchDep, Limit, SessionDep, SourceDep, id_path
from app.api.documented import etagged, link, problems
from app.api.responses import raw_json_response
from app.claims import ClaimFilters
from app.models import NAME_LENGTH, ClaimStatus
from app.pagination import DEFAULT_LIMIT
from app.preconditions import etag
from app.schemas import ClaimPage, SourceIn, SourceOut, SourcePage, SourcePatch, StorableText
from app.services import source_registry as service

router = APIRouter(prefix="/sources", tags=["sources"])

_SOURCE = {"source_id": "$response.body#/id"}


@router.get("", summary="List sources", responses=problems(400))
def list_sources(
    session: SessionDep,
    q: Annotated[
        StorableText | None,
        Query(min_length=1, max_length=NAME_LENGTH, description="Name or alias contains."),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> SourcePage:
    """The source registry in id order, each with its aliases and claim count."""
    return service.list_sources(session=session, limit=limit, cursor=cursor, q=q)


@router.get("/{source_id}", summary="Get a source", responses={200: etagged(), **problems(404)})
def get_source(source: SourceDep, session: SessionDep, response: Response) -> SourceOut:
    """One source with its aliases, affiliation and claim count; `ETag` carries its version."""
    response.headers["ETag"] = etag(source.version)
    return service.source_out(session, source)


@router.get(
    "/{source_id}/claims",
    response_model=ClaimPage,
    summary="List a source's claims",
    responses=problems(400, 404),
)
async def list_source_claims(
    source: SourceDep,
    claims: ClaimStoreDep,
    claim_status: Annotated[ClaimStatus | None, Query(alias="status")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> Response:
    """The claims attributed to this source, in id order (the claims it relays for others
    are `GET /v1/claims?via=`)."""
    filters = ClaimFilters(source_id=source.id, status=claim_status)
    page = await claims.page(filters, limit=limit, cursor=cursor)
    return raw_json_response(page.json())


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a source",
    responses={
        201: etagged(
            links={
                "GetSource": link("get_source", _SOURCE),
                "UpdateSource": link("update_source", _SOURCE, if_match=True),
            }
        ),
        **problems(401, 403, 409),
    },
)
def create_source(
    data: SourceIn, editor: EditorKey, session: SessionDep, response: Response
) -> SourceOut:
    """A new source; 409 when its name or one of its aliases already names another."""
    source = service.create_source(session=session, data=data, actor=editor.name)
    response.headers["ETag"] = etag(source.version)
    response.headers["Location"] = f"/v1/sources/{source.id}"
    return source


@router.patch(
    "/{source_id}",
    summary="Edit a source",
    responses={200: etagged(), **problems(400, 401, 403, 404, 409, 412, 428)},
)
def update_source(
    source_id: Annotated[int, id_path("source")],
    data: SourcePatch,
    editor: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    response: Response,
) -> SourceOut:
    """Change its name, kind, description, affiliation, aliases or `same_as` (a list
    given replaces the old one). `If-Match` is required; a change that changes nothing
    keeps the version."""
    source = service.update_source(
        session=session, source_id=source_id, data=data, if_match=if_match, actor=editor.name
    )
    response.headers["ETag"] = etag(source.version)
    return source
