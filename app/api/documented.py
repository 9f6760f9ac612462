"""What each route declares of its answers in the OpenAPI spec, beside the route:
its errors, its ETag header, and the links that chain operations (ingest ->
claim -> status change), which Schemathesis also follows."""

from __future__ import annotations

from typing import Any

from app.errors import PROBLEM_JSON
from app.schemas import Problem

_WHY = {
    400: "The request is malformed (an invalid cursor or If-Match header).",
    401: "No API key, or an unknown or revoked one (see `WWW-Authenticate`).",
    403: "The key's role does not allow this operation.",
    404: "No such resource.",
    409: "The request conflicts with the current state.",
    412: "If-Match names a version the resource no longer has; nothing was changed. "
    "The `ETag` header carries the current version.",
    413: "The body or the article text is larger than the configured limit.",
    422: "The request does not match the schema; `errors` lists each field.",
    428: "The write needs an If-Match header with the resource's ETag.",
    503: "The database cannot be reached or is busy. "
    "Send the request again after `Retry-After` seconds.",
}

ETAG_HEADER = {
    "description": 'The resource\'s version, quoted (`"3"`): send it back in If-Match.',
    "schema": {"type": "string"},
}
RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before sending the request again.",
    "schema": {"type": "integer"},
}
_HEADERS = {412: {"ETag": ETAG_HEADER}, 503: {"Retry-After": RETRY_AFTER_HEADER}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for these statuses, typed as problem+json; with 422 and
    503 always (even /v1/extract reads the database to check a key when reads
    require one)."""
    return {
        status: {
            "model": Problem,
            "description": _WHY[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            **({"headers": dict(_HEADERS[status])} if status in _HEADERS else {}),
        }
        for status in (*statuses, 422, 503)
    }


def etagged(*, links: dict[str, Any] | None = None, **response: Any) -> dict[str, Any]:
    """A success answer that carries the resource's `ETag`, with its links."""
    return {"headers": {"ETag": ETAG_HEADER}, **({"links": links} if links else {}), **response}


def link(
    operation_id: str, parameters: dict[str, str], *, if_match: bool = False
) -> dict[str, Any]:
    """An OpenAPI link to ``operation_id``; ``if_match`` carries the ETag into If-Match."""
    if if_match:
        parameters = parameters | {"header.If-Match": "$response.header.ETag"}
    return {"operationId": operation_id, "parameters": parameters}


CLAIM = {"claim_id": "$response.body#/id"}
CLAIM_LINKS = {
    "SetClaimStatus": link("set_claim_status", CLAIM, if_match=True),
    "AttributeClaim": link("attribute_claim", CLAIM, if_match=True),
    "ListClaimEvents": link("list_claim_events", CLAIM),
    "AnnotateClaim": link("annotate_claim", CLAIM),
    "GetClaimReview": link("get_claim_review", CLAIM),
}
"""What a client can do next with a claim it has read."""
