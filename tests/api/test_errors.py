from __future__ import annotations

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.anyio


async def test_unknown_route_is_404_problem(client: AsyncClient) -> None:
    r = await client.get("/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404


async def test_wrong_method_is_405_problem_naming_every_allowed_method(
    client: AsyncClient,
) -> None:
    r = await client.delete("/v1/articles")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["allow"] == "GET, POST"
    r = await client.post("/v1/claims/1")
    assert r.headers["allow"] == "GET, PATCH"


async def test_healthz_reports_database(client: AsyncClient) -> None:
    r = await client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_problem_when_the_database_is_unreachable() -> None:
    import httpx

    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none"))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/healthz")
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["database"] == "unreachable"
    assert r.headers["retry-after"] == "1"


async def test_header_fields_over_the_limit_are_431_problem(client: AsyncClient) -> None:
    # 16 KiB of names and values by default: the key, a browser's cookies and a proxy's
    # forwarding headers fit many times over.
    r = await client.get("/v1/claims", headers={"X-Padding": "a" * 16_000})
    assert r.status_code == 200
    r = await client.post(
        "/v1/extract", json={"text": "A said B."}, headers={"X-Padding": "a" * 17_000}
    )
    assert r.status_code == 431
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["limit"] == 16_384


@pytest.mark.parametrize("settings", [{"max_header_bytes": 2_000}], indirect=True)
async def test_the_header_limit_is_a_setting(client: AsyncClient) -> None:
    assert (await client.get("/healthz", headers={"X-Padding": "a" * 1_500})).status_code == 200
    assert (await client.get("/healthz", headers={"X-Padding": "a" * 2_000})).status_code == 431
