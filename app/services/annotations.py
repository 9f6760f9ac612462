"""Annotations on claims (W3C Web Annotation motivations), each change in the audit trail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.db import begin_write
from app.errors import NotFound, Unprocessable
from app.models import Annotation, Claim, EventKind, utcnow
from app.pagination import decode_cursor, keyset_page
from app.preconditions import IfMatch
from app.schemas import AnnotationIn, AnnotationPatch
from app.services.events import record_event


def annotation_dict(a: Annotation) -> dict[str, Any]:
    return {
        "id": a.id,
        "claim_id": a.claim_id,
        "author": a.author,
        "motivation": a.motivation,
        "body": a.body,
        "evidence_url": a.evidence_url,
        "quote": a.quote,
        "version": a.version,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


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
    return {"annotation_id": a.id, "motivation": a.motivation, "body": a.body,
            "evidence_url": a.evidence_url, "quote": a.quote}  # fmt: skip


def annotate_claim(
    *, session: Session, claim_id: int, data: AnnotationIn, author: str
) -> Annotation:
    begin_write(session)
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
    record_event(
        session, claim_id=claim_id, kind=EventKind.annotated, actor=author,
        after=_summary(annotation),
    )  # fmt: skip
    session.commit()
    return annotation


def load_annotation(
    session: Session, annotation_id: int, *, for_update: bool = False
) -> Annotation:
    annotation = session.get(Annotation, annotation_id, with_for_update=for_update)
    if annotation is None:
        raise NotFound(f"Annotation {annotation_id} does not exist.")
    return annotation


def edit_annotation(
    *, session: Session, annotation_id: int, data: AnnotationPatch, actor: str, if_match: IfMatch
) -> Annotation:
    begin_write(session)
    annotation = load_annotation(session, annotation_id, for_update=True)
    if_match.check(annotation.version)
    changes = data.model_dump(exclude_unset=True)
    if "quote" in changes:
        _check_quote(changes["quote"], _claim_text(session, annotation.claim_id))
    if changes.get("evidence_url") is not None:
        changes["evidence_url"] = str(changes["evidence_url"])
    before = _summary(annotation)
    for field, value in changes.items():
        setattr(annotation, field, value)
    annotation.version += 1
    annotation.updated_at = utcnow()
    session.flush()
    record_event(
        session, claim_id=annotation.claim_id, kind=EventKind.annotation_edited, actor=actor,
        before=before, after=_summary(annotation),
    )  # fmt: skip
    session.commit()
    return annotation


def delete_annotation(
    *, session: Session, annotation_id: int, actor: str, if_match: IfMatch
) -> None:
    begin_write(session)
    annotation = load_annotation(session, annotation_id, for_update=True)
    if_match.check(annotation.version)
    record_event(
        session, claim_id=annotation.claim_id, kind=EventKind.annotation_deleted, actor=actor,
        before=_summary(annotation),
    )  # fmt: skip
    session.delete(annotation)
    session.commit()


def list_annotations(
    *,
    session: Session,
    limit: int,
    cursor: str | None,
    claim_id: int | None = None,
    author: str | None = None,
    motivation: str | None = None,
) -> dict[str, Any]:
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
    return keyset_page([annotation_dict(a) for a in rows], limit)
