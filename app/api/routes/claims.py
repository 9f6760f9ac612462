from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from app.api.auth import EditorKey
from app.api.deps import (
    ClaimId,
    ClaimStoreDep,
    Cursor,
    ExistingClaimId,
    IfMatchDep,
    Limit,
    SessionDep,
    SettingsDep,
)
from app.api.documented import CLAIM, CLAIM_LINKS, etagged, link, problems
from app.api.query import ClaimListQuery
from app.api.responses import raw_json_response
from app.claims import UNNAMED_RELAY
from app.pagination import DEFAULT_LIMIT
from app.preconditions import etag
from app.schemas import (
    AnnotationIn,
    AnnotationOut,
    AnnotationPage,
    ClaimListPage,
    ClaimOut,
    ClaimReviewOut,
    EventPage,
    SourceAssignmentIn,
    StatusChangeIn,
)
from app.services import annotations as annotation_service
from app.services import changes, claimreview

router = APIRouter(prefix="/claims", tags=["claims"])


class JSONLDResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get(
    "",
    response_model=ClaimListPage,
    summary="List and search claims",
    responses=problems(400),
    openapi_extra=ClaimListQuery.openapi(),
)
async def list_claims(request: Request, claims: ClaimStoreDep) -> Response:
    """Claims narrowed by any combination of filters, in id order or as `sort` says;
    with `q`, a full-text search ranked by relevance, each hit with its `highlights`."""
    query = ClaimListQuery.from_request(request)
    page = await claims.page(
        query.filters(), limit=query.limit, cursor=query.cursor, sort=query.order()
    )
    return raw_json_response(page.json())


@router.get(
    "/{claim_id}",
    response_model=ClaimOut,
    summary="Get a claim",
    responses={200: etagged(links=CLAIM_LINKS), **problems(404)},
)
async def get_claim(claim_id: ClaimId, claims: ClaimStoreDep) -> Response:
    """One claim with its source and attribution; the `ETag` header carries its version."""
    claim = await claims.get(claim_id)
    return raw_json_response(claim.json, headers={"ETag": etag(claim.version)})


_AFTER_VERDICT = {
    "GetClaimReview": link("get_claim_review", CLAIM),
    "ListClaimEvents": link("list_claim_events", CLAIM),
}


@router.patch(
    "/{claim_id}",
    summary="Set a claim's verification status",
    responses={200: etagged(links=_AFTER_VERDICT), **problems(400, 401, 403, 404, 412, 428)},
)
def set_claim_status(
    claim_id: ClaimId,
    data: StatusChangeIn,
    key: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    claims: ClaimStoreDep,
    response: Response,
) -> ClaimOut:
    """Set `status` (with an optional note kept in the audit trail). Send the claim's
    ETag in `If-Match`: a stale one gets 412 and changes nothing; the status it
    already has changes nothing either."""
    claim = claims.set_status(
        session, claim_id=claim_id, status=data.status, note=data.note, actor=key.name,
        if_match=if_match,
    )  # fmt: skip
    response.headers["ETag"] = etag(claim.version)
    return claim


@router.put(
    "/{claim_id}/source",
    summary="Attribute a claim to a source",
    responses={200: etagged(), **problems(400, 401, 403, 404, 412, 428)},
)
def attribute_claim(
    claim_id: ClaimId,
    data: SourceAssignmentIn,
    key: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    claims: ClaimStoreDep,
    response: Response,
) -> ClaimOut:
    """Set, change or clear the claim's source, by id or by name (an alias finds the
    source; an unknown name creates it), and the source relaying it, by id. The
    attribution's method becomes `manual`."""
    claim = claims.attribute(
        session, claim_id=claim_id, source_id=data.source_id, source_name=data.source_name,
        attribution_type=data.attribution_type, reason=data.reason, actor=key.name,
        if_match=if_match,
        via_source_id=(
            data.via_source_id if "via_source_id" in data.model_fields_set else UNNAMED_RELAY
        ),
    )  # fmt: skip
    response.headers["ETag"] = etag(claim.version)
    return claim


@router.get(
    "/{claim_id}/events",
    summary="List a claim's audit trail",
    responses=problems(400, 404),
)
def list_claim_events(
    claim_id: ExistingClaimId,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> EventPage:
    """Every change to the claim, oldest first: who, when, before and after."""
    return changes.list_claim_events(session=session, claim_id=claim_id, limit=limit, cursor=cursor)


@router.get(
    "/{claim_id}/annotations",
    summary="List a claim's annotations",
    responses=problems(400, 404),
)
def list_claim_annotations(
    claim_id: ExistingClaimId,
    session: SessionDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AnnotationPage:
    """The claim's annotations in the order they were made."""
    return annotation_service.list_annotations(
        session=session, claim_id=claim_id, limit=limit, cursor=cursor
    )


_ANNOTATION = {"annotation_id": "$response.body#/id"}


@router.post(
    "/{claim_id}/annotations",
    status_code=201,
    summary="Annotate a claim",
    responses={
        201: etagged(
            links={
                "GetAnnotation": link("get_annotation", _ANNOTATION),
                "EditAnnotation": link("edit_annotation", _ANNOTATION, if_match=True),
            }
        ),
        **problems(401, 403, 404),
    },
)
def annotate_claim(
    claim_id: ClaimId, data: AnnotationIn, key: EditorKey, session: SessionDep, response: Response
) -> AnnotationOut:
    """Comment on, assess, link evidence to, tag or question the claim. The author is
    the key's name; `quote` must be text inside the claim."""
    annotation = annotation_service.annotate_claim(
        session=session, claim_id=claim_id, data=data, author=key.name
    )
    response.headers["ETag"] = etag(annotation.version)
    response.headers["Location"] = f"/v1/annotations/{annotation.id}"
    return annotation


@router.get(
    "/{claim_id}/claimreview",
    response_model=ClaimReviewOut,
    response_model_by_alias=True,
    response_class=JSONLDResponse,
    summary="Export a claim's verdict as ClaimReview",
    responses=problems(404, 409),
)
def get_claim_review(
    claim_id: ClaimId, session: SessionDep, claims: ClaimStoreDep, settings: SettingsDep
) -> Any:
    """schema.org ClaimReview JSON-LD for a claim whose status is a verdict
    (verified 5, unproven 3, misleading 2, false 1); 409 for any other status.
    Its `url` comes from `CLAIMDESK_CLAIMREVIEW_URL_TEMPLATE` (left out without one),
    the claim's author from its source (`sameAs` from the source's `same_as`), and
    `ratingExplanation` is the note given with the verdict."""
    review = claimreview.claim_review(
        session=session, claims=claims, claim_id=claim_id, settings=settings
    )
    return JSONLDResponse(review.json_ld())
