from __future__ import annotations

import pytest
from httpx import AsyncClient

from tests.conftest import REFERENCE_TEXT

pytestmark = pytest.mark.anyio


async def test_extract_returns_claims_and_stores_nothing(client: AsyncClient) -> None:
    r = await client.post("/v1/extract", json={"text": REFERENCE_TEXT})
    assert r.status_code == 200
    body = r.json()
    assert len(body["sentences"]) == 24
    tass = next(c for c in body["claims"] if c["source"] and c["source"]["name"] == "TASS")
    assert tass["text"].startswith("The meeting lasted just over two hours")
    assert tass["source"]["kind"] == "news_agency"
    assert tass["attribution"]["cue"] == "reported"
    assert (await client.get("/v1/articles")).json()["items"] == []
    assert (await client.get("/v1/sources")).json()["items"] == []


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t", "\u200b\ufeff"])
async def test_extract_rejects_text_with_nothing_visible(client: AsyncClient, text: str) -> None:
    r = await client.post("/v1/extract", json={"text": text})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "body.text"
