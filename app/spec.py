"""What the generated OpenAPI document cannot say by itself.

FastAPI derives the spec from the routes, and each route declares its own
errors, ETag and links (app.api.documented); this adds what holds across
routes: which operations take an optional key, that If-Match is required
(answered 428, not 422, when missing), and the 400 a body that is not JSON gets;
and the 429 and the RateLimit fields of every /v1 operation (app.ratelimit).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.api.documented import RETRY_AFTER_HEADER
from app.errors import PROBLEM_JSON
from app.ratelimit import LIMITED_PREFIX
from app.settings import Settings

ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'
_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_BEARER: dict[str, list[str]] = {"apiKey": []}

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
    "headers": {"Retry-After": RETRY_AFTER_HEADER, **_RATE_LIMIT_REFS},
    "content": _PROBLEM,
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
            if path.startswith(LIMITED_PREFIX):
                for response in op["responses"].values():
                    response.setdefault("headers", {}).update(_RATE_LIMIT_REFS)
                op["responses"]["429"] = _RATE_LIMITED
    spec["components"]["headers"] = RATE_LIMIT_HEADERS
    app.openapi_schema = spec
    return spec
