"""The audit trail: an append-only event for every change to a claim.

Events are written in the transaction of the change they record, so there is
never a change without its event or an event without its change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, literal, select
from sqlmodel import Session, col

from app.models import Claim, ClaimEvent, EventKind, UTCDateTime, table_of, utcnow
from app.pagination import decode_cursor, keyset_page
from app.schemas import EventOut, EventPage


def record_event(
    session: Session,
    *,
    claim_id: int,
    kind: EventKind,
    actor: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> None:
    session.add(
        ClaimEvent(
            claim_id=claim_id,
            kind=kind,
            actor=actor,
            before=before,
            after=after,
            note=note,
            at=utcnow(),
        )
    )
    session.flush()


def record_created(
    session: Session, *, article_id: int, actor: str, claim_ids: Sequence[int] | None = None
) -> None:
    """A `created` event for every claim of a new article (or those of ``claim_ids``),
    in one statement."""
    c = table_of(Claim).c
    which = c.article_id == article_id
    if claim_ids is not None:
        which = which & c.id.in_(claim_ids)
    session.execute(
        insert(ClaimEvent).from_select(
            ["claim_id", "kind", "actor", "at"],
            select(
                c.id,
                literal(EventKind.created.value),
                literal(actor),
                literal(utcnow(), UTCDateTime),
            ).where(which),
        )
    )


def list_events(*, session: Session, claim_id: int, limit: int, cursor: str | None) -> EventPage:
    """A claim's events, oldest first."""
    query = select(ClaimEvent).where(col(ClaimEvent.claim_id) == claim_id)
    if cursor is not None:
        (after,) = decode_cursor(cursor, 1)
        query = query.where(col(ClaimEvent.id) > after)
    events = list(session.execute(query.order_by(col(ClaimEvent.id)).limit(limit + 1)).scalars())
    items = [EventOut.model_validate(e.model_dump()) for e in events]
    return EventPage.model_validate(keyset_page(items, limit))
