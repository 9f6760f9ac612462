"""ClaimReview JSON-LD: what publishers embed and Google's fact-check markup reads."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from pydantic import ValidationError
from sqlalchemy import update
from sqlmodel import col

from app.extraction.types import SourceKind
from app.models import Article, Change
from app.services.appearances import first_appearance_order
from app.settings import Settings
from tests import stored_json
from tests.api.test_review import PESKOV_QUOTE
from tests.conftest import MakeClaim

pytestmark = pytest.mark.anyio

RATINGS = {"verified": (5, "True"), "unproven": (3, "Unproven"),
           "misleading": (2, "Misleading"), "false": (1, "False")}  # fmt: skip
SUMMIT = {
    "url": "https://example.org/summit",
    "title": "Putin and Biden hold virtual summit",
    "publisher": "Example News",
    "published_at": datetime(2021, 12, 7, 18, tzinfo=UTC),
}
PUBLISHER = {
    "claimreview_author_name": "Desk Check",
    "claimreview_author_url": "https://deskcheck.example.org/",
    "claimreview_url_template": "https://deskcheck.example.org/checks/{id}#verdict",
}
WIKIPEDIA = "https://en.wikipedia.org/wiki/Dmitry_Peskov"


async def give_verdict(
    client: AsyncClient, claim: dict[str, Any], status: str, note: str | None = None
) -> dict[str, Any]:
    path = f"/v1/claims/{claim['id']}"
    version = (await client.get(path)).headers["etag"]
    body = {"status": status} | ({"note": note} if note is not None else {})
    r = await client.patch(path, json=body, headers={"If-Match": version})
    assert r.status_code == 200, r.text
    return r.json()


async def claim_review(client: AsyncClient, claim: dict[str, Any]) -> dict[str, Any]:
    r = await client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/ld+json"
    doc: dict[str, Any] = json.loads(r.text)
    return doc


async def describe_source(client: AsyncClient, source_id: int, **fields: Any) -> None:
    path = f"/v1/sources/{source_id}"
    version = (await client.get(path)).headers["etag"]
    r = await client.patch(path, json=fields, headers={"If-Match": version})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("settings", [PUBLISHER], indirect=True)
async def test_a_persons_claim_review_has_all_a_publisher_needs(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim(**SUMMIT)
    await describe_source(
        client, claim["source"]["id"], description="Kremlin spokesman", same_as=[WIKIPEDIA]
    )
    verdict = await give_verdict(
        client, claim, "misleading", note="The readout shows troops massing at the border."
    )
    assert await claim_review(client, claim) == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://deskcheck.example.org/checks/{claim['id']}#verdict",
        "claimReviewed": PESKOV_QUOTE,
        "datePublished": verdict["updated_at"][:10],
        "dateModified": verdict["updated_at"],
        "author": {
            "@type": "Organization",
            "name": "Desk Check",
            "url": "https://deskcheck.example.org/",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "Misleading",
            "ratingExplanation": "The readout shows troops massing at the border.",
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {
                "@type": "Person",
                "name": "Dmitry Peskov",
                "jobTitle": "Kremlin spokesman",
                "sameAs": [WIKIPEDIA],
            },
            "datePublished": "2021-12-07",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://example.org/summit",
                    "headline": "Putin and Biden hold virtual summit",
                    "datePublished": "2021-12-07T18:00:00Z",
                    "publisher": {"@type": "Organization", "name": "Example News"},
                }
            ],
            "firstAppearance": {
                "@type": "CreativeWork",
                "url": "https://example.org/summit",
                "headline": "Putin and Biden hold virtual summit",
                "datePublished": "2021-12-07T18:00:00Z",
                "publisher": {"@type": "Organization", "name": "Example News"},
            },
        },
    }


async def test_an_organizations_claim_names_it_without_a_job_title(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim(
        "Talks lasted two hours", source="TASS", kind=SourceKind.news_agency,
        attribution_type="indirect",
    )  # fmt: skip
    await describe_source(
        client, claim["source"]["id"],
        description="Russia's state-run news agency", same_as=["https://tass.com/"],
    )  # fmt: skip
    await give_verdict(client, claim, "verified")
    doc = await claim_review(client, claim)
    assert doc["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "TASS",
        "description": "Russia's state-run news agency",
        "sameAs": ["https://tass.com/"],
    }
    assert "url" not in doc  # no template: the page embedding it gives its own address
    assert "ratingExplanation" not in doc["reviewRating"]  # a verdict without a note


async def test_the_articles_own_statement_is_its_publishers_claim(
    make_claim: MakeClaim, client: AsyncClient
) -> None:
    own = make_claim("The conflict has claimed over 13,000 lives.", source=None, **SUMMIT)
    anonymous = make_claim("Talks will resume in spring.", source=None)
    for claim in (own, anonymous):
        await give_verdict(client, claim, "unproven")
    assert (await claim_review(client, own))["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "Example News",
    }
    # An article ingested with nothing but its text: no author, no date to give.
    assert (await claim_review(client, anonymous))["itemReviewed"] == {
        "@type": "Claim",
        "appearance": [{"@type": "CreativeWork"}],
        "firstAppearance": {"@type": "CreativeWork"},
    }


@pytest.mark.parametrize("status", sorted(RATINGS))
async def test_each_verdict_has_its_rating(
    make_claim: MakeClaim, client: AsyncClient, status: str
) -> None:
    claim = make_claim(**SUMMIT)
    await give_verdict(client, claim, status)
    value, label = RATINGS[status]
    assert (await claim_review(client, claim))["reviewRating"] == {
        "@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
        "alternateName": label,
    }  # fmt: skip


async def test_a_verdict_is_dated_and_explained_by_the_change_that_made_it(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    claim = make_claim()
    await give_verdict(client, claim, "false", note="No such statement in the transcript.")
    with app.state.engine.begin() as conn:  # given the day after the summit
        conn.execute(
            update(Change)
            .where(col(Change.claim_id) == claim["id"])
            .values(at=datetime(2021, 12, 8, 9, tzinfo=UTC))
        )
    first = await claim_review(client, claim)
    assert first["datePublished"] == "2021-12-08"
    assert first["reviewRating"]["ratingExplanation"] == "No such statement in the transcript."
    # The desk finds the words in a second transcript: misleading, without a note.
    later = await give_verdict(client, claim, "misleading")
    doc = await claim_review(client, claim)
    assert doc["datePublished"] == later["updated_at"][:10] != "2021-12-08"
    assert doc["reviewRating"]["alternateName"] == "Misleading"
    assert "ratingExplanation" not in doc["reviewRating"]


@pytest.mark.writes_in_sql
async def test_a_verdict_loaded_without_a_recorded_change_is_dated_by_the_claims_last_change(
    app: Any, make_claim: MakeClaim, client: AsyncClient
) -> None:
    """No status event names the verdict (it came with the data, or was set in SQL after
    an earlier change): the claim's last change dates it, and no note explains it."""
    for earlier in (None, "in_progress"):
        claim = make_claim()
        if earlier is not None:
            await give_verdict(client, claim, earlier, note="Checking the readout.")
        stored_json.set_columns(
            app.state.engine, claim["id"],
            status="false", updated_at=datetime(2022, 3, 4, 5, 6, 7, tzinfo=UTC),
        )  # fmt: skip
        doc = await claim_review(client, claim)
        assert doc["datePublished"] == "2022-03-04"
        assert doc["dateModified"] == "2022-03-04T05:06:07Z"
        assert "ratingExplanation" not in doc["reviewRating"]


@pytest.mark.parametrize("status", ["unverified", "in_progress", "not_checkable"])
async def test_a_claim_without_a_verdict_has_no_claim_review(
    make_claim: MakeClaim, client: AsyncClient, status: str
) -> None:
    claim = make_claim()
    if status != "unverified":
        await give_verdict(client, claim, status)
    r = await client.get(f"/v1/claims/{claim['id']}/claimreview")
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert status in r.json()["detail"]
    assert (await client.get("/v1/claims/99999/claimreview")).status_code == 404


def test_the_first_appearance_is_the_earliest_publication_then_the_earliest_ingest() -> None:
    day = datetime(2021, 12, 7, tzinfo=UTC)

    def article(id_: int, published: datetime | None, ingested: datetime) -> Article:
        return Article(
            id=id_, text="x", content_hash=str(id_), extractor_version="test",
            published_at=published, created_at=ingested,
        )  # fmt: skip

    wire = article(1, day + timedelta(hours=2), day + timedelta(days=3))
    paper = article(2, day + timedelta(hours=1), day + timedelta(days=9))
    reprint = article(3, day + timedelta(hours=1), day + timedelta(days=4))
    undated_early = article(4, None, day - timedelta(days=30))
    undated_late = article(5, None, day + timedelta(days=1))
    ordered = sorted(
        [wire, undated_late, paper, undated_early, reprint], key=first_appearance_order
    )
    assert [a.id for a in ordered] == [3, 2, 1, 4, 5]


@pytest.mark.parametrize(
    "template",
    [
        "https://deskcheck.example.org/checks",  # every claim at one address
        "deskcheck.example.org/checks/{id}",
        "ftp://deskcheck.example.org/{id}",
        "/checks/{id}",
    ],
)
def test_a_review_address_template_that_cannot_name_each_claim_is_refused(template: str) -> None:
    with pytest.raises(ValidationError, match="claimreview_url_template"):
        Settings(claimreview_url_template=template)


def test_a_blank_review_address_template_is_none() -> None:
    assert Settings(claimreview_url_template=" ").claimreview_url(17) is None
    settings = Settings(claimreview_url_template="https://deskcheck.example.org/c/{id}")
    assert settings.claimreview_url(17) == "https://deskcheck.example.org/c/17"
