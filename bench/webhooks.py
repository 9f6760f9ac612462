"""Benchmark webhook delivery (issue 14): deliveries/s with one and two workers, and
write latency with a webhook delivering against none.

    .venv/bin/python -m bench.webhooks                  # SQLite: a fresh bench/out/webhooks-*.db
    .venv/bin/python -m bench.webhooks --database-url postgresql+psycopg://postgres@127.0.0.1:5432/benchwh_x

The database is made for the run and removed after it: a new SQLite file under
bench/out/, or on PostgreSQL the database the URL names (it must start with
``benchwh_``), created, migrated and dropped by the script. It holds the seed
article's claims, an admin and an editor key.

The receiver runs in a process of its own (``--receiver PORT``, started by the run),
so that its work never shares a GIL with the timing client: an asyncio server
answering 204 to every POST, counting them and their distinct ``webhook-id``s, and
verifying one in ``--verify-every`` with the standardwebhooks library against the
current webhook's secret. Every delivery must carry the three signature headers, and
a round in which a sampled delivery fails verification, or none was sampled, fails.

1. **Deliveries/s.** For each round: a new webhook subscribed to everything, then
   ``--changes`` annotations written through app.services.annotations (one change
   each), then ``claimdesk worker`` processes started; timed from their start to the
   receiver's last delivery. One and two workers in alternating rounds on
   PostgreSQL; one on SQLite, whose single writer serializes every worker's
   transactions. The webhook is deleted after each round (its deliveries with it).
2. **Write latency, webhooks on and off.** One uvicorn server (bench.app, as
   bench.run starts it); a sequential httpx client alternating ``PATCH
   /v1/claims/{id}`` status changes and ``POST /v1/claims/{id}/annotations``.
   Sides alternate (on, off; off, on; ...): *on* with one enabled webhook subscribed
   to everything and a worker delivering meanwhile (on SQLite the worker process
   the server starts, the default there; a ``claimdesk worker`` process on PostgreSQL,
   running through both sides), *off* with no webhook. An on round ends when every
   one of its changes is delivered; its webhook is then deleted, so no delivery runs
   into the next round.

Prints a markdown report and writes it into bench/results.md (one section per
database kind, at the end, other sections kept); the figures as JSON, the server,
worker and receiver logs go to bench/out/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULTS = BENCH_DIR / "results.md"

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from bench.run import (  # noqa: E402
    Server,
    cpu_seconds,
    free_port,
    machine,
    percentile,
    stop_process,
)

WRITE_RATIO_MAX = 1.10
"""Writes with webhooks at most 10% slower: on ÷ off of the mean and of p99."""
SIGNATURE_HEADERS = ("webhook-id", "webhook-timestamp", "webhook-signature")
STATUSES = ("in_progress", "verified", "misleading", "false", "unproven")


def load1() -> float:
    return os.getloadavg()[0]


# ---------------------------------------------------------------- the receiver


class _Counts:
    """What the receiver saw since the last reset."""

    def __init__(self, verify_every: int) -> None:
        self.verify_every = verify_every
        self.reset("")

    def reset(self, secret: str) -> None:
        from standardwebhooks import Webhook

        self.signer = Webhook(secret) if secret else None
        self.received = 0
        self.ids: set[str] = set()
        self.unsigned = 0  # missing one of the signature headers
        self.sampled = 0
        self.verified = 0
        self.bad = 0  # sampled, and the signature did not verify
        self.first_at = 0.0
        self.last_at = 0.0

    def hook(self, headers: dict[str, str], body: bytes) -> None:
        now = time.monotonic()
        self.received += 1
        self.first_at = self.first_at or now
        self.last_at = now
        if not all(headers.get(h) for h in SIGNATURE_HEADERS):
            self.unsigned += 1
            return
        self.ids.add(headers["webhook-id"])
        if self.received % self.verify_every == 1 or self.verify_every == 1:
            self.sampled += 1
            try:
                assert self.signer is not None
                self.signer.verify(body, headers)
                self.verified += 1
            except Exception:
                self.bad += 1

    def stats(self) -> dict[str, Any]:
        return {
            "received": self.received, "distinct": len(self.ids), "unsigned": self.unsigned,
            "sampled": self.sampled, "verified": self.verified, "bad": self.bad,
            "first_at": self.first_at, "last_at": self.last_at,
        }  # fmt: skip


async def _serve(port: int, verify_every: int) -> None:
    counts = _Counts(verify_every)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                size = int(headers.get("content-length", "0"))
                body = await reader.readexactly(size) if size else b""
                answer = b""
                if method == "POST" and path == "/hook":
                    counts.hook(headers, body)
                    status = "204 No Content"
                elif method == "POST" and path == "/reset":
                    counts.reset(json.loads(body)["secret"])
                    status = "204 No Content"
                elif method == "GET" and path == "/stats":
                    answer, status = json.dumps(counts.stats()).encode(), "200 OK"
                else:
                    status = "404 Not Found"
                writer.write(
                    f"HTTP/1.1 {status}\r\ncontent-length: {len(answer)}\r\n"
                    "content-type: application/json\r\n\r\n".encode()
                    + answer
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()

    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=512)
    async with server:
        await stop.wait()


class Receiver:
    """The receiver process, and its counts over HTTP."""

    def __init__(self, verify_every: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self.log = (OUT_DIR / "webhooks-receiver.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.webhooks", "--receiver", str(self.port),
             "--verify-every", str(verify_every)],
            cwd=PROJECT_DIR, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.stats()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.1)

    def reset(self, secret: str) -> None:
        self.client.post("/reset", json={"secret": secret}).raise_for_status()

    def stats(self) -> dict[str, Any]:
        r = self.client.get("/stats")
        r.raise_for_status()
        out: dict[str, Any] = r.json()
        return out

    def wait_for(self, distinct: int, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            s = self.stats()
            if s["distinct"] >= distinct or time.monotonic() > deadline:
                return s
            time.sleep(0.05)

    def stop(self) -> None:
        self.client.close()
        stop_process(self.proc, signal.SIGTERM, 10)
        self.log.close()


def signed_ok(s: dict[str, Any]) -> bool:
    """Every delivery carried the signature headers, and every sampled one verified."""
    return s["unsigned"] == 0 and s["bad"] == 0 and s["sampled"] > 0


# ------------------------------------------------------------------ the database


def create_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database or ""
    if not name.startswith("benchwh_"):
        sys.exit(f"the PostgreSQL database must be named benchwh_*, not {name!r}")
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database or ""
    assert name.startswith("benchwh_")
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def prepare(url: str) -> tuple[list[int], str, str]:
    """Migrate, load the seeds; the claim ids, an admin token and an editor token."""
    from sqlalchemy import select
    from sqlmodel import Session, col

    from app import migrate
    from app.claims import ClaimStore
    from app.db import make_engine
    from app.models import Claim, Role
    from app.services.keys import create_key
    from app.services.seed import load_seeds
    from app.settings import Settings

    migrate.upgrade(url)
    settings = Settings(database_url=url)
    engine = make_engine(settings)
    with Session(engine, expire_on_commit=False) as session:
        load_seeds(
            session, ClaimStore(engine, matching=settings.matching), PROJECT_DIR / "seeds",
            max_article_bytes=settings.max_article_bytes,
        )  # fmt: skip
        claims = list(session.execute(select(col(Claim.id)).order_by(col(Claim.id))).scalars())
        _, admin = create_key(session=session, name="bench-admin", role=Role.admin)
        _, editor = create_key(session=session, name="bench-editor", role=Role.editor)
    engine.dispose()
    return claims, admin, editor


def settings_for(url: str) -> Any:
    from app.settings import Settings

    return Settings(database_url=url, webhook_allow_private=True, worker_in_process=False)


# ----------------------------------------------------------- 1. deliveries/s


@dataclass
class DeliveryRound:
    workers: int
    round_no: int
    changes: int
    write_s: float = 0.0  # writing the changes through the services
    seconds: float = 0.0  # worker start to the last delivery
    first_s: float = 0.0  # worker start to the first delivery
    received: int = 0
    distinct: int = 0
    sampled: int = 0
    verified: int = 0
    bad: int = 0
    unsigned: int = 0
    worker_cpu_s: float = 0.0  # all the round's worker processes, user + system
    load: float = 0.0  # 1-min load average at the round's end

    @property
    def rate(self) -> float:
        return self.distinct / self.seconds if self.seconds else 0.0

    @property
    def steady_rate(self) -> float:
        """From the first delivery to the last: without the processes' start-up."""
        span = self.seconds - self.first_s
        return (self.distinct - 1) / span if span > 0 else 0.0


def worker_process(url: str, name: str, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CLAIMDESK_DATABASE_URL": url,
        "CLAIMDESK_WEBHOOK_ALLOW_PRIVATE": "true",
        **extra_env,
    }
    log = (OUT_DIR / f"webhooks-worker-{name}.log").open("wb")
    claimdesk = str(Path(sys.executable).parent / "claimdesk")
    return subprocess.Popen(
        [claimdesk, "worker", "--name", name], env=env, cwd=PROJECT_DIR, stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def new_webhook(engine: Any, url: str) -> tuple[int, str]:
    from sqlmodel import Session

    from app.schemas import WebhookIn
    from app.services.webhooks import create_webhook

    with Session(engine, expire_on_commit=False) as session:
        made = create_webhook(session=session, data=WebhookIn(url=url), actor="bench")
    return made.id, made.secret


def remove_webhook(engine: Any, webhook_id: int) -> None:
    from sqlmodel import Session

    from app.preconditions import IfMatch
    from app.services.webhooks import delete_webhook

    with Session(engine) as session:
        delete_webhook(session=session, webhook_id=webhook_id, if_match=IfMatch(None))


def write_annotations(engine: Any, claims: list[int], count: int, tag: str) -> None:
    from sqlmodel import Session

    from app.models import Motivation
    from app.schemas import AnnotationIn
    from app.services import annotations

    with Session(engine, expire_on_commit=False) as session:
        for i in range(count):
            annotations.annotate_claim(
                session=session, claim_id=claims[i % len(claims)], author="bench",
                data=AnnotationIn(motivation=Motivation.commenting, body=f"bench {tag} note {i}"),
            )  # fmt: skip


def delivery_round(
    url: str, engine: Any, receiver: Receiver, claims: list[int], workers: int, round_no: int,
    changes: int, timeout: float, extra_env: dict[str, str],
) -> DeliveryRound:  # fmt: skip
    result = DeliveryRound(workers=workers, round_no=round_no, changes=changes)
    webhook_id, secret = new_webhook(engine, receiver.url)
    receiver.reset(secret)
    t = time.monotonic()
    write_annotations(engine, claims, changes, f"d{round_no}w{workers}")
    result.write_s = time.monotonic() - t
    t0 = time.monotonic()
    procs = [worker_process(url, f"r{round_no}-{workers}w-{i}", extra_env) for i in range(workers)]
    try:
        s = receiver.wait_for(changes, timeout)
        cpu = 0.0
        for p in procs:
            try:
                cpu += cpu_seconds(p.pid)
            except OSError:
                pass
    finally:
        for p in procs:
            stop_process(p, signal.SIGTERM, 30)
    result.seconds = s["last_at"] - t0 if s["last_at"] else float("nan")
    result.first_s = s["first_at"] - t0 if s["first_at"] else float("nan")
    for k in ("received", "distinct", "sampled", "verified", "bad", "unsigned"):
        setattr(result, k, s[k])
    result.worker_cpu_s = cpu
    result.load = load1()
    remove_webhook(engine, webhook_id)
    print(
        f"deliveries r{round_no} workers={workers}: {result.distinct}/{changes} in "
        f"{result.seconds:.2f}s = {result.rate:.0f}/s (first after {result.first_s:.2f}s, "
        f"then {result.steady_rate:.0f}/s), sampled {result.sampled} verified "
        f"{result.verified} bad {result.bad} unsigned {result.unsigned}, "
        f"worker CPU {cpu:.1f}s, load {result.load:.2f}",
        flush=True,
    )
    return result


# ------------------------------------------------------- 2. write latency


@dataclass
class WriteRound:
    webhooks: bool
    round_no: int
    side: str = ""  # on, off, or "no worker" (a server that starts no worker)
    writes: int = 0
    errors: int = 0
    mean_ms: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    seconds: float = 0.0
    server_cpu_ms: float = 0.0  # per write
    worker_cpu_ms: float = 0.0  # per write, the worker process
    delivered: int = 0
    drain_s: float = 0.0  # after the last write, until every change was delivered
    signed: bool = True
    load: float = 0.0


class Writer:
    """The sequential client: status changes and annotations in turn."""

    def __init__(self, base: str, token: str, claims: list[int]) -> None:
        self.token = token
        self.clients: dict[str, httpx.Client] = {}
        self.client = self.to(base)
        self.claims = claims
        self.etags: dict[int, str] = {}
        self.status: dict[int, int] = {}
        self.n = 0
        for claim_id in claims:
            r = self.client.get(f"/v1/claims/{claim_id}")
            r.raise_for_status()
            self.etags[claim_id] = r.headers["ETag"]
            self.status[claim_id] = 0

    def to(self, base: str) -> httpx.Client:
        """Send the next writes to this server (the claims' ETags go with them)."""
        if base not in self.clients:
            self.clients[base] = httpx.Client(
                base_url=base, timeout=30, headers={"Authorization": f"Bearer {self.token}"}
            )
        self.client = self.clients[base]
        return self.client

    def one(self) -> tuple[float, bool]:
        """One write; its latency in ms and whether it succeeded."""
        i = self.n
        self.n += 1
        claim_id = self.claims[(i // 2) % len(self.claims)]
        t = time.perf_counter()
        if i % 2 == 0:
            self.status[claim_id] = (self.status[claim_id] + 1) % len(STATUSES)
            r = self.client.patch(
                f"/v1/claims/{claim_id}",
                json={"status": STATUSES[self.status[claim_id]]},
                headers={"If-Match": self.etags[claim_id]},
            )
            ok = r.status_code == 200
            if ok:
                self.etags[claim_id] = r.headers["ETag"]
        else:
            r = self.client.post(
                f"/v1/claims/{claim_id}/annotations",
                json={"motivation": "commenting", "body": f"bench write {i}"},
            )
            ok = r.status_code == 201
        ms = (time.perf_counter() - t) * 1000
        if not ok and self.n < 20:
            print(f"write {i}: HTTP {r.status_code} {r.text[:200]}", flush=True)
        return ms, ok

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def settled(engine: Any) -> bool:
    """Every change queued for every enabled webhook, and nothing left pending."""
    from sqlalchemy import func, select
    from sqlmodel import Session, col

    from app.models import Change, Webhook
    from app.webhooks.worker import pending_count

    with Session(engine) as session:
        last = session.execute(select(func.max(Change.id))).scalar() or 0
        behind = session.execute(
            select(func.count()).where(
                col(Webhook.enabled).is_(True), col(Webhook.queued_through) < last
            )
        ).scalar_one()
    return behind == 0 and pending_count(engine) == 0


def write_round(
    server: Server, writer: Writer, admin: httpx.Client, engine: Any, receiver: Receiver,
    webhooks: bool, round_no: int, writes: int, worker_pid: int | None,
) -> WriteRound:  # fmt: skip
    side = "on" if webhooks else getattr(server, "side_off", "off")
    result = WriteRound(webhooks=webhooks, round_no=round_no, side=side)
    writer.to(server.base)
    hook: dict[str, Any] | None = None
    if webhooks:
        r = admin.post("/v1/webhooks", json={"url": receiver.url})
        r.raise_for_status()
        hook = r.json()
        receiver.reset(hook["secret"])
    latencies: list[float] = []
    cpu0 = cpu_seconds(server.pid)
    wcpu0 = cpu_seconds(worker_pid) if worker_pid else 0.0
    t0 = time.monotonic()
    for _ in range(writes):
        ms, ok = writer.one()
        if ok:
            latencies.append(ms)
        else:
            result.errors += 1
    result.seconds = time.monotonic() - t0
    if hook is not None:
        deadline = time.monotonic() + 120
        while not settled(engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        result.drain_s = time.monotonic() - t0 - result.seconds
    # CPU over the writes and their deliveries alike (a drained on round's worker is
    # done; an off round's worker only polls).
    result.server_cpu_ms = 1000 * (cpu_seconds(server.pid) - cpu0) / writes
    if worker_pid:
        result.worker_cpu_ms = 1000 * (cpu_seconds(worker_pid) - wcpu0) / writes
    if hook is not None:
        s = receiver.stats()
        result.delivered = s["distinct"]
        result.signed = signed_ok(s)
        version = admin.get(f"/v1/webhooks/{hook['id']}").headers["ETag"]
        admin.delete(f"/v1/webhooks/{hook['id']}", headers={"If-Match": version})
    result.writes = len(latencies)
    result.mean_ms = statistics.fmean(latencies) if latencies else 0.0
    result.p50_ms = percentile(latencies, 50)
    result.p99_ms = percentile(latencies, 99)
    result.load = load1()
    print(
        f"writes r{round_no} webhooks {side}: {result.writes} in "
        f"{result.seconds:.1f}s, mean {result.mean_ms:.2f} p50 {result.p50_ms:.2f} "
        f"p99 {result.p99_ms:.2f} ms, errors {result.errors}, server CPU "
        f"{result.server_cpu_ms:.2f} ms/write, worker CPU {result.worker_cpu_ms:.2f} ms/write"
        + (
            f", delivered {result.delivered} ({result.drain_s:.2f}s after the last write)"
            if webhooks
            else ""
        )
        + f", load {result.load:.2f}",
        flush=True,
    )
    return result


# ---------------------------------------------------------------- the report


@dataclass
class Report:
    database: str
    started: str
    machine: dict[str, Any]
    command: str
    changes: int
    writes: int
    rounds: int
    verify_every: int
    worker_settings: dict[str, Any]
    deliveries: list[DeliveryRound] = field(default_factory=list)
    write_rounds: list[WriteRound] = field(default_factory=list)
    load_before: float = 0.0
    load_after: float = 0.0
    pinned: bool = False
    """--pin: the server and the client on the first core, workers and receiver on the
    second (PostgreSQL on either)."""

    @property
    def name(self) -> str:
        return self.database + (", the worker on a core of its own" if self.pinned else "")


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mark(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def render(rep: Report) -> str:
    m = rep.machine
    lines = [
        f"### Webhooks, {rep.name}: {rep.started}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, Python "
        f"{m['python']}, Linux {m['kernel']}; "
        + (
            "the server and the client on the first core, workers and receiver on the "
            "second (`--pin`)"
            if rep.pinned
            else "everything on the same two cores (server, workers, receiver, client"
        )
        + (", PostgreSQL" if rep.database == "PostgreSQL" and not rep.pinned else "")
        + (", PostgreSQL on either" if rep.database == "PostgreSQL" and rep.pinned else "")
        + (")" if not rep.pinned else "")
        + f". Load average (1 min) before / after the run: {rep.load_before:.2f} / "
        f"{rep.load_after:.2f}; each round's is in its row. Command: `{rep.command}`.",
        f"Worker settings: {', '.join(f'{k}={v}' for k, v in rep.worker_settings.items())}. "
        f"Receiver: its own process, asyncio, 204 to each POST; one delivery in "
        f"{rep.verify_every} verified with standardwebhooks.",
        "",
        f"**1. Deliveries/s**: {rep.changes:,} annotations written through the services "
        "first (one change each, one webhook subscribed to everything), then `claimdesk "
        "worker` process(es) started; timed from their start to the receiver's last "
        "delivery. *steady* is from the first delivery to the last (without the "
        "processes' start-up).",
        "",
        "| workers | round | deliveries | s | deliveries/s | first after s | steady /s "
        "| worker CPU ms/delivery | signed (sampled / verified / bad / unsigned) | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for d in rep.deliveries:
        lines.append(
            f"| {d.workers} | {d.round_no} | {d.distinct:,} of {d.changes:,} | {d.seconds:.2f} "
            f"| {d.rate:,.0f} | {d.first_s:.2f} | {d.steady_rate:,.0f} "
            f"| {1000 * d.worker_cpu_s / max(d.distinct, 1):.2f} "
            f"| {d.sampled} / {d.verified} / {d.bad} / {d.unsigned} | {d.load:.2f} |"
        )
    by: dict[int, list[DeliveryRound]] = {}
    for d in rep.deliveries:
        by.setdefault(d.workers, []).append(d)
    all_signed = all(
        d.bad == 0 and d.unsigned == 0 and d.sampled > 0 and d.distinct == d.changes
        for d in rep.deliveries
    )
    lines += ["", "| workers | deliveries/s (median) | steady /s (median) | rounds |",
              "|---:|---:|---:|---:|"]  # fmt: skip
    for count, rounds in sorted(by.items()):
        lines.append(
            f"| {count} | {med([d.rate for d in rounds]):,.0f} "
            f"| {med([d.steady_rate for d in rounds]):,.0f} | {len(rounds)} |"
        )
    if 1 in by and 2 in by:
        r = med([d.rate for d in by[2]]) / med([d.rate for d in by[1]])
        rs = med([d.steady_rate for d in by[2]]) / med([d.steady_rate for d in by[1]])
        lines += ["", f"Ratio 2 ÷ 1 workers: **{r:.2f}** (steady: {rs:.2f})."]
    else:
        lines += [
            "",
            "One worker only: SQLite has one writer at a time, and every worker round's "
            "queueing, leasing and recording is a write transaction, so a second worker "
            "would wait for the same lock instead of adding throughput.",
        ]
    lines += [
        "",
        "Every delivery arrived, carried the signature headers, and every sampled one "
        "verified: " + ("**yes**" if all_signed else "**NO**") + ".",
    ]

    on = [w for w in rep.write_rounds if w.side == "on"]
    off = [w for w in rep.write_rounds if w.side == "off"]
    bare = [w for w in rep.write_rounds if w.side == "no worker"]
    lines += [
        "",
        f"**2. Write latency, webhooks on and off**: {rep.writes} writes a round from one "
        "sequential httpx client (`PATCH /v1/claims/{id}` status changes and `POST "
        "/v1/claims/{id}/annotations` in turn, over the seed article's claims), sides "
        "alternating; *on*: one enabled webhook subscribed to everything, a worker "
        "delivering meanwhile ("
        + (
            "a `claimdesk worker` process, running through both sides"
            if rep.database == "PostgreSQL"
            else "the worker process the server starts, running through both sides"
        )
        + "); *off*: no webhook"
        + (
            "; *no worker* (diagnostic, SQLite): a second server on the same database with "
            "`CLAIMDESK_WORKER_IN_PROCESS=false`, no webhook"
            if rep.database == "SQLite"
            else ""
        )
        + ". Server CPU per write counts the writes and, on the on "
        "side, the deliveries drained after them.",
        "",
        "| webhooks | round | writes | errors | mean ms | p50 ms | p99 ms | server CPU ms/write "
        "| worker process CPU ms/write | delivered (s after the last write) | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for w in rep.write_rounds:
        lines.append(
            f"| {w.side} | {w.round_no} | {w.writes} | {w.errors} "
            f"| {w.mean_ms:.2f} | {w.p50_ms:.2f} | {w.p99_ms:.2f} | {w.server_cpu_ms:.2f} "
            f"| {w.worker_cpu_ms:.2f} | "
            + (f"{w.delivered} ({w.drain_s:.2f})" if w.webhooks else "")
            + f" | {w.load:.2f} |"
        )
    if on and off:
        mean_r = med([w.mean_ms for w in on]) / med([w.mean_ms for w in off])
        p99_r = med([w.p99_ms for w in on]) / med([w.p99_ms for w in off])
        p50_r = med([w.p50_ms for w in on]) / med([w.p50_ms for w in off])
        lines += [
            "",
            "| medians | mean ms | p50 ms | p99 ms | server CPU ms/write |",
            "|---|---:|---:|---:|---:|",
            f"| off | {med([w.mean_ms for w in off]):.2f} | {med([w.p50_ms for w in off]):.2f} "
            f"| {med([w.p99_ms for w in off]):.2f} | "
            f"{med([w.server_cpu_ms for w in off]):.2f} |",
            f"| on | {med([w.mean_ms for w in on]):.2f} | {med([w.p50_ms for w in on]):.2f} "
            f"| {med([w.p99_ms for w in on]):.2f} | {med([w.server_cpu_ms for w in on]):.2f} |",
            *(
                [
                    f"| no worker | {med([w.mean_ms for w in bare]):.2f} "
                    f"| {med([w.p50_ms for w in bare]):.2f} | {med([w.p99_ms for w in bare]):.2f} "
                    f"| {med([w.server_cpu_ms for w in bare]):.2f} |"
                ]
                if bare
                else []
            ),
            f"| on ÷ off | {mean_r:.2f} | {p50_r:.2f} | {p99_r:.2f} | |",
            *(
                [
                    f"| off ÷ no worker (diagnostic) "
                    f"| {med([w.mean_ms for w in off]) / med([w.mean_ms for w in bare]):.2f} "
                    f"| {med([w.p50_ms for w in off]) / med([w.p50_ms for w in bare]):.2f} "
                    f"| {med([w.p99_ms for w in off]) / med([w.p99_ms for w in bare]):.2f} | |"
                ]
                if bare
                else []
            ),
            "",
            f"Target on ÷ off ≤ {WRITE_RATIO_MAX:.2f} of the mean: {mean_r:.2f} "
            f"{mark(mean_r <= WRITE_RATIO_MAX)}; of p99: {p99_r:.2f} "
            f"{mark(p99_r <= WRITE_RATIO_MAX)}. Every on round's deliveries arrived signed: "
            + ("**yes**" if all(w.signed and w.delivered >= w.writes for w in on) else "**NO**")
            + ".",
        ]
    return "\n".join(lines) + "\n"


def write_results(rep: Report, text: str) -> None:
    """Replace this database's webhook section of results.md, or add it at the end."""
    begin = f"<!-- Webhooks, {rep.name}:begin -->"
    end = f"<!-- Webhooks, {rep.name}:end -->"
    block = f"{begin}\n{text}{end}\n"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        new = head + block + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> None:
    from app.db import make_engine

    OUT_DIR.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    url = args.database_url or f"sqlite:///{OUT_DIR / f'webhooks-{stamp}.db'}"
    postgres = url.startswith("postgresql")
    database = "PostgreSQL" if postgres else "SQLite"
    command = "python -m bench.webhooks" + (f" --database-url {url}" if args.database_url else "")
    command += " --pin" if args.pin else ""
    extra_env = {}
    if args.poll_s is not None:
        extra_env["CLAIMDESK_WORKER_POLL_S"] = str(args.poll_s)
    if args.concurrency is not None:
        extra_env["CLAIMDESK_WORKER_CONCURRENCY"] = str(args.concurrency)
    os.environ.update(extra_env)
    os.environ["CLAIMDESK_WEBHOOK_ALLOW_PRIVATE"] = "true"
    settings = settings_for(url)
    rep = Report(
        database=database, started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(), command=command, changes=args.changes, writes=args.writes,
        rounds=args.rounds, verify_every=args.verify_every,
        worker_settings={"concurrency": settings.worker_concurrency,
                         "poll_s": settings.worker_poll_s,
                         "timeout_s": settings.webhook_timeout_s},
        load_before=load1(), pinned=args.pin,
    )  # fmt: skip
    print(f"load before: {rep.load_before:.2f}", flush=True)
    if postgres:
        create_database(url)
    receiver = Receiver(args.verify_every)
    if args.pin:
        pin(os.getpid(), SERVER_CPU)  # the timing client
        pin(receiver.proc.pid, WORKER_CPU)
    engine = None
    try:
        claims, admin_token, editor_token = prepare(url)
        engine = make_engine(settings)
        if not args.skip_deliveries:
            counts = (1, 2) if postgres else (1,)
            for round_no in range(1, args.rounds + 1):
                order = counts if round_no % 2 else tuple(reversed(counts))
                for workers in order:
                    rep.deliveries.append(
                        delivery_round(
                            url,
                            engine,
                            receiver,
                            claims,
                            workers,
                            round_no,
                            args.changes,
                            args.timeout,
                            extra_env,
                        )  # fmt: skip
                    )
        if not args.skip_writes:
            rep.write_rounds = write_latency(url, engine, receiver, claims, admin_token,
                                             editor_token, args, extra_env)  # fmt: skip
    finally:
        receiver.stop()
        if engine is not None:
            engine.dispose()
        if postgres:
            drop_database(url)
        elif not args.keep:
            for suffix in ("", "-wal", "-shm"):
                Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    rep.load_after = load1()
    text = render(rep)
    print(text)
    (OUT_DIR / f"webhooks-{database.lower()}.json").write_text(
        json.dumps(asdict(rep), indent=2, default=str)
    )
    if not args.no_write:
        write_results(rep, text)


def write_latency(
    url: str, engine: Any, receiver: Receiver, claims: list[int], admin_token: str,
    editor_token: str, args: argparse.Namespace, extra_env: dict[str, str],
) -> list[WriteRound]:  # fmt: skip
    postgres = url.startswith("postgresql")
    log = OUT_DIR / f"webhooks-server-{'pg' if postgres else 'sqlite'}.log"
    server = Server(url, free_port(), log, os.cpu_count() or 2)
    bare: Server | None = None
    if not postgres and not args.no_baseline:
        # The same app starting no worker: what writes cost with no worker.
        os.environ["CLAIMDESK_WORKER_IN_PROCESS"] = "false"
        bare = Server(url, free_port(), OUT_DIR / "webhooks-server-sqlite-noworker.log", 2)
        del os.environ["CLAIMDESK_WORKER_IN_PROCESS"]
        bare.side_off = "no worker"  # type: ignore[attr-defined]
    worker = worker_process(url, "writes", extra_env) if postgres else None
    rounds: list[WriteRound] = []
    try:
        server.wait_ready()
        worker_pid = worker.pid if worker else started_worker(server.pid)
        if args.pin:
            pin(server.pid, SERVER_CPU)
            pin(worker_pid, WORKER_CPU)
            if bare is not None:
                pin(bare.pid, SERVER_CPU)
        if bare is not None:
            bare.wait_ready()
        writer = Writer(server.base, editor_token, claims)
        admin = httpx.Client(
            base_url=server.base, timeout=30, headers={"Authorization": f"Bearer {admin_token}"}
        )
        sides: list[tuple[Server, bool]] = [(server, True), (server, False)]
        if bare is not None:
            sides.append((bare, False))
        for target, _ in sides[1:]:
            writer.to(target.base)
            for _ in range(args.warmup):
                writer.one()
        for round_no in range(1, args.rounds + 1):
            order = sides if round_no % 2 else list(reversed(sides))
            for target, webhooks in order:
                rounds.append(
                    write_round(
                        target,
                        writer,
                        admin,
                        engine,
                        receiver,
                        webhooks,
                        round_no,
                        args.writes,
                        worker_pid,
                    )  # fmt: skip
                )
        writer.close()
        admin.close()
    finally:
        server.stop()
        if bare is not None:
            bare.stop()
        if worker is not None:
            stop_process(worker, signal.SIGTERM, 30)
    return rounds


SERVER_CPU, WORKER_CPU = 0, 1


def pin(pid: int, cpu: int) -> None:
    """Every thread of the process onto one core (threads it starts later inherit it)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        os.sched_setaffinity(int(task.name), {cpu})


def started_worker(server_pid: int) -> int:
    """The worker process a SQLite server started (app.webhooks.child)."""
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"app.webhooks.child" in Path(f"/proc/{child}/cmdline").read_bytes():
                return int(child)
    raise RuntimeError(f"the server {server_pid} started no worker")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default=None, help="default: a new SQLite file in bench/out")
    p.add_argument("--changes", type=int, default=5000, help="changes queued per delivery round")
    p.add_argument("--writes", type=int, default=1000, help="writes per latency round and side")
    p.add_argument("--warmup", type=int, default=50, help="writes before the latency rounds")
    p.add_argument(
        "--rounds", type=int, default=10, help="rounds per side (3 moved the ratios by 0.1)"
    )
    p.add_argument("--verify-every", type=int, default=20, help="receiver verifies 1 in N")
    p.add_argument("--timeout", type=float, default=300, help="longest delivery round, s")
    p.add_argument("--poll-s", type=float, default=None, help="CLAIMDESK_WORKER_POLL_S")
    p.add_argument("--concurrency", type=int, default=None, help="CLAIMDESK_WORKER_CONCURRENCY")
    p.add_argument("--skip-deliveries", action="store_true")
    p.add_argument(
        "--pin",
        action="store_true",
        help="write latency (with --skip-deliveries): server and client on the first core, "
        "the worker and the receiver on the second",
    )
    p.add_argument("--skip-writes", action="store_true")
    p.add_argument(
        "--no-baseline", action="store_true", help="SQLite: no third side without a worker"
    )
    p.add_argument("--keep", action="store_true", help="keep the SQLite file")
    p.add_argument("--no-write", action="store_true", help="do not update bench/results.md")
    p.add_argument("--receiver", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.pin and not args.skip_deliveries:
        p.error("--pin measures write latency only: add --skip-deliveries")
    if args.receiver is not None:
        asyncio.run(_serve(args.receiver, args.verify_every))
        return
    run(args)


if __name__ == "__main__":
    main()
