"""GET /v1/claimreviews: the feed a publisher's site pulls new and changed verdicts from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import event, text

from tests import stored_json
from tests.api.test_claimreview import SUMMIT, claim_review, give_verdict
from tests.conftest import MakeClaim, bearer

pytestmark = pytest.mark.anyio

FEED = "/v1/claimreviews"


async def pull(client: AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Every item of the feed, page after page."""
    items: list[dict[str, Any]] = []
    while True:
        r = await client.get(FEED, params=params)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/json"
        page = r.json()
        for entry in page["items"]:
            assert entry.keys() == {"claim_id", "claimreview"}
            items.append(entry["claimreview"] | {"claim_id": entry["claim_id"]})
        if page["next_cursor"] is None:
            return items
        params["cursor"] = page["next_cursor"]


def reviewed(items: list[dict[str, Any]]) -> list[str]:
    return [item["claimReviewed"] for item in items]


async def test_the_feed_lists_the_verdicts_in_the_order_they_were_given(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    assert (await client.get(FEED)).json() == {"items": [], "next_cursor": None}
    first, second, third = (make_claim(f"Claim {n}", **SUMMIT) for n in (1, 2, 3))
    make_claim("Never checked")
    checking = make_claim("Being checked")
    await give_verdict(client, checking, "in_progress")
    await give_verdict(client, second, "false", note="No such figure in the budget.")
    await give_verdict(client, first, "verified")
    await give_verdict(client, third, "not_checkable")
    items = await pull(client)
    assert reviewed(items) == ["Claim 2", "Claim 1"]
    # Each item names its claim, and its ClaimReview as the claim's own endpoint serves it.
    assert items == [
        await claim_review(client, second) | {"claim_id": second["id"]},
        await claim_review(client, first) | {"claim_id": first["id"]},
    ]
    assert items[0]["dateModified"] < items[1]["dateModified"]


async def test_pages_follow_the_cursor_through_claims_changed_at_the_same_time(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    claims = [make_claim(f"Claim {n}") for n in range(5)]
    for claim in claims:
        await give_verdict(client, claim, "unproven")
    # Three changed in the same microsecond (a bulk load): the claim id breaks the tie.
    same = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    for claim in (claims[4], claims[1], claims[3]):
        stored_json.set_columns(app.state.engine, claim["id"], updated_at=same)
    expected = ["Claim 1", "Claim 3", "Claim 4", "Claim 0", "Claim 2"]
    for limit in (1, 2, 3, 200):
        assert reviewed(await pull(client, limit=limit)) == expected, limit
    first = (await client.get(FEED, params={"limit": 2})).json()
    assert len(first["items"]) == 2 and first["next_cursor"] is not None
    last = await client.get(FEED, params={"limit": 5})
    assert last.json()["next_cursor"] is None


async def test_updated_since_includes_the_claims_changed_at_that_time(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    old, new = make_claim("Old verdict"), make_claim("New verdict")
    for claim in (old, new):
        await give_verdict(client, claim, "false")
    stored_json.set_columns(
        app.state.engine, old["id"], updated_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    assert reviewed(await pull(client, updated_since="2024-01-02T03:04:05Z")) == [
        "Old verdict", "New verdict",
    ]  # fmt: skip
    after = "2024-01-02T03:04:05.000001+00:00"
    assert reviewed(await pull(client, updated_since=after)) == ["New verdict"]
    # Without an offset, a time is UTC; with one, it is converted.
    assert len(await pull(client, updated_since="2024-01-02T03:04:05")) == 2
    assert len(await pull(client, updated_since="2024-01-02T04:04:06+01:00")) == 1
    assert await pull(client, updated_since="2999-01-01T00:00:00Z") == []


async def test_a_new_verdict_moves_its_claim_to_the_end_and_a_withdrawn_one_leaves(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    a, b, c = (make_claim(f"Claim {n}") for n in "abc")
    for claim in (a, b, c):
        await give_verdict(client, claim, "false")
    pulled = await pull(client)
    assert reviewed(pulled) == ["Claim a", "Claim b", "Claim c"]
    since = pulled[-1]["dateModified"]  # where the publisher's next pull starts

    # The desk revises a's verdict: the next pull brings it again, after c.
    await give_verdict(client, a, "misleading", note="Partly right: the figure is for 2020.")
    assert reviewed(await pull(client)) == ["Claim b", "Claim c", "Claim a"]
    again = await pull(client, updated_since=since)
    assert reviewed(again) == ["Claim c", "Claim a"]  # c again: since is inclusive
    assert again[-1]["reviewRating"]["alternateName"] == "Misleading"

    # b's verdict is withdrawn while it is checked again: b leaves the feed.
    await give_verdict(client, b, "in_progress")
    assert reviewed(await pull(client)) == ["Claim c", "Claim a"]
    assert (await client.get(f"/v1/claims/{b['id']}/claimreview")).status_code == 409
    await give_verdict(client, b, "verified")
    assert reviewed(await pull(client)) == ["Claim c", "Claim a", "Claim b"]


async def test_a_new_source_moves_the_claim_too(make_claim: MakeClaim, client: AsyncClient) -> None:
    """A re-attribution changes the review's author: publishers pull it again."""
    first, second = make_claim("Claim 1"), make_claim("Claim 2")
    for claim in (first, second):
        await give_verdict(client, claim, "false")
    path = f"/v1/claims/{first['id']}"
    r = await client.put(
        f"{path}/source",
        json={"source_name": "Sergei Lavrov"},
        headers={"If-Match": (await client.get(path)).headers["etag"]},
    )
    assert r.status_code == 200, r.text
    items = await pull(client)
    assert reviewed(items) == ["Claim 2", "Claim 1"]
    assert items[-1]["itemReviewed"]["author"]["name"] == "Sergei Lavrov"


async def test_the_feed_refuses_what_is_no_time_and_cursors_it_did_not_issue(
    client: AsyncClient,
) -> None:
    assert (await client.get(FEED, params={"updated_since": "yesterday"})).status_code == 422
    assert (await client.get(FEED, params={"limit": 0})).status_code == 422
    for cursor in ("abc", "1.2.3", "zzzzzzzzzzzzz.1", "1.zzzzzzz"):
        r = await client.get(FEED, params={"cursor": cursor})
        assert r.status_code == 400, cursor
        assert r.headers["content-type"] == "application/problem+json"
    # Any cursor of the documented pattern is one: past the end, an empty page.
    past = await client.get(FEED, params={"cursor": "zzzzzzzzzzzz.zzzzzz"})
    assert past.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("settings", [{"reads_require_key": True}], indirect=True)
async def test_the_feed_needs_a_key_when_reads_do(
    running: Any, anonymous: AsyncClient, keys: dict[str, str]
) -> None:
    r = await anonymous.get(FEED)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    answered = await anonymous.get(FEED, headers=bearer(keys["reader"]))
    assert answered.status_code == 200


async def test_a_page_is_a_range_of_the_partial_index_of_verdicts(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    """Whatever share of the claims has a verdict, the database reads one page's rows
    from the feed's index, in its order: no scan of the claims, no sort."""
    for n in range(3):
        await give_verdict(client, make_claim(f"Claim {n}"), "false")
    engine = app.state.engine
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "FROM claim" in statement and "ORDER BY claim.updated_at" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", note)
    try:
        page = (await client.get(FEED, params={"limit": 1})).json()
        since = (datetime.now(UTC) - timedelta(days=1)).isoformat()
        await client.get(FEED, params={"cursor": page["next_cursor"], "updated_since": since})
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(seen) == 2
    with engine.connect() as conn:
        for statement, parameters in seen:
            if engine.dialect.name == "postgresql":
                # A table this small is cheaper to scan; the question is whether the
                # index can serve the page at all.
                conn.execute(text("SET LOCAL enable_seqscan = off"))
                plan = "\n".join(
                    row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)
                )
                assert "Index Scan using ix_claim_verdict_updated_at_id" in plan, plan
                assert "Sort" not in plan, plan
            else:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
                plan = "\n".join(row[3] for row in rows)
                assert "USING INDEX ix_claim_verdict_updated_at_id" in plan, plan
                assert "TEMP B-TREE" not in plan, plan
