"""The API's routers, in the order the spec lists them."""

from fastapi import APIRouter

from app.api.routes import (
    annotations,
    articles,
    changes,
    claimreviews,
    claims,
    export,
    extract,
    keys,
    matches,
    sources,
    webhooks,
)

V1_ROUTERS: list[APIRouter] = [
    articles.router,
    matches.router,
    claims.router,
    claimreviews.router,
    sources.router,
    annotations.router,
    changes.router,
    extract.router,
    export.router,
    keys.router,
    webhooks.router,
]
