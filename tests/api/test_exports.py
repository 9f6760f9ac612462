"""ClaimReview JSON-LD and the streamed JSON Lines / CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from tests import stored_json
from tests.api.test_claims import ingest
from tests.api.test_review import PESKOV_QUOTE
from tests.conftest import REFERENCE_TEXT

pytestmark = pytest.mark.anyio

RATINGS = {"verified": (5, "True"), "unproven": (3, "Unproven"),
           "misleading": (2, "Misleading"), "false": (1, "False")}  # fmt: skip


async def reviewed(client: AsyncClient, status: str) -> dict[str, Any]:
    r = await client.post(
        "/v1/articles",
        json={
            "text": REFERENCE_TEXT,
            "url": "https://example.org/summit",
            "title": "Putin and Biden hold virtual summit",
            "published_at": "2021-12-07T18:00:00Z",
        },
    )
    claim = next(c for c in r.json()["claims"] if c["text"] == PESKOV_QUOTE)
    changed = await client.patch(
        f"/v1/claims/{claim['id']}", json={"status": status}, headers={"If-Match": '"1"'}
    )
    assert changed.status_code == 200
    return changed.json()


@pytest.mark.parametrize("status", sorted(RATINGS))
async def test_claimreview_for_each_verdict(client: AsyncClient, status: str) -> None:
    claim = await reviewed(client, status)
    r = await client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/ld+json"
    doc = json.loads(r.text)
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"] == PESKOV_QUOTE
    value, label = RATINGS[status]
    assert doc["reviewRating"] == {
        "@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
        "alternateName": label,
    }  # fmt: skip
    item = doc["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Dmitry Peskov"}
    assert item["appearance"]["url"] == "https://example.org/summit"
    assert item["datePublished"] == "2021-12-07"
    assert doc["author"]["@type"] == "Organization"
    assert doc["datePublished"] == claim["updated_at"][:10]


async def test_claimreview_of_a_verdict_loaded_without_a_recorded_change(
    app: Any, client: AsyncClient
) -> None:
    """A verdict that came with the data (no status event) is dated by the claim's
    last change."""
    article = await ingest(client)
    claim = next(c for c in article["claims"] if c["text"] == PESKOV_QUOTE)
    stored_json.set_columns(
        app.state.engine, claim["id"],
        status="false", updated_at=datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC),
    )  # fmt: skip
    r = await client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert r.status_code == 200
    assert json.loads(r.text)["datePublished"] == "2022-03-04"


@pytest.mark.parametrize("status", ["unverified", "in_progress", "not_checkable"])
async def test_claimreview_without_a_verdict_is_409(client: AsyncClient, status: str) -> None:
    article = await ingest(client)
    claim = next(c for c in article["claims"] if c["text"] == PESKOV_QUOTE)
    if status != "unverified":
        await client.patch(
            f"/v1/claims/{claim['id']}", json={"status": status}, headers={"If-Match": '"1"'}
        )
    r = await client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert (await client.get("/v1/claims/99999/claimreview")).status_code == 404


async def test_export_jsonl_streams_every_matching_claim(client: AsyncClient) -> None:
    article = await ingest(client)
    r = await client.get("/v1/export/claims")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [c["id"] for c in lines] == sorted(c["id"] for c in article["claims"])
    assert lines[0] == (await client.get(f"/v1/claims/{lines[0]['id']}")).json()
    peskov = await client.get("/v1/export/claims", params={"source_name": "Peskov"})
    assert len(peskov.text.splitlines()) == 3


async def test_export_csv(client: AsyncClient) -> None:
    article = await ingest(client)
    r = await client.get("/v1/export/claims", params={"format": "csv", "status": "unverified"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(article["claims"])
    tass = next(row for row in rows if row["source_name"] == "TASS")
    assert tass["attribution_type"] == "indirect"
    assert tass["text"].startswith("The meeting lasted")
    # times as Python writes them, the same instant as the JSON's
    claim = next(c for c in article["claims"] if str(c["id"]) == tass["id"])
    assert tass["created_at"].endswith("+00:00")
    assert datetime.fromisoformat(tass["created_at"]) == datetime.fromisoformat(claim["created_at"])


async def test_export_spans_many_batches(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.claims import store

    monkeypatch.setattr(store, "EXPORT_BATCH", 4)
    article = await ingest(client)
    r = await client.get("/v1/export/claims")
    assert len(r.text.splitlines()) == len(article["claims"])


async def test_export_rejects_bad_filters(client: AsyncClient) -> None:
    assert (await client.get("/v1/export/claims", params={"format": "xml"})).status_code == 422
    assert (await client.get("/v1/export/claims", params={"status": "x"})).status_code == 422
