"""What the generated OpenAPI document cannot say by itself.

FastAPI derives the spec from the routes, and each route declares its own
errors, ETag and links (app.api.documented); this adds what holds across
routes: which operations take an optional key, that If-Match is required
(answered 428, not 422, when missing), and the 400 a body that is not JSON gets.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.errors import PROBLEM_JSON
from app.settings import Settings

ENTITY_TAGS = r'^(\*|(W/)?"[^"]*"(\s*,\s*(W/)?"[^"]*")*)$'
_PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_BEARER: dict[str, list[str]] = {"apiKey": []}


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
    app.openapi_schema = spec
    return spec
