"""Where the hot reads run, and that they survive what a server does to them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import psycopg
import pytest
from httpx import AsyncClient
from sqlalchemy import make_url

from app import search
from app.claims import ClaimFilters, reads
from app.claims.listing import Sort
from app.main import create_app
from app.settings import Settings
from tests.api.test_claims import ingest
from tests.conftest import serving

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("filters", "sort", "bounded"),
    [
        (ClaimFilters(), Sort.id, True),
        (ClaimFilters(source_id=3), Sort.id, True),
        (ClaimFilters(source_name="Peskov"), Sort.id, True),
        (ClaimFilters(source_id=3, status="verified"), Sort.id, True),
        (ClaimFilters(status="verified"), Sort.id, True),
        (ClaimFilters(article_id=1), Sort.id, False),  # (article_id, start, id): sorted again
        (ClaimFilters(attribution_type="direct_quote"), Sort.id, True),
        (ClaimFilters(via_source_id=4), Sort.id, True),
        # each sort on its own index
        (ClaimFilters(), Sort.published_desc, True),
        (ClaimFilters(), Sort.published, True),
        (ClaimFilters(), Sort.confidence, True),
        (ClaimFilters(), Sort.updated_desc, True),
        # may scan: run in the threadpool on SQLite, never on the event loop
        (ClaimFilters(q=search.parse("red lines")), Sort.relevance, False),
        (ClaimFilters(q=search.parse("red lines")), Sort.id, False),
        (ClaimFilters(source_id=3, q=search.parse("red")), Sort.relevance, False),
        (ClaimFilters(status="verified"), Sort.confidence, False),
        (ClaimFilters(status="verified", attribution_type="direct_quote"), Sort.id, False),
        (ClaimFilters(article_id=1, status="verified"), Sort.id, False),
        (ClaimFilters(via_source_id=4, source_id=3), Sort.id, False),
        (ClaimFilters(updated_since=datetime(2026, 1, 1, tzinfo=UTC)), Sort.id, False),
        (ClaimFilters(publisher="Reuters"), Sort.id, False),
        (ClaimFilters(has_annotations=True), Sort.id, False),
        (ClaimFilters(confidence_below=0.5), Sort.id, False),
    ],
)
def test_only_reads_an_index_bounds_count_as_short(
    filters: ClaimFilters, sort: Sort, bounded: bool
) -> None:
    assert filters.may_scan(sort) is not bounded


@pytest.mark.backends("postgresql")
async def test_reads_recover_when_the_server_drops_their_connections(
    app: Any, client: AsyncClient, database_url: str
) -> None:
    await ingest(client)
    before = await client.get("/v1/claims")
    assert before.status_code == 200
    # concurrent reads, so that the pool holds several connections to be dropped
    burst = await asyncio.gather(*(client.get("/v1/claims") for _ in range(20)))
    assert {r.status_code for r in burst} == {200}
    # What a PostgreSQL restart does to every open connection of this database.
    database = make_url(database_url).database
    admin = make_url(database_url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )
    for _ in range(6):  # each one may meet a dropped connection first
        after = await client.get("/v1/claims")
        assert after.status_code == 200
        assert after.json() == before.json()


def _drop_connections(database_url: str) -> None:
    """What a PostgreSQL restart does to every open connection of this database."""
    database = make_url(database_url).database
    admin = make_url(database_url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        )


@pytest.mark.backends("postgresql")
@pytest.mark.parametrize("settings", [{"read_pool_size": 4}], indirect=True)
async def test_reads_under_load_ride_out_repeated_restarts(
    client: AsyncClient, database_url: str
) -> None:
    """Connections busy when the server drops them come back broken one by one, so
    a read may meet several in a row: every read still gets its page."""
    await ingest(client)
    expected = (await client.get("/v1/claims?limit=5")).json()
    answers: list[httpx.Response] = []

    async def reader(stop: asyncio.Event) -> None:
        while not stop.is_set():
            answers.append(await client.get("/v1/claims?limit=5"))

    for _ in range(10):
        stop = asyncio.Event()
        readers = [asyncio.create_task(reader(stop)) for _ in range(16)]
        await asyncio.sleep(0.1)
        await asyncio.to_thread(_drop_connections, database_url)
        await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*readers)
    assert {r.status_code for r in answers} == {200}
    assert all(r.json() == expected for r in answers)


@pytest.mark.backends("postgresql")
@pytest.mark.parametrize("settings", [{"read_pool_size": 1}], indirect=True)
async def test_more_reads_than_connections_take_turns(client: AsyncClient) -> None:
    await ingest(client)
    first = await client.get("/v1/claims?limit=5")
    burst = await asyncio.gather(*(client.get("/v1/claims?limit=5") for _ in range(20)))
    assert [r.json() for r in burst] == [first.json()] * 20


@pytest.mark.backends("postgresql")
async def test_reads_waiting_their_turn_give_up_when_the_first_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """WAIT_S bounds a read's whole wait, its turn included: eight reads behind one
    connection to a server that does not answer all give up after about WAIT_S,
    not one after another (8 × WAIT_S)."""
    monkeypatch.setattr(reads, "WAIT_S", 0.5)
    unreachable = "postgresql://postgres@127.0.0.1:9/claimdesk"
    app = create_app(Settings(database_url=unreachable, read_pool_size=1))
    with anyio.fail_after(3):  # one after another would take 4 s
        async with serving(app) as c:
            answers = await asyncio.gather(*(c.get("/v1/claims") for _ in range(8)))
    assert {r.status_code for r in answers} == {503}


@pytest.mark.backends("postgresql")
async def test_a_read_with_the_server_unreachable_is_a_problem_not_a_hang(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reads, "WAIT_S", 0.2)
    app = create_app(Settings(database_url="postgresql://postgres@127.0.0.1:9/claimdesk"))
    # Each read gives up after WAIT_S (0.2 s here); the driver's default is 30 s,
    # one request after another. 10 s is a bound on hanging, not a timing.
    with anyio.fail_after(10):
        async with serving(app) as c:
            answers = await asyncio.gather(*(c.get("/v1/claims") for _ in range(3)))
    for r in answers:
        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
