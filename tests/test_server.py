"""A real uvicorn process on a free port: sockets, raw bytes, threads and concurrent
writers."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import Session

from app.db import make_engine
from app.models import Role
from app.services.keys import create_key
from app.settings import Settings
from tests import stored_json
from tests.conftest import REFERENCE_TEXT, bearer
from tests.live import CLAIMDESK_SERVE, live_server

pytestmark = pytest.mark.server


@dataclass
class Server:
    url: str
    editor: dict[str, str]


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        _, token = create_key(session=session, name="server-test", role=Role.editor)
    engine.dispose()
    with live_server(database_url) as url:
        yield Server(url, bearer(token))


def test_ingest_and_list_over_a_socket(server: Server) -> None:
    with httpx.Client(base_url=server.url, headers=server.editor, timeout=30) as client:
        created = client.post("/v1/articles", json={"text": REFERENCE_TEXT})
        assert created.status_code == 201
        article_id = created.json()["id"]
        page = client.get(f"/v1/articles/{article_id}/claims", params={"limit": 100}).json()
        assert len(page["items"]) == len(created.json()["claims"])
        tass = client.get("/v1/claims", params={"source_name": "TASS"}).json()["items"]
        assert [c["text"] for c in tass] == [
            "The meeting lasted just over two hours, from 6:08 p.m. to 8:10 p.m. Moscow time"
        ]


def _first_claim(server: Server) -> int:
    with httpx.Client(base_url=server.url, headers=server.editor, timeout=30) as client:
        created = client.post("/v1/articles", json={"text": REFERENCE_TEXT})
        return int(created.json()["claims"][0]["id"])


async def _burst(server: Server, n: int, send: object) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=n)
    async with httpx.AsyncClient(
        base_url=server.url, headers=server.editor, timeout=60, limits=limits
    ) as client:
        return await asyncio.gather(*(send(client, i) for i in range(n)))  # type: ignore[operator]


def test_twenty_racing_status_changes_with_one_etag_land_exactly_once(server: Server) -> None:
    claim_id = _first_claim(server)

    async def send(client: httpx.AsyncClient, i: int) -> httpx.Response:
        return await client.patch(
            f"/v1/claims/{claim_id}",
            json={"status": "in_progress", "note": f"client {i}"},
            headers={"If-Match": '"1"'},
        )

    responses = asyncio.run(_burst(server, 20, send))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [412] * 19, codes
    with httpx.Client(base_url=server.url, timeout=30) as client:
        events = client.get(f"/v1/claims/{claim_id}/events").json()["items"]
        claim = client.get(f"/v1/claims/{claim_id}").json()
    assert [e["kind"] for e in events] == ["created", "status_changed"]
    assert claim["version"] == 2 and claim["status"] == "in_progress"


def test_a_source_renamed_while_its_claims_change_leaves_no_claim_with_its_old_name(
    server: Server, database_url: str
) -> None:
    """Each claim's JSON holds its source's name: renames and verdicts racing on the
    same source and claims must still leave every claim's JSON what its columns say."""
    with httpx.Client(base_url=server.url, headers=server.editor, timeout=30) as client:
        article = client.post("/v1/articles", json={"text": REFERENCE_TEXT}).json()
    peskov = [
        c for c in article["claims"] if c["source"] and c["source"]["name"] == "Dmitry Peskov"
    ]
    source_id = peskov[0]["source"]["id"]

    async def send(client: httpx.AsyncClient, i: int) -> httpx.Response:
        if i % 3 == 0:
            source = (await client.get(f"/v1/sources/{source_id}")).json()
            return await client.patch(
                f"/v1/sources/{source_id}", json={"name": f"Dmitry Peskov {i}"},
                headers={"If-Match": f'"{source["version"]}"'},
            )  # fmt: skip
        claim = peskov[i % len(peskov)]
        return await client.patch(
            f"/v1/claims/{claim['id']}", json={"status": ["in_progress", "verified"][i % 2]},
            headers={"If-Match": "*"},
        )  # fmt: skip

    responses = asyncio.run(_burst(server, 30, send))
    assert {r.status_code for r in responses} <= {200, 412}, [r.text for r in responses]
    engine = make_engine(Settings(database_url=database_url))
    try:
        assert stored_json.mismatches(engine) == {}
    finally:
        engine.dispose()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        name = client.get(f"/v1/sources/{source_id}").json()["name"]
        claims = client.get("/v1/claims", params={"source": source_id, "limit": 200}).json()
    assert {c["source"]["name"] for c in claims["items"]} == {name}


def test_fifty_concurrent_annotations_are_all_kept(server: Server) -> None:
    claim_id = _first_claim(server)

    async def send(client: httpx.AsyncClient, i: int) -> httpx.Response:
        return await client.post(
            f"/v1/claims/{claim_id}/annotations",
            json={"motivation": "commenting", "body": f"note {i}"},
        )

    responses = asyncio.run(_burst(server, 50, send))
    assert [r.status_code for r in responses] == [201] * 50
    with httpx.Client(base_url=server.url, timeout=30) as client:
        notes = client.get(f"/v1/claims/{claim_id}/annotations", params={"limit": 200}).json()
        events = client.get(f"/v1/claims/{claim_id}/events", params={"limit": 200}).json()
    assert sorted(a["body"] for a in notes["items"]) == sorted(f"note {i}" for i in range(50))
    assert sum(e["kind"] == "annotated" for e in events["items"]) == 50


def test_twenty_racing_edits_of_an_annotation_and_a_source_land_once_each(
    server: Server,
) -> None:
    """Every versioned resource takes the same compare-and-swap: of twenty writers
    holding one ETag, one lands; the others get 412 and change nothing."""
    claim_id = _first_claim(server)
    with httpx.Client(base_url=server.url, headers=server.editor, timeout=30) as client:
        note = client.post(
            f"/v1/claims/{claim_id}/annotations", json={"motivation": "commenting", "body": "x"}
        ).json()
        source = client.post("/v1/sources", json={"name": "Olga Varga", "kind": "person"}).json()

    async def send(client: httpx.AsyncClient, i: int) -> httpx.Response:
        if i % 2:
            path, body = f"/v1/annotations/{note['id']}", {"body": f"edit {i}"}
        else:
            path, body = f"/v1/sources/{source['id']}", {"description": f"edit {i}"}
        return await client.patch(path, json=body, headers={"If-Match": '"1"'})

    responses = asyncio.run(_burst(server, 40, send))
    for parity in (0, 1):
        codes = sorted(r.status_code for i, r in enumerate(responses) if i % 2 == parity)
        assert codes == [200] + [412] * 19, codes
    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert client.get(f"/v1/annotations/{note['id']}").json()["version"] == 2
        assert client.get(f"/v1/sources/{source['id']}").json()["version"] == 2
        events = client.get(f"/v1/claims/{claim_id}/events").json()["items"]
    assert [e["kind"] for e in events].count("annotation_edited") == 1


def _exchange(url: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send the bytes as they are; the answer's status, headers and body."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data and (chunk := sock.recv(65_536)):
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        status_line, *fields = head.decode("latin-1").split("\r\n")
        headers = {
            name.lower(): value.strip() for name, _, value in (f.partition(":") for f in fields)
        }
        while len(body) < int(headers["content-length"]) and (chunk := sock.recv(65_536)):
            body += chunk
    return int(status_line.split()[1]), headers, body


@pytest.mark.backends("sqlite")
@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /v1/claims?q=" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /v1/extract HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        b"HELLO\r\n\r\n",
    ],
    ids=["100 KB request line", "negative Content-Length", "field without colon", "not HTTP"],
)
def test_a_request_the_server_cannot_parse_is_400_problem(
    server: Server, request_bytes: bytes
) -> None:
    status, headers, body = _exchange(server.url, request_bytes)
    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["type"] == "https://claimdesk.dev/problems/malformed-http"
    assert headers["connection"] == "close"


@pytest.mark.backends("sqlite")
def test_claimdesk_serve_answers_what_it_cannot_parse_with_a_problem(database_url: str) -> None:
    with live_server(database_url, command=CLAIMDESK_SERVE) as url:
        status, headers, _ = _exchange(url, b"HELLO\r\n\r\n")
    assert (status, headers["content-type"]) == (400, "application/problem+json")


@pytest.mark.backends("sqlite")
def test_a_two_megabyte_header_is_431_problem(server: Server) -> None:
    padding = b"X-Padding: " + b"a" * 2_000_000 + b"\r\n"
    status, headers, body = _exchange(
        server.url, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + padding + b"\r\n"
    )
    assert status == 431
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["limit"] == 16_384
