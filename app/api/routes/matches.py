"""The same claim across articles: a claim's matches, a person's verdict on one, and
"already checked?" for any text."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Response

from app.api.auth import EditorKey
from app.api.deps import ClaimStoreDep, ExistingClaimId, IfMatchDep, SessionDep, id_path
from app.api.documented import etagged, problems
from app.preconditions import etag
from app.schemas import LookupIn, LookupOut, MatchOut, MatchPage, MatchStateIn
from app.services import matching

router = APIRouter(tags=["matches"])

MatchId = Annotated[int, id_path("match")]


@router.get(
    "/claims/{claim_id}/matches",
    summary="List a claim's matches",
    responses=problems(404),
)
def list_claim_matches(
    claim_id: ExistingClaimId, session: SessionDep, claims: ClaimStoreDep
) -> MatchPage:
    """The claims found to make the same statement, by the same speaker, in other
    articles: best first, each with its score, reason and state."""
    return matching.claim_matches(session, claims, claim_id)


@router.post(
    "/claims/lookup",
    summary="Find the stored claims a text makes",
    responses=problems(422),
)
def lookup_claims(data: LookupIn, session: SessionDep, claims: ClaimStoreDep) -> LookupOut:
    """ "Already checked?": the stored claims that make the statement the text makes,
    best first, each with its status (its verdict, if it has one). Stores nothing."""
    return matching.lookup(
        session, claims, text=data.text, source_id=data.source_id, limit=data.limit
    )


@router.api_route(
    "/claims/lookup", methods=["GET", "PUT", "PATCH", "DELETE"], include_in_schema=False
)
def lookup_takes_a_post() -> None:
    """The lookup path would otherwise read as a claim id to the claim routes (a 422)."""
    raise HTTPException(405)


@router.get(
    "/matches/{match_id}",
    summary="Get a match",
    responses={200: etagged(), **problems(404)},
)
def get_match(
    match_id: MatchId, session: SessionDep, claims: ClaimStoreDep, response: Response
) -> MatchOut:
    """One match, seen from the claim found later; the `ETag` header carries its version."""
    match = matching.get_match(session, claims, match_id)
    response.headers["ETag"] = etag(match.version)
    return match


@router.put(
    "/matches/{match_id}",
    summary="Confirm or reject a match",
    responses={200: etagged(), **problems(400, 401, 403, 404, 412, 428)},
)
def set_match_state(
    match_id: MatchId,
    data: MatchStateIn,
    key: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    claims: ClaimStoreDep,
    response: Response,
) -> MatchOut:
    """`confirmed`: both claims join one match group (their `match_group` and
    `first_appearance` follow); `rejected`: they stay apart. Send the match's ETag in
    `If-Match`; both claims' audit trails record the change."""
    match = matching.set_match_state(
        session, claims, match_id=match_id, state=data.state, note=data.note, actor=key.name,
        if_match=if_match,
    )  # fmt: skip
    response.headers["ETag"] = etag(match.version)
    return match
