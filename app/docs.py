"""Interactive docs that work offline: Swagger UI at /docs and ReDoc at /redoc.

FastAPI's own pages load their scripts from a CDN and stay blank without the
internet. These load the same Swagger UI and ReDoc bundles from the installed
``fastapi-offline`` package, served by this app under ``/docs/static``. A
Content-Security-Policy keeps the pages to their own origin: ReDoc's menu would
otherwise fetch its vendor's logo from cdn.redoc.ly.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
STATIC_URL = "/docs/static"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js and favicon.png.
ASSETS = Path(str(files("fastapi_offline") / "static"))

SWAGGER_UI_PARAMETERS: dict[str, Any] = {
    # No badge that sends the spec's address to validator.swagger.io.
    "validatorUrl": None,
    # Keep the Authorization header entered in "Authorize" across reloads.
    "persistAuthorization": True,
}

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def _same_origin_only(page: HTMLResponse) -> HTMLResponse:
    """Forbid the page anything from another origin; its inline scripts go by their hash."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(page.body)
    )
    page.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".rstrip(),
            # Swagger UI and ReDoc set styles from script; their icons are data: URLs.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'self'",
        ]
    )
    return page


def install_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets; create the app with docs_url=redoc_url=None."""
    if not (ASSETS / "swagger-ui-bundle.js").is_file():
        raise RuntimeError(f"the Swagger UI assets are missing from {ASSETS}")
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="docs-static")
    title = app.title

    def _urls(request: Request) -> tuple[str, str]:
        # Behind a proxy that mounts the app under a prefix, every URL carries it.
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return root + (app.openapi_url or "/openapi.json"), root + STATIC_URL

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        openapi_url, static = _urls(request)
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{title} - Swagger UI",
            swagger_js_url=f"{static}/swagger-ui-bundle.js",
            swagger_css_url=f"{static}/swagger-ui.css",
            swagger_favicon_url=f"{static}/favicon.png",
            oauth2_redirect_url=OAUTH2_REDIRECT_URL,
            swagger_ui_parameters=SWAGGER_UI_PARAMETERS | (app.swagger_ui_parameters or {}),
        )
        return _same_origin_only(page)

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return _same_origin_only(get_swagger_ui_oauth2_redirect_html())

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        openapi_url, static = _urls(request)
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=f"{title} - ReDoc",
            redoc_js_url=f"{static}/redoc.standalone.js",
            redoc_favicon_url=f"{static}/favicon.png",
            with_google_fonts=False,
        )
        return _same_origin_only(page)
