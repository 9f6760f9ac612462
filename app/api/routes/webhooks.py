from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.auth import AdminKey
from app.api.deps import Cursor, IfMatchDep, Limit, SessionDep, id_path
from app.api.documented import etagged, link, problems
from app.db import load_or_404
from app.models import DeliveryState, Webhook
from app.pagination import DEFAULT_LIMIT
from app.preconditions import etag
from app.schemas import (
    DeliveryOut,
    DeliveryPage,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
)
from app.services import webhooks as service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])

WebhookId = Annotated[int, id_path("webhook")]
_WEBHOOK = {"webhook_id": "$response.body#/id"}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a webhook",
    responses={
        201: etagged(
            links={
                "GetWebhook": link("get_webhook", _WEBHOOK),
                "UpdateWebhook": link("update_webhook", _WEBHOOK, if_match=True),
                "ListWebhookDeliveries": link("list_webhook_deliveries", _WEBHOOK),
            }
        ),
        **problems(401, 403),
    },
)
def create_webhook(
    data: WebhookIn, admin: AdminKey, session: SessionDep, response: Response
) -> WebhookCreatedOut:
    """A target for the changes committed from now on: those of `types` (all when
    empty) that pass its `filter`. Each delivery is a POST signed as Standard Webhooks
    sign them (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256
    over id.timestamp.body with the `secret` this answer shows once), retried with
    backoff for a day when it fails. The body is `{"type", "timestamp", "data"}`, its
    `data` the change as `GET /v1/changes` gives it and `current`, the resource as it
    is at delivery (null once deleted)."""
    webhook = service.create_webhook(session=session, data=data, actor=admin.name)
    response.headers["ETag"] = etag(webhook.version)
    response.headers["Location"] = f"/v1/webhooks/{webhook.id}"
    return webhook


@router.get("", summary="List webhooks", responses=problems(400, 401, 403))
def list_webhooks(
    _admin: AdminKey, session: SessionDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
) -> WebhookPage:
    """Every webhook, oldest first; secrets are never shown again."""
    return service.list_webhooks(session=session, limit=limit, cursor=cursor)


@router.get(
    "/{webhook_id}",
    summary="Get a webhook",
    responses={200: etagged(), **problems(400, 401, 403, 404)},
)
def get_webhook(
    webhook_id: WebhookId, _admin: AdminKey, session: SessionDep, response: Response
) -> WebhookOut:
    """One webhook; `disabled_reason` says why the server disabled it, if it did."""
    webhook = load_or_404(session, Webhook, webhook_id)
    response.headers["ETag"] = etag(webhook.version)
    return service.webhook_out(webhook)


@router.patch(
    "/{webhook_id}",
    summary="Edit a webhook",
    responses={200: etagged(), **problems(400, 401, 403, 404, 412, 428)},
)
def update_webhook(
    webhook_id: WebhookId,
    data: WebhookPatch,
    _admin: AdminKey,
    if_match: IfMatchDep,
    session: SessionDep,
    response: Response,
) -> WebhookOut:
    """Change the fields given (a `filter` given replaces the whole filter); `enabled`
    true again resumes deliveries where they stopped. `If-Match` is required."""
    webhook = service.update_webhook(
        session=session, webhook_id=webhook_id, data=data, if_match=if_match
    )
    response.headers["ETag"] = etag(webhook.version)
    return webhook


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook",
    responses=problems(400, 401, 403, 404, 412, 428),
)
def delete_webhook(
    webhook_id: WebhookId, _admin: AdminKey, if_match: IfMatchDep, session: SessionDep
) -> Response:
    """Delete it with its deliveries and their log. `If-Match` is required."""
    service.delete_webhook(session=session, webhook_id=webhook_id, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{webhook_id}/deliveries",
    summary="List a webhook's deliveries",
    responses=problems(400, 401, 403, 404),
)
def list_webhook_deliveries(
    webhook_id: WebhookId,
    _admin: AdminKey,
    session: SessionDep,
    state: Annotated[DeliveryState | None, Query(description="Only these.")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> DeliveryPage:
    """The delivery log, newest first: each change sent or to send, its attempts
    (status code, latency, error) and, while pending, when the next one is due."""
    return service.list_deliveries(
        session=session, webhook_id=webhook_id, limit=limit, cursor=cursor, state=state
    )


@router.post(
    "/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a delivery again",
    responses=problems(400, 401, 403, 404, 409),
)
def redeliver(
    webhook_id: WebhookId,
    delivery_id: Annotated[int, id_path("delivery")],
    _admin: AdminKey,
    session: SessionDep,
) -> DeliveryOut:
    """Queue it again, due now, with a new retry schedule: delivered, failed or
    pending alike (409 while a worker is sending it). Its `webhook-id` stays the same."""
    return service.redeliver(session=session, webhook_id=webhook_id, delivery_id=delivery_id)
