"""`claimdesk reextract`: a newer extractor over stored articles, every reviewer's work kept."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlmodel import Session
from typer.testing import CliRunner

from app.claims import ClaimStore
from app.cli import cli
from app.extraction import EXTRACTOR_VERSION
from app.extraction.types import Extraction
from app.models import Article, Claim
from app.services import articles as articles_service
from app.services import reextract as reextract_service
from app.settings import get_settings
from tests.api.test_articles import RELAYED, relayed
from tests.api.test_claims import ingest

pytestmark = pytest.mark.anyio


async def _reviewed_article(client: AsyncClient, app: Any) -> tuple[dict[str, Any], list[int]]:
    """The reference article as an older extractor left it, three of its claims reviewed."""
    article = await ingest(client)
    claims = article["claims"]
    verdict, annotated, attributed, confident, lost = (c["id"] for c in claims[:5])
    ok = {"If-Match": '"1"'}
    assert (
        await client.patch(f"/v1/claims/{verdict}", json={"status": "false"}, headers=ok)
    ).is_success
    note = {"motivation": "commenting", "body": "checked"}
    assert (await client.post(f"/v1/claims/{annotated}/annotations", json=note)).is_success
    move = {"source_name": "Kremlin", "reason": "from the readout"}
    assert (await client.put(f"/v1/claims/{attributed}/source", json=move, headers=ok)).is_success
    engine = app.state.engine
    with Session(engine) as session, session.begin():
        # What an older extractor got otherwise: another confidence, a claim fewer, and
        # a claim this one does not make.
        session.execute(update(Claim).where(Claim.id == confident).values(confidence=0.12))
        session.delete(session.get(Claim, lost))
        session.add(
            Claim(
                article_id=article["id"], sentence_index=0, start=0, end=3,
                text=article["text"][:3], attribution_type="unattributed", confidence=1.0,
            )
        )  # fmt: skip
        session.execute(
            update(Article).where(Article.id == article["id"]).values(extractor_version="old")
        )
    return article, [verdict, annotated, attributed]


@pytest.mark.writes_in_sql
async def test_reextract_keeps_what_people_touched_and_brings_the_rest_up_to_date(
    client: AsyncClient, app: Any, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    article, reviewed = await _reviewed_article(client, app)
    before = {i: (await client.get(f"/v1/claims/{i}")).json() for i in reviewed}
    with Session(app.state.engine) as session:
        last_id = max(session.execute(select(Claim.id)).scalars())  # type: ignore[call-overload]
    monkeypatch.setenv("CLAIMDESK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(cli, ["reextract"])
        again = CliRunner().invoke(cli, ["reextract", "--article", str(article["id"])])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    n = len(article["claims"])
    assert (
        f"article {article['id']}: 3 kept as reviewed, {n - 5} unchanged, 1 updated, "
        "1 removed, 1 added"
    ) in first.output
    assert f"3 kept as reviewed, {n - 3} unchanged, 0 updated, 0 removed, 0 added" in again.output
    for claim_id in reviewed:  # untouched: their verdicts, sources, versions, annotations
        assert (await client.get(f"/v1/claims/{claim_id}")).json() == before[claim_id]
    page = (await client.get(f"/v1/articles/{article['id']}/claims", params={"limit": 200})).json()
    assert [(c["start"], c["end"]) for c in page["items"]] == [
        (c["start"], c["end"]) for c in article["claims"]
    ]
    sentences = (await client.get(f"/v1/articles/{article['id']}")).json()["sentences"]
    for claim in page["items"]:  # every claim in the sentence its index names
        sentence = sentences[claim["sentence_index"]]
        assert sentence["start"] <= claim["start"] < sentence["end"], claim
    added = [c["id"] for c in page["items"] if c["id"] not in {a["id"] for a in article["claims"]}]
    assert len(added) == 1 and added[0] > last_id  # a removed claim's id is never reused
    refreshed = (await client.get(f"/v1/claims/{article['claims'][3]['id']}")).json()
    assert (
        refreshed["attribution"]["confidence"] == article["claims"][3]["attribution"]["confidence"]
    )
    events = (await client.get(f"/v1/claims/{refreshed['id']}/events")).json()["items"]
    assert events[-1]["kind"] == "reextracted"
    assert events[-1]["before"] == {"confidence": 0.12}
    assert (await client.get(f"/v1/articles/{article['id']}")).json()["extractor_version"] == (
        EXTRACTOR_VERSION
    )


@pytest.mark.writes_in_sql
async def test_reextract_brings_the_relay_a_newer_extractor_finds(
    client: AsyncClient, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = relayed(RELAYED)
    (claim,) = found.claims
    unrelayed = replace(
        claim, via=None, via_mention=None, via_mention_start=None, via_mention_end=None
    )
    older = Extraction(sentences=found.sentences, claims=[unrelayed])
    monkeypatch.setattr(articles_service, "extract", lambda text: older)
    article = (await client.post("/v1/articles", json={"text": RELAYED})).json()
    (stored,) = article["claims"]
    assert stored["attribution"]["via"] is None
    engine = app.state.engine
    with Session(engine) as session, session.begin():
        session.execute(
            update(Article).where(Article.id == article["id"]).values(extractor_version="old")
        )
    monkeypatch.setattr(reextract_service, "extract", relayed)
    with Session(engine) as session:
        report = reextract_service.reextract_article(
            session, ClaimStore(engine), article["id"], actor="reextract"
        )
    assert (report.updated, report.added, report.removed) == (1, 0, 0)
    now = (await client.get(f"/v1/claims/{stored['id']}")).json()
    via = now["attribution"]["via"]
    assert (via["name"], via["mention"], now["version"]) == ("Interfax", "Interfax", 2)
    assert now["source"] == stored["source"]
    event = (await client.get(f"/v1/claims/{stored['id']}/events")).json()["items"][-1]
    assert event["kind"] == "reextracted"
    assert event["before"]["via_source_id"] is None
    assert event["after"]["via_source_id"] == via["id"]


def test_reextract_of_an_unknown_article_says_so(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMDESK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["reextract", "--article", "999"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "article 999: Article 999 does not exist." in result.output
