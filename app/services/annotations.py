"""Annotations on claims (W3C Web Annotation motivations), each change in the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.changes import record, row_snapshot
from app.db import load_or_404, versioned_delete, versioned_update, write_transaction
from app.errors import NotFound, Unprocessable
from app.models import Annotation, ChangeType, Claim, utcnow
from app.pagination import decode_cursor, keyset_page
from app.preconditions import IfMatch
from app.schemas import AnnotationIn, AnnotationOut, AnnotationPage, AnnotationPatch


def annotation_out(annotation: Annotation) -> AnnotationOut:
    return AnnotationOut.model_validate(annotation.model_dump())


def _claim_text(session: Session, claim_id: int) -> str:
    text = session.execute(select(col(Claim.text)).where(col(Claim.id) == claim_id)).scalar()
    if text is None:
        raise NotFound(f"Claim {claim_id} does not exist.")
    return text


def _check_quote(quote: str | None, claim_text: str) -> None:
    if quote is not None and quote not in claim_text:
        raise Unprocessable(
            "The quote does not occur in the claim's text.",
            errors=[{"field": "body.quote", "message": "not in the claim", "type": "value_error"}],
        )


def _summary(a: Annotation) -> dict[str, Any]:
    """The annotation as its changes carry it: its id (as the audit trail always named
    it) and its fields."""
    return {"annotation_id": a.id, **row_snapshot("annotation", a)}


def annotate_claim(
    *, session: Session, claim_id: int, data: AnnotationIn, author: str
) -> AnnotationOut:
    with write_transaction(session):
        _check_quote(data.quote, _claim_text(session, claim_id))
        now = utcnow()
        annotation = Annotation(
            claim_id=claim_id,
            author=author,
            motivation=data.motivation,
            body=data.body,
            evidence_url=str(data.evidence_url) if data.evidence_url else None,
            quote=data.quote,
            created_at=now,
            updated_at=now,
        )
        session.add(annotation)
        session.flush()
        assert annotation.id is not None
        record(
            session, ChangeType.annotation_created, annotation.id, actor=author,
            version=annotation.version, after=_summary(annotation), claim_id=claim_id,
        )  # fmt: skip
    return annotation_out(annotation)


def edit_annotation(
    *, session: Session, annotation_id: int, data: AnnotationPatch, actor: str, if_match: IfMatch
) -> AnnotationOut:
    """Change the fields given; an edit that changes nothing keeps the version and
    records no event."""
    changes = data.model_dump(exclude_unset=True)
    if changes.get("evidence_url") is not None:
        changes["evidence_url"] = str(changes["evidence_url"])
    with write_transaction(session):
        annotation = load_or_404(session, Annotation, annotation_id)
        if_match.check(annotation.version)
        if "quote" in changes:
            _check_quote(changes["quote"], _claim_text(session, annotation.claim_id))
        before = _summary(annotation)
        if versioned_update(session, annotation, if_match, changes):
            record(
                session, ChangeType.annotation_updated, annotation_id, actor=actor,
                version=annotation.version, before=before, after=_summary(annotation),
                claim_id=annotation.claim_id,
            )  # fmt: skip
    return annotation_out(annotation)


def delete_annotation(
    *, session: Session, annotation_id: int, actor: str, if_match: IfMatch
) -> None:
    with write_transaction(session):
        annotation = load_or_404(session, Annotation, annotation_id)
        before = _summary(annotation)
        versioned_delete(session, annotation, if_match)
        record(
            session, ChangeType.annotation_deleted, annotation_id, actor=actor, version=None,
            before=before, claim_id=annotation.claim_id,
        )  # fmt: skip


def list_annotations(
    *,
    session: Session,
    limit: int,
    cursor: str | None,
    claim_id: int | None = None,
    author: str | None = None,
    motivation: str | None = None,
) -> AnnotationPage:
    """Annotations in creation order, keyset-paged on id."""
    query = select(Annotation)
    if claim_id is not None:
        _claim_text(session, claim_id)  # 404 for an unknown claim, not an empty page
        query = query.where(col(Annotation.claim_id) == claim_id)
    if author is not None:
        query = query.where(col(Annotation.author) == author)
    if motivation is not None:
        query = query.where(col(Annotation.motivation) == motivation)
    if cursor is not None:
        (after,) = decode_cursor(cursor, 1)
        query = query.where(col(Annotation.id) > after)
    rows = list(session.execute(query.order_by(col(Annotation.id)).limit(limit + 1)).scalars())
    return AnnotationPage.model_validate(keyset_page([annotation_out(a) for a in rows], limit))
