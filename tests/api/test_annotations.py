from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from tests.conftest import MakeClaim, bearer

pytestmark = pytest.mark.anyio

EVIDENCE = {
    "motivation": "linking",
    "body": "The Kremlin transcript has the same words.",
    "evidence_url": "https://en.kremlin.ru/events/president/transcripts/67315",
    "quote": "never planned to attack",
}


async def annotate(client: AsyncClient, claim_id: int, **overrides: Any) -> dict[str, Any]:
    r = await client.post(f"/v1/claims/{claim_id}/annotations", json=EVIDENCE | overrides)
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_annotate_a_claim(make_claim: MakeClaim, client: AsyncClient) -> None:
    claim = make_claim()
    r = await client.post(f"/v1/claims/{claim['id']}/annotations", json=EVIDENCE)
    assert r.status_code == 201
    note = r.json()
    assert note["author"] == "test-editor"
    assert note["quote"] == "never planned to attack"
    assert note["version"] == 1 and r.headers["etag"] == '"1"'
    assert r.headers["location"] == f"/v1/annotations/{note['id']}"
    fetched = await client.get(f"/v1/annotations/{note['id']}")
    assert fetched.json() == note and fetched.headers["etag"] == '"1"'
    events = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]
    assert events[-1]["kind"] == "annotated"
    assert events[-1]["after"]["annotation_id"] == note["id"]
    # An annotation does not change the claim, so editors' ETags stay valid.
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["version"] == 1


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"quote": "never planned to invade"}, "body.quote"),
        ({"evidence_url": "not a url"}, "body.evidence_url"),
        ({"motivation": "liking"}, "body.motivation"),
        ({"body": ""}, "body.body"),
    ],
)
async def test_bad_annotation_is_422_and_stores_nothing(
    make_claim: MakeClaim, client: AsyncClient, override: dict[str, Any], field: str
) -> None:
    claim = make_claim()
    r = await client.post(f"/v1/claims/{claim['id']}/annotations", json=EVIDENCE | override)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]
    page = (await client.get(f"/v1/claims/{claim['id']}/annotations")).json()
    assert page["items"] == []


async def test_annotating_needs_an_editor_and_a_claim(
    make_claim: MakeClaim, client: AsyncClient, anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}/annotations"
    assert (await anonymous.post(path, json=EVIDENCE)).status_code == 401
    reader = bearer(keys["reader"])
    assert (await anonymous.post(path, json=EVIDENCE, headers=reader)).status_code == 403
    missing = await client.post("/v1/claims/99999/annotations", json=EVIDENCE)
    assert missing.status_code == 404
    assert (await client.get("/v1/claims/99999/annotations")).status_code == 404


async def test_annotations_list_in_creation_order_with_pages_and_filters(
    make_claim: MakeClaim, client: AsyncClient, anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    claim = make_claim()
    made = [await annotate(client, claim["id"], body=f"note {i}") for i in range(5)]
    admin = bearer(keys["admin"])
    r = await anonymous.post(
        f"/v1/claims/{claim['id']}/annotations",
        json={"motivation": "questioning", "body": "Which briefing?"},
        headers=admin,
    )
    assert r.status_code == 201
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"/v1/claims/{claim['id']}/annotations", params=params)).json()
        seen += [a["id"] for a in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == [a["id"] for a in made] + [r.json()["id"]]
    by_admin = (await client.get("/v1/annotations", params={"author": "test-admin"})).json()
    assert [a["body"] for a in by_admin["items"]] == ["Which briefing?"]
    questions = (await client.get("/v1/annotations", params={"motivation": "questioning"})).json()
    assert len(questions["items"]) == 1
    assert (await client.get("/v1/annotations", params={"motivation": "x"})).status_code == 422


async def test_edit_annotation_with_if_match(make_claim: MakeClaim, client: AsyncClient) -> None:
    claim = make_claim()
    note = await annotate(client, claim["id"])
    path = f"/v1/annotations/{note['id']}"
    r = await client.patch(
        path, json={"body": "Confirmed in the transcript."}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    assert r.json()["body"] == "Confirmed in the transcript."
    assert r.json()["quote"] == note["quote"]
    assert r.headers["etag"] == '"2"'
    stale = await client.patch(path, json={"body": "lost update"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert (await client.get(path)).json()["body"] == "Confirmed in the transcript."
    assert (await client.patch(path, json={"body": "x"})).status_code == 428
    bad_quote = await client.patch(path, json={"quote": "nowhere"}, headers={"If-Match": '"2"'})
    assert bad_quote.status_code == 422
    null_body = await client.patch(path, json={"body": None}, headers={"If-Match": '"2"'})
    assert null_body.status_code == 422
    no_quote = await client.patch(path, json={"quote": None}, headers={"If-Match": '"2"'})
    assert (
        no_quote.json()["quote"] is None
        and no_quote.json()["body"] == "Confirmed in the transcript."
    )
    assert (
        await client.patch("/v1/annotations/9999", json={}, headers={"If-Match": '"1"'})
    ).status_code == 404
    events = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]
    edit = events[-2]
    assert edit["kind"] == "annotation_edited"
    assert edit["before"]["body"] == EVIDENCE["body"]
    assert edit["after"]["body"] == "Confirmed in the transcript."


async def test_an_edit_that_changes_nothing_keeps_the_version_and_records_nothing(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    note = await annotate(client, claim["id"])
    path = f"/v1/annotations/{note['id']}"
    for same in ({}, {"body": note["body"], "motivation": note["motivation"]}):
        r = await client.patch(path, json=same, headers={"If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert r.headers["etag"] == '"1"'
        assert r.json() == note
    events = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]
    assert [e["kind"] for e in events] == ["created", "annotated"]


async def test_delete_annotation_keeps_it_in_the_trail(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    note = await annotate(client, claim["id"])
    path = f"/v1/annotations/{note['id']}"
    assert (await client.delete(path)).status_code == 428
    assert (await client.delete(path, headers={"If-Match": '"9"'})).status_code == 412
    assert (await client.delete(path, headers={"If-Match": '"1"'})).status_code == 204
    assert (await client.get(path)).status_code == 404
    assert (await client.delete(path, headers={"If-Match": '"1"'})).status_code == 404
    last = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"][-1]
    assert last["kind"] == "annotation_deleted"
    assert last["before"]["body"] == EVIDENCE["body"]
