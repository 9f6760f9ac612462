"""/docs and /redoc work offline: their assets come from this server, not a CDN."""

from __future__ import annotations

import html
import os
import re
import struct
from pathlib import Path
from typing import Any

import httpx
import pytest
from httpx import AsyncClient

from app.settings import PROJECT_DIR
from tests.browser.conftest import Chromium, is_loopback, page_requests

SCREENSHOT = PROJECT_DIR / "docs" / "api-docs.png"
ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>)]+""")
ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)\"""")
CONTENT_TYPES = {
    ".js": "javascript",
    ".css": "text/css",
    ".png": "image/png",
}


@pytest.mark.anyio
@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_docs_pages_load_their_assets_from_this_server(
    anonymous: AsyncClient, page: str
) -> None:
    r = await anonymous.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert ABSOLUTE_URL.findall(r.text) == [], "the page names another host"
    policy = r.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy
    assets = ASSET.findall(r.text)
    assert assets and all(a.startswith("/docs/static/") for a in assets), assets
    for asset in assets:
        got = await anonymous.get(asset)
        assert got.status_code == 200, asset
        assert CONTENT_TYPES[Path(asset).suffix] in got.headers["content-type"], asset
        assert len(got.content) > 1000, asset


@pytest.mark.anyio
async def test_the_docs_are_not_operations_of_the_api(anonymous: AsyncClient) -> None:
    paths = (await anonymous.get("/openapi.json")).json()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]


def _operations(server: str) -> list[dict[str, Any]]:
    spec = httpx.get(f"{server}/openapi.json", timeout=10).json()
    return [op for methods in spec["paths"].values() for op in methods.values()]


def _assert_offline(net_log: Path, asset: str) -> None:
    requested = page_requests(net_log)
    assert any(url.endswith(asset) for url in requested), requested
    assert [url for url in requested if not is_loopback(url)] == []


@pytest.mark.browser
def test_swagger_ui_renders_every_operation_offline(
    chromium: Chromium, docs_server: str, tmp_path: Path
) -> None:
    net_log = tmp_path / "net-log.json"
    dom = chromium.dump_dom(f"{docs_server}/docs", net_log=net_log)
    assert 'class="swagger-ui' in dom, dom[:2000]
    operations = _operations(docs_server)
    assert dom.count('class="opblock opblock-') == len(operations)
    text = html.unescape(dom)
    missing = [op["summary"] for op in operations if op["summary"] not in text]
    assert missing == []
    assert "/v1/claims/{claim_id}" in text
    _assert_offline(net_log, "/docs/static/swagger-ui-bundle.js")


@pytest.mark.browser
def test_redoc_renders_every_operation_offline(
    chromium: Chromium, docs_server: str, tmp_path: Path
) -> None:
    net_log = tmp_path / "net-log.json"
    dom = chromium.dump_dom(f"{docs_server}/redoc", net_log=net_log)
    text = html.unescape(dom)
    missing = [op["summary"] for op in _operations(docs_server) if op["summary"] not in text]
    assert missing == [], dom[:2000]
    _assert_offline(net_log, "/docs/static/redoc.standalone.js")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.browser
def test_a_screenshot_of_the_docs(chromium: Chromium, docs_server: str, tmp_path: Path) -> None:
    """CLAIMDESK_UPDATE_SCREENSHOT=1 writes it to docs/api-docs.png instead of a temp dir."""
    update = os.environ.get("CLAIMDESK_UPDATE_SCREENSHOT") == "1"
    path = SCREENSHOT if update else tmp_path / "api-docs.png"
    path.parent.mkdir(exist_ok=True)
    chromium.screenshot(f"{docs_server}/docs", path)
    assert _png_size(path) == (1280, 1600)
    # A blank page compresses to a few kB; the rendered operations do not.
    assert path.stat().st_size > 50_000
