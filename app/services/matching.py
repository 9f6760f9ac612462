"""The same claim across articles: matches found at ingest, confirmed by people.

Each claim's MinHash band keys (app.matching) are stored in `claim_band`; a new
claim is compared with the stored claims that share a key, by the same speaker
(the same source, or both the article's own) and from another article. What
matches is stored as a `suggested` match. A person confirms or rejects it; the
claims joined by confirmed matches form a match group, whose first appearance
every member's JSON names. A new claim that matches a claim with a verdict is
offered that verdict (`suggested_status`); only a person changes its status.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.changes import record
from app.claims import ClaimStore
from app.claims.matches import candidates, regroup, similar
from app.db import load_or_404, versioned_update, write_transaction
from app.matching import band_keys, fingerprint
from app.models import ChangeType, ClaimMatch, MatchState
from app.preconditions import IfMatch
from app.schemas import ClaimOut, LookupHitOut, LookupOut, MatchOut, MatchPage


def lookup(
    session: Session, claims: ClaimStore, *, text: str, source_id: int | None, limit: int
) -> LookupOut:
    """The stored claims that make the statement ``text`` makes, best first; stores nothing."""
    print_ = fingerprint(text)
    hits = [
        (similarity, other)
        for other, similarity in similar(print_, candidates(session, band_keys(print_), source_id))
        if source_id is None or other.source_id == source_id
    ]
    hits.sort(key=lambda hit: (-hit[0].score, hit[1].id))
    hits = hits[:limit]
    found = claims.documents(session, [other.id for _, other in hits])
    return LookupOut(
        items=[
            LookupHitOut(claim=found[other.id], score=similarity.score, reason=similarity.reason)
            for similarity, other in hits
            if other.id in found
        ]
    )


def claim_matches(session: Session, claims: ClaimStore, claim_id: int) -> MatchPage:
    """The claim's matches, best first, each with the other claim."""
    matches = session.exec(
        select(ClaimMatch)
        .where(or_(col(ClaimMatch.claim_id) == claim_id, col(ClaimMatch.other_id) == claim_id))
        .order_by(col(ClaimMatch.score).desc(), col(ClaimMatch.id))
    ).all()
    others = claims.documents(session, [_other(m, claim_id) for m in matches])
    return MatchPage(items=[match_out(m, claim_id, others) for m in matches])


def get_match(session: Session, claims: ClaimStore, match_id: int) -> MatchOut:
    match = load_or_404(session, ClaimMatch, match_id, name="match")
    others = claims.documents(session, [match.other_id])
    return match_out(match, match.claim_id, others)


def set_match_state(
    session: Session,
    claims: ClaimStore,
    *,
    match_id: int,
    state: MatchState,
    note: str | None,
    actor: str,
    if_match: IfMatch,
) -> MatchOut:
    """Confirm, reject or reset a match; both claims' groups follow, and both claims'
    audit trails record it. The state it already has changes nothing."""
    with write_transaction(session):
        match = load_or_404(session, ClaimMatch, match_id, name="match", lock=True)
        before = match.state
        if versioned_update(session, match, if_match, {"state": state}):
            record(
                session, ChangeType.match_updated, match_id, actor=actor, version=match.version,
                before={"match_id": match_id, "state": before},
                after={"match_id": match_id, "state": state}, note=note,
                claim_id=match.claim_id, peer_claim_id=match.other_id,
            )  # fmt: skip
            if MatchState.confirmed in (before, state):
                regroup(session, {match.claim_id, match.other_id}, actor=actor)
    return get_match(session, claims, match_id)


def _other(match: ClaimMatch, claim_id: int) -> int:
    return match.other_id if match.claim_id == claim_id else match.claim_id


def match_out(match: ClaimMatch, claim_id: int, others: Mapping[int, ClaimOut]) -> MatchOut:
    return MatchOut(
        id=match.id or 0,
        claim_id=claim_id,
        other=others[_other(match, claim_id)],
        score=match.score,
        reason=match.reason,
        state=match.state,
        version=match.version,
        created_at=match.created_at,
        updated_at=match.updated_at,
    )
