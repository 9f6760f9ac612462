"""CORS: a browser app on an allowed origin reads ETags and writes with If-Match;
any other origin is refused.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from pydantic import ValidationError
from sqlmodel import Session

from app.db import make_engine
from app.main import create_app
from app.models import Claim
from app.settings import Settings
from tests.browser.conftest import Chromium, LiveServer, Pages
from tests.conftest import REFERENCE_TEXT, bearer, serving

APP = "http://127.0.0.1:5173"
OTHER = "http://127.0.0.1:5174"


# --- The setting ------------------------------------------------------------------------


def test_no_origin_is_allowed_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMDESK_CORS_ORIGINS", raising=False)
    assert Settings(_env_file=None).cors_origins == []


@pytest.mark.parametrize(
    ("env", "origins"),
    [
        ('["https://app.example.org", "http://127.0.0.1:5173"]',
         ["https://app.example.org", "http://127.0.0.1:5173"]),
        ("https://app.example.org, http://127.0.0.1:5173",
         ["https://app.example.org", "http://127.0.0.1:5173"]),
        ("HTTPS://App.Example.org/", ["https://app.example.org"]),
        ("*", ["*"]),
        ("", []),
    ],
)  # fmt: skip
def test_origins_come_as_a_json_list_or_comma_separated(
    monkeypatch: pytest.MonkeyPatch, env: str, origins: list[str]
) -> None:
    monkeypatch.setenv("CLAIMDESK_CORS_ORIGINS", env)
    assert Settings(_env_file=None).cors_origins == origins


@pytest.mark.parametrize(
    "bad", ["app.example.org", "https://app.example.org/path", "ftp://x.org", "http://a:port"]
)
def test_an_entry_that_is_not_an_origin_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(database_url="sqlite://", cors_origins=[bad])


# --- Over HTTP, in process, on both backends --------------------------------------------


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, cors_origins=[APP])


def _preflight(origin: str, method: str = "PATCH") -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, if-match, content-type",
    }


async def _first_claim(client: AsyncClient) -> dict[str, Any]:
    created = await client.post("/v1/articles", json={"text": REFERENCE_TEXT})
    assert created.status_code == 201, created.text
    claim: dict[str, Any] = created.json()["claims"][0]
    return claim


@pytest.mark.anyio
async def test_the_preflight_allows_the_headers_a_write_needs(client: AsyncClient) -> None:
    r = await client.options("/v1/claims/1", headers=_preflight(APP))
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == APP
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "if-match", "content-type"} <= allowed
    methods = {m.strip() for m in r.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= methods
    assert "origin" in r.headers["vary"].lower()


@pytest.mark.anyio
async def test_an_answer_exposes_etag_and_location(client: AsyncClient) -> None:
    claim = await _first_claim(client)
    r = await client.get(f"/v1/claims/{claim['id']}", headers={"Origin": APP})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == APP
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "location"} <= exposed
    assert r.headers["etag"] == '"1"'


@pytest.mark.anyio
async def test_a_refused_write_still_shows_the_browser_its_problem(client: AsyncClient) -> None:
    claim = await _first_claim(client)
    r = await client.patch(
        f"/v1/claims/{claim['id']}",
        json={"status": "in_progress"},
        headers={"Origin": APP, "If-Match": '"7"'},
    )
    assert r.status_code == 412
    assert r.headers["access-control-allow-origin"] == APP
    assert r.headers["etag"] == '"1"'


@pytest.mark.anyio
async def test_a_server_error_still_shows_the_browser_its_problem(
    client: AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.claims import ClaimStore

    async def fail(*_: object, **__: object) -> None:
        raise RuntimeError("injected")

    monkeypatch.setattr(ClaimStore, "page", fail)
    r = await client.get("/v1/claims", headers={"Origin": APP})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["access-control-allow-origin"] == APP
    assert "injected" not in r.text


@pytest.mark.anyio
async def test_another_origin_gets_no_cors_headers(client: AsyncClient) -> None:
    r = await client.options("/v1/claims/1", headers=_preflight(OTHER))
    assert r.status_code == 400
    assert "access-control-allow-origin" not in r.headers
    r = await client.get("/healthz", headers={"Origin": OTHER})
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers


@pytest.mark.anyio
async def test_without_origins_no_origin_gets_cors_headers(database_url: str) -> None:
    app = create_app(Settings(database_url=database_url))
    async with serving(app) as c:
        r = await c.options("/v1/claims/1", headers=_preflight(APP))
        assert "access-control-allow-origin" not in r.headers
        r = await c.get("/healthz", headers={"Origin": APP})
        assert r.status_code == 200
        assert "access-control-allow-origin" not in r.headers


# --- In headless Chromium, against uvicorn ----------------------------------------------

# The page writes what happened, as JSON, into #outcome; "pending" if it never finished.
REVIEW_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>review</title></head>
<body><pre id="outcome">pending</pre>
<script>
const claimUrl = %(claim_url)s;
const auth = {Authorization: "Bearer " + %(token)s};
const out = {};
const failure = (e) => `${e.name}: ${e.message}`;
(async () => {
  try {
    const plain = await fetch(claimUrl);
    out.plain = plain.status;
  } catch (e) {
    out.plain = failure(e);
  }
  try {
    const read = await fetch(claimUrl, {headers: auth});
    out.read = read.status;
    out.etag = read.headers.get("ETag");
    const patch = await fetch(claimUrl, {
      method: "PATCH",
      headers: {...auth, "If-Match": out.etag, "Content-Type": "application/json"},
      body: JSON.stringify({status: "in_progress", note: "from a browser app"}),
    });
    out.patch = patch.status;
    out.new_etag = patch.headers.get("ETag");
    out.status = (await patch.json()).status;
  } catch (e) {
    out.error = failure(e);
  }
  document.getElementById("outcome").textContent = JSON.stringify(out);
})();
</script></body></html>
"""

OUTCOME = re.compile(r'<pre id="outcome">(.*?)</pre>', re.S)


def _claim_on(server: LiveServer) -> int:
    with httpx.Client(base_url=server.url, headers=bearer(server.token), timeout=30) as client:
        created = client.post("/v1/articles", json={"text": REFERENCE_TEXT})
        assert created.status_code == 201, created.text
        return int(created.json()["claims"][0]["id"])


def _review(chromium: Chromium, server: LiveServer, pages: Pages, claim_id: int) -> Any:
    page = REVIEW_PAGE % {
        "claim_url": json.dumps(f"{server.url}/v1/claims/{claim_id}"),
        "token": json.dumps(server.token),
    }
    dom = chromium.dump_dom(pages.add("/review.html", page))
    found = OUTCOME.search(dom)
    assert found, dom
    text = html.unescape(found.group(1))
    assert text != "pending", "the page's script did not finish"
    return json.loads(text)


def _stored(server: LiveServer, claim_id: int) -> tuple[str, int]:
    engine = make_engine(Settings(database_url=server.database_url))
    try:
        with Session(engine) as session:
            claim = session.get(Claim, claim_id)
            assert claim is not None
            return claim.status, claim.version
    finally:
        engine.dispose()


@pytest.mark.browser
def test_a_page_on_an_allowed_origin_reads_the_etag_and_patches_with_it(
    chromium: Chromium, live_server: LiveServer, app_pages: Pages
) -> None:
    claim_id = _claim_on(live_server)
    outcome = _review(chromium, live_server, app_pages, claim_id)
    assert outcome == {
        "plain": 200,
        "read": 200,
        "etag": '"1"',
        "patch": 200,
        "new_etag": '"2"',
        "status": "in_progress",
    }
    assert _stored(live_server, claim_id) == ("in_progress", 2)


@pytest.mark.browser
def test_a_page_on_another_origin_is_refused(
    chromium: Chromium, live_server: LiveServer, foreign_pages: Pages
) -> None:
    claim_id = _claim_on(live_server)
    before = _stored(live_server, claim_id)
    outcome = _review(chromium, live_server, foreign_pages, claim_id)
    # Chromium hides the answer (and never sends the write) without the CORS headers.
    assert outcome == {
        "plain": "TypeError: Failed to fetch",
        "error": "TypeError: Failed to fetch",
    }
    assert _stored(live_server, claim_id) == before
    assert before[1] == 1
