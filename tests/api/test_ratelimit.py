"""Rate limits: per API key and per client address, told in the RateLimit fields."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from httpx import AsyncClient
from sqlalchemy import create_engine, text

from app import ratelimit
from app.main import create_app
from app.settings import Settings
from tests.conftest import bearer

pytestmark = pytest.mark.anyio

LIMITED = {"rate_limit": True, "rate_limit_key_quota": 3, "rate_limit_address_quota": 2}
limited = pytest.mark.parametrize("settings", [LIMITED], indirect=True)
ORIGIN = "http://127.0.0.1:5173"

_FIELD = re.compile(r'^"(key|address)";r=(\d+);t=(\d+)$')


def remaining(r: httpx.Response) -> tuple[str, int, int]:
    """The RateLimit field's policy, remaining quota and seconds to the reset."""
    match = _FIELD.fullmatch(r.headers["ratelimit"])
    assert match, r.headers["ratelimit"]
    return match[1], int(match[2]), int(match[3])


def from_address(app: Any, host: str) -> AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(host, 50000))
    return AsyncClient(transport=transport, base_url="http://claimdesk.test")


async def test_rate_limits_are_off_by_default(anonymous: AsyncClient) -> None:
    for _ in range(Settings().rate_limit_address_quota + 1):
        r = await anonymous.get("/v1/claims")
        assert r.status_code == 200
        assert "ratelimit" not in r.headers and "ratelimit-policy" not in r.headers


@limited
async def test_past_its_quota_an_address_gets_a_429_problem_with_retry_after(
    anonymous: AsyncClient,
) -> None:
    for left in (1, 0):
        r = await anonymous.get("/v1/claims")
        assert r.status_code == 200
        assert r.headers["ratelimit-policy"] == '"address";q=2;w=60'
        policy, left_now, reset = remaining(r)
        assert (policy, left_now) == ("address", left) and 0 < reset <= 60
    r = await anonymous.get("/v1/claims")
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"].endswith("/quota-exceeded")
    assert problem["status"] == 429
    assert problem["violated-policies"] == ["address"]
    assert "2 requests in 60 s from this address" in problem["detail"]
    assert r.headers["ratelimit-policy"] == '"address";q=2;w=60'
    policy, left_now, reset = remaining(r)
    assert (policy, left_now) == ("address", 0)
    retry_after = int(r.headers["retry-after"])
    assert reset <= retry_after <= 60


@limited
async def test_the_fields_count_a_keys_requests_down(client: AsyncClient) -> None:
    resets = []
    for left in (2, 1, 0):
        r = await client.get("/v1/claims")
        assert r.status_code == 200
        assert r.headers["ratelimit-policy"] == '"key";q=3;w=60'
        policy, left_now, reset = remaining(r)
        assert (policy, left_now) == ("key", left)
        resets.append(reset)
    assert resets == sorted(resets, reverse=True) and 0 < resets[-1] <= 60
    for _ in range(2):  # a refused request counts too, and stays refused
        r = await client.post("/v1/articles", json={"text": "The minister said no."})
        assert r.status_code == 429
        assert r.json()["violated-policies"] == ["key"]
        assert "for this API key" in r.json()["detail"]


@limited
async def test_each_key_has_a_budget_of_its_own_and_spends_none_of_the_address(
    client: AsyncClient, anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    for _ in range(3):
        assert (await client.get("/v1/claims")).status_code == 200
    assert (await client.get("/v1/claims")).status_code == 429
    r = await anonymous.get("/v1/claims", headers=bearer(keys["reader"]))
    assert r.status_code == 200
    assert remaining(r)[:2] == ("key", 2)
    r = await anonymous.get("/v1/claims")  # the same address, without a key
    assert r.status_code == 200
    assert remaining(r)[:2] == ("address", 1)


@limited
async def test_each_address_has_a_budget_of_its_own(running: Any) -> None:
    app = running
    async with from_address(app, "127.0.0.2") as first, from_address(app, "127.0.0.3") as second:
        for _ in range(2):
            assert (await first.get("/v1/claims")).status_code == 200
        assert (await first.get("/v1/claims")).status_code == 429
        r = await second.get("/v1/claims")
        assert r.status_code == 200
        assert remaining(r)[:2] == ("address", 1)


@limited
async def test_an_ipv6_client_counts_as_its_slash_64(running: Any) -> None:
    """One client usually holds a whole /64: its addresses share a budget."""
    app = running
    one, same_64, other_64 = "2001:db8:1:1::1", "2001:db8:1:1::2", "2001:db8:1:2::1"
    async with from_address(app, one) as a, from_address(app, same_64) as b:
        assert (await a.get("/v1/claims")).status_code == 200
        assert (await b.get("/v1/claims")).status_code == 200
        assert (await a.get("/v1/claims")).status_code == 429
    async with from_address(app, other_64) as c:
        assert (await c.get("/v1/claims")).status_code == 200


@limited
async def test_a_made_up_or_revoked_key_counts_against_the_address(
    anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    """Else any client could send a new made-up key id for a fresh budget each time."""
    tokens = [keys["revoked"], f"cdk_{secrets.token_hex(6)}_x", f"cdk_{secrets.token_hex(6)}_y"]
    statuses = []
    for token in tokens:
        r = await anonymous.get("/v1/claims", headers=bearer(token))
        statuses.append(r.status_code)
        assert remaining(r)[0] == "address"
    assert statuses == [200, 200, 429]


@limited
async def test_health_and_the_docs_are_not_limited(anonymous: AsyncClient) -> None:
    for _ in range(3):
        await anonymous.get("/v1/claims")
    assert (await anonymous.get("/v1/claims")).status_code == 429
    for path in ("/healthz", "/docs", "/redoc", "/openapi.json"):
        r = await anonymous.get(path)
        assert r.status_code == 200, path
        assert "ratelimit" not in r.headers, path


@pytest.mark.parametrize("settings", [{**LIMITED, "rate_limit_window_s": 1}], indirect=True)
async def test_after_the_window_the_quota_is_whole_again(anonymous: AsyncClient) -> None:
    for _ in range(2):
        assert (await anonymous.get("/v1/claims")).status_code == 200
    refused = await anonymous.get("/v1/claims")
    assert refused.status_code == 429
    assert refused.headers["ratelimit-policy"] == '"address";q=2;w=1'
    await anyio.sleep(int(refused.headers["retry-after"]))
    r = await anonymous.get("/v1/claims")
    assert r.status_code == 200
    assert remaining(r)[:2] == ("address", 1)


@pytest.mark.parametrize("settings", [{**LIMITED, "cors_origins": [ORIGIN]}], indirect=True)
async def test_a_browser_app_reads_the_429_and_the_fields(anonymous: AsyncClient) -> None:
    for _ in range(2):
        await anonymous.get("/v1/claims", headers={"Origin": ORIGIN})
    r = await anonymous.get("/v1/claims", headers={"Origin": ORIGIN})
    assert r.status_code == 429
    assert r.headers["access-control-allow-origin"] == ORIGIN
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"retry-after", "ratelimit", "ratelimit-policy"} <= exposed


@pytest.mark.backends("postgresql")
@limited
async def test_processes_on_one_database_share_each_budget(
    settings: Settings, keys: dict[str, str]
) -> None:
    """Two app instances stand for two API processes (uvicorn workers, or machines)."""
    apps = [create_app(settings), create_app(settings)]
    async with (
        apps[0].router.lifespan_context(apps[0]),
        apps[1].router.lifespan_context(apps[1]),
    ):
        async with (
            from_address(apps[0], "127.0.0.2") as one,
            from_address(apps[1], "127.0.0.2") as two,
        ):
            assert remaining(await one.get("/v1/claims"))[:2] == ("address", 1)
            assert remaining(await two.get("/v1/claims"))[:2] == ("address", 0)
            assert (await one.get("/v1/claims")).status_code == 429
            key = bearer(keys["editor"])
            assert remaining(await two.get("/v1/claims", headers=key))[:2] == ("key", 2)
            assert remaining(await one.get("/v1/claims", headers=key))[:2] == ("key", 1)
    # The key is counted by its public id, never by its secret.
    engine = create_engine(settings.database_url)
    with engine.connect() as conn:
        counted = " ".join(conn.execute(text("SELECT key FROM rate_limit_window")).scalars())
    engine.dispose()
    _, public_id, secret = keys["editor"].split("_", 2)
    assert public_id in counted and secret not in counted


@pytest.fixture
async def down(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """An app with rate limits on, whose database cannot be reached."""
    if backend == "sqlite":  # a file in a directory that does not exist
        url = f"sqlite:///{tmp_path / 'missing' / 'claimdesk.db'}"
    else:  # nothing listens on port 9
        url = "postgresql+psycopg://postgres@127.0.0.1:9/claimdesk"
        monkeypatch.setattr(ratelimit, "WAIT_S", 0.2)
    app = create_app(Settings(database_url=url, rate_limit=True))
    async with app.router.lifespan_context(app):
        yield app


def assert_unavailable(r: httpx.Response) -> None:
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "1"
    assert r.json()["type"].endswith("/database-unavailable")


EXTRACT = {"text": "Peskov said the talks went well."}


async def test_a_key_that_cannot_be_looked_up_is_a_503_to_retry(down: Any) -> None:
    """Even for extraction, which needs no database: a limit that cannot be
    checked is not waived."""
    async with from_address(down, "127.0.0.2") as client:
        r = await client.post("/v1/extract", json=EXTRACT, headers=bearer("cdk_somekey_secret"))
    assert_unavailable(r)


@pytest.mark.backends("postgresql")
async def test_counts_that_cannot_be_kept_are_a_503_to_retry(down: Any) -> None:
    async with from_address(down, "127.0.0.2") as client:
        assert_unavailable(await client.post("/v1/extract", json=EXTRACT))
