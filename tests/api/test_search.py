"""`q`: ranked full-text search over claims and articles, and the listing's sorts and filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import delete
from sqlmodel import Session

from app.models import Claim
from tests import stored_json
from tests.api.test_claims import all_pages, ingest
from tests.conftest import MakeClaim

pytestmark = pytest.mark.anyio


async def texts(client: AsyncClient, q: str, **params: Any) -> list[str]:
    return [c["text"] for c in await all_pages(client, "/v1/claims", q=q, **params)]


async def marked(client: AsyncClient, claim: dict[str, Any]) -> list[str]:
    """The words of the article that the claim's highlights mark."""
    article = (await client.get(f"/v1/articles/{claim['article_id']}")).json()
    return [article["text"][h["start"] : h["end"]] for h in claim["highlights"]]


async def test_the_claim_that_says_it_most_comes_first(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    make_claim("The talks covered trade, energy, borders and, briefly, sanctions on steel")
    make_claim("Sanctions, more sanctions and sanctions again")
    make_claim("Nothing about the matter at all")
    assert await texts(client, "sanctions") == [
        "Sanctions, more sanctions and sanctions again",
        "The talks covered trade, energy, borders and, briefly, sanctions on steel",
    ]
    # Either word will do; the claim with both comes first.
    make_claim("Wheat prices rose sharply this week")
    make_claim("Wheat and barley prices rose")
    make_claim("Barley was cheap this week")
    found = await texts(client, "wheat OR barley")
    assert found[0] == "Wheat and barley prices rose"
    assert sorted(found[1:]) == [
        "Barley was cheap this week",
        "Wheat prices rose sharply this week",
    ]


async def test_words_phrases_exclusions_and_alternatives(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    make_claim("We have our own red lines")
    make_claim("The lines on the map were red")
    make_claim("Red Square was quiet")
    assert sorted(await texts(client, "red lines")) == [
        "The lines on the map were red",
        "We have our own red lines",
    ]
    assert await texts(client, '"red lines"') == ["We have our own red lines"]
    assert await texts(client, "red -lines") == ["Red Square was quiet"]
    assert await texts(client, 'red -"red lines"', sort="id") == [
        "The lines on the map were red",
        "Red Square was quiet",
    ]
    assert sorted(await texts(client, '"red lines" OR square')) == [
        "Red Square was quiet",
        "We have our own red lines",
    ]
    # OR binds looser than the words around it, as websearch_to_tsquery reads it.
    assert sorted(await texts(client, "map red OR square")) == [
        "Red Square was quiet",
        "The lines on the map were red",
    ]


async def test_english_stems_and_folded_accents_match_and_are_highlighted(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    make_claim("The new sanction hit banks")
    make_claim("Peskóv denied it, and so did PESKOV's deputy")
    [hit] = await all_pages(client, "/v1/claims", q="sanctions")
    assert await marked(client, hit) == ["sanction"]
    [hit] = await all_pages(client, "/v1/claims", q="peskov")
    assert await marked(client, hit) == ["Peskóv", "PESKOV"]
    [hit] = await all_pages(client, "/v1/claims", q="Péskov denies")
    assert await marked(client, hit) == ["Peskóv denied", "PESKOV"]


async def test_highlights_are_the_matched_words_in_the_article_text(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim("Russia has never planned to attack anyone, and never will")
    assert claim["start"] > 0  # the article opens with a quotation mark
    [hit] = await all_pages(client, "/v1/claims", q='"planned to attack" never')
    assert {k: v for k, v in hit.items() if k != "highlights"} == claim
    article = (await client.get(f"/v1/articles/{claim['article_id']}")).json()["text"]
    spans = [(h["start"], h["end"]) for h in hit["highlights"]]
    assert [article[a:b] for a, b in spans] == ["never planned to attack", "never"]
    assert spans == sorted(spans)
    assert all(claim["start"] <= a < b <= claim["end"] for a, b in spans)
    # Outside a search a claim has no highlights.
    listed = (await client.get("/v1/claims")).json()["items"]
    assert listed == [claim]


async def test_a_claim_holding_the_markers_gets_no_highlights_but_is_found(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    make_claim("Odd \ufdd0 text about tariffs \ufdd1")
    [hit] = await all_pages(client, "/v1/claims", q="tariffs")
    assert hit["highlights"] == []


async def test_search_pages_walk_every_hit_once_in_relevance_order(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    for n in range(1, 8):
        make_claim(" ".join(["grain"] * n + ["and", "other", "words"] * (8 - n)))
    first = (await client.get("/v1/claims", params={"q": "grain", "limit": 3})).json()
    assert first["next_cursor"].startswith("r.")
    walked = await all_pages(client, "/v1/claims", q="grain", limit=3)
    whole = (await client.get("/v1/claims", params={"q": "grain", "limit": 50})).json()["items"]
    assert [c["id"] for c in walked] == [c["id"] for c in whole]
    assert len({c["id"] for c in walked}) == 7
    assert [c["text"].count("grain") for c in walked] == [7, 6, 5, 4, 3, 2, 1]


@pytest.mark.writes_in_sql
async def test_writes_keep_the_index_in_step(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    # Ingest indexes what it stores.
    await ingest(client, "“The harvest was poor,” the minister said.")
    assert await texts(client, "harvest") == ["The harvest was poor"]
    # A deleted claim is found no more (what reextract does to claims it no longer finds).
    gone = make_claim("The pipeline was closed")
    kept = make_claim("The pipeline reopened")
    with Session(app.state.engine) as session, session.begin():
        session.execute(delete(Claim).where(Claim.id == gone["id"]))  # type: ignore[arg-type]
    assert await texts(client, "pipeline") == [kept["text"]]
    # A claim whose text changes (never through the API) is found by its new words only.
    stored_json.set_columns(app.state.engine, kept["id"], text="The canal reopened")
    assert await texts(client, "pipeline") == []
    assert await texts(client, "canal") == ["The canal reopened"]


async def test_reextract_keeps_the_index_in_step(client: AsyncClient, app: Any) -> None:
    from app.claims import ClaimStore
    from app.services import reextract

    article = await ingest(client, "Police said the suspect fled on foot.")
    [claim] = article["claims"]
    # A claim the extractor no longer finds goes, one it finds anew comes.
    stored_json.set_columns(app.state.engine, claim["id"], start=0, end=6, text="Police")
    with Session(app.state.engine) as session:
        reextract.reextract_article(session, ClaimStore(app.state.engine), article["id"], actor="t")
    assert await texts(client, "suspect") == ["the suspect fled on foot"]
    assert await texts(client, "police") == []


# Sorts.


def _when(days: int) -> datetime:
    return datetime(2025, 3, 1, tzinfo=UTC) + timedelta(days=days)


@pytest.fixture
def dated(app: Any, make_claim: MakeClaim, request: pytest.FixtureRequest) -> list[dict[str, Any]]:
    """Seven claims of seven articles, their dates, confidences and changes all different
    from their ids' order; two share a publication time and two a confidence."""
    request.node.add_marker(pytest.mark.writes_in_sql)
    days = [3, 1, 5, 1, 0, 6, 2]
    confidences = [0.5, 0.9, 0.2, 0.7, 0.5, 0.95, 0.3]
    changed = [4, 6, 0, 2, 5, 1, 3]
    claims = []
    for i in range(7):
        claim = make_claim(f"Claim number {i} about wheat", published_at=_when(days[i]))
        stored_json.set_columns(
            app.state.engine, claim["id"], confidence=confidences[i],
            updated_at=_when(100 + changed[i]),
        )  # fmt: skip
        claims.append(
            {**claim, "day": days[i], "confidence": confidences[i], "changed": changed[i]}
        )
    return claims


@pytest.mark.parametrize(
    ("sort", "key", "descending"),
    [
        ("-published_at", "day", True),
        ("published_at", "day", False),
        ("confidence", "confidence", False),
        ("-updated_at", "changed", True),
        ("id", "id", False),
    ],
)
@pytest.mark.parametrize("q", [None, "wheat"])
async def test_each_sort_pages_in_its_order_with_ties_in_id_order(
    client: AsyncClient, dated: list[dict[str, Any]], sort: str, key: str, descending: bool,
    q: str | None,
) -> None:  # fmt: skip
    expected = sorted(dated, key=lambda c: (c[key], c["id"]), reverse=descending)
    params = {"sort": sort, **({"q": q} if q else {})}
    for limit in (1, 2, 3, 50):
        walked = await all_pages(client, "/v1/claims", limit=limit, **params)
        assert [c["id"] for c in walked] == [c["id"] for c in expected], (sort, limit)
    first = (await client.get("/v1/claims", params={"limit": 2, **params})).json()
    if sort != "id":
        assert first["next_cursor"].split(".")[0] in {"pd", "pa", "ca", "ud"}
    assert all(("highlights" in c) == (q is not None) for c in first["items"])


async def test_a_cursor_of_one_sort_is_refused_with_another(
    client: AsyncClient, dated: list[dict[str, Any]]
) -> None:
    cursors = {}
    for sort in ("id", "-published_at", "published_at", "confidence", "-updated_at"):
        page = (await client.get("/v1/claims", params={"sort": sort, "limit": 2})).json()
        cursors[sort] = page["next_cursor"]
    page = (await client.get("/v1/claims", params={"q": "wheat", "limit": 2})).json()
    cursors["relevance"] = page["next_cursor"]
    for given, cursor in cursors.items():
        for sort in cursors:
            params = {"sort": sort, "cursor": cursor, "q": "wheat"}
            r = await client.get("/v1/claims", params=params)
            if sort == given:
                assert r.status_code == 200, r.text
            else:
                assert r.status_code == 400, (given, sort)
                assert r.json()["type"].endswith("/invalid-cursor")
                assert repr(given) in r.json()["detail"]


@pytest.mark.parametrize(
    "cursor", ["r.zzzzzzzzzzzzz.1", "pd.zzzzzzzzzzzz.1", "r.1.zzzzzzz", "x.1.1", "r.1", "ca..1"]
)
async def test_a_sorted_cursor_that_no_page_issued_is_400(client: AsyncClient, cursor: str) -> None:
    sort = {"r": "relevance", "pd": "-published_at"}.get(cursor.split(".")[0], "confidence")
    r = await client.get("/v1/claims", params={"q": "wheat", "sort": sort, "cursor": cursor})
    assert r.status_code == 400
    assert r.json()["type"].endswith("/invalid-cursor")


async def test_relevance_needs_a_search(client: AsyncClient) -> None:
    r = await client.get("/v1/claims", params={"sort": "relevance"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["query.sort"]
    assert (await client.get("/v1/claims", params={"sort": "newest"})).status_code == 422


# Filters.


@pytest.mark.writes_in_sql
async def test_filters_by_publication_publisher_language_confidence_and_annotations(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    old = make_claim("Old news", published_at=_when(0), publisher="The Herald", language="en-GB")
    new = make_claim("New news", published_at=_when(10), publisher="Le Monde", language="fr")
    undated = make_claim("Undated news", language="EN")
    stored_json.set_columns(app.state.engine, new["id"], confidence=0.4)
    r = await client.post(
        f"/v1/claims/{old['id']}/annotations", json={"motivation": "commenting", "body": "hm"}
    )
    assert r.status_code == 201

    async def ids(**params: Any) -> list[int]:
        return [c["id"] for c in await all_pages(client, "/v1/claims", **params)]

    assert await ids(published_after=_when(5).isoformat()) == [new["id"], undated["id"]]
    assert await ids(published_before=_when(10).isoformat()) == [old["id"]]
    assert await ids(
        published_after=_when(0).isoformat(), published_before=_when(1).isoformat()
    ) == [old["id"]]
    assert await ids(publisher="Le Monde") == [new["id"]]
    assert await ids(publisher="le monde") == []
    assert await ids(language="en") == [old["id"], undated["id"]]
    assert await ids(language="EN-gb") == [old["id"]]
    assert await ids(confidence_below=0.5) == [new["id"]]
    assert await ids(confidence_below=0.95) == [old["id"], new["id"], undated["id"]]
    assert await ids(has_annotations="true") == [old["id"]]
    assert await ids(has_annotations="false") == [new["id"], undated["id"]]
    assert await ids(q="news", language="en", sort="-published_at") == [undated["id"], old["id"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"published_after": "yesterday"}, "query.published_after"),
        ({"confidence_below": 2}, "query.confidence_below"),
        ({"confidence_below": "nan"}, "query.confidence_below"),
        ({"language": "english!"}, "query.language"),
        ({"has_annotations": "maybe"}, "query.has_annotations"),
        ({"publisher": ""}, "query.publisher"),
    ],
)
async def test_bad_new_filters_are_422(
    client: AsyncClient, params: dict[str, Any], field: str
) -> None:
    r = await client.get("/v1/claims", params=params)
    assert r.status_code == 422
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_export_takes_the_search_too(make_claim: MakeClaim, client: AsyncClient) -> None:
    make_claim("Wheat prices rose")
    make_claim("Oil prices fell")
    r = await client.get("/v1/export/claims", params={"q": "wheat"})
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert len(lines) == 1 and '"Wheat prices rose"' in lines[0]
    assert "highlights" not in lines[0]


# Articles.


async def test_articles_search_their_title_and_text_best_first(client: AsyncClient) -> None:
    for title, text in [
        ("Markets", "Officials said wheat exports would resume."),
        ("Wheat exports resume", "Officials said trade would go on."),
        ("Weather", "Rain fell in the north."),
    ]:
        r = await client.post("/v1/articles", json={"title": title, "text": text})
        assert r.status_code == 201
    found = (await client.get("/v1/articles", params={"q": "wheat exports"})).json()
    assert [a["title"] for a in found["items"]] == ["Wheat exports resume", "Markets"]
    assert "text" not in found["items"][0]
    paged = await all_pages(client, "/v1/articles", q="officials OR rain", limit=1)
    assert sorted(a["title"] for a in paged) == ["Markets", "Weather", "Wheat exports resume"]
    first = (await client.get("/v1/articles", params={"q": "officials", "limit": 1})).json()
    listing = (await client.get("/v1/articles", params={"limit": 1})).json()
    r = await client.get("/v1/articles", params={"cursor": first["next_cursor"]})
    assert r.status_code == 400
    r = await client.get(
        "/v1/articles", params={"q": "officials", "cursor": listing["next_cursor"]}
    )
    assert r.status_code == 400
    assert (await client.get("/v1/articles", params={"q": "the"})).status_code == 422
