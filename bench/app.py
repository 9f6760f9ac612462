"""The production app plus bench-only endpoints; never part of app/.

    CLAIMDESK_DATABASE_URL=sqlite:///bench/out/bench.db \\
        .venv/bin/uvicorn --factory bench.app:create_bench_app --no-access-log

``/bench/bare`` answers a constant small JSON through the same FastAPI app,
middleware and server as the real endpoints: the ceiling of the machine for
this stack. ``/bench/bare-sync`` is the same from a plain ``def`` endpoint, so
it pays the threadpool hop every sync route of the API pays.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from app.main import create_app
from app.settings import Settings

BARE = {"status": "ok", "service": "claimdesk", "bench": True}


def create_bench_app(settings: Settings | None = None) -> FastAPI:
    app = create_app(settings or Settings())

    @app.get("/bench/bare", include_in_schema=False)
    async def bench_bare() -> dict[str, Any]:
        return BARE

    @app.get("/bench/bare-sync", include_in_schema=False)
    def bench_bare_sync() -> dict[str, Any]:
        return BARE

    return app
