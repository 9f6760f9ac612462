"""Where the hot reads run, and that they survive what a server does to them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from httpx import AsyncClient
from sqlalchemy import make_url

from app.services.claims import ClaimFilters
from tests.api.test_claims import ingest

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("filters", "bounded"),
    [
        (ClaimFilters(), True),
        (ClaimFilters(source_id=3), True),
        (ClaimFilters(source_name="Peskov"), True),
        (ClaimFilters(source_id=3, status="verified"), True),
        (ClaimFilters(status="verified"), True),
        (ClaimFilters(article_id=1), True),
        (ClaimFilters(attribution_type="direct_quote"), True),
        # may scan: run in the threadpool on SQLite, never on the event loop
        (ClaimFilters(q="red lines"), False),
        (ClaimFilters(source_id=3, q="red"), False),
        (ClaimFilters(status="verified", attribution_type="direct_quote"), False),
        (ClaimFilters(article_id=1, status="verified"), False),
        (ClaimFilters(updated_since=datetime(2026, 1, 1, tzinfo=UTC)), False),
    ],
)
def test_only_reads_an_index_bounds_count_as_short(filters: ClaimFilters, bounded: bool) -> None:
    assert filters.index_bounded() is bounded


@pytest.mark.backends("postgresql")
async def test_reads_recover_when_the_server_drops_their_connections(
    app: Any, client: AsyncClient, database_url: str
) -> None:
    await ingest(client)
    before = await client.get("/v1/claims")
    assert before.status_code == 200
    # What a PostgreSQL restart does to every open connection of this database.
    database = make_url(database_url).database
    admin = make_url(database_url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database,),
        )
    after = await client.get("/v1/claims")
    assert after.status_code == 200
    assert after.json() == before.json()
