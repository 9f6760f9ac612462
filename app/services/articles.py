"""Ingesting articles and reading them back."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.claim_json import claim_pieces
from app.db import begin_write
from app.errors import NotFound, PayloadTooLarge
from app.extraction import EXTRACTOR_VERSION, extract
from app.extraction.types import ExtractedClaim, Extraction
from app.models import Article, Claim, Sentence, table_of, utcnow
from app.pagination import decode_cursor, keyset_page
from app.schemas import ArticleIn
from app.services.claims import all_article_claims
from app.services.events import record_created
from app.services.sources import resolve_guesses


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _find_by_hash(session: Session, digest: str) -> Article | None:
    return session.execute(
        select(Article).where(col(Article.content_hash) == digest)
    ).scalar_one_or_none()


def check_article_size(text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise PayloadTooLarge(
            f"The text is {size} bytes; the limit is {max_bytes}.", limit=max_bytes
        )


def ingest_article(
    *, session: Session, data: ArticleIn, max_bytes: int, actor: str
) -> tuple[Article, bool]:
    """Store the article, its sentences and its claims in one transaction.

    Returns the article and whether it was created; the same text posted again
    returns the article stored the first time.
    """
    check_article_size(data.text, max_bytes)
    digest = content_hash(data.text)
    existing = _find_by_hash(session, digest)
    if existing is not None:
        return existing, False
    # Extraction is CPU work: do it before taking the database's write lock.
    extraction = extract(data.text)
    begin_write(session)
    try:
        existing = _find_by_hash(session, digest)
        if existing is not None:
            return existing, False
        article = _store(session, data, digest, extraction)
        assert article.id is not None
        record_created(session, article_id=article.id, actor=actor)
        session.commit()
    except IntegrityError:
        # The same text, ingested by a concurrent request that committed first.
        session.rollback()
        existing = _find_by_hash(session, digest)
        if existing is None:
            raise
        return existing, False
    except BaseException:
        session.rollback()
        raise
    return article, True


def _store(session: Session, data: ArticleIn, digest: str, extraction: Extraction) -> Article:
    article = Article(
        text=data.text,
        title=data.title,
        url=str(data.url) if data.url else None,
        publisher=data.publisher,
        published_at=data.published_at,
        language=data.language,
        content_hash=digest,
        extractor_version=EXTRACTOR_VERSION,
    )
    session.add(article)
    session.flush()
    assert article.id is not None
    if extraction.sentences:
        session.execute(
            insert(Sentence),
            [
                {"article_id": article.id, "index": s.index, "start": s.start, "end": s.end}
                for s in extraction.sentences
            ],
        )
    source_ids = resolve_guesses(
        session, [c.source for c in extraction.claims if c.source is not None]
    )
    now = utcnow()
    if extraction.claims:
        rows = [
            {
                "article_id": article.id,
                "sentence_index": c.sentence_index,
                "start": c.start,
                "end": c.end,
                "text": data.text[c.start : c.end],
                "source_id": source_ids[c.source] if c.source is not None else None,
                "attribution_type": c.type,
                "attribution_method": "rule",
                "confidence": c.confidence,
                **mention_and_cue(c),
                "status": "unverified",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for c in extraction.claims
        ]
        session.execute(
            # render_nulls: one executemany, not one per pattern of missing values.
            insert(Claim).execution_options(render_nulls=True),
            [row | claim_pieces(row) for row in rows],
        )
    return article


MENTION_MAX = 500  # the column's size; a runaway mention is cut, its span with it


def mention_and_cue(claim: ExtractedClaim) -> dict[str, Any]:
    """Where the text names the source and the reporting word, as stored and served."""
    mention, mention_end = claim.mention, claim.mention_end
    if mention is not None and claim.mention_start is not None and len(mention) > MENTION_MAX:
        mention, mention_end = mention[:MENTION_MAX], claim.mention_start + MENTION_MAX
    return {
        "mention": mention,
        "mention_start": claim.mention_start,
        "mention_end": mention_end,
        "cue": claim.cue,
        "cue_start": claim.cue_start,
        "cue_end": claim.cue_end,
    }


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "publisher": article.publisher,
        "published_at": article.published_at,
        "language": article.language,
        "content_hash": article.content_hash,
        "extractor_version": article.extractor_version,
        "created_at": article.created_at,
    }


def article_detail(session: Session, article: Article) -> dict[str, Any]:
    sentences = session.execute(
        select(col(Sentence.index), col(Sentence.start), col(Sentence.end))
        .where(col(Sentence.article_id) == article.id)
        .order_by(col(Sentence.index))
    ).mappings()
    return {**article_summary(article), "text": article.text, "sentences": list(sentences)}


def ingested_article(session: Session, article: Article) -> dict[str, Any]:
    assert article.id is not None
    return {
        **article_detail(session, article),
        "claims": all_article_claims(session, article.id),
    }


def load_article(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"Article {article_id} does not exist.")
    return article


def list_articles(*, session: Session, limit: int, cursor: str | None) -> dict[str, Any]:
    """Articles newest first, keyset-paged on id. The texts stay out of the page."""
    cols = table_of(Article).c
    query = select(*(c for c in cols if c.name != "text")).order_by(cols.id.desc())
    if cursor is not None:
        (before,) = decode_cursor(cursor, 1)
        query = query.where(cols.id < before)
    rows = session.execute(query.limit(limit + 1)).mappings().all()
    return keyset_page([dict(r) for r in rows], limit)
