"""Ingesting articles and reading them back."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Float, Integer, func, insert, literal_column, select, tuple_
from sqlalchemy import column as sa_column
from sqlalchemy import table as sa_table
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from app import search
from app.changes import record, row_snapshot
from app.claims import ClaimStore
from app.claims.listing import Sort, decode_sorted_cursor, encode_sorted_cursor, ts_rank
from app.db import write_transaction
from app.errors import Conflict, PayloadTooLarge
from app.extraction import EXTRACTOR_VERSION, extract
from app.extraction.types import Extraction
from app.models import Article, ChangeType, Sentence, table_of
from app.pagination import decode_cursor, keyset_page
from app.schemas import ArticleIn, ArticleIngestedOut, ArticleOut, ArticlePage, ArticleSummaryOut
from app.services.source_registry import resolve_claim_sources


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
    *, session: Session, claims: ClaimStore, data: ArticleIn, max_bytes: int, actor: str
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
    try:
        with write_transaction(session):
            existing = _find_by_hash(session, digest)
            if existing is not None:
                return existing, False
            article = _store(session, claims, data, digest, extraction, actor)
    except Conflict:
        # The same text, ingested by a concurrent request that committed first.
        existing = _find_by_hash(session, digest)
        if existing is None:
            raise
        return existing, False
    return article, True


def _store(
    session: Session,
    claims: ClaimStore,
    data: ArticleIn,
    digest: str,
    extraction: Extraction,
    actor: str,
) -> Article:
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
    record(
        session, ChangeType.article_created, article.id, actor=actor, version=None,
        after=row_snapshot("article", article),
    )  # fmt: skip
    if extraction.sentences:
        session.execute(
            insert(Sentence),
            [
                {"article_id": article.id, "index": s.index, "start": s.start, "end": s.end}
                for s in extraction.sentences
            ],
        )
    claims.add_extracted(
        session,
        article=article,
        claims=extraction.claims,
        source_ids=resolve_claim_sources(session, extraction.claims, actor=actor),
        actor=actor,
    )
    return article


def article_out(session: Session, article: Article) -> ArticleOut:
    sentences = session.execute(
        select(col(Sentence.index), col(Sentence.start), col(Sentence.end))
        .where(col(Sentence.article_id) == article.id)
        .order_by(col(Sentence.index))
    ).mappings()
    return ArticleOut.model_validate({**article.model_dump(), "sentences": list(sentences)})


def ingested_article(session: Session, claims: ClaimStore, article: Article) -> ArticleIngestedOut:
    assert article.id is not None
    return ArticleIngestedOut.model_validate(
        {
            **article_out(session, article).model_dump(),
            "claims": claims.of_article(session, article.id),
        }
    )


def list_articles(
    *, session: Session, limit: int, cursor: str | None, q: str | None = None
) -> ArticlePage:
    """Articles newest first, keyset-paged on id; with ``q``, the articles whose title or
    first 100,000 characters match it, best first, keyset-paged on (relevance, id). The
    texts stay out of the page."""
    if q is not None:
        return _search_articles(session, search.parse(q), limit, cursor)
    cols = table_of(Article).c
    summary = [cols[name] for name in ArticleSummaryOut.model_fields]
    query = select(*summary).order_by(cols.id.desc())
    if cursor is not None:
        (before,) = decode_cursor(cursor, 1)
        query = query.where(cols.id < before)
    rows = session.execute(query.limit(limit + 1)).mappings().all()
    return ArticlePage.model_validate(keyset_page([dict(r) for r in rows], limit))


ARTICLE_CURSOR_PATTERN = r"^([0-9a-z]{1,6}|r\.[0-9a-z]{1,13}\.[0-9a-z]{1,6})$"
"""The article listing's cursors: an id (newest first), or a search's relevance and id."""
_TITLE_WEIGHT = 10.0
"""How much more a word of the title counts than one of the text, on SQLite (bm25's
column weights); PostgreSQL weighs the title A, the text D (ts_rank's 1.0 and 0.1)."""


def _search_articles(
    session: Session, query: search.SearchQuery, limit: int, cursor: str | None
) -> ArticlePage:
    a = table_of(Article).c
    summary = [a[name] for name in ArticleSummaryOut.model_fields]
    if session.get_bind().dialect.name == "sqlite":
        fts = sa_table("article_fts", sa_column("rowid", Integer))
        fts_table: ColumnElement[Any] = literal_column("article_fts")
        key: ColumnElement[Any] = func.bm25(fts_table, _TITLE_WEIGHT, 1.0, type_=Float)
        found = (
            select(*summary, key.label("key"))
            .select_from(fts.join(table_of(Article), a.id == fts.c.rowid))
            .where(fts_table.op("MATCH")(query.fts5()))
        )
    else:
        vector: ColumnElement[Any] = literal_column("article.search_vector")
        tsquery = func.websearch_to_tsquery(
            literal_column("'claimdesk_english'::regconfig"), query.websearch()
        )
        key = -ts_rank(vector, tsquery)
        found = select(*summary, key.label("key")).where(vector.op("@@")(tsquery))
    if cursor is not None:
        seek = decode_sorted_cursor(cursor, Sort.relevance)
        found = found.where(tuple_(key, a.id) > tuple_(seek["key"], seek["after"]))
    rows = session.execute(found.order_by(key, a.id).limit(limit + 1)).mappings().all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = encode_sorted_cursor(Sort.relevance, last["key"], last["id"])
    items = [{name: row[name] for name in ArticleSummaryOut.model_fields} for row in rows[:limit]]
    return ArticlePage.model_validate({"items": items, "next_cursor": next_cursor})
