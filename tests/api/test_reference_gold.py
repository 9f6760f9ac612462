"""The reference article through the API, scored against its hand-made gold.

The same matching as the corpus scorer: spans overlapping by half the
shorter one, sources matched through the gold's aliases.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from app.claims import ClaimStore
from app.extraction.evaluate import evaluate
from app.extraction.types import (
    AttributionType,
    ExtractedClaim,
    Extraction,
    SentenceSpan,
    SourceGuess,
)
from app.services.seed import load_seeds
from app.settings import PROJECT_DIR
from tests.conftest import DATA, REFERENCE_TEXT

pytestmark = pytest.mark.anyio

GOLD = json.loads((DATA / "putin-biden-summit.gold.json").read_text(encoding="utf-8"))


def as_extraction(article: dict[str, Any]) -> Extraction:
    return Extraction(
        sentences=[SentenceSpan(s["index"], s["start"], s["end"]) for s in article["sentences"]],
        claims=[
            ExtractedClaim(
                sentence_index=c["sentence_index"],
                start=c["start"],
                end=c["end"],
                type=AttributionType(c["attribution"]["type"]),
                confidence=c["attribution"]["confidence"],
                source=SourceGuess(c["source"]["name"]) if c["source"] else None,
            )
            for c in article["claims"]
        ],
    )


async def score(client: AsyncClient) -> dict[str, Any]:
    r = await client.post("/v1/articles", json={"text": REFERENCE_TEXT})
    assert r.status_code in (200, 201)
    return evaluate(GOLD, REFERENCE_TEXT, as_extraction(r.json()))


async def test_reference_article_meets_the_gold_on_an_empty_registry(
    client: AsyncClient,
) -> None:
    result = await score(client)
    assert result["sentence_f1"] == 1.0
    assert result["attributed_recall"] == 1.0
    assert result["f1"] >= 0.95


async def test_reference_article_meets_the_gold_with_the_seeded_registry(
    client: AsyncClient, app: Any
) -> None:
    from sqlmodel import Session

    with Session(app.state.engine) as session:
        load_seeds(
            session, ClaimStore(session.get_bind().engine), PROJECT_DIR / "seeds",
            max_article_bytes=1_000_000,
        )  # fmt: skip
    result = await score(client)
    assert result["sentence_f1"] == 1.0
    assert result["attributed_recall"] == 1.0
    assert result["f1"] >= 0.95
    peskov = (await client.get("/v1/claims", params={"source_name": "Peskov"})).json()["items"]
    assert [c["text"] for c in peskov] == [
        "Our president is ready to convey his concerns to his American colleague, listen to "
        "his concerns and give appropriate explanations",
        "Russia has never planned to attack anyone",
        "But we have our own red lines.",
    ]
