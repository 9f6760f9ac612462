from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from app.extraction.types import SourceKind
from tests.conftest import REFERENCE_TEXT, MakeClaim

pytestmark = pytest.mark.anyio

SECOND = (
    "Police said the suspect fled on foot. "
    "“We are confident we will find him,” Chief Maria Lopez told reporters."
)


async def ingest(client: AsyncClient, text: str = REFERENCE_TEXT) -> dict[str, Any]:
    r = await client.post("/v1/articles", json={"text": text})
    assert r.status_code in (200, 201), r.text
    body: dict[str, Any] = r.json()
    return body


async def all_pages(client: AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        r = await client.get(path, params=query)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_claim_json_has_the_contract_fields(client: AsyncClient) -> None:
    article = await ingest(client)
    claim = (await client.get(f"/v1/claims/{article['claims'][0]['id']}")).json()
    assert set(claim) == {
        "id", "article_id", "sentence_index", "text", "start", "end", "source",
        "attribution", "status", "version", "created_at", "updated_at", "match_group",
        "first_appearance", "suggested_status",
    }  # fmt: skip
    assert set(claim["attribution"]) == {
        "type", "method", "confidence", "mention", "mention_start", "mention_end",
        "cue", "cue_start", "cue_end", "cue_kind", "via",
    }  # fmt: skip
    assert claim["article_id"] == article["id"]
    assert datetime.fromisoformat(claim["created_at"]).tzinfo is not None


async def test_each_attributed_claim_says_what_kind_of_cue_tied_it(client: AsyncClient) -> None:
    text = (
        "“We will not raise rates,” the governor said. A new study shows that prices rose. "
        "Officials believe that the plan will work. The bridge opened in May."
    )
    claims = (await client.post("/v1/articles", json={"text": text})).json()["claims"]
    kinds = {c["text"]: c["attribution"]["cue_kind"] for c in claims}
    assert kinds == {
        "We will not raise rates": "speech",
        "prices rose": "evidence",
        "the plan will work": "thought",
        "The bridge opened in May.": None,
    }
    for kind in ("speech", "thought", "evidence"):
        page = (await client.get("/v1/claims", params={"cue_kind": kind})).json()["items"]
        assert [c["attribution"]["cue_kind"] for c in page] == [kind]
    bad = await client.get("/v1/claims", params={"cue_kind": "rumour"})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["query.cue_kind"]


async def test_a_relayed_claim_names_its_speaker_as_source_and_the_outlet_as_via(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim(
        "The budget will be cut", source="Olga Varga", via="Interfax", via_kind=SourceKind.media
    )
    got = (await client.get(f"/v1/claims/{claim['id']}")).json()
    assert got == claim
    assert got["source"]["name"] == "Olga Varga"
    via = got["attribution"]["via"]
    assert (via["name"], via["kind"], via["mention"]) == ("Interfax", "media", "Interfax")
    assert via["id"] != got["source"]["id"]
    article = (await client.get(f"/v1/articles/{got['article_id']}")).json()
    assert article["text"][via["mention_start"] : via["mention_end"]] == "Interfax"
    assert article["text"].startswith("“The budget will be cut,” he said, Interfax reported.")
    interfax = (await client.get(f"/v1/sources/{via['id']}")).json()
    assert (interfax["name"], interfax["kind"]) == ("Interfax", "media")
    unrelayed = make_claim()
    assert unrelayed["attribution"]["via"] is None
    assert make_claim("Rain is due", source=None)["attribution"]["via"] is None


async def test_filter_by_the_source_relaying_the_claims(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    varga = make_claim("The budget will be cut", source="Olga Varga", via="Interfax")
    peskov = make_claim(via="Interfax")
    make_claim("Talks will go on", via="TASS")
    interfax_itself = make_claim("Markets fell", source="Interfax", kind=SourceKind.news_agency)
    make_claim()
    interfax = varga["attribution"]["via"]["id"]
    relayed = await all_pages(client, "/v1/claims", via=interfax, limit=1)
    assert [c["id"] for c in relayed] == [varga["id"], peskov["id"]]
    assert all(c["attribution"]["via"]["name"] == "Interfax" for c in relayed)
    # with another filter too (a scan), and not the claims it makes itself
    peskov_via = await all_pages(
        client, "/v1/claims", via=interfax, source_name="Dmitry Peskov", status="unverified"
    )
    assert [c["id"] for c in peskov_via] == [peskov["id"]]
    made = await all_pages(client, "/v1/claims", source=interfax)
    assert [c["id"] for c in made] == [interfax_itself["id"]]
    own = await all_pages(client, f"/v1/sources/{interfax}/claims")
    assert [c["id"] for c in own] == [interfax_itself["id"]]
    assert await all_pages(client, "/v1/claims", via=999) == []


async def test_get_claim_has_etag_of_its_version(client: AsyncClient) -> None:
    article = await ingest(client)
    r = await client.get(f"/v1/claims/{article['claims'][3]['id']}")
    assert r.status_code == 200
    assert r.headers["etag"] == '"1"'


async def test_unknown_claim_is_404_problem(client: AsyncClient) -> None:
    r = await client.get("/v1/claims/12345")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json() == {
        "type": "https://claimdesk.dev/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "Claim 12345 does not exist.",
    }


async def test_list_walks_every_claim_once_in_id_order(client: AsyncClient) -> None:
    a = await ingest(client)
    b = await ingest(client, SECOND)
    items = await all_pages(client, "/v1/claims", limit=5)
    ids = [c["id"] for c in items]
    assert ids == sorted(ids)
    assert set(ids) == {c["id"] for c in a["claims"] + b["claims"]}


async def test_filter_by_source_id_and_by_name_or_alias(client: AsyncClient) -> None:
    article = await ingest(client)
    peskov = next(
        c for c in article["claims"] if c["source"] and c["source"]["name"] == "Dmitry Peskov"
    )
    by_id = await all_pages(client, "/v1/claims", source=peskov["source"]["id"])
    by_name = await all_pages(client, "/v1/claims", source_name="dmitry peskov")
    assert {c["id"] for c in by_id} == {c["id"] for c in by_name}
    assert len(by_id) == 3
    assert all(c["source"]["name"] == "Dmitry Peskov" for c in by_id)
    source_claims = await all_pages(client, f"/v1/sources/{peskov['source']['id']}/claims")
    assert [c["id"] for c in source_claims] == [c["id"] for c in by_id]


async def test_unknown_source_name_gives_an_empty_page(client: AsyncClient) -> None:
    await ingest(client)
    r = await client.get("/v1/claims", params={"source_name": "Nobody At All"})
    assert r.json() == {"items": [], "next_cursor": None}


async def test_filter_by_article_type_status_and_text(client: AsyncClient) -> None:
    first = await ingest(client)
    await ingest(client, SECOND)
    mine = await all_pages(client, "/v1/claims", article=first["id"])
    assert {c["id"] for c in mine} == {c["id"] for c in first["claims"]}

    quotes = await all_pages(client, "/v1/claims", attribution_type="direct_quote")
    assert quotes and all(c["attribution"]["type"] == "direct_quote" for c in quotes)

    unverified = await all_pages(client, "/v1/claims", status="unverified")
    assert len(unverified) == len(await all_pages(client, "/v1/claims"))
    assert await all_pages(client, "/v1/claims", status="verified") == []

    hits = await all_pages(client, "/v1/claims", q="RED LINES")
    assert [c["text"] for c in hits] == ["But we have our own red lines."]
    assert await all_pages(client, "/v1/claims", q="lines -red") == []


async def test_updated_since_filters_by_change_time(client: AsyncClient) -> None:
    await ingest(client)
    past = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert len(await all_pages(client, "/v1/claims", updated_since=past)) > 0
    assert await all_pages(client, "/v1/claims", updated_since=future) == []
    naive_future = (datetime.now(UTC) + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert await all_pages(client, "/v1/claims", updated_since=naive_future) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 201}, "query.limit"),
        ({"status": "true"}, "query.status"),
        ({"attribution_type": "rumour"}, "query.attribution_type"),
        ({"source": "peskov"}, "query.source"),
        ({"via": "tass"}, "query.via"),
        ({"via": 0}, "query.via"),
        ({"updated_since": "last week"}, "query.updated_since"),
        ({"updated_since": "1700000000"}, "query.updated_since"),
        ({"q": "nul\x00byte"}, "query.q"),
        ({"article": 2**31}, "query.article"),
    ],
)
async def test_bad_filters_are_422(client: AsyncClient, params: dict[str, Any], field: str) -> None:
    r = await client.get("/v1/claims", params=params)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


@pytest.mark.parametrize("cursor", ["", "garbage!", "ABC", "1.2", "-1", "zzzzzzz"])
async def test_bad_cursor_is_400(client: AsyncClient, cursor: str) -> None:
    r = await client.get("/v1/claims", params={"cursor": cursor})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/invalid-cursor")
