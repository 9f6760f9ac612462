from __future__ import annotations

import pytest
from httpx import AsyncClient

from app.services import extract as extract_service
from tests.api.test_articles import RELAYED, relayed
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


async def test_extract_previews_the_source_relaying_a_claim(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract_service, "extract", relayed)
    r = await client.post("/v1/extract", json={"text": RELAYED})
    assert r.status_code == 200, r.text
    (claim,) = r.json()["claims"]
    assert claim["source"]["name"] == "Olga Varga"
    assert claim["attribution"]["mention"] == "Deputy Minister Olga Varga"
    assert claim["attribution"]["via"] == {
        "name": "Interfax", "kind": "news_agency", "description": None, "mention": "Interfax",
        "mention_start": 0, "mention_end": 8,
    }  # fmt: skip
    assert (await client.get("/v1/sources")).json()["items"] == []
    plain = (await client.post("/v1/extract", json={"text": REFERENCE_TEXT})).json()
    assert {c["attribution"]["via"] for c in plain["claims"]} == {None}


@pytest.mark.parametrize("text", ["", "   ", "\r\n\t", "\u200b\ufeff"])
async def test_extract_rejects_text_with_nothing_visible(client: AsyncClient, text: str) -> None:
    r = await client.post("/v1/extract", json={"text": text})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"] == "body.text"
