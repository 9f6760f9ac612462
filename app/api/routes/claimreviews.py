from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from app.api.deps import ClaimStoreDep, Limit, SessionDep, SettingsDep, TimeOrderCursor
from app.api.documented import problems
from app.pagination import DEFAULT_LIMIT
from app.schemas import ClaimReviewPage, Timestamp
from app.services import claimreview

router = APIRouter(prefix="/claimreviews", tags=["claims"])


@router.get(
    "",
    response_model=ClaimReviewPage,
    summary="List the ClaimReviews of the claims with a verdict, as a feed",
    responses=problems(400),
)
def list_claim_reviews(
    session: SessionDep,
    claims: ClaimStoreDep,
    settings: SettingsDep,
    updated_since: Annotated[
        Timestamp | None,
        Query(
            description="Only the claims changed at or after this time (inclusive; UTC "
            "when no offset). For the next pull, the newest `dateModified` the last one "
            "brought, better a minute before it: on PostgreSQL a write that commits late "
            "can carry an earlier time than one already served."
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: TimeOrderCursor = None,
) -> JSONResponse:
    """Every claim whose status is a verdict, with its ClaimReview (as
    `GET /v1/claims/{id}/claimreview` serves it), in the order the claims last changed:
    `dateModified`, then claim id. A claim moves to the end when it changes again (a new
    verdict, a new source); a claim whose status goes back to one that is no verdict
    (`in_progress`) leaves the feed, and its `GET .../claimreview` answers 409. Changes
    to a source or an article move no claim."""
    page = claimreview.claim_review_feed(
        session=session, claims=claims, settings=settings,
        updated_since=updated_since, limit=limit, cursor=cursor,
    )  # fmt: skip
    return JSONResponse(page.served())
