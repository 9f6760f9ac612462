"""Run the service benchmark against a database built by bench/generate.py.

    .venv/bin/python -m bench.run                       # SQLite: bench/out/bench.db
    .venv/bin/python -m bench.run --database-url postgresql+psycopg://postgres@127.0.0.1/claimdesk_bench_pg

One uvicorn worker (bench.app:create_bench_app) on a free loopback port; wrk
(Debian package ``wrk``) drives every read scenario in turn with the same
threads and connections, for each connection count; then the ingest scenario
posts copies of the reference article, each made unique by a first line, with
an httpx client. Claim matching gets two scenarios of its own: the lookup
(``POST /v1/claims/lookup``, wrk with a Lua script cycling through request
bodies made of generated claim texts), and the ingest run against two servers
on the same database, one with matching on and one with ``CLAIMDESK_MATCHING=false``,
in alternating rounds, so the ratio of their articles/s compares like with like.
The server's RSS is sampled throughout and its peak (VmHWM) read
at the end. The rows the ingest added are deleted afterwards, so the database
stays what the generator built. Everything is bounded in time and stops by itself.

Prints a markdown report and writes it into bench/results.md (one section per
database kind, the other sections kept), with the raw figures in bench/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
RESULTS = BENCH_DIR / "results.md"
SEED_TEXT = PROJECT_DIR / "seeds" / "putin-biden-summit.txt"
DEFAULT_URL = f"sqlite:///{OUT_DIR / 'bench.db'}"

if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from app.pagination import encode_cursor  # noqa: E402
from bench.generate import META_TABLE, UNRELATED, vocabulary  # noqa: E402

# Targets of the issue.
LIST_VS_BARE = 0.3  # 2 at least 0.3x of 1 (requests/s)
DEEP_VS_LIST = 1.2  # 3 within 1.2x of 2 (cost per request)
P99_MS = 50.0  # at 16 connections, list scenarios
SEARCH_VS_LIST = 0.5  # 6 at least 0.5x of 2 (requests/s)
LOOKUP_P99_MS = 100.0  # lookup p99 on 1,000,000 claims
MATCHING_VS_OFF = 0.7  # ingest with matching at least 0.7x of ingest without (articles/s)
SEARCH_QUERIES = 200
"""Two-word queries the search scenario cycles through (see ``search_queries``)."""


@dataclass
class Load:
    scenario: str
    path: str
    connections: int
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    rss_mib: float = 0.0
    cpu_ms: float = 0.0  # server CPU time (user+system) per request
    rounds: int = 1


@dataclass
class Ingest:
    connections: int
    articles: int = 0
    claims: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    cpu_ms: float = 0.0  # server CPU time per article
    matching: bool = True
    round_rates: list[float] = field(default_factory=list)
    """Articles/s of each round; when set, articles_per_s is their median."""

    @property
    def articles_per_s(self) -> float:
        if self.round_rates:
            return statistics.median(self.round_rates)
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def claims_per_s(self) -> float:
        return self.claims / self.seconds if self.seconds else 0.0


@dataclass
class Run:
    database: str
    url: str
    started: str
    machine: dict[str, Any]
    data: dict[str, Any]
    wrk: str
    read_pool: int
    loads: list[Load] = field(default_factory=list)
    ingests: list[Ingest] = field(default_factory=list)
    lookups: list[Load] = field(default_factory=list)
    lookup_check: dict[str, Any] = field(default_factory=dict)
    matching_added: dict[str, int] = field(default_factory=dict)
    section: str = ""
    rss_idle_mib: float = 0.0
    rss_peak_mib: float = 0.0
    plans: dict[str, str] = field(default_factory=dict)
    ingest_sql: dict[str, Any] = field(default_factory=dict)
    load_before: float = 0.0
    load_after: float = 0.0
    ingest_articles: str = "reference"


# ------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def proc_status(pid: int, key: str) -> float:
    """A /proc/PID/status size (VmRSS, VmHWM) in MiB; 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, proc_status(self.pid, "VmRSS"))

    def stop(self) -> None:
        self._stop.set()


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = proc_meminfo_gib()
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": mem,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def proc_meminfo_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if not m:
        raise ValueError(f"unexpected wrk latency {value!r}")
    return float(m.group(1)) * _UNIT[m.group(2)]


def parse_wrk(out: str) -> dict[str, float]:
    res: dict[str, float] = {"errors": 0}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        res[f"p{pct}_ms"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    res["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"^\s+(\d+) requests in", out, re.M)
    res["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if m:
        res["errors"] += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        res["errors"] += sum(int(g) for g in m.groups())
    return res


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


# ------------------------------------------------------------------ the data


def describe_data(engine: Engine, depth: int) -> dict[str, Any]:
    from app.models import Article, Claim, Source

    with engine.connect() as conn:
        claims = conn.execute(select(func.count()).select_from(Claim)).scalar_one()
        articles = conn.execute(select(func.count()).select_from(Article)).scalar_one()
        sources = conn.execute(select(func.count()).select_from(Source)).scalar_one()
        if claims < depth:
            sys.exit(f"the database has {claims:,} claims, fewer than the depth {depth:,}")
        # The key of the claim at `depth` in id order: the cursor the API would hand
        # out on the page that ends there.
        deep_id = conn.execute(
            select(Claim.id).order_by(Claim.id).offset(depth - 1).limit(1)
        ).scalar_one()
        # A mid-popularity source (the 10th by claim count) and a verdict status.
        top = conn.execute(
            select(Claim.source_id, func.count())
            .where(Claim.source_id.is_not(None))
            .group_by(Claim.source_id)
            .order_by(func.count().desc())
            .limit(10)
        ).all()
        source_id, source_claims = top[-1]
        status = "verified"
        matching = conn.execute(
            select(func.count())
            .select_from(Claim)
            .where(Claim.source_id == source_id, Claim.status == status)
        ).scalar_one()
        max_article = conn.execute(select(func.max(Article.id))).scalar_one()
        vocab = generated_vocabulary(conn)
        queries = search_queries(conn, vocab, claims, SEARCH_QUERIES, seed=20261201)
        hits = sorted(
            conn.exec_driver_sql(*search_count(engine.dialect.name, q)).scalar_one()
            for q in queries
        )
        max_source = conn.execute(select(func.max(Source.id))).scalar_one()
        bands = conn.exec_driver_sql("SELECT count(*) FROM claim_band").scalar_one()
    return {
        "band_keys": bands,
        "claims": claims,
        "articles": articles,
        "sources": sources,
        "depth": depth,
        "deep_cursor_id": deep_id,
        "filter_source": source_id,
        "filter_source_claims": source_claims,
        "filter_status": status,
        "filter_matching": matching,
        "max_article_id": max_article,
        "vocabulary": vocab,
        "search_words": queries[0],
        "search_queries": queries,
        "search_hits": {
            "min": hits[0],
            "median": statistics.median(hits),
            "p90": hits[int(0.9 * (len(hits) - 1))],
            "max": hits[-1],
            "under_a_page": sum(h < 50 for h in hits),
        },
        "max_source_id": max_source,
    }


def generated_vocabulary(conn: Any) -> str:
    """The vocabulary bench.generate drew the claims from; a database generated before
    the generator recorded it has the uniform one."""
    try:
        with conn.begin_nested():
            value = conn.exec_driver_sql(
                f"SELECT value FROM {META_TABLE} WHERE name = 'vocabulary'"
            ).scalar_one()
    except Exception:  # noqa: BLE001 - no such table: an older database
        return "uniform"
    return str(value)


def search_queries(conn: Any, vocab: str, claims: int, count: int, seed: int) -> list[str]:
    """Two-word queries as a fact-checker types them: two of the content words of one
    stored claim (below the vocabulary's head), the commoner ones likelier, as the words
    that say what a claim is about are; every query finds at least that claim."""
    import random

    from app.models import Claim

    words_of = vocabulary(vocab)
    # A word's frequency in the claims: Zipf's 1 / rank, or alike for the uniform words.
    zipf = words_of.cum_weights is not None
    rank = {w: r if zipf else 0 for r, w in enumerate(words_of.words)}
    allowed = set(words_of.query_words())
    rng = random.Random(seed)
    ids = rng.sample(range(1, claims + 1), count * 4)
    texts = dict(conn.execute(select(Claim.id, Claim.text).where(Claim.id.in_(ids))).all())
    out: list[str] = []
    for claim_id in ids:
        words = sorted(set(re.findall(r"[a-z]+", texts[claim_id].lower())) & allowed)
        if len(words) < 2:
            continue
        first = rng.choices(words, weights=[1 / (rank[w] + 1) for w in words])[0]
        words.remove(first)
        second = rng.choices(words, weights=[1 / (rank[w] + 1) for w in words])[0]
        out.append(f"{first} {second}")
        if len(out) == count:
            break
    return out


def search_count(dialect: str, q: str) -> tuple[str, tuple[str, ...] | dict[str, str]]:
    """The statement counting the claims a search finds, and its parameters."""
    from app import search

    query = search.parse(q)
    if dialect == "sqlite":
        return "SELECT count(*) FROM claim_fts WHERE claim_fts MATCH ?", (query.fts5(),)
    return (
        "SELECT count(*) FROM claim WHERE search_vector @@ "
        "websearch_to_tsquery('claimdesk_english', %(q)s)",
        {"q": query.websearch()},
    )


def query_plans(engine: Engine, data: dict[str, Any]) -> dict[str, str]:
    """How the database runs each list query (the app's own SELECT, compiled)."""
    from app import search
    from app.claims.listing import Sort, list_query

    filtered = {"source_id": data["filter_source"], "status": data["filter_status"]}
    q = search.parse(data["search_words"])
    words = {"q": q.fts5() if engine.dialect.name == "sqlite" else q.websearch()}
    queries = {
        "list": (list_query(engine.dialect, frozenset(), Sort.id, False), {}),
        "filtered": (list_query(engine.dialect, frozenset(filtered), Sort.id, False), filtered),
        "deep": (
            list_query(engine.dialect, frozenset(), Sort.id, True),
            {"after": data["deep_cursor_id"]},
        ),
        "search": (list_query(engine.dialect, frozenset(words), Sort.relevance, False), words),
    }
    plans = {}
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        for name, (query, params) in queries.items():
            sql, args = query.sql, query.arguments({"limit": 51, **params})
            if sqlite:
                rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, args).all()
                plans[name] = "; ".join(r[-1] for r in rows)
            else:
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, COSTS OFF) " + sql, args).all()
                keep = [r[0].strip().lstrip("-> ") for r in rows]
                keep = [
                    k for k in keep
                    if any(w in k for w in ("Scan", "Join", "Execution", "Sort", "Loop"))
                ]  # fmt: skip
                plans[name] = " / ".join(re.sub(r" \(actual.*?\)", "", k) for k in keep)
    return plans


def editor_token(url: str) -> tuple[str | None, int | None]:
    """A bench editor key for the ingest (writes need one), or none if the app has no keys."""
    try:
        from app.models import Role
        from app.services.keys import create_key
    except ImportError:
        return None, None
    from sqlmodel import Session

    from app.db import make_engine
    from app.settings import Settings

    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        key, token = create_key(
            session=session, name=f"bench-{os.getpid()}-{time.time_ns()}", role=Role.editor
        )
        key_id = key.id
    engine.dispose()
    return token, key_id


def ingest_statements(url: str, token: str) -> dict[str, Any]:
    """The SQL one ingest runs, counted in-process (the same app, one request)."""
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from app.settings import Settings
    from bench.app import create_bench_app

    app = create_bench_app(Settings(database_url=url))
    seen: list[tuple[str, bool, int]] = []

    def count(_conn: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        words = statement.split(None, 3)
        what = words[0].upper()
        if what == "INSERT" and len(words) > 2:
            what = f"INSERT {words[2]}"
        seen.append((what, many, len(params) if many else 1))

    event.listen(app.state.engine, "before_cursor_execute", count)
    body = {"text": f"Bench statement count {time.time_ns()}.\n" + SEED_TEXT.read_text()}
    with TestClient(app) as client:
        r = client.post("/v1/articles", json=body, headers={"Authorization": f"Bearer {token}"})
    r.raise_for_status()
    inserts: dict[str, list[int]] = {}
    for what, _many, rows in seen:
        if what.startswith("INSERT"):
            inserts.setdefault(what.split(" ", 1)[1].strip('"'), []).append(rows)
    return {
        "claims": len(r.json()["claims"]),
        "sentences": len(r.json()["sentences"]),
        "statements": len(seen),
        "inserts": {table: {"statements": len(v), "rows": sum(v)} for table, v in inserts.items()},
    }


def remove_key(engine: Engine, key_id: int | None) -> None:
    if key_id is None:
        return
    from app.models import ApiKey

    with engine.begin() as conn:
        conn.execute(ApiKey.__table__.delete().where(ApiKey.__table__.c.id == key_id))


def remove_ingested(engine: Engine, data: dict[str, Any]) -> None:
    """Delete what the ingest added (articles cascade to sentences and claims)."""
    from app.models import Article, Source

    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        conn.execute(Article.__table__.delete().where(Article.id > data["max_article_id"]))
        conn.execute(Source.__table__.delete().where(Source.id > data["max_source_id"]))


# ---------------------------------------------------------------- the server


class Server:
    def __init__(
        self, url: str, port: int, log: Path, read_pool: int, *, matching: bool = True
    ) -> None:
        env = {
            **os.environ,
            "CLAIMDESK_DATABASE_URL": url,
            "CLAIMDESK_READ_POOL_SIZE": str(read_pool),
            "CLAIMDESK_MATCHING": "true" if matching else "false",
            "PYTHONPATH": str(PROJECT_DIR),
        }
        self.base = f"http://127.0.0.1:{port}"
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "bench.app:create_bench_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.proc.pid

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"uvicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        sys.exit(f"uvicorn did not answer within {timeout}s; see {self.log.name}")

    def stop(self) -> None:
        stop_process(self.proc, signal.SIGINT, 15)
        self.log.close()


def stop_process(proc: subprocess.Popen[Any], signum: int, wait_s: float) -> None:
    """Ask a process to stop with ``signum``; kill it if it has not within ``wait_s``."""
    if proc.poll() is None:
        proc.send_signal(signum)
        try:
            proc.wait(wait_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ----------------------------------------------------------------- the loads


def measured_load(pid: int, name: str, slug: str, wrk: tuple[Any, ...]) -> Load:
    """One wrk run (``run_wrk``'s arguments) against the server: its figures, the
    server's CPU per request, its RSS; wrk's own report kept under ``slug``."""
    cpu0 = cpu_seconds(pid)
    out = run_wrk(*wrk)
    cpu = cpu_seconds(pid) - cpu0
    (OUT_DIR / f"wrk-{slug}.txt").write_text(out)
    res = parse_wrk(out)
    ld = Load(name, wrk[1], wrk[2], rss_mib=proc_status(pid, "VmRSS"))
    for k in ("rps", "p50_ms", "p90_ms", "p99_ms", "requests", "errors"):
        setattr(ld, k, res[k])
    ld.cpu_ms = 1000 * cpu / ld.requests if ld.requests else 0.0
    return ld


def run_wrk(
    base: str,
    path: str,
    connections: int,
    threads: int,
    seconds: int,
    script: Path | None = None,
    timeout: int = 10,
) -> str:
    cmd = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{timeout}s",
        "--latency",
        *(["-s", str(script)] if script else []),
        base + path,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return done.stdout


class Articles:
    """What the ingest posts, each with a unique first line: the reference article again
    and again, or (``generated``) new articles made by the generator that built the
    database, every one used once, across rounds and sides."""

    def __init__(self, kind: str, engine: Engine, vocab: str, count: int = 8_000) -> None:
        self.kind = kind
        self.reference = SEED_TEXT.read_text(encoding="utf-8")
        self.pool = generated_articles(engine, vocab, count) if kind == "generated" else []
        self.taken = 0
        self.lock = threading.Lock()

    def next(self) -> str | None:
        with self.lock:
            if not self.pool:
                return self.reference
            if self.taken == len(self.pool):
                return None
            self.taken += 1
            return self.pool[self.taken - 1]


def generated_articles(engine: Engine, vocab: str, count: int) -> list[str]:
    """Article texts as bench.generate makes them, after the stored ones: the same sources,
    vocabulary and stories; re-reports pick from the last stored claims, as the next day's
    news re-reports the last days'."""
    import random

    from bench.generate import RECENT, ArticleMaker, make_sources
    from bench.generate import vocabulary as make_vocabulary

    rng = random.Random(20261128)  # the generator's seed: its sources, in its order
    sources, names = make_sources(rng, 2_000)
    aliases: dict[int, list[str]] = {}
    for n in names:
        aliases.setdefault(n["source_id"], []).append(n["name"])
    by_id = {s["id"]: s for s in sources}
    maker = ArticleMaker(random.Random("bench ingest"), sources, aliases, make_vocabulary(vocab))
    if maker.vocab.repeat:
        with engine.connect() as conn:
            last = conn.exec_driver_sql(
                f"SELECT text, source_id FROM claim ORDER BY id DESC LIMIT {RECENT}"
            ).all()
        # Stored as cut from the article: capitalized, an unattributed one with its stop.
        maker.recent = [
            (text[0].lower() + text[1:].removesuffix("."), by_id.get(source_id))
            for text, source_id in last
        ]
    start = datetime.now(UTC)
    return [maker.make(10**9 + i, 20, 10**9 + 20 * i, start)[0]["text"] for i in range(count)]


def ingest(
    base: str, connections: int, seconds: float, articles: Articles, tag: str, token: str | None
) -> tuple[Ingest, list[float]]:
    """POST articles, each with a unique first line, for `seconds`."""
    result = Ingest(connections=connections)
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.monotonic() + seconds

    def worker() -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter)
                text_ = articles.next()
                if text_ is None:
                    print("ingest: the generated articles are used up", flush=True)
                    return
                body = {
                    "text": f"Bench copy {tag}-{connections}-{i} of an article.\n" + text_,
                    "title": f"Bench copy {i}",
                    "language": "en",
                }
                t = time.perf_counter()
                r = client.post("/v1/articles", json=body)
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    if r.status_code == 201:
                        result.articles += 1
                        result.claims += len(r.json()["claims"])
                        latencies.append(ms)
                    else:
                        result.errors += 1
                        if result.errors == 1:
                            print(f"ingest: HTTP {r.status_code}: {r.text[:300]}", flush=True)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        for f in [pool.submit(worker) for _ in range(connections)]:
            f.result()
    result.seconds = time.perf_counter() - t0
    result.p50_ms = percentile(latencies, 50)
    result.p99_ms = percentile(latencies, 99)
    return result, latencies


# UNRELATED (bench.generate): words the generator never uses, for lookups that share
# no content word with a stored claim, as a reader's unrelated sentence.


def lookup_texts(engine: Engine, claims: int, count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, text) for the lookup: half stored claim texts as they are, a quarter with
    one word left out, a quarter unrelated; drawn with a fixed seed."""
    import random

    from app.models import Claim

    rng = random.Random(seed)
    ids = rng.sample(range(1, claims + 1), count * 3 // 4)
    with engine.connect() as conn:
        found = dict(conn.execute(select(Claim.id, Claim.text).where(Claim.id.in_(ids))).all())
    out: list[tuple[str, str]] = []
    for n, claim_id in enumerate(ids):
        words = found[claim_id].split()
        if n % 3 == 2 and len(words) > 4:
            del words[rng.randrange(1, len(words))]
            out.append(("one word left out", " ".join(words)))
        else:
            out.append((f"stored:{claim_id}", found[claim_id]))
    while len(out) < count:
        words = rng.choices(UNRELATED, k=rng.randrange(6, 16))
        out.append(("unrelated", " ".join(words).capitalize() + "."))
    rng.shuffle(out)
    return out


def lookup_script(texts: list[tuple[str, str]], path: Path) -> Path:
    """A wrk Lua script POSTing each text in turn as a lookup body."""
    bodies = [json.dumps({"text": text}) for _, text in texts]
    assert not any("]==]" in b for b in bodies)
    path.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "local bodies = {\n" + "".join(f"[==[{b}]==],\n" for b in bodies) + "}\n"
        "local i = 0\n"
        "function init(args) i = math.random(#bodies) end\n"
        "function request()\n"
        "  i = i % #bodies + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[i])\n"
        "end\n",
        encoding="utf-8",
    )
    return path


def paths_script(paths: list[str], path: Path) -> Path:
    """A wrk Lua script GETting each path in turn, from a random start per thread."""
    assert not any("]==]" in p for p in paths)
    path.write_text(
        "local paths = {\n" + "".join(f"[==[{p}]==],\n" for p in paths) + "}\n"
        "local i = 0\n"
        "function init(args) i = math.random(#paths) end\n"
        "function request()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n",
        encoding="utf-8",
    )
    return path


def check_lookups(base: str, texts: list[tuple[str, str]], sample: int) -> dict[str, Any]:
    """What the lookup answers for a sample of each kind of text, one request at a time."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for kind, text in texts:
        kinds.setdefault(kind.split(":")[0], []).append((kind, text))
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=60) as client:
        for name, items in kinds.items():
            hits = own = 0
            ms: list[float] = []
            for kind, text in items[:sample]:
                t = time.perf_counter()
                r = client.post("/v1/claims/lookup", json={"text": text})
                ms.append((time.perf_counter() - t) * 1000)
                r.raise_for_status()
                found = r.json()["items"]
                hits += bool(found)
                if kind.startswith("stored:"):
                    own += int(kind.split(":")[1]) in {h["claim"]["id"] for h in found}
            out[name] = {
                "texts": len(ms),
                "with_hits": hits,
                "own_claim_found": own if name == "stored" else None,
                "median_ms": statistics.median(ms),
            }
    return out


def drain(pid: int, timeout: float = 60) -> None:
    """Wait until the server has finished what an ended wrk run left queued: requests
    slower than wrk's run go on in the threadpool after wrk closes their connections,
    and would be charged to the next run."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cpu0 = cpu_seconds(pid)
        time.sleep(0.5)
        if cpu_seconds(pid) - cpu0 < 0.05:
            return


def ingest_side_by_side(
    on: Server,
    off: Server,
    clients: int,
    seconds: float,
    rounds: int,
    tag: str,
    token: str | None,
    articles: Articles,
) -> tuple[Ingest, Ingest]:
    """Ingest with matching on and off in alternating rounds (on, off; off, on; ...),
    the same articles on both; each side's articles/s is the median of its rounds."""
    sides = {True: Ingest(clients, matching=True), False: Ingest(clients, matching=False)}
    latencies: dict[bool, list[float]] = {True: [], False: []}
    for round_no in range(1, rounds + 1):
        order = (True, False) if round_no % 2 else (False, True)
        for matching in order:
            server = on if matching else off
            cpu0 = cpu_seconds(server.pid)
            label = f"{tag}-{'on' if matching else 'off'}-r{round_no}"
            ing, lat = ingest(server.base, clients, seconds, articles, label, token)
            cpu = cpu_seconds(server.pid) - cpu0
            side = sides[matching]
            side.articles += ing.articles
            side.claims += ing.claims
            side.seconds += ing.seconds
            side.errors += ing.errors
            side.cpu_ms += 1000 * cpu
            side.round_rates.append(ing.articles_per_s)
            latencies[matching] += lat
            print(
                f"ingest clients={clients} r{round_no} matching {'on ' if matching else 'off'}: "
                f"{ing.articles} articles in {ing.seconds:.1f}s = {ing.articles_per_s:.1f}/s, "
                f"p50 {percentile(lat, 50):.0f} ms, errors {ing.errors}",
                flush=True,
            )
    for matching, side in sides.items():
        side.cpu_ms = side.cpu_ms / side.articles if side.articles else 0.0
        side.p50_ms = percentile(latencies[matching], 50)
        side.p99_ms = percentile(latencies[matching], 99)
    return sides[True], sides[False]


def matching_added(engine: Engine, data: dict[str, Any]) -> dict[str, int]:
    """The band keys and matches the ingest added (before they are deleted)."""
    with engine.connect() as conn:
        bands = conn.exec_driver_sql(
            "SELECT count(*) FROM claim_band WHERE claim_id > ?"
            if engine.dialect.name == "sqlite"
            else "SELECT count(*) FROM claim_band WHERE claim_id > %(n)s",
            (data["claims"],) if engine.dialect.name == "sqlite" else {"n": data["claims"]},
        ).scalar_one()
        matches = conn.exec_driver_sql("SELECT count(*) FROM claim_match").scalar_one()
    return {"band_keys": bands, "matches": matches}


# ---------------------------------------------------------------- the report


def median_load(loads: list[Load]) -> Load:
    """One scenario over its rounds: the median of each figure, the sum of counts."""
    first = loads[0]
    out = Load(first.scenario, first.path, first.connections, rounds=len(loads))
    for k in ("rps", "p50_ms", "p90_ms", "p99_ms", "cpu_ms"):
        setattr(out, k, statistics.median(getattr(ld, k) for ld in loads))
    out.requests = sum(ld.requests for ld in loads)
    out.errors = sum(ld.errors for ld in loads)
    out.rss_mib = max(ld.rss_mib for ld in loads)
    return out


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def render(run: Run) -> str:
    d = run.data
    m = run.machine
    lines = [
        f"### {run.section or run.database}: {run.started}",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}, "
        f"Linux {m['kernel']}; one uvicorn worker; {run.wrk} on loopback, sharing the cores. "
        f"Load average (1 min) before / after the run: {run.load_before:.1f} / "
        f"{run.load_after:.1f} (the machine is shared; server CPU per request is the figure "
        "least disturbed by other load).",
        *(
            [
                f"Async read pool: {run.read_pool} connections (`CLAIMDESK_READ_POOL_SIZE`, "
                "default 10): PostgreSQL runs on the same cores, and more backends at once "
                "take the CPU from the server's one thread (see README.md)."
            ]
            if run.database == "PostgreSQL"
            else []
        ),
        f"Data: {d['claims']:,} claims, {d['articles']:,} articles, {d['sources']:,} sources, "
        f"{d['band_keys']:,} claim band keys. "
        f"Filter: source={d['filter_source']} ({d['filter_source_claims']:,} claims) and "
        f"status={d['filter_status']}: {d['filter_matching']:,} claims. "
        f"Deep page: cursor after id {d['deep_cursor_id']:,} (depth {d['depth']:,}). "
        f"Vocabulary: {d['vocabulary']} (bench.generate --vocabulary). "
        f"Search: {len(d['search_queries'])} two-word queries cycled by wrk (two content words "
        f"of a stored claim each, e.g. q={d['search_words']}), ranked, one page of up to 50 "
        f"with highlights; hits a query: median {d['search_hits']['median']:,.0f}, "
        f"p90 {d['search_hits']['p90']:,}, max {d['search_hits']['max']:,}, "
        f"min {d['search_hits']['min']:,}; {d['search_hits']['under_a_page']} under a page.",
    ]
    if run.loads:
        lines += read_tables(run)
    if run.lookups or any(not ing.matching for ing in run.ingests):
        lines += matching_tables(run)
    else:
        lines += ingest_table(run)
    lines += bulk_check(run.ingest_sql)
    lines += [
        "",
        f"Server memory (scenario 5): RSS {run.rss_idle_mib:.0f} MiB idle after start-up, "
        f"peak (VmHWM) **{run.rss_peak_mib:.0f} MiB**.",
    ]
    if run.plans:
        lines += ["", "Query plans:", ""]
        lines += [f"- {k}: `{v}`" for k, v in run.plans.items()]
    return "\n".join(lines) + "\n"


def read_tables(run: Run) -> list[str]:
    lines = [
        "",
        "| # | scenario | conns | requests/s | p50 ms | p90 ms | p99 ms | errors "
        "| server CPU ms/req | RSS MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ld in run.loads:
        lines.append(
            f"| {SCENARIO_NO.get(ld.scenario, '')} | {ld.scenario} | {ld.connections} "
            f"| {ld.rps:,.0f} | {ld.p50_ms:.1f} | {ld.p90_ms:.1f} | {ld.p99_ms:.1f} "
            f"| {ld.errors} | {ld.cpu_ms:.2f} | {ld.rss_mib:.0f} |"
        )
    lines += [
        "",
        "| ratio | conns | value | target | |",
        "|---|---:|---:|---|---|",
    ]
    by = {(ld.scenario, ld.connections): ld for ld in run.loads}
    conns = sorted({ld.connections for ld in run.loads})
    for c in conns:
        bare, lst = by.get(("bare", c)), by.get(("list", c))
        flt, deep = by.get(("list source+status", c)), by.get(("list deep cursor", c))
        if bare and lst:
            r = ratio(lst.rps, bare.rps)
            lines.append(
                f"| 2/1 list / bare (req/s) | {c} | {r:.2f} | >= {LIST_VS_BARE} "
                f"| {verdict(r >= LIST_VS_BARE)} |"
            )
        if bare and flt:
            r = ratio(flt.rps, bare.rps)
            lines.append(
                f"| 2f/1 filtered / bare (req/s) | {c} | {r:.2f} | >= {LIST_VS_BARE} "
                f"| {verdict(r >= LIST_VS_BARE)} |"
            )
        srch = by.get(("search", c))
        if lst and srch:
            r = ratio(srch.rps, lst.rps)
            lines.append(
                f"| 6/2 search / list (req/s) | {c} | {r:.2f} | >= {SEARCH_VS_LIST} "
                f"| {verdict(r >= SEARCH_VS_LIST)} |"
            )
        if lst and deep:
            r = ratio(lst.rps, deep.rps)
            lines.append(
                f"| 3/2 deep / list (time per request) | {c} | {r:.2f} | <= {DEEP_VS_LIST} "
                f"| {verdict(r <= DEEP_VS_LIST)} |"
            )
    for ld in run.loads:
        if ld.connections == 16 and ld.scenario.startswith(("list", "search")):
            lines.append(
                f"| p99 {ld.scenario} | 16 | {ld.p99_ms:.1f} ms | < {P99_MS:.0f} ms "
                f"| {verdict(ld.p99_ms < P99_MS)} |"
            )
    return lines


def ingested(run: Run) -> str:
    if run.ingest_articles == "generated":
        return (
            "new articles made by the database's generator (`--ingest-articles generated`: "
            "its vocabulary and stories, re-reports of the last stored claims), each used once"
        )
    chars = len(SEED_TEXT.read_text(encoding="utf-8"))
    return f"the reference article ({chars:,} characters), every copy the same claims"


def ingest_table(run: Run) -> list[str]:
    lines = [
        "",
        f"Ingest (scenario 4): `POST /v1/articles`, {ingested(run)} with a unique first line.",
        "",
        "| clients | articles | seconds | articles/s | claims/s | p50 ms | p99 ms | errors "
        "| server CPU ms/article |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for ing in run.ingests:
        lines.append(
            f"| {ing.connections} | {ing.articles} | {ing.seconds:.1f} | {ing.articles_per_s:.1f} "
            f"| {ing.claims_per_s:,.0f} | {ing.p50_ms:.1f} | {ing.p99_ms:.1f} | {ing.errors} "
            f"| {ing.cpu_ms:.1f} |"
        )
    if not run.ingests:
        lines.append("| - | not run | | | | | | | |")
    return lines


def matching_tables(run: Run) -> list[str]:
    lines = [
        "",
        'Lookup: `POST /v1/claims/lookup` with `{"text": ...}`, wrk (Lua script) cycling '
        f"through {run.lookup_check.get('bodies', 0)} bodies: half stored claim texts as "
        "they are, a quarter with one word left out, a quarter unrelated words.",
        "",
        "| conns | requests/s | p50 ms | p90 ms | p99 ms | requests | errors "
        "| server CPU ms/req | p99 target | |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for ld in run.lookups:
        lines.append(
            f"| {ld.connections} | {ld.rps:,.1f} | {ld.p50_ms:.1f} | {ld.p90_ms:.1f} "
            f"| {ld.p99_ms:.1f} | {ld.requests} | {ld.errors} | {ld.cpu_ms:.1f} "
            f"| < {LOOKUP_P99_MS:.0f} ms "
            f"| {verdict(ld.requests > 0 and not ld.errors and ld.p99_ms < LOOKUP_P99_MS)} |"
        )
    if not run.lookups:
        lines.append("| - | not run | | | | | | | | |")
    checks = run.lookup_check.get("kinds", {})
    if checks:
        parts = []
        for kind, c in checks.items():
            part = f"{kind}: {c['with_hits']}/{c['texts']} with a hit"
            if c["own_claim_found"] is not None:
                part += f", {c['own_claim_found']}/{c['texts']} finding their own claim"
            parts.append(part + f", median {c['median_ms']:.0f} ms")
        lines += ["", "One request at a time, a sample of each kind: " + "; ".join(parts) + "."]
    lines += [
        "",
        f"Ingest with and without matching: `POST /v1/articles`, {ingested(run)} with a "
        "unique first line, to two servers on the same database (matching on; "
        "`CLAIMDESK_MATCHING=false`) in alternating rounds; articles/s is the median of the "
        "rounds.",
        "",
        "| clients | matching | rounds | articles | articles/s (median) | per round "
        "| p50 ms | p99 ms | errors | server CPU ms/article |",
        "|---:|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for ing in run.ingests:
        lines.append(
            f"| {ing.connections} | {'on' if ing.matching else 'off'} | {len(ing.round_rates)} "
            f"| {ing.articles} | {ing.articles_per_s:.2f} "
            f"| {', '.join(f'{r:.2f}' for r in ing.round_rates)} | {ing.p50_ms:.0f} "
            f"| {ing.p99_ms:.0f} | {ing.errors} | {ing.cpu_ms:.0f} |"
        )
    if not run.ingests:
        lines.append("| - | not run | | | | | | | | |")
    lines += ["", "| ratio | clients | value | target | |", "|---|---:|---:|---|---|"]
    for c in sorted({ing.connections for ing in run.ingests}):
        on = next((i for i in run.ingests if i.connections == c and i.matching), None)
        off = next((i for i in run.ingests if i.connections == c and not i.matching), None)
        if on and off:
            r = ratio(on.articles_per_s, off.articles_per_s)
            lines.append(
                f"| ingest matching on / off (articles/s) | {c} | {r:.2f} "
                f"| >= {MATCHING_VS_OFF} | {verdict(r >= MATCHING_VS_OFF)} |"
            )
    if run.matching_added:
        lines += [
            "",
            f"The matching side stored {run.matching_added['band_keys']:,} band keys and "
            f"{run.matching_added['matches']:,} matches (deleted afterwards with its articles).",
        ]
    return lines


def bulk_check(sq: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if sq:
        ins = sq["inserts"]
        per_row = [t for t, v in ins.items() if v["rows"] > 1 and v["statements"] == v["rows"]]
        split = [t for t, v in ins.items() if 1 < v["statements"] < v["rows"]]
        detail = ", ".join(
            f"{t}: {v['rows']} rows in {v['statements']} INSERT"
            + ("s" if v["statements"] > 1 else "")
            for t, v in ins.items()
        )
        state = (
            "one INSERT per row **FAIL**"
            if per_row
            else "bulk, but split into several executemany **partial**"
            if split
            else "one executemany per table **pass**"
        )
        lines += [
            "",
            f"Bulk ingest check (one article, counted in-process): {sq['statements']} SQL "
            f"statements; {detail}. {state}.",
        ]
    return lines


SCENARIO_NO = {
    "bare": "1",
    "bare (sync def)": "1s",
    "list": "2",
    "list source+status": "2f",
    "list deep cursor": "3",
    "search": "6",
}


def write_results(run: Run, report: str) -> None:
    name = run.section or run.database
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{report}{end}\n"
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        _, tail = rest.split(end, 1)
        new = head + block + tail.lstrip("\n")
    else:
        if not current:
            current = (
                "# Service benchmark results\n\n"
                "Written by `python -m bench.run`; one section per database. "
                "See README.md for what is measured.\n\n"
            )
        new = current.rstrip("\n") + "\n\n" + block
    RESULTS.write_text(new, encoding="utf-8")


# ---------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--database-url", default=DEFAULT_URL)
    p.add_argument("--connections", default="16,32", help="comma-separated wrk -c values")
    p.add_argument("--threads", type=int, default=2, help="wrk -t")
    p.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds; medians reported")
    p.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per scenario")
    p.add_argument("--depth", type=int, default=900_000)
    p.add_argument(
        "--ingest-seconds", type=float, default=5, help="seconds per ingest round and side"
    )
    p.add_argument("--ingest-rounds", type=int, default=3, help="alternating on/off rounds")
    p.add_argument(
        "--ingest-articles",
        choices=("reference", "generated"),
        default="reference",
        help="reference: copies of seeds/putin-biden-summit.txt (every claim matches every "
        "earlier copy); generated: new articles from the database's generator",
    )
    p.add_argument("--label", default="", help="added to the section name in results.md")
    p.add_argument("--ingest-clients", default="1,4", help="comma-separated; empty: skip")
    p.add_argument(
        "--lookup-connections", default="1,16", help="comma-separated wrk -c; empty: skip"
    )
    p.add_argument("--lookup-texts", type=int, default=400, help="lookup bodies wrk cycles")
    p.add_argument(
        "--only-matching",
        action="store_true",
        help="only the lookup and ingest on/off scenarios (own section in results.md)",
    )
    p.add_argument("--no-write", action="store_true", help="print only; leave results.md")
    p.add_argument(
        "--read-pool-size",
        type=int,
        default=os.cpu_count() or 2,
        help="CLAIMDESK_READ_POOL_SIZE for PostgreSQL (default: this machine's cores)",
    )
    a = p.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    url = a.database_url
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    kind = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    OUT_DIR.mkdir(exist_ok=True)

    from app.migrate import upgrade

    upgrade(url)  # a database generated before a newer migration
    engine = create_engine(url)
    data = describe_data(engine, a.depth)
    if not data["band_keys"]:
        sys.exit("claim_band is empty: regenerate the database (bench.generate --force)")
    token, key_id = editor_token(url) if a.ingest_clients else (None, None)
    cursor = encode_cursor(data["deep_cursor_id"])
    scenarios = [
        ("bare", "/bench/bare"),
        ("bare (sync def)", "/bench/bare-sync"),
        ("list", "/v1/claims?limit=50"),
        (
            "list source+status",
            f"/v1/claims?limit=50&source={data['filter_source']}&status={data['filter_status']}",
        ),
        ("list deep cursor", f"/v1/claims?limit=50&cursor={cursor}"),
    ]
    search_paths = ["/v1/claims?limit=50&q=" + q.replace(" ", "+") for q in data["search_queries"]]
    scenarios.append(("search", search_paths[0]))
    # Each scenario's wrk script: the search cycles through its queries, so its figures
    # are those of typical queries, not of one.
    scripts = {"search": paths_script(search_paths, OUT_DIR / "search.lua")}
    run = Run(
        database=kind,
        url=re.sub(r"//[^@/]*@", "//", url),
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        data=data,
        wrk=f"wrk -t{a.threads} -d{a.duration}s, {a.rounds} interleaved rounds (medians)",
        read_pool=a.read_pool_size,
        section=", ".join(
            [kind]
            + (["claim matching"] if a.only_matching else [])
            + ([a.label] if a.label else [])
        ),
    )
    if a.only_matching:
        a.connections = ""
    run.load_before = os.getloadavg()[0]
    server = Server(url, free_port(), OUT_DIR / f"server-{kind.lower()}.log", a.read_pool_size)
    # The same app with matching off, for the ingest it is compared with; idle otherwise.
    off = Server(
        url,
        free_port(),
        OUT_DIR / f"server-{kind.lower()}-nomatching.log",
        a.read_pool_size,
        matching=False,
    )
    sampler = RssSampler(server.pid)
    try:
        server.wait_ready()
        off.wait_ready()
        sampler.start()
        # Check every scenario answers what it should before loading it.
        checks = [*scenarios, *[("search", p) for p in search_paths[1:20]]]
        for name, path in checks if a.connections else []:
            r = httpx.get(server.base + path, timeout=30)
            r.raise_for_status()
            if path.startswith("/v1/claims"):
                items = r.json()["items"]
                if name == "search" and not items:
                    sys.exit(f"{name}: no hit for {path}, though a stored claim has both words")
                if name != "search" and len(items) != 50:
                    sys.exit(f"{name}: {len(items)} items, expected 50")
                if name == "list deep cursor" and items[0]["id"] <= data["deep_cursor_id"]:
                    sys.exit(f"{name}: the cursor was not honoured")
                if name == "search" and not all(item.get("highlights") for item in items):
                    sys.exit(f"{name}: a hit without highlights")
        time.sleep(1)
        run.rss_idle_mib = proc_status(server.pid, "VmRSS")
        print(f"server pid {server.pid} on {server.base}, RSS {run.rss_idle_mib:.0f} MiB")
        for c in [int(x) for x in a.connections.split(",") if x]:
            rounds: dict[str, list[Load]] = {name: [] for name, _ in scenarios}
            for round_no in range(1, a.rounds + 1):
                # Interleaved rounds: a drift in the shared machine's load moves every
                # scenario alike, and the medians below leave one disturbed run out.
                for name, path in scenarios:
                    script = scripts.get(name)
                    if a.warmup and round_no == 1:
                        run_wrk(server.base, path, c, a.threads, a.warmup, script)
                    slug = f"{kind.lower()}-{name.replace(' ', '_')}-c{c}-r{round_no}"
                    wrk = (server.base, path, c, a.threads, a.duration, script)
                    ld = measured_load(server.pid, name, slug, wrk)
                    rounds[name].append(ld)
                    print(
                        f"c={c:<3} r{round_no} {name:<20} {ld.rps:8.0f} req/s  "
                        f"p50 {ld.p50_ms:6.1f} ms  p99 {ld.p99_ms:6.1f} ms  "
                        f"CPU {ld.cpu_ms:5.2f} ms/req  errors {ld.errors}",
                        flush=True,
                    )
            run.loads += [median_load(loads) for loads in rounds.values()]
        lookup_conns = [int(x) for x in a.lookup_connections.split(",") if x]
        if lookup_conns:
            texts = lookup_texts(engine, data["claims"], a.lookup_texts, seed=20261201)
            script = lookup_script(texts, OUT_DIR / "lookup.lua")
            run.lookup_check = {
                "bodies": len(texts),
                "kinds": check_lookups(server.base, texts, sample=20),
            }
            print(f"lookup check: {run.lookup_check}", flush=True)
            rounds = {c: [] for c in lookup_conns}
            for round_no in range(1, a.rounds + 1):
                for c in lookup_conns:
                    path = "/v1/claims/lookup"
                    drain(server.pid)
                    slug = f"{kind.lower()}-lookup-c{c}-r{round_no}"
                    wrk = (server.base, path, c, a.threads, a.duration, script, 30)
                    ld = measured_load(server.pid, "lookup", slug, wrk)
                    rounds[c].append(ld)
                    print(
                        f"lookup c={c:<3} r{round_no} {ld.rps:8.1f} req/s  "
                        f"p50 {ld.p50_ms:6.1f} ms  p99 {ld.p99_ms:6.1f} ms  "
                        f"CPU {ld.cpu_ms:5.1f} ms/req  requests {ld.requests} "
                        f"errors {ld.errors}",
                        flush=True,
                    )
            run.lookups = [median_load(loads) for loads in rounds.values()]
        tag = f"{int(time.time())}"
        articles = Articles(a.ingest_articles, engine, data["vocabulary"])
        run.ingest_articles = a.ingest_articles
        drain(server.pid)
        for c in [int(x) for x in a.ingest_clients.split(",") if x]:
            on_side, off_side = ingest_side_by_side(
                server, off, c, a.ingest_seconds, a.ingest_rounds, tag, token, articles
            )
            run.ingests += [on_side, off_side]
            print(
                f"ingest clients={c}: matching on {on_side.articles_per_s:.2f} articles/s, "
                f"off {off_side.articles_per_s:.2f}: ratio "
                f"{ratio(on_side.articles_per_s, off_side.articles_per_s):.2f}",
                flush=True,
            )
        if run.ingests:
            run.matching_added = matching_added(engine, data)
        run.rss_peak_mib = max(proc_status(server.pid, "VmHWM"), sampler.peak)
        run.load_after = os.getloadavg()[0]
    finally:
        sampler.stop()
        server.stop()
        off.stop()
        if token:
            try:
                run.ingest_sql = ingest_statements(url, token)
            except Exception as e:  # noqa: BLE001 - a check; the figures stand without it
                print(f"ingest statement count failed: {e!r}")
        remove_ingested(engine, data)
        remove_key(engine, key_id)
    if run.loads:
        run.plans = query_plans(engine, data)
    engine.dispose()
    report = render(run)
    print()
    print(report)
    raw = asdict(run)
    raw["ingests"] = [
        {**asdict(i), "articles_per_s": i.articles_per_s, "claims_per_s": i.claims_per_s}
        for i in run.ingests
    ]
    (OUT_DIR / f"results-{kind.lower()}.json").write_text(json.dumps(raw, indent=1))
    if not a.no_write:
        write_results(run, report)
        print(f"written to {RESULTS.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
