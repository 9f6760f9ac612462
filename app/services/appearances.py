"""Where a claim appears: the articles that carry it, the first appearance first.

Today a claim appears in its own article alone. Claim matching, once it confirms
that claims of other articles are the same claim, adds their articles here, and
everything that names a claim's appearances (ClaimReview's `appearance` and
`firstAppearance`) follows.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from app.models import Article, Claim


def first_appearance_order(article: Article) -> tuple[bool, datetime, datetime, int]:
    """Earliest first: by publication time, an article without one after every article
    with one, then by the time it was ingested."""
    published = article.published_at
    return (published is None, published or article.created_at, article.created_at, article.id or 0)


def appearances(session: Session, claim_ids: Collection[int]) -> dict[int, list[Article]]:
    """The articles each claim appears in, the first appearance first; a claim id that
    names no claim has none."""
    if not claim_ids:
        return {}
    found: dict[int, list[Article]] = {claim_id: [] for claim_id in claim_ids}
    rows = session.execute(
        select(col(Claim.id), Article)
        .join(Article, col(Article.id) == col(Claim.article_id))
        .where(col(Claim.id).in_(found))
    )
    for claim_id, article in rows:
        found[claim_id].append(article)
    for articles in found.values():
        articles.sort(key=first_appearance_order)
    return found
