"""Reading the changes feed (app.changes): the whole feed, and one claim's audit trail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, or_, select
from sqlmodel import Session, col

from app.changes import field_changes
from app.models import Change, ChangeType, EventKind, MatchState
from app.pagination import decode_cursor, encode_cursor, keyset_page
from app.schemas import ChangeOut, ChangePage, EventOut, EventPage

_KINDS = {
    ChangeType.claim_created: EventKind.created,
    ChangeType.claim_status_changed: EventKind.status_changed,
    ChangeType.claim_attributed: EventKind.attributed,
    ChangeType.claim_updated: EventKind.reextracted,  # or grouped: see _kind
    ChangeType.claim_deleted: EventKind.deleted,
    ChangeType.annotation_created: EventKind.annotated,
    ChangeType.annotation_updated: EventKind.annotation_edited,
    ChangeType.annotation_deleted: EventKind.annotation_deleted,
    ChangeType.match_created: EventKind.match_found,
    ChangeType.match_deleted: EventKind.match_removed,
}
"""How a claim's audit trail names each change that concerns a claim."""


def _kind(change: Change) -> EventKind:
    if change.type == ChangeType.claim_updated and "match_group" in (change.after or {}):
        return EventKind.grouped
    if change.type == ChangeType.match_updated:
        confirmed = (change.after or {}).get("state") == MatchState.confirmed
        return EventKind.match_confirmed if confirmed else EventKind.match_rejected
    return _KINDS[change.type]


def _every_field(change: Change) -> bool:
    return change.type.value.endswith((".created", ".deleted"))


def change_out(change: Change | Row[Any]) -> ChangeOut:
    """A change of the feed, from its entity or its row (the worker reads rows)."""
    return ChangeOut(
        id=change.id or 0,
        type=change.type,
        resource=change.resource,  # type: ignore[arg-type]
        resource_id=change.resource_id,
        version=change.version,
        claim_id=change.claim_id,
        actor=change.actor,
        at=change.at,
        changes=field_changes(change.before, change.after, every=_every_field(change)),  # type: ignore[arg-type]
        note=change.note,
    )


def list_changes(
    *, session: Session, limit: int, after: str | None, types: Sequence[ChangeType] = ()
) -> ChangePage:
    """The feed after a cursor, in its order. The next cursor is never null: past the
    last change read, or, at the end, past every change so far (those a `types` filter
    skipped too)."""
    start = decode_cursor(after, 1)[0] if after is not None else 0
    # The end first: a change committed after this read takes a larger id (app.changes).
    end = session.execute(select(func.max(col(Change.id)))).scalar() or 0
    query = select(Change).where(col(Change.id) > start, col(Change.id) <= end)
    if types:
        query = query.where(col(Change.type).in_(types))
    rows = list(session.execute(query.order_by(col(Change.id)).limit(limit + 1)).scalars())
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = (rows[-1].id or 0) if has_more else max(start, end)
    return ChangePage(
        items=[change_out(r) for r in rows], next_cursor=encode_cursor(last), has_more=has_more
    )


def list_claim_events(
    *, session: Session, claim_id: int, limit: int, cursor: str | None
) -> EventPage:
    """A claim's audit trail, oldest first: the changes of the feed that concern it."""
    query = select(Change).where(
        or_(col(Change.claim_id) == claim_id, col(Change.peer_claim_id) == claim_id)
    )
    if cursor is not None:
        (after,) = decode_cursor(cursor, 1)
        query = query.where(col(Change.id) > after)
    changes = list(session.execute(query.order_by(col(Change.id)).limit(limit + 1)).scalars())
    items = [
        EventOut(
            id=c.id or 0, claim_id=claim_id, kind=_kind(c), actor=c.actor, at=c.at,
            before=c.before, after=c.after, note=c.note,
            changes=field_changes(c.before, c.after, every=_every_field(c)),  # type: ignore[arg-type]
            type=c.type,
        )
        for c in changes
    ]  # fmt: skip
    return EventPage.model_validate(keyset_page(items, limit))
