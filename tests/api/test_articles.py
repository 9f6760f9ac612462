from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.extraction import extract
from app.extraction.types import (
    AttributionType,
    CueKind,
    ExtractedClaim,
    Extraction,
    SentenceSpan,
    SourceGuess,
    SourceKind,
)
from app.models import Article, Claim, Sentence, Source
from app.services import articles as articles_service
from tests.conftest import REFERENCE_TEXT

pytestmark = pytest.mark.anyio

PESKOV = "“Russia has never planned to attack anyone,” Kremlin spokesman Dmitry Peskov said."
RELAYED = "Interfax reported that Deputy Minister Olga Varga said the budget will be cut."


def relayed(text: str) -> Extraction:
    """Olga Varga's claim relayed by Interfax, as an extractor that follows attribution
    chains makes RELAYED, written out: what the API does with a relay is tested apart
    from how the extractor reads the sentence. Other texts as the extractor reads them."""
    if text != RELAYED:
        return extract(text)
    at = RELAYED.index

    def span(words: str) -> tuple[str, int, int]:
        return words, at(words), at(words) + len(words)

    mention, mention_start, mention_end = span("Deputy Minister Olga Varga")
    cue, cue_start, cue_end = span("said")
    via_mention, via_mention_start, via_mention_end = span("Interfax")
    claim = ExtractedClaim(
        sentence_index=0, start=at("the budget"), end=len(RELAYED) - 1,
        type=AttributionType.indirect, confidence=0.8,
        source=SourceGuess("Olga Varga", SourceKind.person, description="Deputy Minister"),
        mention=mention, mention_start=mention_start, mention_end=mention_end,
        cue=cue, cue_start=cue_start, cue_end=cue_end, cue_kind=CueKind.speech,
        via=SourceGuess("Interfax", SourceKind.news_agency), via_mention=via_mention,
        via_mention_start=via_mention_start, via_mention_end=via_mention_end,
    )  # fmt: skip
    return Extraction(sentences=[SentenceSpan(0, 0, len(RELAYED))], claims=[claim])


async def test_ingest_stores_the_source_relaying_a_claim(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles_service, "extract", relayed)
    r = await client.post("/v1/articles", json={"text": RELAYED})
    assert r.status_code == 201, r.text
    (claim,) = r.json()["claims"]
    assert claim["text"] == "the budget will be cut"
    assert claim["source"]["name"] == "Olga Varga"
    via: dict[str, Any] = claim["attribution"]["via"]
    interfax = (await client.get("/v1/sources", params={"q": "Interfax"})).json()["items"]
    assert [(s["id"], s["name"], s["kind"]) for s in interfax] == [
        (via["id"], "Interfax", "news_agency")
    ]
    assert via == {
        "id": via["id"], "name": "Interfax", "kind": "news_agency", "mention": "Interfax",
        "mention_start": 0, "mention_end": 8,
    }  # fmt: skip
    assert (await client.get(f"/v1/claims/{claim['id']}")).json() == claim
    listed = (await client.get("/v1/claims", params={"via": via["id"]})).json()["items"]
    assert listed == [claim]


async def test_ingest_stores_the_relay_the_extractor_finds(client: AsyncClient) -> None:
    r = await client.post("/v1/articles", json={"text": RELAYED})
    assert r.status_code == 201, r.text
    (claim,) = r.json()["claims"]
    assert (claim["text"], claim["source"]["name"]) == ("the budget will be cut", "Olga Varga")
    via = claim["attribution"]["via"]
    assert (via["name"], via["kind"]) == ("Interfax", "news_agency")
    assert RELAYED[via["mention_start"] : via["mention_end"]] == via["mention"] == "Interfax"


async def test_ingest_returns_201_with_article_sentences_and_claims(client: AsyncClient) -> None:
    r = await client.post("/v1/articles", json={"text": PESKOV, "title": "Peskov"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert r.headers["location"] == f"/v1/articles/{body['id']}"
    assert body["text"] == PESKOV
    assert body["title"] == "Peskov"
    assert body["sentences"] == [{"index": 0, "start": 0, "end": len(PESKOV)}]
    (claim,) = body["claims"]
    assert claim["text"] == "Russia has never planned to attack anyone"
    assert claim["text"] == PESKOV[claim["start"] : claim["end"]]
    assert claim["source"]["name"] == "Dmitry Peskov"
    assert claim["source"]["kind"] == "person"
    assert claim["attribution"]["type"] == "direct_quote"
    assert claim["attribution"]["cue"] == "said"
    assert claim["status"] == "unverified"
    assert claim["version"] == 1


async def test_same_text_twice_returns_the_existing_article_with_200(client: AsyncClient) -> None:
    first = await client.post("/v1/articles", json={"text": PESKOV})
    again = await client.post("/v1/articles", json={"text": PESKOV, "title": "other title"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["title"] is None
    listing = await client.get("/v1/articles")
    assert [a["id"] for a in listing.json()["items"]] == [first.json()["id"]]


async def test_text_is_stored_verbatim(client: AsyncClient) -> None:
    text = "  Line one said nothing.\r\n\r\nTabs\tand “quotes” — and émigrés.  \n"
    r = await client.post("/v1/articles", json={"text": text})
    got = await client.get(f"/v1/articles/{r.json()['id']}")
    assert got.json()["text"] == text


async def test_every_claim_text_is_the_article_slice(client: AsyncClient) -> None:
    r = await client.post("/v1/articles", json={"text": REFERENCE_TEXT})
    body = r.json()
    assert len(body["claims"]) >= 24
    for claim in body["claims"]:
        assert claim["text"] == REFERENCE_TEXT[claim["start"] : claim["end"]]
        sentence = body["sentences"][claim["sentence_index"]]
        assert sentence["start"] <= claim["start"] <= claim["end"] <= sentence["end"]


async def test_new_names_become_sources_and_known_names_are_reused(client: AsyncClient) -> None:
    await client.post("/v1/articles", json={"text": PESKOV})
    await client.post(
        "/v1/articles", json={"text": "“We have our own red lines,” Dmitry Peskov said on Monday."}
    )
    sources = (await client.get("/v1/sources")).json()["items"]
    peskov = [s for s in sources if s["name"] == "Dmitry Peskov"]
    assert len(peskov) == 1
    assert peskov[0]["claim_count"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.text"),
        ({"text": ""}, "body.text"),
        ({"text": "   "}, "body.text"),
        ({"text": "\n\t\u00a0\u3000"}, "body.text"),
        ({"text": "\u200b\u2060\ufeff\u00ad"}, "body.text"),
        ({"text": 42}, "body.text"),
        ({"text": "x", "url": "not a url"}, "body.url"),
        ({"text": "x", "published_at": "yesterday"}, "body.published_at"),
        ({"text": "x", "language": "english please"}, "body.language"),
        ({"text": "x", "unknown": 1}, "body.unknown"),
        ({"text": "x", "published_at": 1638900000}, "body.published_at"),
        ({"text": "NUL \u0000 cannot be stored"}, "body.text"),
    ],
)
async def test_invalid_article_is_422_problem_and_stores_nothing(
    client: AsyncClient, body: dict[str, object], field: str
) -> None:
    r = await client.post("/v1/articles", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 422
    assert field in [e["field"] for e in problem["errors"]]
    assert (await client.get("/v1/articles")).json()["items"] == []


async def test_text_over_the_limit_is_413(client: AsyncClient, app: object) -> None:
    app.state.settings.max_article_bytes = 100  # type: ignore[attr-defined]
    r = await client.post("/v1/articles", json={"text": "é" * 51})  # 102 bytes
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert "102 bytes" in r.json()["detail"]


async def test_body_over_the_limit_is_413_before_parsing(client: AsyncClient) -> None:
    r = await client.post(
        "/v1/articles",
        content=b'{"text": "' + b"a" * 2_100_000 + b'"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 413
    assert r.json()["type"].endswith("/payload-too-large")


@pytest.mark.parametrize(
    "content",
    [b'{"text": "unterminated', b"\xff\xfe not utf-8", b"[1, 2]", b"null"],
)
async def test_malformed_body_is_a_4xx_problem(client: AsyncClient, content: bytes) -> None:
    r = await client.post(
        "/v1/articles", content=content, headers={"content-type": "application/json"}
    )
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in r.text


async def test_failure_midway_through_ingest_stores_nothing(
    client: AsyncClient, app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected failure after the article and sentences were written")

    monkeypatch.setattr(articles_service, "resolve_claim_sources", fail)
    r = await client.post("/v1/articles", json={"text": REFERENCE_TEXT})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert "injected" not in r.text and "Traceback" not in r.text
    with Session(app.state.engine) as session:  # type: ignore[attr-defined]
        for table in (Article, Sentence, Claim, Source):
            assert session.execute(select(func.count()).select_from(table)).scalar_one() == 0


async def test_get_article_has_text_and_sentences(client: AsyncClient) -> None:
    created = (await client.post("/v1/articles", json={"text": REFERENCE_TEXT})).json()
    r = await client.get(f"/v1/articles/{created['id']}")
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == REFERENCE_TEXT
    assert len(body["sentences"]) == 24
    assert [s["index"] for s in body["sentences"]] == list(range(24))
    assert "claims" not in body


async def test_unknown_article_is_404_problem(client: AsyncClient) -> None:
    for path in ("/v1/articles/999", "/v1/articles/999/claims"):
        r = await client.get(path)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == "Article 999 does not exist."


async def test_article_id_that_is_not_a_number_is_422(client: AsyncClient) -> None:
    r = await client.get("/v1/articles/abc")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "path.article_id"


async def test_articles_list_newest_first_in_pages(client: AsyncClient) -> None:
    ids = []
    for i in range(5):
        ids.append((await client.post("/v1/articles", json={"text": f"Item {i}."})).json()["id"])
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/articles", params=params)).json()
        seen += [a["id"] for a in page["items"]]
        assert all("text" not in a for a in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(ids, reverse=True)


async def test_article_claims_come_in_text_order_across_pages(client: AsyncClient) -> None:
    created = (await client.post("/v1/articles", json={"text": REFERENCE_TEXT})).json()
    expected = [c["id"] for c in created["claims"]]
    got: list[int] = []
    starts: list[int] = []
    cursor = None
    while True:
        params = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"/v1/articles/{created['id']}/claims", params=params)).json()
        got += [c["id"] for c in page["items"]]
        starts += [c["start"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert got == expected
    assert starts == sorted(starts)
