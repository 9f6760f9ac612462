from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.api.test_claims import all_pages, ingest

pytestmark = pytest.mark.anyio


async def test_sources_list_names_kinds_aliases_and_counts(client: AsyncClient) -> None:
    await ingest(client)
    sources = {s["name"]: s for s in await all_pages(client, "/v1/sources", limit=3)}
    assert sources["TASS"]["kind"] == "news_agency"
    assert sources["TASS"]["claim_count"] == 1
    assert sources["Dmitry Peskov"]["claim_count"] == 3
    assert sources["Dmitry Peskov"]["description"] == "Kremlin spokesman"


async def test_get_source_and_404(client: AsyncClient) -> None:
    await ingest(client)
    first = (await client.get("/v1/sources", params={"limit": 1})).json()["items"][0]
    r = await client.get(f"/v1/sources/{first['id']}")
    assert r.status_code == 200
    assert r.json() == first
    missing = await client.get("/v1/sources/9999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Source 9999 does not exist."
    assert (await client.get("/v1/sources/9999/claims")).status_code == 404


async def test_sources_search_by_name_or_alias(client: AsyncClient) -> None:
    await ingest(client)
    hits = (await client.get("/v1/sources", params={"q": "peskov"})).json()["items"]
    assert [s["name"] for s in hits] == ["Dmitry Peskov"]
