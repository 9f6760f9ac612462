from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from app.extraction.types import SourceKind
from tests import stored_json
from tests.api.test_claims import ingest
from tests.conftest import MakeClaim

pytestmark = pytest.mark.anyio

LAVROV = {
    "name": "Sergei Lavrov",
    "kind": "person",
    "description": "Russian foreign minister",
    "aliases": ["Lavrov", "Sergey Lavrov"],
}


async def test_create_source_and_find_it_by_alias(client: AsyncClient) -> None:
    r = await client.post("/v1/sources", json=LAVROV)
    assert r.status_code == 201
    source = r.json()
    assert source["aliases"] == ["Lavrov", "Sergey Lavrov"]
    assert r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"/v1/sources/{source['id']}"
    found = (await client.get("/v1/sources", params={"q": "sergey"})).json()["items"]
    assert [s["id"] for s in found] == [source["id"]]


async def test_a_name_or_alias_belongs_to_one_source(client: AsyncClient) -> None:
    await client.post("/v1/sources", json=LAVROV)
    for clash in ({"name": "lavrov"}, {"name": "Someone Else", "aliases": ["Sergei  Lavrov"]}):
        r = await client.post("/v1/sources", json=clash)
        assert r.status_code == 409, clash
        assert r.headers["content-type"] == "application/problem+json"
    assert len((await client.get("/v1/sources")).json()["items"]) == 1


async def test_create_source_errors(client: AsyncClient, anonymous: AsyncClient) -> None:
    assert (await anonymous.post("/v1/sources", json=LAVROV)).status_code == 401
    bad = await client.post("/v1/sources", json={"name": "X", "kind": "alien"})
    assert bad.status_code == 422
    no_affiliate = await client.post("/v1/sources", json={"name": "X", "affiliation_id": 999})
    assert no_affiliate.status_code == 422
    assert no_affiliate.json()["errors"][0]["field"] == "body.affiliation_id"


async def test_edit_source_with_if_match(client: AsyncClient) -> None:
    kremlin = (
        await client.post("/v1/sources", json={"name": "Kremlin", "kind": "government"})
    ).json()
    lavrov = (await client.post("/v1/sources", json=LAVROV)).json()
    path = f"/v1/sources/{lavrov['id']}"
    r = await client.patch(
        path,
        json={"affiliation_id": kremlin["id"], "aliases": ["Lavrov"]},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["affiliation"] == {"id": kremlin["id"], "name": "Kremlin", "kind": "government"}
    assert body["aliases"] == ["Lavrov"]
    assert body["description"] == "Russian foreign minister"
    assert r.headers["etag"] == '"2"'
    # The dropped alias is free again; the kept one still finds him.
    assert (await client.post("/v1/sources", json={"name": "Sergey Lavrov"})).status_code == 201
    assert (
        await client.patch(path, json={"kind": "media"}, headers={"If-Match": '"1"'})
    ).status_code == 412
    assert (await client.patch(path, json={"kind": "media"})).status_code == 428
    clash = await client.patch(path, json={"aliases": ["Kremlin"]}, headers={"If-Match": '"2"'})
    assert clash.status_code == 409
    itself = await client.patch(
        path, json={"affiliation_id": lavrov["id"]}, headers={"If-Match": '"2"'}
    )
    assert itself.status_code == 422
    assert (await client.get(path)).json()["aliases"] == ["Lavrov"]
    assert (
        await client.patch("/v1/sources/9999", json={}, headers={"If-Match": '"1"'})
    ).status_code == 404


async def test_a_source_edit_that_changes_nothing_keeps_the_version(client: AsyncClient) -> None:
    created = await client.post(
        "/v1/sources", json={"name": "Olga Varga", "kind": "person", "aliases": ["Varga"]}
    )
    source = created.json()
    path = f"/v1/sources/{source['id']}"
    for same in ({}, {"name": "Olga Varga", "kind": "person", "aliases": ["Varga"]}):
        r = await client.patch(path, json=same, headers={"If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert r.headers["etag"] == '"1"'
        assert r.json() == source
    aliases = await client.patch(path, json={"aliases": []}, headers={"If-Match": '"1"'})
    assert aliases.json()["version"] == 2 and aliases.json()["aliases"] == []


async def test_renamed_source_keeps_its_claims(client: AsyncClient) -> None:
    article = await ingest(client)
    tass = next(
        c["source"] for c in article["claims"] if c["source"] and c["source"]["name"] == "TASS"
    )
    r = await client.patch(
        f"/v1/sources/{tass['id']}",
        json={"name": "TASS Russian News Agency", "aliases": ["TASS"]},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200
    claims = (await client.get("/v1/claims", params={"source_name": "TASS"})).json()["items"]
    assert [c["source"]["name"] for c in claims] == ["TASS Russian News Agency"]


async def test_a_source_edit_renames_it_where_it_relays_claims_too(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    kind = SourceKind.news_agency
    relayed = make_claim("The budget will be cut", source="Olga Varga", via="TASS", via_kind=kind)
    own = make_claim("Talks will go on", source="TASS", kind=kind)
    both = make_claim("TASS is accredited", source="TASS", kind=kind, via="TASS", via_kind=kind)
    other = make_claim(via="Interfax")
    tass = own["source"]["id"]
    assert relayed["attribution"]["via"]["id"] == both["attribution"]["via"]["id"] == tass
    r = await client.patch(
        f"/v1/sources/{tass}",
        json={"name": "TASS Russian News Agency", "kind": "media", "aliases": ["TASS"]},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert stored_json.mismatches(app.state.engine) == {}
    now = {
        c["id"]: (await client.get(f"/v1/claims/{c['id']}")).json()
        for c in (relayed, own, both, other)
    }
    renamed = {"id": tass, "name": "TASS Russian News Agency", "kind": "media"}
    assert now[own["id"]]["source"] == renamed
    assert now[both["id"]]["source"] == renamed
    for claim in (relayed, both):  # the relay renamed, its mention as the text has it
        assert now[claim["id"]]["attribution"]["via"] == claim["attribution"]["via"] | renamed
        assert now[claim["id"]]["version"] == claim["version"]
    assert now[relayed["id"]]["source"] == relayed["source"]
    assert now[other["id"]] == other


async def test_same_as_keeps_each_address_once_in_order_and_patch_replaces_it(
    client: AsyncClient,
) -> None:
    wikipedia = "https://en.wikipedia.org/wiki/Sergey_Lavrov"
    created = await client.post(
        "/v1/sources",
        json={**LAVROV, "same_as": [wikipedia, "HTTPS://www.MID.ru", "https://www.mid.ru/"]},
    )
    assert created.status_code == 201, created.text
    assert created.json()["same_as"] == [wikipedia, "https://www.mid.ru/"]
    path = f"/v1/sources/{created.json()['id']}"
    assert (await client.get(path)).json()["same_as"] == [wikipedia, "https://www.mid.ru/"]

    reordered = ["https://www.mid.ru/en/", wikipedia]
    r = await client.patch(path, json={"same_as": reordered}, headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    assert r.json()["same_as"] == reordered
    assert r.headers["etag"] == '"2"'
    again = await client.patch(path, json={"same_as": reordered}, headers={"If-Match": '"2"'})
    assert again.headers["etag"] == '"2"'  # the same list changes nothing

    stale = await client.patch(path, json={"same_as": []}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert (await client.patch(path, json={"same_as": []})).status_code == 428
    assert (
        await client.patch(path, json={"same_as": None}, headers={"If-Match": '"2"'})
    ).status_code == 422
    kept = (await client.get(path)).json()
    assert kept["same_as"] == reordered and kept["version"] == 2
    other_fields = await client.patch(
        path, json={"kind": "government"}, headers={"If-Match": '"2"'}
    )
    assert other_fields.json()["same_as"] == reordered  # left out: kept

    cleared = await client.patch(path, json={"same_as": []}, headers={"If-Match": '"3"'})
    assert cleared.json()["same_as"] == [] and cleared.headers["etag"] == '"4"'
    listed = (await client.get("/v1/sources")).json()["items"]
    assert [s["same_as"] for s in listed] == [[]]


@pytest.mark.parametrize(
    "address",
    [
        "ftp://ftp.example.org/lavrov.txt",
        "/wiki/Sergey_Lavrov",
        "en.wikipedia.org/wiki/Sergey_Lavrov",
        "javascript:alert(document.cookie)",
        "mailto:press@mid.ru",
        "https://",
        "",
    ],
)
async def test_same_as_takes_only_absolute_web_addresses(client: AsyncClient, address: str) -> None:
    refused = await client.post(
        "/v1/sources", json={**LAVROV, "same_as": ["https://www.mid.ru/", address]}
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["body.same_as.1"]
    assert (await client.get("/v1/sources")).json()["items"] == []

    source = (await client.post("/v1/sources", json=LAVROV)).json()
    path = f"/v1/sources/{source['id']}"
    r = await client.patch(path, json={"same_as": [address]}, headers={"If-Match": '"1"'})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.same_as.0"]
    assert (await client.get(path)).json() == source


async def test_same_as_holds_at_most_twenty_addresses(client: AsyncClient) -> None:
    many = [f"https://example.org/{n}" for n in range(21)]
    r = await client.post("/v1/sources", json={**LAVROV, "same_as": many})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.same_as"
    created = await client.post("/v1/sources", json={**LAVROV, "same_as": many[:20]})
    assert created.status_code == 201
    assert created.json()["same_as"] == many[:20]


async def test_same_as_leaves_the_claims_of_the_source_as_they_are(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    """The claim JSON names a source by id, name and kind only: its addresses change no
    claim, and no claim's version."""
    claim = make_claim()
    path = f"/v1/sources/{claim['source']['id']}"
    r = await client.patch(
        path,
        json={"same_as": ["https://en.wikipedia.org/wiki/Dmitry_Peskov"]},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert (await client.get(f"/v1/claims/{claim['id']}")).json() == claim
