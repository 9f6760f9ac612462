"""The changes feed: every change in one order, field by field, tombstones, cursors a
sync can resume from, a replay that rebuilds everything, and no change skipped by a
reader while writers commit."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest
from httpx import AsyncClient
from sqlmodel import Session

from app.models import ClaimStatus
from app.schemas import AnnotationIn
from app.services import annotations
from app.services.changes import list_changes
from tests import feed_replay
from tests.conftest import MakeClaim, ingest

pytestmark = pytest.mark.anyio

QUOTE = "Russia has never planned to attack anyone"


async def read_all(client: AsyncClient, **params: Any) -> tuple[list[dict[str, Any]], str]:
    """Every change after ``params["after"]`` (or from the start), page by page; the
    cursor to resume from."""
    items: list[dict[str, Any]] = []
    while True:
        r = await client.get("/v1/changes", params={"limit": 7, **params})
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        params["after"] = page["next_cursor"]
        if not page["has_more"]:
            return items, page["next_cursor"]


def fields(change: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {f["field"]: (f["before"], f["after"]) for f in change["changes"]}


async def test_an_ingest_is_its_article_its_new_sources_and_its_claims_created(
    client: AsyncClient, keys: dict[str, str]
) -> None:
    article = await ingest(
        client, f"“{QUOTE},” Kremlin spokesman Dmitry Peskov said.", publisher="TASS"
    )
    changes, _ = await read_all(client)
    assert [c["type"] for c in changes] == ["article.created", "source.created", "claim.created"]
    made, source, claim = changes
    assert (made["resource"], made["resource_id"]) == ("article", article["id"])
    assert fields(made)["publisher"] == (None, "TASS")
    assert fields(source)["name"] == (None, "Dmitry Peskov")
    (stored,) = article["claims"]
    assert (claim["resource_id"], claim["version"], claim["claim_id"]) == (
        stored["id"],
        1,
        stored["id"],
    )
    assert fields(claim)["text"] == (None, stored["text"])
    assert fields(claim)["source_id"] == (None, stored["source"]["id"])
    assert {c["actor"] for c in changes} == {"test-editor"}
    assert [c["id"] for c in changes] == sorted(c["id"] for c in changes)


async def test_each_write_is_one_change_with_its_fields_before_and_after(
    client: AsyncClient, make_claim: MakeClaim
) -> None:
    claim = make_claim()
    before, start = await read_all(client)
    path = f"/v1/claims/{claim['id']}"
    r = await client.patch(
        path, json={"status": "false", "note": "No."}, headers={"If-Match": '"1"'}
    )
    assert r.status_code == 200
    # The same status again changes nothing, and is no change.
    await client.patch(path, json={"status": "false"}, headers={"If-Match": '"2"'})
    r = await client.post(f"{path}/annotations", json={"motivation": "commenting", "body": "A"})
    annotation = r.json()
    a_path = f"/v1/annotations/{annotation['id']}"
    await client.patch(a_path, json={"body": "B"}, headers={"If-Match": '"1"'})
    await client.delete(a_path, headers={"If-Match": '"2"'})
    r = await client.put(
        f"{path}/source", json={"source_name": "TASS"}, headers={"If-Match": '"2"'}
    )
    assert r.status_code == 200, r.text
    changes, _ = await read_all(client, after=start)
    assert [c["type"] for c in changes] == [
        "claim.status_changed", "annotation.created", "annotation.updated",
        "annotation.deleted", "source.created", "claim.attributed",
    ]  # fmt: skip
    status, created, edited, deleted, _source, attributed = changes
    assert fields(status) == {"status": ("unverified", "false")}
    assert (status["version"], status["note"], status["actor"]) == (2, "No.", "test-editor")
    assert fields(created)["body"] == (None, "A")
    assert fields(edited) == {"body": ("A", "B")}
    assert (edited["version"], edited["claim_id"]) == (2, claim["id"])
    # The tombstone: no version, every field it had before.
    assert deleted["version"] is None
    assert fields(deleted)["body"] == ("B", None)
    assert fields(attributed)["method"] == ("rule", "manual")
    # The claim's audit trail reads the same changes, field by field.
    events = (await client.get(f"{path}/events")).json()["items"]
    created = before[-1]
    assert (created["type"], created["resource_id"]) == ("claim.created", claim["id"])
    assert [e["id"] for e in events] == [
        created["id"],
        *(c["id"] for c in changes if c["claim_id"]),
    ]
    assert [e["kind"] for e in events] == [
        "created", "status_changed", "annotated", "annotation_edited", "annotation_deleted",
        "attributed",
    ]  # fmt: skip
    assert events[1]["changes"] == status["changes"]
    assert events[1]["type"] == "claim.status_changed"


async def test_the_cursor_of_the_last_page_is_where_the_next_sync_starts(
    client: AsyncClient, make_claim: MakeClaim
) -> None:
    first = make_claim("First line")
    seen, cursor = await read_all(client)
    assert len(seen) == 3  # a source, an article and a claim, then nothing more
    r = await client.get("/v1/changes", params={"after": cursor})
    assert (r.json()["items"], r.json()["next_cursor"], r.json()["has_more"]) == ([], cursor, False)
    await client.patch(
        f"/v1/claims/{first['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    later, _ = await read_all(client, after=cursor)
    assert [c["type"] for c in later] == ["claim.status_changed"]


async def test_a_types_filter_skips_the_others_and_its_cursor_moves_past_them(
    client: AsyncClient, make_claim: MakeClaim
) -> None:
    claim = make_claim()
    r = await client.get("/v1/changes", params={"types": "claim.status_changed"})
    assert r.json()["items"] == []
    cursor = r.json()["next_cursor"]
    _, end = await read_all(client)
    assert cursor == end  # past the changes of other types, not stuck before them
    await client.patch(
        f"/v1/claims/{claim['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
    )
    await client.post(
        f"/v1/claims/{claim['id']}/annotations", json={"motivation": "tagging", "body": "x"}
    )
    wanted, _ = await read_all(
        client, after=cursor, types="claim.status_changed,annotation.created"
    )
    assert [c["type"] for c in wanted] == ["claim.status_changed", "annotation.created"]
    only, _ = await read_all(client, types="annotation.created")
    assert [c["type"] for c in only] == ["annotation.created"]


@pytest.mark.parametrize(
    "params",
    [{"after": "not a cursor"}, {"types": "claim.exploded"}, {"types": "claim.created,"},
     {"limit": 0}],
)  # fmt: skip
async def test_bad_feed_parameters_are_a_problem(
    client: AsyncClient, params: dict[str, Any]
) -> None:
    r = await client.get("/v1/changes", params=params)
    assert r.status_code in (400, 422)
    assert r.headers["content-type"] == "application/problem+json"


class RandomWriter:
    """Writes of every kind a client makes, each on a resource it knows, with the
    version it last saw."""

    SPEAKERS = ("Dmitry Peskov", "Jen Psaki", "Sergei Lavrov")
    LINES = ("Talks will go on", QUOTE, "The sanctions are illegal", "We are ready to talk")

    def __init__(self, client: AsyncClient, seed: int) -> None:
        self.client, self.rng = client, random.Random(seed)
        self.versions: dict[str, dict[int, int]] = {
            "claims": {}, "annotations": {}, "sources": {}, "matches": {}
        }  # fmt: skip
        self.count = 0

    def pick(self, kind: str) -> tuple[int, dict[str, str]] | None:
        known = self.versions[kind]
        if not known:
            return None
        id_ = self.rng.choice(list(known))
        return id_, {"If-Match": f'"{known[id_]}"'}

    async def keep(self, kind: str, r: Any, id_: int | None = None) -> None:
        """Note the version a write made, or (412: another write moved the resource of
        ``id_``, a group's regrouping say) the one it has now, as a client would."""
        if r.status_code == 412 and id_ is not None:
            self.versions[kind][id_] = r.json()["current_version"]
            return
        assert r.status_code in (200, 201), r.text
        self.versions[kind][r.json()["id"]] = r.json()["version"]

    async def ingest(self) -> None:
        speaker, line = self.rng.choice(self.SPEAKERS), self.rng.choice(self.LINES)
        body = await ingest(self.client, f"“{line},” {speaker} said. ({self.count})")
        for claim in body["claims"]:
            self.versions["claims"][claim["id"]] = claim["version"]
            r = await self.client.get(f"/v1/claims/{claim['id']}/matches")
            for match in r.json()["items"]:
                self.versions["matches"][match["id"]] = match["version"]

    async def status(self) -> None:
        if (picked := self.pick("claims")) is None:
            return await self.ingest()
        claim_id, headers = picked
        status = self.rng.choice(list(ClaimStatus))
        r = await self.client.patch(
            f"/v1/claims/{claim_id}", json={"status": status}, headers=headers
        )
        await self.keep("claims", r, claim_id)

    async def attribute(self) -> None:
        if (picked := self.pick("claims")) is None:
            return await self.ingest()
        claim_id, headers = picked
        body = {"source_name": self.rng.choice(self.SPEAKERS)}
        r = await self.client.put(f"/v1/claims/{claim_id}/source", json=body, headers=headers)
        await self.keep("claims", r, claim_id)

    async def annotate(self) -> None:
        if (picked := self.pick("claims")) is None:
            return await self.ingest()
        body = {"motivation": "commenting", "body": f"n{self.count}"}
        r = await self.client.post(f"/v1/claims/{picked[0]}/annotations", json=body)
        await self.keep("annotations", r)

    async def edit_or_delete_annotation(self) -> None:
        if (picked := self.pick("annotations")) is None:
            return await self.annotate()
        annotation_id, headers = picked
        path = f"/v1/annotations/{annotation_id}"
        if self.rng.random() < 0.5:
            r = await self.client.patch(path, json={"body": f"e{self.count}"}, headers=headers)
            return await self.keep("annotations", r, annotation_id)
        r = await self.client.delete(path, headers=headers)
        assert r.status_code == 204, r.text
        del self.versions["annotations"][annotation_id]

    async def source(self) -> None:
        picked = self.pick("sources")
        if picked is None or self.rng.random() < 0.3:
            body = {"name": f"Source {self.count}", "kind": "person"}
            return await self.keep("sources", await self.client.post("/v1/sources", json=body))
        source_id, headers = picked
        body = {"description": f"d{self.count}", "aliases": [f"alias {self.count}"]}
        r = await self.client.patch(f"/v1/sources/{source_id}", json=body, headers=headers)
        await self.keep("sources", r, source_id)

    async def match(self) -> None:
        if (picked := self.pick("matches")) is None:
            return await self.ingest()
        match_id, headers = picked
        body = {"state": self.rng.choice(["confirmed", "rejected"])}
        r = await self.client.put(f"/v1/matches/{match_id}", json=body, headers=headers)
        await self.keep("matches", r, match_id)
        if r.status_code == 412:
            return
        for claim_id in (r.json()["claim_id"], r.json()["other"]["id"]):  # regrouped
            await self.keep("claims", await self.client.get(f"/v1/claims/{claim_id}"))

    async def one(self) -> None:
        writes = [self.ingest, self.status, self.status, self.attribute, self.annotate,
                  self.edit_or_delete_annotation, self.source, self.match]  # fmt: skip
        await self.rng.choice(writes)()
        self.count += 1


async def test_replaying_the_feed_after_random_writes_rebuilds_everything(
    app: Any, client: AsyncClient
) -> None:
    """1,000 writes of every kind in a random order; then a client replays the feed from
    its start over HTTP and compares with a fresh read of every row."""
    writer = RandomWriter(client, seed=1019)
    while writer.count < 1000:
        await writer.one()
    changes, _ = await read_all(client, limit=200)
    state: feed_replay.State = {}
    for change in changes:
        key = (change["resource"], change["resource_id"])
        if change["type"].endswith(".deleted"):
            del state[key]
            continue
        tracked = feed_replay.feed.TRACKED[change["resource"]]
        state.setdefault(key, {}).update(
            {f["field"]: f["after"] for f in change["changes"] if f["field"] in tracked},
            version=change["version"],
        )
    assert state == feed_replay.current(app.state.engine)
    assert {key[0] for key in state} == set(feed_replay.feed.TRACKED)  # all took part
    assert any(c["type"] == "annotation.deleted" for c in changes)


@pytest.mark.backends("postgresql")
def test_a_reader_following_the_feed_never_skips_a_change_committed_late(
    app: Any, make_claim: MakeClaim
) -> None:
    """Writers commit in any order while a reader pages on; every change the writers
    committed is in what the reader saw, exactly once."""
    claim_ids = [make_claim(f"Line {i}")["id"] for i in range(4)]
    engine = app.state.engine
    stop = threading.Event()
    errors: list[BaseException] = []

    def write(claim_id: int) -> None:
        try:
            with Session(engine, expire_on_commit=False) as session:
                for i in range(60):
                    annotations.annotate_claim(
                        session=session, claim_id=claim_id, author="w",
                        data=AnnotationIn(motivation="commenting", body=f"{i}"),
                    )  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    seen: list[int] = []

    def read() -> None:
        cursor = None
        with Session(engine) as session:
            while True:
                done = stop.is_set()
                page = list_changes(session=session, limit=5, after=cursor)
                session.rollback()
                seen.extend(c.id for c in page.items)
                cursor = page.next_cursor
                if done and not page.has_more:
                    return

    writers = [threading.Thread(target=write, args=(c,)) for c in claim_ids]
    reader = threading.Thread(target=read)
    reader.start()
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    stop.set()
    reader.join()
    assert errors == []
    everything = sorted(key[1] for key in _change_ids(engine))
    assert len(everything) > 4 * 60
    assert seen == everything  # each once, in order, none skipped


def _change_ids(engine: Any) -> list[tuple[str, int]]:
    from sqlalchemy import select

    from app.models import Change

    with Session(engine) as session:
        return [("change", id_) for id_ in session.execute(select(Change.id)).scalars()]
