"""What the generated OpenAPI document cannot say by itself.

FastAPI derives the spec from the routes; this adds what clients need and
the routes cannot express: which operations take an optional key, that
If-Match is required (answered 428, not 422, when missing), the 400 a body
that is not JSON gets, and the OpenAPI links that chain operations (ingest ->
claim -> status change), which Schemathesis also follows; and the 429 and
the RateLimit fields of every /v1 operation (app.ratelimit).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON
from app.ratelimit import LIMITED_PREFIX
from app.settings import Settings

ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'
_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_BEARER: dict[str, list[str]] = {"apiKey": []}

_CLAIM = {"claim_id": "$response.body#/id"}
_CLAIM_WITH_ETAG = _CLAIM | {"header.If-Match": "$response.header.ETag"}
LINKS: dict[str, dict[str, dict[str, dict[str, Any]]]] = {
    "ingest_article": {
        status: {
            "GetArticle": {
                "operationId": "get_article",
                "parameters": {"article_id": "$response.body#/id"},
            },
            "ListArticleClaims": {
                "operationId": "list_article_claims",
                "parameters": {"article_id": "$response.body#/id"},
            },
            "GetFirstClaim": {
                "operationId": "get_claim",
                "parameters": {"claim_id": "$response.body#/claims/0/id"},
            },
        }
        for status in ("200", "201")
    },
    "get_claim": {
        "200": {
            "SetClaimStatus": {"operationId": "set_claim_status", "parameters": _CLAIM_WITH_ETAG},
            "AttributeClaim": {"operationId": "attribute_claim", "parameters": _CLAIM_WITH_ETAG},
            "ListClaimEvents": {"operationId": "list_claim_events", "parameters": _CLAIM},
            "AnnotateClaim": {"operationId": "annotate_claim", "parameters": _CLAIM},
            "GetClaimReview": {"operationId": "get_claim_review", "parameters": _CLAIM},
        }
    },
    "set_claim_status": {
        "200": {
            "GetClaimReview": {"operationId": "get_claim_review", "parameters": _CLAIM},
            "ListClaimEvents": {"operationId": "list_claim_events", "parameters": _CLAIM},
        }
    },
    "annotate_claim": {
        "201": {
            "GetAnnotation": {
                "operationId": "get_annotation",
                "parameters": {"annotation_id": "$response.body#/id"},
            },
            "EditAnnotation": {
                "operationId": "edit_annotation",
                "parameters": {
                    "annotation_id": "$response.body#/id",
                    "header.If-Match": "$response.header.ETag",
                },
            },
        }
    },
    "create_source": {
        "201": {
            "GetSource": {
                "operationId": "get_source",
                "parameters": {"source_id": "$response.body#/id"},
            },
            "UpdateSource": {
                "operationId": "update_source",
                "parameters": {
                    "source_id": "$response.body#/id",
                    "header.If-Match": "$response.header.ETag",
                },
            },
        }
    },
}


_ETAG_HEADER = {
    "description": 'The resource\'s version, quoted (`"3"`): send it back in If-Match.',
    "schema": {"type": "string"},
}
_RETRY_AFTER_HEADER = {
    "description": "Seconds to wait before sending the request again.",
    "schema": {"type": "integer"},
}
# Documented whether or not this server limits rates: a client should be ready for both.
RATE_LIMIT_HEADERS = {
    "RateLimit-Policy": {
        "description": "When the server limits rates: the quota policy this request counts "
        "against, as draft-ietf-httpapi-ratelimit-headers-10 writes it. "
        '`"key";q=600;w=60` is 600 requests per 60 s for the API key; `"address"` is the '
        "quota of a client address, which counts the requests without a valid key.",
        "schema": {"type": "string"},
    },
    "RateLimit": {
        "description": "When the server limits rates: what is left of the quota. "
        '`"key";r=42;t=17` is 42 requests left; the window ends in 17 s, and then the '
        "whole quota is there again.",
        "schema": {"type": "string"},
    },
}
_RATE_LIMIT_REFS = {name: {"$ref": f"#/components/headers/{name}"} for name in RATE_LIMIT_HEADERS}
_RATE_LIMITED = {
    "description": "Too many requests in this window, for the API key or, without one, the "
    "client address (only when the server limits rates). Send again after `Retry-After` "
    "seconds; `violated-policies` names the policy.",
    "headers": {"Retry-After": _RETRY_AFTER_HEADER, **_RATE_LIMIT_REFS},
    "content": _PROBLEM,
}
ETAGGED = {
    "get_claim": ("200",),
    "set_claim_status": ("200",),
    "attribute_claim": ("200",),
    "get_source": ("200",),
    "create_source": ("201",),
    "update_source": ("200",),
    "annotate_claim": ("201",),
    "get_annotation": ("200",),
    "edit_annotation": ("200",),
}


def build_openapi(app: FastAPI, settings: Settings) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    read_security = [_BEARER] if settings.reads_require_key else [{}, _BEARER]
    for path, operations in spec["paths"].items():
        for op in operations.values():
            if "security" not in op and path.startswith("/v1/"):
                op["security"] = read_security
            for param in op.get("parameters", []):
                if param["in"] == "header" and param["name"].lower() == "if-match":
                    param["required"] = True
                    param["schema"] = {"type": "string", "pattern": ENTITY_TAGS}
            if "requestBody" in op:
                op["responses"].setdefault(
                    "400",
                    {"description": "The body is not JSON, or not UTF-8.", "content": _PROBLEM},
                )
            for status, links in LINKS.get(op["operationId"], {}).items():
                op["responses"][status]["links"] = links
            for status in ETAGGED.get(op["operationId"], ()):
                op["responses"][status]["headers"] = {"ETag": _ETAG_HEADER}
            if "412" in op["responses"]:
                op["responses"]["412"]["headers"] = {"ETag": _ETAG_HEADER}
            if "503" in op["responses"]:
                op["responses"]["503"]["headers"] = {"Retry-After": _RETRY_AFTER_HEADER}
            if path.startswith(LIMITED_PREFIX):
                for response in op["responses"].values():
                    response.setdefault("headers", {}).update(_RATE_LIMIT_REFS)
                op["responses"]["429"] = _RATE_LIMITED
    spec["components"]["headers"] = RATE_LIMIT_HEADERS
    app.openapi_schema = spec
    return spec
