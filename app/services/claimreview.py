"""schema.org ClaimReview for a claim with a verdict: what publishers embed in their
fact-check pages and Google's fact-check markup reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from app.claims import ClaimStore
from app.errors import Conflict
from app.models import VERDICTS, Article, Change, ChangeType, ClaimStatus, Source, SourceKind
from app.schemas import (
    AppearanceOut,
    ClaimAuthorOut,
    ClaimOut,
    ClaimReviewEntryOut,
    ClaimReviewOut,
    ClaimReviewPage,
    OrganizationOut,
    RatingOut,
    ReviewedClaimOut,
)
from app.services.appearances import appearances
from app.settings import Settings

# ClaimReview's rating scale: 1 (false) to 5 (true).
BEST, WORST = 5, 1
RATINGS: dict[ClaimStatus, tuple[int, str]] = {
    ClaimStatus.verified: (5, "True"),
    ClaimStatus.unproven: (3, "Unproven"),
    ClaimStatus.misleading: (2, "Misleading"),
    ClaimStatus.false: (1, "False"),
}
assert RATINGS.keys() == set(VERDICTS), "every verdict has its rating"


def claim_review(
    *, session: Session, claims: ClaimStore, claim_id: int, settings: Settings
) -> ClaimReviewOut:
    """The claim's ClaimReview; 404 without the claim, 409 without a verdict."""
    claim = claims.read(session, claim_id)
    if claim.status not in RATINGS:
        raise Conflict(
            f"Claim {claim_id} has no verdict (status {claim.status.value!r}); a ClaimReview "
            f"needs one of: {', '.join(RATINGS)}."
        )
    return claim_reviews(session, [claim], settings)[0]


def claim_review_feed(
    *,
    session: Session,
    claims: ClaimStore,
    settings: Settings,
    updated_since: datetime | None,
    limit: int,
    cursor: str | None,
) -> ClaimReviewPage:
    """The ClaimReviews of the claims that have a verdict, in the order the claims last
    changed (`dateModified`, then id), from ``updated_since`` on (inclusive)."""
    page = claims.with_verdicts(session, updated_since=updated_since, limit=limit, cursor=cursor)
    reviews = claim_reviews(session, page.claims, settings)
    return ClaimReviewPage(
        items=[
            ClaimReviewEntryOut(claim_id=claim.id, claimreview=review)
            for claim, review in zip(page.claims, reviews, strict=True)
        ],
        next_cursor=page.next_cursor,
    )


@dataclass(frozen=True, slots=True)
class _Verdict:
    at: datetime
    note: str | None


def claim_reviews(
    session: Session, claims: Sequence[ClaimOut], settings: Settings
) -> list[ClaimReviewOut]:
    """The ClaimReviews of claims that have verdicts, in their order: a few batched
    queries (their verdicts' events, sources and articles), whatever their number."""
    if not claims:
        return []
    ids = [claim.id for claim in claims]
    verdicts = _verdicts(session, claims)
    where = appearances(session, ids)
    source_ids = {claim.source.id for claim in claims if claim.source is not None}
    sources = {
        source.id: source
        for source in session.execute(
            select(Source).where(col(Source.id).in_(source_ids))
        ).scalars()
    }
    reviewer = OrganizationOut(
        name=settings.claimreview_author_name, url=settings.claimreview_author_url
    )
    reviews = []
    for claim in claims:
        value, label = RATINGS[claim.status]
        verdict = verdicts[claim.id]
        seen = [_appearance(article) for article in where[claim.id]]
        first = seen[0]
        source = sources.get(claim.source.id) if claim.source is not None else None
        reviews.append(
            ClaimReviewOut(
                url=settings.claimreview_url(claim.id),
                claimReviewed=claim.text,
                datePublished=verdict.at.date(),
                dateModified=claim.updated_at,
                author=reviewer,
                reviewRating=RatingOut(
                    ratingValue=value,
                    bestRating=BEST,
                    worstRating=WORST,
                    alternateName=label,
                    ratingExplanation=verdict.note,
                ),  # fmt: skip
                itemReviewed=ReviewedClaimOut(
                    author=_author(source) if source is not None else _publisher_of(first),
                    datePublished=first.datePublished.date() if first.datePublished else None,
                    appearance=seen,
                    firstAppearance=first,
                ),
            )
        )
    return reviews


def _verdicts(session: Session, claims: Sequence[ClaimOut]) -> dict[int, _Verdict]:
    """When each claim got its verdict, and the note given with it: the last status
    change, if it set the status the claim has. A verdict that came another way (loaded
    with the data, set in SQL) is dated by the claim's last change, without a note."""
    last_changes = (
        select(func.max(col(Change.id)))
        .where(
            col(Change.claim_id).in_([claim.id for claim in claims]),
            col(Change.type) == ChangeType.claim_status_changed,
        )
        .group_by(col(Change.claim_id))
    )
    events = {
        event.claim_id: event
        for event in session.execute(
            select(Change).where(col(Change.id).in_(last_changes))
        ).scalars()
    }
    verdicts = {}
    for claim in claims:
        event = events.get(claim.id)
        if event is not None and (event.after or {}).get("status") == claim.status:
            verdicts[claim.id] = _Verdict(at=event.at, note=event.note)
        else:
            verdicts[claim.id] = _Verdict(at=claim.updated_at, note=None)
    return verdicts


def _author(source: Source) -> ClaimAuthorOut:
    person = source.kind == SourceKind.person
    return ClaimAuthorOut.model_validate(
        {
            "@type": "Person" if person else "Organization",
            "name": source.name,
            "jobTitle": source.description if person else None,
            "description": None if person else source.description,
            "sameAs": source.same_as or None,
        }
    )


def _publisher_of(appearance: AppearanceOut) -> ClaimAuthorOut | None:
    """The author of an article's own statement: the outlet that published it."""
    if appearance.publisher is None:
        return None
    return ClaimAuthorOut.model_validate(
        {"@type": "Organization", "name": appearance.publisher.name}
    )


def _appearance(article: Article) -> AppearanceOut:
    return AppearanceOut(
        url=article.url,
        headline=article.title,
        datePublished=article.published_at,
        publisher=OrganizationOut(name=article.publisher) if article.publisher else None,
    )
