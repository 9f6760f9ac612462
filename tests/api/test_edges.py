"""Inputs at the edges: each answered with a clear 4xx, or stored right, on both databases."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx import AsyncClient

from app.extraction.types import SourceKind
from tests.api.test_claims import ingest
from tests.conftest import MakeClaim

pytestmark = pytest.mark.anyio


async def test_people_who_share_a_surname_stay_two_sources(client: AsyncClient) -> None:
    john = await ingest(client, "John Smith said that the bridge will open in May.")
    jane = await ingest(client, "Jane Smith said that the bridge is unsafe.")
    assert john["claims"][0]["source"]["name"] == "John Smith"
    assert jane["claims"][0]["source"]["name"] == "Jane Smith"
    assert john["claims"][0]["source"]["id"] != jane["claims"][0]["source"]["id"]
    again = await ingest(client, "Smith said that the opening may slip.")
    assert again["claims"][0]["source"]["name"] == "John Smith"


@pytest.mark.parametrize("cursor", ["zzzzzz", "zzzzzz.zzzzzz"])
async def test_a_cursor_past_every_row_gives_an_empty_page(
    client: AsyncClient, cursor: str
) -> None:
    article = await ingest(client)
    path = f"/v1/articles/{article['id']}/claims" if "." in cursor else "/v1/claims"
    r = await client.get(path, params={"cursor": cursor})
    assert r.status_code == 200
    assert r.json() == {"items": [], "next_cursor": None}


async def test_an_overlong_url_is_422(client: AsyncClient) -> None:
    url = "https://example.org/" + "a" * 2100
    r = await client.post("/v1/articles", json={"text": "A said B.", "url": url})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.url"


async def test_a_runaway_mention_is_stored_cut_to_its_column(client: AsyncClient) -> None:
    text = "Official " * 80 + "Johnson said that rates will rise."
    r = await client.post("/v1/articles", json={"text": text})
    assert r.status_code == 201, r.text
    for claim in r.json()["claims"]:
        a = claim["attribution"]
        if a["mention"] is not None:
            assert len(a["mention"]) <= 500
            assert text[a["mention_start"] : a["mention_end"]] == a["mention"]


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
async def test_a_time_outside_the_utc_calendar_is_422(client: AsyncClient, when: str) -> None:
    r = await client.get("/v1/claims", params={"updated_since": when})
    assert r.status_code == 422
    r = await client.post("/v1/articles", json={"text": "A said B.", "published_at": when})
    assert r.status_code == 422


@pytest.mark.parametrize("name", ["   ", "—", "..."])
async def test_a_name_with_nothing_in_it_is_422(
    make_claim: MakeClaim, client: AsyncClient, name: str
) -> None:
    r = await client.post("/v1/sources", json={"name": name})
    assert r.status_code == 422
    claim = make_claim()
    r = await client.put(
        f"/v1/claims/{claim['id']}/source", json={"source_name": name}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 422
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["version"] == 1


async def test_an_article_under_the_limit_is_taken_however_json_escapes_it(
    client: AsyncClient, app: Any
) -> None:
    app.state.settings.max_article_bytes = 100_000
    text = "Министр сказал, что ставки вырастут. " * 1300  # ~94,000 UTF-8 bytes
    assert len(text.encode()) < 100_000
    body = json.dumps({"text": text}).encode()  # ASCII-escaped: three times the bytes
    r = await client.post(
        "/v1/articles", content=body, headers={"content-type": "application/json"}
    )
    assert r.status_code == 201, r.text[:300]


async def test_a_body_that_is_not_json_is_400(client: AsyncClient) -> None:
    r = await client.post(
        "/v1/articles", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    assert r.status_code == 400
    assert r.json()["type"].endswith("/invalid-json")


async def test_405_outside_the_api_still_names_the_allowed_method(client: AsyncClient) -> None:
    r = await client.post("/openapi.json")
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]


async def test_reattributing_drops_the_words_that_named_the_old_source(
    make_claim: MakeClaim,
    client: AsyncClient,
) -> None:
    claim = make_claim()
    assert claim["attribution"]["mention"] == "he"
    r = await client.put(
        f"/v1/claims/{claim['id']}/source",
        json={"source_name": "Kremlin"},
        headers={"If-Match": '"1"'},
    )
    a = r.json()["attribution"]
    assert (a["mention"], a["mention_start"], a["cue"]) == (None, None, None)
    assert a["type"] == "direct_quote"


LEFT, STAYED = "50% and/or 10_000 people left", "500 people stayed"


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("50% and/or 10_000", [LEFT]), ("left AND people", [LEFT]), ("left*", [LEFT]),
        ("^left", [LEFT]), ('"unclosed left', []), ('left"', [LEFT]), ("'left'", [LEFT]),
        ("left) OR (", [LEFT]), ("{left}", [LEFT]), ("people - left", [LEFT]),
        ("--left people", [STAYED]), ("OR left OR", [LEFT]), ("NEAR(people stayed, 2)", []),
        ("text:left", []), ("people NOT left", [LEFT]), ("500 OR left", [LEFT, STAYED]),
    ],
)  # fmt: skip
async def test_no_search_text_is_an_fts5_operator_or_breaks_the_query(
    client: AsyncClient, q: str, found: bool
) -> None:
    # What FTS5 would read as its own syntax (AND, NOT, NEAR, *, ^, column filters,
    # parentheses) is text to search for: words, or punctuation that separates them.
    await ingest(client, "The minister said that 50% and/or 10_000 people left.")
    await ingest(client, "The mayor said that 500 people stayed.")
    r = await client.get("/v1/claims", params={"q": q})
    assert r.status_code == 200, r.text
    assert sorted(c["text"] for c in r.json()["items"]) == found, q


@pytest.mark.parametrize("q", ["%", "_", "the", "of the", '"to be"', "-minister", " ", "()"])
async def test_a_search_with_nothing_to_find_is_422_saying_so(client: AsyncClient, q: str) -> None:
    r = await client.get("/v1/claims", params={"q": q})
    assert r.status_code == 422
    [error] = r.json()["errors"]
    assert error["field"] == "query.q"
    assert "no word to search for" in error["message"]


async def test_an_id_in_a_body_is_any_integral_json_number(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    # JSON Schema's integer admits 5.0 (what some JSON encoders write); "5", true and 1.5
    # are no ids.
    tass = make_claim("Talks went on", source="TASS", kind=SourceKind.news_agency)["source"]
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}/source"
    for value in ["5", True, 1.5, 1e20]:
        r = await client.put(path, json={"source_id": value}, headers={"If-Match": '"1"'})
        assert r.status_code == 422, value
        assert [e["field"] for e in r.json()["errors"]] == ["body.source_id"]
        r = await client.post("/v1/sources", json={"name": "X", "affiliation_id": value})
        assert r.status_code == 422, value
        assert [e["field"] for e in r.json()["errors"]] == ["body.affiliation_id"]
    r = await client.put(path, json={"source_id": float(tass["id"])}, headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["source"]["id"] == tass["id"]
    created = await client.post(
        "/v1/sources", json={"name": "X", "affiliation_id": tass["id"] * 1.0}
    )
    assert created.status_code == 201, created.text
    assert created.json()["affiliation"]["id"] == tass["id"]
    patched = await client.patch(
        f"/v1/sources/{created.json()['id']}",
        json={"affiliation_id": float(claim["source"]["id"])},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["affiliation"]["id"] == claim["source"]["id"]
