"""Webhooks as an admin manages them, and their delivery log. The deliveries
themselves are app.webhooks.worker's."""

from __future__ import annotations

import base64
import secrets
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from app.db import load_or_404, versioned_delete, versioned_update, write_transaction
from app.errors import Conflict, NotFound
from app.models import Change, Delivery, DeliveryAttempt, DeliveryState, Webhook, utcnow
from app.pagination import decode_cursor, keyset_page
from app.preconditions import IfMatch
from app.schemas import (
    AttemptOut,
    DeliveryOut,
    DeliveryPage,
    WebhookCreatedOut,
    WebhookFilter,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
)


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def webhook_out(webhook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(
        {
            **webhook.model_dump(exclude={"secret"}),
            "filter": WebhookFilter(source=webhook.source_id, status=webhook.status),
        }
    )


def _columns(data: WebhookIn | WebhookPatch) -> dict[str, Any]:
    """The columns the fields given set (a filter given replaces the whole filter)."""
    given = data.model_dump(exclude_unset=True, exclude={"filter"})
    if "types" in given:
        given["types"] = [t.value for t in (data.types or [])]
    if "filter" in data.model_fields_set:
        wanted = data.filter or WebhookFilter()
        given |= {"source_id": wanted.source, "status": wanted.status}
    return given


def create_webhook(*, session: Session, data: WebhookIn, actor: str) -> WebhookCreatedOut:
    """A new webhook; it gets the changes committed from now on."""
    with write_transaction(session):
        now = utcnow()
        latest = session.execute(select(func.max(col(Change.id)))).scalar() or 0
        webhook = Webhook(
            **_columns(data),
            secret=new_secret(),
            queued_through=latest,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        session.add(webhook)
        session.flush()
        # Read before the commit, which may expire what the session holds.
        created = WebhookCreatedOut(**webhook_out(webhook).model_dump(), secret=webhook.secret)
    return created


def list_webhooks(*, session: Session, limit: int, cursor: str | None) -> WebhookPage:
    query = select(Webhook)
    if cursor is not None:
        (after,) = decode_cursor(cursor, 1)
        query = query.where(col(Webhook.id) > after)
    rows = list(session.execute(query.order_by(col(Webhook.id)).limit(limit + 1)).scalars())
    return WebhookPage.model_validate(keyset_page([webhook_out(w) for w in rows], limit))


def update_webhook(
    *, session: Session, webhook_id: int, data: WebhookPatch, if_match: IfMatch
) -> WebhookOut:
    """Change the fields given. Enabled again, a webhook the server disabled forgets why,
    and its deliveries resume (those still pending first, then what changed meanwhile)."""
    changes = _columns(data)
    with write_transaction(session):
        webhook = load_or_404(session, Webhook, webhook_id)
        if changes.get("enabled") is True and not webhook.enabled:
            changes["disabled_reason"] = None
        if changes.get("enabled") is False:
            changes["disabled_reason"] = None  # a person's choice needs no reason
        versioned_update(session, webhook, if_match, changes)
    return webhook_out(webhook)


def delete_webhook(*, session: Session, webhook_id: int, if_match: IfMatch) -> None:
    """Delete it, its deliveries and their log."""
    with write_transaction(session):
        versioned_delete(session, load_or_404(session, Webhook, webhook_id), if_match)


def _delivery_outs(session: Session, deliveries: list[Delivery]) -> list[DeliveryOut]:
    attempts: dict[int, list[AttemptOut]] = defaultdict(list)
    if deliveries:
        rows = session.execute(
            select(DeliveryAttempt)
            .where(col(DeliveryAttempt.delivery_id).in_([d.id for d in deliveries]))
            .order_by(col(DeliveryAttempt.delivery_id), col(DeliveryAttempt.number))
        ).scalars()
        for a in rows:
            attempts[a.delivery_id].append(AttemptOut.model_validate(a.model_dump()))
    return [
        DeliveryOut(
            id=d.id or 0, webhook_id=d.webhook_id, change_id=d.change_id, resource=d.resource,
            resource_id=d.resource_id, state=d.state, attempts=attempts[d.id or 0],
            next_attempt_at=d.next_attempt_at if d.state == DeliveryState.pending else None,
            delivered_at=d.delivered_at, created_at=d.created_at,
        )
        for d in deliveries
    ]  # fmt: skip


def list_deliveries(
    *,
    session: Session,
    webhook_id: int,
    limit: int,
    cursor: str | None,
    state: DeliveryState | None = None,
) -> DeliveryPage:
    """A webhook's deliveries, newest first, each with its attempts."""
    load_or_404(session, Webhook, webhook_id)
    query = select(Delivery).where(col(Delivery.webhook_id) == webhook_id)
    if state is not None:
        query = query.where(col(Delivery.state) == state)
    if cursor is not None:
        (before,) = decode_cursor(cursor, 1)
        query = query.where(col(Delivery.id) < before)
    rows = list(session.execute(query.order_by(col(Delivery.id).desc()).limit(limit + 1)))
    deliveries = [row[0] for row in rows]
    return DeliveryPage.model_validate(keyset_page(_delivery_outs(session, deliveries), limit))


def redeliver(*, session: Session, webhook_id: int, delivery_id: int) -> DeliveryOut:
    """Send a delivery again, now, with a new retry schedule (the same `webhook-id`, so a
    receiver that keeps ids sees it is the same message)."""
    with write_transaction(session):
        delivery = session.get(Delivery, delivery_id)
        if delivery is None or delivery.webhook_id != webhook_id:
            raise NotFound(f"Webhook {webhook_id} has no delivery {delivery_id}.")
        if delivery.leased_until is not None and delivery.leased_until > utcnow():
            raise Conflict("A worker is sending this delivery now; it needs no push.")
        delivery.state = DeliveryState.pending
        delivery.next_attempt_at = utcnow()
        delivery.retrying_since = None
        delivery.leased_until = delivery.lease = None
        session.flush()
    return _delivery_outs(session, [delivery])[0]
