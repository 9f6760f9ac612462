"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

from app import __doc__ as summary
from app.api.auth import read_access
from app.api.routes import V1_ROUTERS, health
from app.claims import ClaimStore
from app.db import make_engine
from app.docs import install_docs
from app.errors import InternalErrors, install_error_handlers
from app.limits import BodySizeLimit, HeaderSizeLimit
from app.ratelimit import close_rate_limits, install_rate_limits
from app.schemas import OFFSETS
from app.settings import Settings, get_settings
from app.spec import build_openapi
from app.webhooks.worker import WorkerProcess

DESCRIPTION = f"""{summary}

News text goes in; every sentence is split into claims; every claim is
attributed to whoever made it and stored with a verification status.

**Offsets.** {OFFSETS}

**Pages.** Lists answer `{{"items": [...], "next_cursor": "..." | null}}`. Pass
`next_cursor` back as `cursor` for the next page; cursors are opaque and
keyset-based, so a deep page costs what the first one costs.

**Errors.** Every 4xx and 5xx answer is RFC 9457 `application/problem+json`.
"""


def _operation_id(route: APIRoute) -> str:
    # The function name: stable, readable, and what generated clients call.
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = make_engine(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Built here, on the event loop its reads will run on.
        app.state.claims = ClaimStore(
            engine, read_pool_size=settings.read_pool_size, matching=settings.matching
        )
        worker = WorkerProcess(settings) if settings.runs_worker_in_process else None
        app.state.worker = worker
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            await app.state.claims.close()
            await close_rate_limits(app)
            engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="claimdesk",
        version="1.0.0",
        description=DESCRIPTION,
        generate_unique_id_function=_operation_id,
        docs_url=None,  # the CDN-free pages of app.docs instead
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(read_access)])
    for router in V1_ROUTERS:
        v1.include_router(router)
    app.include_router(v1)
    app.include_router(health.router)
    install_docs(app)

    app.openapi = partial(build_openapi, app, settings)  # type: ignore[method-assign]
    install_error_handlers(app)
    app.add_middleware(InternalErrors)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HeaderSizeLimit, max_bytes=settings.max_header_bytes)
    install_rate_limits(app, settings)  # outside BodySizeLimit: refused before the body is read
    if settings.cors_origins:
        # Added last, so outermost: a 413 from BodySizeLimit or a 429 carries the headers too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "If-Match", "Content-Type"],
            # A browser app must read the ETag to send it back in If-Match, and
            # Retry-After and the RateLimit fields to know when to send again.
            expose_headers=[
                "ETag",
                "Location",
                "Link",
                "Content-Disposition",
                "WWW-Authenticate",
                "Retry-After",
                "RateLimit",
                "RateLimit-Policy",
            ],
        )
    return app


def __getattr__(name: str) -> FastAPI:
    # `app.main:app` is built on first use, so importing create_app builds nothing.
    if name == "app":
        application = create_app()
        globals()["app"] = application
        return application
    raise AttributeError(name)
