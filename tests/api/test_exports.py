"""The streamed JSON Lines / CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

import pytest
from httpx import AsyncClient

from app.extraction.types import SourceKind
from tests.conftest import MakeClaim

pytestmark = pytest.mark.anyio


def _some_claims(make_claim: MakeClaim) -> list[dict[str, Any]]:
    return [
        make_claim(aliases=("Peskov",)),
        make_claim("Talks lasted two hours", source="TASS", kind=SourceKind.news_agency,
                   attribution_type="indirect"),
        make_claim("Russia would not attack, he added", aliases=("Peskov",)),
        make_claim("The conflict has claimed over 13,000 lives.", source=None),
        make_claim("The budget will be cut", source="Olga Varga", via="Interfax"),
    ]  # fmt: skip


async def test_export_jsonl_streams_every_matching_claim(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claims = _some_claims(make_claim)
    r = await client.get("/v1/export/claims")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/x-ndjson"
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert lines == claims  # each claim's JSON, as GET /v1/claims/{id} serves it
    peskov = await client.get("/v1/export/claims", params={"source_name": "Peskov"})
    assert [json.loads(line)["id"] for line in peskov.text.splitlines()] == [
        claims[0]["id"], claims[2]["id"]
    ]  # fmt: skip
    interfax = claims[-1]["attribution"]["via"]["id"]
    relayed = await client.get("/v1/export/claims", params={"via": interfax})
    assert [json.loads(line) for line in relayed.text.splitlines()] == [claims[-1]]


async def test_export_csv(make_claim: MakeClaim, client: AsyncClient) -> None:
    claims = _some_claims(make_claim)
    r = await client.get("/v1/export/claims", params={"format": "csv", "status": "unverified"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == [str(c["id"]) for c in claims]
    tass = next(row for row in rows if row["source_name"] == "TASS")
    assert (tass["attribution_type"], tass["source_kind"]) == ("indirect", "news_agency")
    assert tass["text"] == "Talks lasted two hours"
    assert (tass["mention"], tass["cue"], tass["cue_kind"]) == ("he", "said", "speech")
    assert r.text.splitlines()[0].split(",") == [  # a new column goes at the end
        "id", "article_id", "sentence_index", "start", "end", "text",
        "source_id", "source_name", "source_kind", "attribution_type", "attribution_method",
        "confidence", "mention", "cue", "status", "version", "created_at", "updated_at",
        "cue_kind", "via_source_id", "via_source_name", "via_source_kind", "match_group",
    ]  # fmt: skip
    relayed = next(row for row in rows if row["via_source_name"])
    via = claims[-1]["attribution"]["via"]
    assert (relayed["id"], relayed["source_name"]) == (str(claims[-1]["id"]), "Olga Varga")
    assert (relayed["via_source_id"], relayed["via_source_kind"]) == (str(via["id"]), "news_agency")
    assert {row["via_source_id"] for row in rows if row is not relayed} == {""}
    # times as Python writes them, the same instant as the JSON's
    claim = next(c for c in claims if str(c["id"]) == tass["id"])
    assert tass["created_at"].endswith("+00:00")
    assert datetime.fromisoformat(tass["created_at"]) == datetime.fromisoformat(claim["created_at"])
    assert next(row for row in rows if row["source_id"] == "")["attribution_type"] == "unattributed"


async def test_export_spans_many_batches(
    make_claim: MakeClaim, client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.claims import store

    monkeypatch.setattr(store, "EXPORT_BATCH", 2)
    claims = _some_claims(make_claim)
    r = await client.get("/v1/export/claims")
    assert [json.loads(line)["id"] for line in r.text.splitlines()] == [c["id"] for c in claims]


async def test_export_rejects_bad_filters(client: AsyncClient) -> None:
    assert (await client.get("/v1/export/claims", params={"format": "xml"})).status_code == 422
    assert (await client.get("/v1/export/claims", params={"status": "x"})).status_code == 422
