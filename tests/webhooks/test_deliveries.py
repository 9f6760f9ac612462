"""Signed webhooks delivered at least once, to a real receiver on loopback that
verifies each delivery with the official standardwebhooks library."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlmodel import Session, col

from app.models import Change, Delivery, DeliveryAttempt, DeliveryState, Webhook
from app.preconditions import IfMatch
from app.schemas import AnnotationIn, AnnotationPatch
from app.services import annotations
from app.settings import PROJECT_DIR, Settings
from app.webhooks.worker import Worker, pending_count
from tests.api.test_changes import RandomWriter, read_all
from tests.conftest import MakeClaim, _client, bearer
from tests.webhooks.receiver import Receiver, receiving

pytestmark = pytest.mark.anyio

FAST = {
    "worker_in_process": False,
    "webhook_allow_private": True,  # the receiver is on loopback
    "webhook_timeout_s": 2.0,
    "webhook_retry_base_s": 0.05,
    "webhook_retry_max_delay_s": 0.2,
    "webhook_retry_for_s": 1.5,
    "webhook_lease_s": 3.0,
    "worker_poll_s": 0.05,
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, **FAST)


@pytest.fixture
async def admin(running: Any, keys: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(running, bearer(keys["admin"])) as c:
        yield c


@pytest.fixture
def receiver() -> Any:
    with receiving() as r:
        yield r


@pytest.fixture
def worker(app: Any, settings: Settings) -> Iterator[Worker]:
    """A worker the test drives round by round."""
    made = Worker(app.state.engine, settings)
    yield made
    made.close()


async def subscribe(admin: httpx.AsyncClient, receiver: Receiver, **fields: Any) -> dict[str, Any]:
    r = await admin.post("/v1/webhooks", json={"url": receiver.url, **fields})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    receiver.secret = body["secret"]
    return body


def drain(worker: Worker, done: Callable[[], bool], seconds: float = 30) -> None:
    """Worker rounds until ``done`` (or fail after ``seconds``)."""
    end = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < end, "the deliveries did not arrive in time"
        if worker.round().sent == 0:
            time.sleep(0.02)


def settled(app: Any) -> bool:
    """Every change queued for every enabled webhook, and nothing left pending."""
    with Session(app.state.engine) as session:
        last = session.execute(select(func.max(Change.id))).scalar() or 0
        behind = session.execute(
            select(func.count()).where(
                col(Webhook.enabled).is_(True), col(Webhook.queued_through) < last
            )
        ).scalar_one()
    return behind == 0 and pending_count(app.state.engine) == 0


def succeeded(app: Any) -> Counter[int]:
    """Each delivery's successful attempts."""
    with Session(app.state.engine) as session:
        rows = session.execute(
            select(DeliveryAttempt.delivery_id).where(
                col(DeliveryAttempt.error).is_(None),
                col(DeliveryAttempt.status_code) >= 200,
                col(DeliveryAttempt.status_code) < 300,
            )
        )
        return Counter(rows.scalars())


def twice_only_when_retried(app: Any, receiver: Receiver) -> bool:
    """At least once, and no more than its attempts: a delivery that arrived k times
    was logged with at least k - 1 failed attempts (answered too late, say)."""
    ok = succeeded(app)
    with Session(app.state.engine) as session:
        made = Counter(session.execute(select(DeliveryAttempt.delivery_id)).scalars())
    failed = {f"msg_{d}": n - ok[d] for d, n in made.items()}
    return all(n - 1 <= failed.get(msg_id, 0) for msg_id, n in Counter(receiver.ids).items())


def annotate(app: Any, claim_ids: list[int], count: int, edits: int = 0) -> int:
    """``count`` annotations over the claims, each edited ``edits`` times: that many
    changes, several to each annotation."""
    made = 0
    with Session(app.state.engine, expire_on_commit=False) as session:
        for i in range(count):
            note = annotations.annotate_claim(
                session=session, claim_id=claim_ids[i % len(claim_ids)], author="desk",
                data=AnnotationIn(motivation="commenting", body=f"note {i}"),
            )  # fmt: skip
            made += 1
            for e in range(edits):
                annotations.edit_annotation(
                    session=session, annotation_id=note.id, actor="desk",
                    data=AnnotationPatch(body=f"note {i}, edit {e}"), if_match=IfMatch(None),
                )  # fmt: skip
                made += 1
    return made


async def test_a_webhook_is_created_with_its_secret_shown_once_and_managed_with_etags(
    admin: httpx.AsyncClient, client: httpx.AsyncClient, receiver: Receiver
) -> None:
    made = await subscribe(
        admin, receiver, types=["claim.status_changed"], filter={"status": "false"}
    )
    assert made["secret"].startswith("whsec_")
    assert (made["enabled"], made["types"], made["filter"]) == (
        True, ["claim.status_changed"], {"source": None, "status": "false"},
    )  # fmt: skip
    path = f"/v1/webhooks/{made['id']}"
    got = await admin.get(path)
    assert "secret" not in got.json() and got.headers["ETag"] == '"1"'
    assert [w["id"] for w in (await admin.get("/v1/webhooks")).json()["items"]] == [made["id"]]
    assert (await admin.patch(path, json={"enabled": False})).status_code == 428
    r = await admin.patch(path, json={"enabled": False}, headers={"If-Match": '"1"'})
    assert (r.status_code, r.json()["enabled"], r.headers["ETag"]) == (200, False, '"2"')
    # An editor manages no webhooks.
    assert (await client.get("/v1/webhooks")).status_code == 403
    assert (await client.post("/v1/webhooks", json={"url": receiver.url})).status_code == 403
    for unset in ({"url": None}, {"enabled": None}, {"types": None}):  # may be left out only
        r = await admin.patch(path, json=unset, headers={"If-Match": '"2"'})
        assert r.status_code == 422, r.text
    assert (await admin.delete(path, headers={"If-Match": '"1"'})).status_code == 412
    assert (await admin.delete(path, headers={"If-Match": '"2"'})).status_code == 204
    assert (await admin.get(path)).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://hooks.example.org/x"},
        {"url": "https://user:pass@hooks.example.org/x"},
        {"url": "hooks.example.org/x"},
        {"url": "https://hooks.example.org/x", "types": ["claim.exploded"]},
        {"url": "https://hooks.example.org/x", "filter": {"status": "maybe"}},
        {"url": "https://hooks.example.org/x", "secret": "mine"},
        {"url": "https://hooks.example.org/x", "enabled": 0},
    ],
)
async def test_a_bad_webhook_is_a_problem_and_creates_nothing(
    admin: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    r = await admin.post("/v1/webhooks", json=body)
    assert (r.status_code, r.headers["content-type"]) == (422, "application/problem+json")
    assert (await admin.get("/v1/webhooks")).json()["items"] == []


async def test_a_thousand_changes_are_a_thousand_verified_deliveries_in_order(
    app: Any,
    worker: Worker,
    admin: httpx.AsyncClient,
    receiver: Receiver,
    make_claim: MakeClaim,
) -> None:
    claims = [make_claim(f"Line {i}")["id"] for i in range(5)]
    await subscribe(admin, receiver)  # after the claims: it gets what comes next
    made = annotate(app, claims, 200, edits=4)
    assert made == 1000
    drain(worker, lambda: len(set(receiver.ids)) >= 1000)
    assert receiver.unsigned == 0
    assert len(set(receiver.ids)) == 1000 and twice_only_when_retried(app, receiver)
    assert pending_count(app.state.engine) == 0
    # Each annotation's five changes came in the feed's order.
    by_resource: dict[tuple[str, int], list[int]] = defaultdict(list)
    for payload in receiver.once():
        data = payload["data"]
        by_resource[(data["resource"], data["resource_id"])].append(data["id"])
    assert len(by_resource) == 200
    assert all(ids == sorted(ids) and len(ids) == 5 for ids in by_resource.values())
    # The payload: the change as the feed has it, and the resource as it is now.
    last = receiver.verified[-1]
    assert last["type"] == last["data"]["type"] == "annotation.updated"
    assert last["data"]["current"]["body"].startswith("note ")


async def _served(client: httpx.AsyncClient, resource: str, id_: int) -> Any:
    """The resource as the API serves it now; None once deleted."""
    if resource == "article":  # as its listing shows it: without the text
        r = await client.get("/v1/articles", params={"limit": 100})
        return next((a for a in r.json()["items"] if a["id"] == id_), None)
    path = {"claim": "claims", "annotation": "annotations", "source": "sources",
            "match": "matches"}[resource]  # fmt: skip
    r = await client.get(f"/v1/{path}/{id_}")
    if r.status_code == 404:
        return None
    assert r.status_code == 200, r.text
    return r.json()


async def test_the_payload_is_the_change_as_the_feed_gives_it_and_the_resource_as_served(
    app: Any, worker: Worker, admin: httpx.AsyncClient, client: httpx.AsyncClient,
    receiver: Receiver,
) -> None:  # fmt: skip
    await subscribe(admin, receiver)
    writer = RandomWriter(client, seed=14)
    while writer.count < 150:
        await writer.one()
    changes = {c["id"]: c for c in (await read_all(client, limit=200))[0]}
    drain(worker, lambda: settled(app))
    assert receiver.unsigned == 0 and twice_only_when_retried(app, receiver)
    assert len(receiver.once()) == len(changes)
    kinds = set()
    for payload in receiver.once():
        data = dict(payload["data"])
        current = data.pop("current")
        change = changes[data["id"]]
        assert (payload["type"], data) == (change["type"], change)
        assert datetime.fromisoformat(payload["timestamp"]) == datetime.fromisoformat(change["at"])
        assert current == await _served(client, change["resource"], change["resource_id"])
        kinds.add((change["resource"], current is None))
    # Every kind of resource, and a tombstone's null.
    assert {k for k, _ in kinds} == {"claim", "annotation", "source", "article", "match"}
    assert ("annotation", True) in kinds


async def test_a_receiver_down_for_a_while_gets_everything_once_it_is_back(
    app: Any,
    worker: Worker,
    admin: httpx.AsyncClient,
    receiver: Receiver,
    make_claim: MakeClaim,
) -> None:
    claim = make_claim()
    hook = await subscribe(admin, receiver)
    receiver.status = 503
    annotate(app, [claim["id"]], 5)
    end = time.monotonic() + 0.5
    while time.monotonic() < end:  # down: every attempt fails, and is retried
        worker.round()
        time.sleep(0.02)
    assert receiver.verified == []
    receiver.status = 200
    drain(worker, lambda: len(set(receiver.ids)) == 5)
    assert twice_only_when_retried(app, receiver)
    log = (await admin.get(f"/v1/webhooks/{hook['id']}/deliveries")).json()["items"]
    assert {d["state"] for d in log} == {"delivered"}
    first = log[-1]  # newest first: the last is the first change
    assert len(first["attempts"]) >= 2
    assert [a["status_code"] for a in first["attempts"]][-1] == 200
    assert set(a["status_code"] for a in first["attempts"][:-1]) == {503}
    assert (await admin.get(f"/v1/webhooks/{hook['id']}")).json()["enabled"] is True


async def test_a_receiver_failing_the_whole_schedule_fails_and_is_disabled_saying_why(
    app: Any,
    worker: Worker,
    admin: httpx.AsyncClient,
    receiver: Receiver,
    make_claim: MakeClaim,
) -> None:
    claim = make_claim()
    hook = await subscribe(admin, receiver)
    receiver.status = 500
    annotate(app, [claim["id"]], 1)
    path = f"/v1/webhooks/{hook['id']}"
    drain(worker, lambda: settled(app), seconds=10)
    now = (await admin.get(path)).json()
    assert now["enabled"] is False
    assert "no delivery succeeded" in now["disabled_reason"]
    assert "HTTP 500" in now["disabled_reason"]
    (failed,) = (await admin.get(f"{path}/deliveries", params={"state": "failed"})).json()["items"]
    assert len(failed["attempts"]) >= 3 and failed["next_attempt_at"] is None
    spent = [a["at"] for a in failed["attempts"]]
    assert spent == sorted(spent)
    # Disabled, it is sent nothing; redelivered and enabled again, it is.
    receiver.status = 204
    redo = await admin.post(f"{path}/deliveries/{failed['id']}/redeliver")
    assert (redo.status_code, redo.json()["state"]) == (202, "pending")
    assert worker.round().sent == 0
    version = (await admin.get(path)).headers["ETag"]
    r = await admin.patch(path, json={"enabled": True}, headers={"If-Match": version})
    assert (r.json()["enabled"], r.json()["disabled_reason"]) == (True, None)
    drain(worker, lambda: len(receiver.verified) >= 1)
    assert set(receiver.ids) == {f"msg_{failed['id']}"}  # the same message, at last
    assert twice_only_when_retried(app, receiver)


async def test_a_target_on_a_private_address_is_refused_unless_allowed(
    app: Any,
    settings: Settings,
    admin: httpx.AsyncClient,
    receiver: Receiver,
    make_claim: MakeClaim,
) -> None:
    claim = make_claim()
    hook = await subscribe(admin, receiver)
    annotate(app, [claim["id"]], 1)
    strict = settings.model_copy(update={"webhook_allow_private": False})
    worker = Worker(app.state.engine, strict)
    try:
        assert worker.round().sent == 1
    finally:
        worker.close()
    assert receiver.arrived.is_set() is False
    (delivery,) = (await admin.get(f"/v1/webhooks/{hook['id']}/deliveries")).json()["items"]
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] is None and "127.0.0.1 is loopback" in attempt["error"]


async def test_filters_send_only_the_changes_asked_for(
    app: Any, worker: Worker, admin: httpx.AsyncClient, client: httpx.AsyncClient,
    receiver: Receiver, make_claim: MakeClaim,
) -> None:  # fmt: skip
    first, second = make_claim("First"), make_claim("Second")
    await subscribe(admin, receiver, types=["claim.status_changed"], filter={"status": "false"})
    for claim, status in ((first, "false"), (second, "verified")):
        r = await client.patch(
            f"/v1/claims/{claim['id']}", json={"status": status}, headers={"If-Match": '"1"'}
        )
        assert r.status_code == 200
    annotate(app, [first["id"]], 1)
    drain(worker, lambda: settled(app))
    assert [(p["type"], p["data"]["resource_id"]) for p in receiver.once()] == [
        ("claim.status_changed", first["id"])
    ]
    assert receiver.verified[0]["data"]["current"]["status"] == "false"
    assert twice_only_when_retried(app, receiver)


@pytest.mark.backends("postgresql")
async def test_two_workers_share_the_work_and_never_make_one_attempt_twice(
    app: Any,
    settings: Settings,
    admin: httpx.AsyncClient,
    receiver: Receiver,
    make_claim: MakeClaim,
) -> None:
    claims = [make_claim(f"Line {i}")["id"] for i in range(20)]
    await subscribe(admin, receiver)
    annotate(app, claims, 400)
    workers = [Worker(app.state.engine, settings, name=f"w{i}") for i in range(2)]
    stop = threading.Event()
    threads = [threading.Thread(target=w.run, args=(stop,)) for w in workers]
    for t in threads:
        t.start()
    try:
        end = time.monotonic() + 60
        while len(set(receiver.ids)) < 400 and time.monotonic() < end:
            time.sleep(0.05)
    finally:
        stop.set()
        for t in threads:
            t.join()
        for w in workers:
            w.close()
    assert len(set(receiver.ids)) == 400 and twice_only_when_retried(app, receiver)
    # A delivery that two workers both leased would have two successful attempts.
    assert sorted(Counter(succeeded(app).values()).items()) == [(1, 400)]
    with Session(app.state.engine) as session:
        by_worker = dict(
            session.execute(
                select(DeliveryAttempt.worker, func.count()).group_by(DeliveryAttempt.worker)
            ).all()
        )
    assert set(by_worker) == {"w0", "w1"}  # both took part


def test_a_worker_lingers_longer_on_postgresql_unless_told() -> None:
    sqlite, postgresql = "sqlite:///claims.db", "postgresql+psycopg://desk@db/claims"
    assert Settings(database_url=sqlite).linger_s == 0.05  # rounds short: the one write lock
    assert Settings(database_url=postgresql).linger_s == 0.5  # rounds few: the CPU
    assert Settings(database_url=sqlite, worker_linger_s=0.2).linger_s == 0.2


def _worker_process(database_url: str, name: str) -> subprocess.Popen[bytes]:
    """`claimdesk worker` in a process of its own, holding leases for a second."""
    env = {
        **os.environ,
        "CLAIMDESK_DATABASE_URL": database_url,
        **{f"CLAIMDESK_{k.upper()}": str(v) for k, v in FAST.items()},
        "CLAIMDESK_WEBHOOK_LEASE_S": "1.0",
        "CLAIMDESK_WEBHOOK_TIMEOUT_S": "0.9",
    }
    command = [str(Path(sys.executable).parent / "claimdesk"), "worker", "--name", name]
    return subprocess.Popen(command, env=env, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL)


def _leased(app: Any) -> int:
    with Session(app.state.engine) as session:
        query = select(func.count()).where(col(Delivery.leased_until).is_not(None))
        return int(session.execute(query).scalar_one())


async def test_a_worker_killed_mid_delivery_and_restarted_loses_nothing(
    app: Any, database_url: str, admin: httpx.AsyncClient, receiver: Receiver,
    make_claim: MakeClaim,
) -> None:  # fmt: skip
    claim = make_claim()
    hook = await subscribe(admin, receiver)
    annotate(app, [claim["id"]], 3)
    receiver.hold = threading.Event()  # the first request hangs: the worker is mid-delivery
    doomed = _worker_process(database_url, "doomed")
    try:
        assert receiver.arrived.wait(30), "the worker sent nothing"
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
    finally:
        if doomed.poll() is None:
            doomed.kill()
    assert _leased(app) >= 1  # it died holding deliveries
    receiver.hold.set()  # what it had in hand is answered into the void
    receiver.hold = None
    restarted = _worker_process(database_url, "restarted")
    try:
        end = time.monotonic() + 30
        while not settled(app) and time.monotonic() < end:
            time.sleep(0.05)
    finally:
        restarted.send_signal(signal.SIGTERM)  # a clean stop: it finishes its round
        assert restarted.wait(15) == 0
    log = (await admin.get(f"/v1/webhooks/{hook['id']}/deliveries")).json()["items"]
    assert [d["state"] for d in log] == [DeliveryState.delivered.value] * 3
    assert {a["status_code"] for d in log for a in d["attempts"]} == {204}
    # At least once: every change arrived verified (what was in hand at the kill, twice).
    assert set(receiver.change_ids()) == {d["change_id"] for d in log}
    assert _leased(app) == 0


async def test_serve_delivers_from_a_worker_process_of_its_own_on_sqlite(
    database_url: str, receiver: Receiver, keys: dict[str, str], make_claim: MakeClaim,
    app: Any,
) -> None:  # fmt: skip
    from app.main import create_app

    own = create_app(Settings(database_url=database_url, **{**FAST, "worker_in_process": True}))
    claim = make_claim()
    async with own.router.lifespan_context(own), _client(own, bearer(keys["admin"])) as c:
        worker = own.state.worker
        assert worker.pid != os.getpid()
        r = await c.post("/v1/webhooks", json={"url": receiver.url})
        receiver.secret = r.json()["secret"]
        await c.patch(
            f"/v1/claims/{claim['id']}", json={"status": "false"}, headers={"If-Match": '"1"'}
        )
        end = time.monotonic() + 10
        while not receiver.verified and time.monotonic() < end:
            await _sleep(0.02)
    with Session(own.state.engine) as session:
        senders = set(session.execute(select(col(DeliveryAttempt.worker))).scalars())
    assert twice_only_when_retried(own, receiver)
    own.state.engine.dispose()
    assert [p["type"] for p in receiver.once()] == ["claim.status_changed"]
    # Sent by the child process, which ended, cleanly, with the server.
    assert [name.split(":")[1] for name in senders] == [str(worker.pid)]
    assert worker.exit_code == 0


@pytest.mark.backends("sqlite")
def test_the_worker_process_of_serve_stops_when_the_server_is_killed(database_url: str) -> None:
    # A server killed with SIGKILL leaves no worker delivering behind it.
    settings = Settings(database_url=database_url, **{**FAST, "worker_poll_s": 30})
    server = subprocess.run(
        [sys.executable, "-c",
         "import os, signal, sys\n"
         "from app.settings import Settings\n"
         "from app.webhooks.worker import WorkerProcess\n"
         "worker = WorkerProcess(Settings.model_validate_json(sys.argv[1]))\n"
         "print(worker.pid, flush=True)\n"
         "os.kill(os.getpid(), signal.SIGKILL)\n",
         settings.model_dump_json()],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert server.returncode == -signal.SIGKILL
    pid = int(server.stdout)
    end = time.monotonic() + 10
    while _running(pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert not _running(pid)


@pytest.mark.backends("sqlite")
def test_a_server_whose_worker_died_says_so(
    database_url: str, make_claim: MakeClaim, caplog: pytest.LogCaptureFixture
) -> None:
    from app.webhooks.worker import WorkerProcess

    worker = WorkerProcess(Settings(database_url=database_url, **FAST))
    try:
        os.kill(worker.pid, signal.SIGKILL)
        while worker.exit_code is None:
            time.sleep(0.01)
        make_claim()  # a commit that writes changes: the wake-up finds the worker gone
        make_claim()
    finally:
        worker.stop()
    gone = [r for r in caplog.records if "is gone" in r.getMessage()]
    assert len(gone) == 1 and gone[0].levelname == "ERROR"
    assert f"webhook worker {worker.pid} is gone (exit code -9)" in gone[0].getMessage()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


async def _sleep(seconds: float) -> None:
    import anyio

    await anyio.sleep(seconds)
