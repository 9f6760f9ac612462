"""Setting a claim's status and its source: ETags, If-Match, the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlmodel import Session

from app import changes as feed
from app.extraction.types import SourceKind
from app.models import Change, Claim
from tests.conftest import MakeClaim, bearer

pytestmark = pytest.mark.anyio


PESKOV_QUOTE = "Russia has never planned to attack anyone"


async def test_status_change_bumps_version_and_etag_and_records_an_event(
    make_claim: MakeClaim,
    client: AsyncClient,
) -> None:
    claim = make_claim()
    r = await client.patch(
        f"/v1/claims/{claim['id']}",
        json={"status": "in_progress", "note": "checking the transcript"},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "in_progress"
    assert r.json()["version"] == 2
    assert r.headers["etag"] == '"2"'
    events = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]
    assert [e["kind"] for e in events] == ["created", "status_changed"]
    change = events[1]
    assert change["actor"] == "test-editor"
    assert change["before"] == {"status": "unverified"}
    assert change["after"] == {"status": "in_progress"}
    assert change["note"] == "checking the transcript"


async def test_stale_if_match_returns_412_and_changes_nothing(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}"
    first = await client.patch(path, json={"status": "in_progress"}, headers={"If-Match": '"1"'})
    assert first.status_code == 200
    stale = await client.patch(path, json={"status": "false"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.headers["etag"] == '"2"'
    now = (await client.get(path)).json()
    assert (now["status"], now["version"]) == ("in_progress", 2)
    events = (await client.get(f"{path}/events")).json()["items"]
    assert len(events) == 2


async def test_write_without_if_match_is_428(make_claim: MakeClaim, client: AsyncClient) -> None:
    claim = make_claim()
    r = await client.patch(f"/v1/claims/{claim['id']}", json={"status": "verified"})
    assert r.status_code == 428
    assert r.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["status"] == "unverified"


@pytest.mark.parametrize(
    ("header", "status"),
    [('W/"1"', 412), ('"7", "8"', 412), ("not-a-tag", 400), ('"1", "2"', 200), ("*", 200)],
)
async def test_if_match_forms(
    make_claim: MakeClaim, client: AsyncClient, header: str, status: int
) -> None:
    claim = make_claim()
    r = await client.patch(
        f"/v1/claims/{claim['id']}", json={"status": "verified"}, headers={"If-Match": header}
    )
    assert r.status_code == status


async def test_status_change_errors(
    make_claim: MakeClaim, client: AsyncClient, anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}"
    match = {"If-Match": '"1"'}
    assert (
        await client.patch("/v1/claims/99999", json={"status": "false"}, headers=match)
    ).status_code == 404
    bad = await client.patch(path, json={"status": "maybe"}, headers=match)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.status"
    assert (await anonymous.patch(path, json={"status": "false"}, headers=match)).status_code == 401
    reader = match | bearer(keys["reader"])
    assert (
        await anonymous.patch(path, json={"status": "false"}, headers=reader)
    ).status_code == 403
    assert (await client.get(path)).json()["version"] == 1


async def test_same_status_again_changes_nothing(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    r = await client.patch(
        f"/v1/claims/{claim['id']}", json={"status": "unverified"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    assert r.json()["version"] == 1
    assert len((await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]) == 1


async def test_attribute_by_name_finds_the_source_through_an_alias(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    make_claim(aliases=("Peskov",))
    claim = make_claim("The conflict has claimed over 13,000 lives.", source=None)
    assert claim["source"] is None
    r = await client.put(
        f"/v1/claims/{claim['id']}/source",
        json={"source_name": "Peskov", "reason": "he said it in the briefing"},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["source"]["name"] == "Dmitry Peskov"
    assert body["attribution"]["method"] == "manual"
    assert body["attribution"]["type"] == "indirect"
    assert body["version"] == 2 and r.headers["etag"] == '"2"'
    event = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"][-1]
    assert event["kind"] == "attributed"
    assert event["before"]["source_id"] is None
    assert event["after"]["source_id"] == body["source"]["id"]
    assert event["note"] == "he said it in the briefing"


async def test_attribute_by_unknown_name_creates_the_source(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    r = await client.put(
        f"/v1/claims/{claim['id']}/source",
        json={"source_name": "Foreign Minister Sergei Lavrov", "attribution_type": "direct_quote"},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200
    source = r.json()["source"]
    assert source["name"] == "Sergei Lavrov"
    assert source["kind"] == "person"
    detail = (await client.get(f"/v1/sources/{source['id']}")).json()
    assert detail["claim_count"] == 1


async def test_attribute_by_id_and_clear(make_claim: MakeClaim, client: AsyncClient) -> None:
    tass = make_claim("Talks will go on", source="TASS", kind=SourceKind.news_agency)["source"]
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}/source"
    r = await client.put(path, json={"source_id": tass["id"]}, headers={"If-Match": '"1"'})
    assert r.json()["source"]["name"] == "TASS"
    cleared = await client.put(path, json={"reason": "own statement"}, headers={"If-Match": '"2"'})
    assert cleared.status_code == 200
    body = cleared.json()
    assert body["source"] is None
    assert body["attribution"]["type"] == "unattributed"
    assert body["attribution"]["mention"] is None and body["attribution"]["cue"] is None


async def test_another_source_takes_the_relay_with_the_extractors_spans(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim(via="Interfax")
    path = f"/v1/claims/{claim['id']}/source"
    retyped = await client.put(
        path,
        json={"source_id": claim["source"]["id"], "attribution_type": "indirect"},
        headers={"If-Match": '"1"'},
    )
    assert retyped.status_code == 200, retyped.text
    assert retyped.json()["attribution"]["via"] == claim["attribution"]["via"]  # same source
    moved = await client.put(
        path, json={"source_name": "Sergei Lavrov"}, headers={"If-Match": '"2"'}
    )
    assert moved.status_code == 200, moved.text
    attribution = moved.json()["attribution"]
    assert attribution["via"] is None
    assert attribution["method"] == "manual"
    assert attribution["mention"] is None and attribution["cue"] is None
    event = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"][-1]
    assert event["before"]["via_source_id"] == claim["attribution"]["via"]["id"]
    assert event["after"]["via_source_id"] is None
    # unless the request keeps the relay: the words that named it still do
    kept = make_claim("Talks will go on", via="Interfax")
    interfax = kept["attribution"]["via"]
    r = await client.put(
        f"/v1/claims/{kept['id']}/source",
        json={"source_name": "Sergei Lavrov", "via_source_id": interfax["id"]},
        headers={"If-Match": '"1"'},
    )
    assert r.json()["attribution"]["via"] == interfax
    assert r.json()["source"]["name"] == "Sergei Lavrov"
    assert r.json()["attribution"]["mention"] is None


async def test_a_person_names_the_relay_or_removes_it(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    tass = make_claim("Talks will go on", source="TASS", kind=SourceKind.news_agency)["source"]
    claim = make_claim(via="Interfax")
    path, peskov = f"/v1/claims/{claim['id']}/source", claim["source"]["id"]
    named = await client.put(
        path, json={"source_id": peskov, "via_source_id": tass["id"]}, headers={"If-Match": '"1"'}
    )
    assert named.status_code == 200, named.text
    attribution = named.json()["attribution"]
    # no words of the text named TASS; those that named Peskov still do
    unnamed = {"mention": None, "mention_start": None, "mention_end": None}
    assert attribution["via"] == tass | unnamed
    assert attribution["mention"] == "he"
    removed = await client.put(
        path, json={"source_id": peskov, "via_source_id": None}, headers={"If-Match": '"2"'}
    )
    assert removed.json()["attribution"]["via"] is None
    unknown = await client.put(
        path, json={"source_name": "TASS", "via_source_id": 99999}, headers={"If-Match": '"3"'}
    )
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["body.via_source_id"]
    alone = await client.put(path, json={"via_source_id": tass["id"]}, headers={"If-Match": '"3"'})
    assert alone.status_code == 422
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["version"] == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"source_id": 99999}, 422),
        ({"source_id": 1, "source_name": "TASS"}, 422),
        ({"source_name": "TASS", "attribution_type": "unattributed"}, 422),
        ({"source_name": "TASS", "via_source_id": 99999}, 422),
        ({"via_source_id": 1}, 422),
        ({"source_name": ""}, 422),
        ({"who": "TASS"}, 422),
    ],
)
async def test_bad_attribution_is_refused_and_changes_nothing(
    make_claim: MakeClaim, client: AsyncClient, body: dict[str, Any], status: int
) -> None:
    claim = make_claim()
    r = await client.put(f"/v1/claims/{claim['id']}/source", json=body, headers={"If-Match": '"1"'})
    assert r.status_code == status
    assert r.headers["content-type"] == "application/problem+json"
    assert (await client.get(f"/v1/claims/{claim['id']}")).json()["version"] == 1


async def test_attribution_needs_if_match_and_an_editor(
    make_claim: MakeClaim, client: AsyncClient, anonymous: AsyncClient
) -> None:
    claim = make_claim()
    path = f"/v1/claims/{claim['id']}/source"
    assert (await client.put(path, json={"source_name": "TASS"})).status_code == 428
    r = await anonymous.put(path, json={"source_name": "TASS"}, headers={"If-Match": '"1"'})
    assert r.status_code == 401
    assert (
        await client.put("/v1/claims/99999/source", json={}, headers={"If-Match": '"1"'})
    ).status_code == 404


async def test_failure_between_change_and_event_leaves_neither(
    make_claim: MakeClaim, client: AsyncClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = make_claim()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("injected: the event could not be written")

    # The changes go in at the commit, after the claim's UPDATE: fail there.
    monkeypatch.setattr(feed, "utcnow", fail)
    r = await client.patch(
        f"/v1/claims/{claim['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 500
    assert "injected" not in r.text
    with Session(app.state.engine) as session:
        stored = session.get(Claim, claim["id"])
        assert stored is not None and (stored.status, stored.version) == ("unverified", 1)
        count = select(func.count()).select_from(Change).where(Change.claim_id == claim["id"])  # type: ignore[arg-type]
        assert session.execute(count).scalar_one() == 1  # only "created"


async def test_events_of_unknown_claim_is_404(client: AsyncClient) -> None:
    assert (await client.get("/v1/claims/99999/events")).status_code == 404
