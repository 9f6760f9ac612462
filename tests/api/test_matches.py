"""The same claim across articles: matches at ingest, a person's verdict on them,
match groups and their first appearance, offered verdicts, and "already checked?"."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlmodel import Session

from app.models import Claim, ClaimBand, ClaimMatch
from tests.conftest import bearer, ingest

pytestmark = pytest.mark.anyio

QUOTE = "Russia has never planned to attack anyone"


def quote_of(article: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in article["claims"] if QUOTE in c["text"])


async def two_reports(client: AsyncClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """Peskov's line as the first outlet carried it, and as a second one did, later."""
    first = await ingest(
        client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.",
        publisher="TASS", published_at="2021-12-07T09:00:00Z",
    )  # fmt: skip
    second = await ingest(
        client, f"Dmitry Peskov told reporters: “{QUOTE}.”",
        publisher="Bloomberg", published_at="2021-12-07T15:00:00Z",
    )  # fmt: skip
    return quote_of(first), quote_of(second)


async def test_the_same_quote_in_another_outlet_is_a_suggested_match(client: AsyncClient) -> None:
    first, second = await two_reports(client)
    r = await client.get(f"/v1/claims/{second['id']}/matches")
    assert r.status_code == 200
    (match,) = r.json()["items"]
    assert (match["other"]["id"], match["reason"], match["state"]) == (
        first["id"], "exact", "suggested",
    )  # fmt: skip
    assert match["score"] == 1.0
    # Listed from either side, the other claim being the one not asked about.
    (back,) = (await client.get(f"/v1/claims/{first['id']}/matches")).json()["items"]
    assert (back["id"], back["other"]["id"]) == (match["id"], second["id"])


async def test_the_same_words_by_another_speaker_are_another_claim(client: AsyncClient) -> None:
    await ingest(client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.")
    other = quote_of(await ingest(client, f"“{QUOTE},” Foreign Minister Sergei Lavrov said."))
    assert (await client.get(f"/v1/claims/{other['id']}/matches")).json()["items"] == []


async def test_a_changed_figure_is_no_match(client: AsyncClient) -> None:
    await ingest(client, "“Exports rose 5% last year,” Economy Minister Anna Lind said.")
    changed = await ingest(client, "“Exports rose 7% last year,” Economy Minister Anna Lind said.")
    claim = changed["claims"][0]
    assert (await client.get(f"/v1/claims/{claim['id']}/matches")).json()["items"] == []


async def test_confirming_a_match_groups_the_claims_under_their_first_appearance(
    client: AsyncClient, keys: dict[str, str]
) -> None:
    first, second = await two_reports(client)
    await ingest(client, "“Talks will go on,” Foreign Minister Sergei Lavrov said.")
    (match,) = (await client.get(f"/v1/claims/{second['id']}/matches")).json()["items"]
    path = f"/v1/matches/{match['id']}"
    got = await client.get(path)
    assert got.headers["ETag"] == '"1"'
    assert (await client.put(path, json={"state": "confirmed"})).status_code == 428
    readers = await client.put(
        path, json={"state": "confirmed"}, headers={**bearer(keys["reader"]), "If-Match": '"1"'}
    )
    assert readers.status_code == 403
    r = await client.put(
        path, json={"state": "confirmed", "note": "Same TASS line."}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.headers["ETag"]) == ("confirmed", '"2"')
    stale = await client.put(path, json={"state": "rejected"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    for claim in (first, second):
        now = (await client.get(f"/v1/claims/{claim['id']}")).json()
        assert now["match_group"] == first["id"]
        assert now["first_appearance"] == {
            "claim_id": first["id"],
            "article_id": first["article_id"],
        }
        assert now["version"] == claim["version"] + 1  # the claim's JSON changed
        events = (await client.get(f"/v1/claims/{claim['id']}/events")).json()["items"]
        assert [e["kind"] for e in events[-2:]] == ["match_confirmed", "grouped"]
        assert events[-2]["note"] == "Same TASS line."
        assert events[-1]["changes"][0] == {
            "field": "match_group", "before": None, "after": first["id"],
        }  # fmt: skip
    group = (await client.get("/v1/claims", params={"match_group": first["id"]})).json()
    assert [c["id"] for c in group["items"]] == [first["id"], second["id"]]
    # Taking it back leaves each claim alone again.
    r = await client.put(path, json={"state": "rejected"}, headers={"If-Match": '"2"'})
    assert r.status_code == 200
    for claim in (first, second):
        now = (await client.get(f"/v1/claims/{claim['id']}")).json()
        assert (now["match_group"], now["first_appearance"]) == (None, None)


async def test_a_confirmed_group_is_every_appearance_of_its_claimreview(
    client: AsyncClient,
) -> None:
    first, second = await two_reports(client)
    (match,) = (await client.get(f"/v1/claims/{second['id']}/matches")).json()["items"]
    await client.put(
        f"/v1/matches/{match['id']}", json={"state": "confirmed"}, headers={"If-Match": '"1"'}
    )
    claim = (await client.get(f"/v1/claims/{second['id']}")).json()
    await client.patch(
        f"/v1/claims/{second['id']}", json={"status": "false"},
        headers={"If-Match": f'"{claim["version"]}"'},
    )  # fmt: skip
    review = (await client.get(f"/v1/claims/{second['id']}/claimreview")).json()
    publishers = [a["publisher"]["name"] for a in review["itemReviewed"]["appearance"]]
    assert publishers == ["TASS", "Bloomberg"]
    assert review["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "TASS"


async def test_a_new_claim_is_offered_the_verdict_of_a_claim_it_matches(
    client: AsyncClient,
) -> None:
    checked = quote_of(
        await ingest(client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.")
    )
    r = await client.patch(
        f"/v1/claims/{checked['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    new = quote_of(await ingest(client, f"Dmitry Peskov said on Friday: “{QUOTE}.”"))
    assert new["suggested_status"] == {"status": "false", "claim_id": checked["id"]}
    assert new["status"] == "unverified"  # nothing changes a status without a person
    accepted = await client.patch(
        f"/v1/claims/{new['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["suggested_status"]) == ("false", None)


async def test_lookup_finds_the_checked_claim_and_stores_nothing(
    client: AsyncClient, anonymous: AsyncClient, app: Any
) -> None:
    checked = quote_of(
        await ingest(client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.")
    )
    await client.patch(
        f"/v1/claims/{checked['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    with Session(app.state.engine) as session:
        before = session.execute(select(func.count()).select_from(Claim)).scalar()
    r = await anonymous.post(
        "/v1/claims/lookup",
        json={"text": "A reader asks: has Russia never planned to attack anyone?"},
    )
    assert r.status_code == 200, r.text
    (hit,) = r.json()["items"]
    assert (hit["claim"]["id"], hit["claim"]["status"]) == (checked["id"], "false")
    assert hit["reason"] in ("near_duplicate", "paraphrase")
    nothing = await anonymous.post("/v1/claims/lookup", json={"text": "The weather was mild."})
    assert nothing.json()["items"] == []
    with Session(app.state.engine) as session:
        assert session.execute(select(func.count()).select_from(Claim)).scalar() == before


@pytest.mark.parametrize("body", [{"text": "  "}, {"text": "x", "limit": 0}, {}])
async def test_lookup_refuses_bad_input(anonymous: AsyncClient, body: dict[str, Any]) -> None:
    r = await anonymous.post("/v1/claims/lookup", json=body)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_an_unknown_match_is_a_404(client: AsyncClient) -> None:
    r = await client.get("/v1/matches/999")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("settings", [{"matching": False}], indirect=True)
async def test_matching_can_be_turned_off(client: AsyncClient, app: Any) -> None:
    _, second = await two_reports(client)
    assert (await client.get(f"/v1/claims/{second['id']}/matches")).json()["items"] == []
    with Session(app.state.engine) as session:
        assert session.execute(select(func.count()).select_from(ClaimMatch)).scalar() == 0


async def test_the_lookup_path_answers_other_methods_with_a_405(client: AsyncClient) -> None:
    r = await client.patch("/v1/claims/lookup", json={"status": "false"})
    assert r.status_code == 405
    assert r.headers["Allow"] == "POST"
    assert r.headers["content-type"].startswith("application/problem+json")


def speakers_of_bands(app: Any) -> dict[int, set[int]]:
    """Each claim's band keys' speakers, and its source (0 for the article's own) as the
    claim says it: the two must agree, or ingest looks for the claim under the wrong one."""
    with Session(app.state.engine) as session:
        bands = session.execute(select(ClaimBand.claim_id, ClaimBand.speaker)).all()
        claims = dict(session.execute(select(Claim.id, Claim.source_id)).all())
    out: dict[int, set[int]] = {}
    for claim_id, speaker in bands:
        out.setdefault(claim_id, set()).add(speaker)
    assert all(speakers == {claims[c] or 0} for c, speakers in out.items()), (out, claims)
    return out


async def test_a_claim_attributed_anew_is_matched_under_its_new_speaker(
    client: AsyncClient, app: Any
) -> None:
    lavrov = quote_of(await ingest(client, f"“{QUOTE},” Foreign Minister Sergei Lavrov said."))
    peskov = quote_of(
        await ingest(client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.")
    )
    assert (await client.get(f"/v1/claims/{peskov['id']}/matches")).json()["items"] == []
    r = await client.put(
        f"/v1/claims/{lavrov['id']}/source",
        json={"source_id": peskov["source"]["id"]},
        headers={"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    assert speakers_of_bands(app)[lavrov["id"]] == {peskov["source"]["id"]}
    third = quote_of(await ingest(client, f"Dmitry Peskov told reporters: “{QUOTE}.”"))
    found = (await client.get(f"/v1/claims/{third['id']}/matches")).json()["items"]
    assert {m["other"]["id"] for m in found} == {lavrov["id"], peskov["id"]}
    # Cleared, the claim is the article's own, and is looked for as such.
    r = await client.put(f"/v1/claims/{lavrov['id']}/source", json={}, headers={"If-Match": '"2"'})
    assert r.status_code == 200, r.text
    assert speakers_of_bands(app)[lavrov["id"]] == {0}


async def test_lookup_of_one_source_finds_only_its_claims(
    client: AsyncClient, anonymous: AsyncClient
) -> None:
    peskov = quote_of(
        await ingest(client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said on Tuesday.")
    )
    lavrov = quote_of(await ingest(client, f"“{QUOTE},” Foreign Minister Sergei Lavrov said."))
    for who in (peskov, lavrov):
        r = await anonymous.post(
            "/v1/claims/lookup", json={"text": QUOTE, "source_id": who["source"]["id"]}
        )
        assert [hit["claim"]["id"] for hit in r.json()["items"]] == [who["id"]]
    r = await anonymous.post("/v1/claims/lookup", json={"text": QUOTE})
    assert {hit["claim"]["id"] for hit in r.json()["items"]} == {peskov["id"], lavrov["id"]}
