"""A database that cannot answer is a 503 a script can retry, on every route that uses it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.claims import reads
from app.main import create_app
from app.settings import Settings
from tests.conftest import bearer, serving

pytestmark = pytest.mark.anyio


@pytest.fixture
async def down(
    backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose database cannot be reached."""
    if backend == "sqlite":  # a file in a directory that does not exist
        url = f"sqlite:///{tmp_path / 'missing' / 'claimdesk.db'}"
    else:  # nothing listens on port 9
        url = "postgresql+psycopg://postgres@127.0.0.1:9/claimdesk"
        monkeypatch.setattr(reads, "WAIT_S", 0.2)
    app = create_app(Settings(database_url=url))
    async with serving(app) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/claims", None),  # PostgreSQL: the async reads
        ("GET", "/v1/claims?q=red", None),  # SQLite: in the threadpool
        ("GET", "/v1/claims/1", None),
        ("GET", "/v1/articles", None),
        ("GET", "/v1/sources/1/claims", None),
        ("GET", "/v1/export/claims", None),  # before the stream starts
        ("POST", "/v1/articles", {"text": "The minister said the bridge would open."}),
    ],
)
async def test_a_database_that_cannot_answer_is_a_503_to_retry(
    down: httpx.AsyncClient, method: str, path: str, body: object
) -> None:
    r = await down.request(method, path, json=body, headers=bearer("cdk_somekey_secret"))
    assert r.status_code == 503
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "1"
    problem = r.json()
    assert problem["type"].endswith("/database-unavailable")
    assert "127.0.0.1" not in problem["detail"] and "missing" not in problem["detail"]


async def test_extraction_needs_no_database(down: httpx.AsyncClient) -> None:
    r = await down.post("/v1/extract", json={"text": "Peskov said the talks went well."})
    assert r.status_code == 200


async def test_a_database_without_the_schema_is_a_500_not_a_503(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """Sending again will not create the tables: that is the operator's error to see."""
    if backend == "sqlite":  # SQLite calls this an OperationalError too
        url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        url = request.getfixturevalue("postgres").create()
    app = create_app(Settings(database_url=url))
    async with serving(app) as client:
        for path in ("/v1/claims", "/v1/claims?q=red", "/v1/claims/1", "/v1/articles"):
            r = await client.get(path)
            assert r.status_code == 500, path
            assert r.headers["content-type"] == "application/problem+json"
            assert "retry-after" not in r.headers


@pytest.mark.backends("postgresql")
async def test_extraction_with_keys_required_checks_the_key_in_the_database() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:9/claimdesk"
    app = create_app(Settings(database_url=url, reads_require_key=True))
    async with serving(app) as client:
        r = await client.post(
            "/v1/extract", json={"text": "Peskov said the talks went well."},
            headers=bearer("cdk_somekey_secret"),
        )  # fmt: skip
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
