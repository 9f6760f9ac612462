"""schema.org ClaimReview for a claim with a verdict."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.claims import ClaimStore
from app.errors import Conflict
from app.models import Article, ClaimEvent, ClaimStatus, EventKind, SourceKind
from app.schemas import ClaimReviewOut
from app.settings import Settings

# ClaimReview's rating scale: 1 (false) to 5 (true).
RATINGS: dict[str, tuple[int, str]] = {
    ClaimStatus.verified: (5, "True"),
    ClaimStatus.unproven: (3, "Unproven"),
    ClaimStatus.misleading: (2, "Misleading"),
    ClaimStatus.false: (1, "False"),
}


def claim_review(
    *, session: Session, claims: ClaimStore, claim_id: int, settings: Settings
) -> ClaimReviewOut:
    claim = claims.read(session, claim_id)
    if claim.status not in RATINGS:
        raise Conflict(
            f"Claim {claim_id} has no verdict (status {claim.status.value!r}); a ClaimReview "
            f"needs one of: {', '.join(RATINGS)}."
        )
    value, label = RATINGS[claim.status]
    article = session.get(Article, claim.article_id)
    assert article is not None
    verdict_at = (
        session.execute(
            select(col(ClaimEvent.at))
            .where(
                col(ClaimEvent.claim_id) == claim_id,
                col(ClaimEvent.kind) == EventKind.status_changed,
            )
            .order_by(col(ClaimEvent.id).desc())
            .limit(1)
        ).scalar()
        # no recorded change (a verdict loaded with the data): the claim's last change
        or claim.updated_at
    )

    item: dict[str, Any] = {"@type": "Claim"}
    if claim.source is not None:
        kind = "Person" if claim.source.kind == SourceKind.person else "Organization"
        item["author"] = {"@type": kind, "name": claim.source.name}
    if article.published_at is not None:
        item["datePublished"] = article.published_at.date().isoformat()
    if article.url or article.title:
        appearance = {"@type": "CreativeWork", "url": article.url, "headline": article.title}
        item["appearance"] = {k: v for k, v in appearance.items() if v is not None}

    author: dict[str, Any] = {"@type": "Organization", "name": settings.claimreview_author_name}
    if settings.claimreview_author_url:
        author["url"] = settings.claimreview_author_url
    return ClaimReviewOut.model_validate(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim.text,
            "datePublished": verdict_at.date().isoformat(),
            "author": author,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": label,
            },
            "itemReviewed": item,
        }
    )
