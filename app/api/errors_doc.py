"""The error responses each route declares in the OpenAPI spec."""

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


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for these statuses, typed as problem+json; with 422 and
    503 always (even /v1/extract reads the database to check a key when reads
    require one)."""
    return {
        status: {
            "model": Problem,
            "description": _WHY[status],
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in (*statuses, 422, 503)
    }
