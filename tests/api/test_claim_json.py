"""The claim JSON as stored (app.claims.document) and served is the JSON pydantic writes.

Claims are stored with values at the edges of what the columns hold, their JSON
written by the mapper's hooks as every write does, then read through the API; every byte must
be what `ClaimOut` makes of the same values, on both databases.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlmodel import Session

from app.models import Article, Claim, Source
from app.schemas import ClaimOut

pytestmark = pytest.mark.anyio

TEXTS = [
    'He said "no" \\ then left.',
    "Line one\nline two\ttabbed\rreturned",
    "Control \x01\x08\x0c\x1f and DEL \x7f",
    "Ünïcödé — “quotes” 中文 𝔘 🙂 \u2028\u2029 end",
    "</script><b>&amp;'single'",
    'Looks like a member: ,"source":null,"id":9}',
]
TIMES = [
    datetime(2024, 1, 9, 21, 0, 0, tzinfo=UTC),
    datetime(2024, 1, 9, 21, 0, 0, 120000, tzinfo=UTC),
    datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2026, 11, 28, 0, 0, 0, 5, tzinfo=UTC),
]
CONFIDENCES = [1.0, 0.0, 0.5, 0.123, 0.1, 0.857, 0.001]  # rounded to 3 places, as stored


def _store(app: Any) -> list[dict[str, Any]]:
    """Claims covering the edge values, and what ClaimOut writes for each."""
    with Session(app.state.engine) as session:
        name = 'Dmitry "Dima" Peskov'
        source = Source(name=name, kind="person")
        article = Article(
            text="".join(TEXTS), content_hash=hashlib.sha256(b"edges").hexdigest(),
            extractor_version="test",
        )  # fmt: skip
        session.add_all([source, article])
        session.flush()
        claims = []
        for i, text in enumerate(TEXTS * 2):
            attributed = i % 2 == 0
            relayed = i % 4 == 0  # by the source itself, as "Peskov said Peskov said"
            values = dict(
                    article_id=article.id,
                    sentence_index=i,
                    start=i,
                    end=i + len(text),
                    text=text,
                    source_id=source.id if attributed else None,
                    attribution_type="direct_quote" if attributed else "unattributed",
                    attribution_method="rule",
                    confidence=CONFIDENCES[i % len(CONFIDENCES)],
                    mention="he" if attributed else None,
                    mention_start=0 if attributed else None,
                    mention_end=2 if attributed else None,
                    cue="said" if attributed else None,
                    cue_start=3 if attributed else None,
                    cue_end=7 if attributed else None,
                    via_source_id=source.id if relayed else None,
                    via_mention=text if relayed else None,
                    via_mention_start=i if relayed else None,
                    via_mention_end=i + len(text) if relayed else None,
                    status="verified",
                    version=i + 1,
                    created_at=TIMES[i % len(TIMES)],
                    updated_at=TIMES[(i + 1) % len(TIMES)],
            )  # fmt: skip
            claims.append(Claim(**values))
        session.add_all(claims)
        session.flush()
        expected = []
        for claim in claims:
            data = claim.model_dump(warnings=False)  # built from strings, as a loader would
            data["source"] = (
                None if claim.source_id is None
                else {"id": source.id, "name": source.name, "kind": source.kind}
            )  # fmt: skip
            data["attribution"] = {
                "type": claim.attribution_type, "method": claim.attribution_method,
                "confidence": claim.confidence, "mention": claim.mention,
                "mention_start": claim.mention_start, "mention_end": claim.mention_end,
                "cue": claim.cue, "cue_start": claim.cue_start, "cue_end": claim.cue_end,
                "via": None if claim.via_source_id is None else {
                    "id": source.id, "name": source.name, "kind": source.kind,
                    "mention": claim.via_mention, "mention_start": claim.via_mention_start,
                    "mention_end": claim.via_mention_end,
                },
            }  # fmt: skip
            expected.append(
                {"id": claim.id, "json": ClaimOut.model_validate(data).model_dump_json()}
            )
        session.commit()
    return expected


@pytest.mark.writes_in_sql
async def test_each_claim_reads_back_as_the_bytes_pydantic_writes(
    app: Any, client: AsyncClient
) -> None:
    for claim in _store(app):
        r = await client.get(f"/v1/claims/{claim['id']}")
        assert r.status_code == 200, r.text
        assert r.text == claim["json"]


@pytest.mark.writes_in_sql
async def test_a_page_is_the_same_claims_in_an_items_array(app: Any, client: AsyncClient) -> None:
    expected = _store(app)
    r = await client.get("/v1/claims", params={"limit": 4})
    assert r.status_code == 200
    items = ",".join(c["json"] for c in expected[:4])
    cursor = r.json()["next_cursor"]
    assert r.text == f'{{"items":[{items}],"next_cursor":"{cursor}"}}'
    # and the next page goes on from the fourth claim
    r = await client.get("/v1/claims", params={"limit": 4, "cursor": cursor})
    assert [c["id"] for c in r.json()["items"]] == [c["id"] for c in expected[4:8]]
