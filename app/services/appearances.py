"""Where a claim appears: the articles that carry it, the first appearance first.

A claim appears in its own article and in the articles of every claim of its
confirmed match group (app.services.matching): a person said they are the same
claim. Everything that names a claim's appearances (ClaimReview's `appearance`
and `firstAppearance`) follows.
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
        select(col(Claim.id), col(Claim.match_group), Article)
        .join(Article, col(Article.id) == col(Claim.article_id))
        .where(col(Claim.id).in_(found))
    ).all()
    groups = {group for _, group, _ in rows if group is not None}
    in_group: dict[int, dict[int, Article]] = {group: {} for group in groups}
    if groups:
        for group, article in session.execute(
            select(col(Claim.match_group), Article)
            .join(Article, col(Article.id) == col(Claim.article_id))
            .where(col(Claim.match_group).in_(groups))
        ):
            in_group[group][article.id] = article
    for claim_id, group, article in rows:
        found[claim_id] = list(in_group[group].values()) if group is not None else [article]
    for articles in found.values():
        articles.sort(key=first_appearance_order)
    return found
