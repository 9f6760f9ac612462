"""What the band-key index costs ingest on SQLite, as it is and as FTS5 would keep it
(issue 13): a measurement for choosing the index, not a part of the API.

    .venv/bin/python -m bench.band_index --database-url sqlite:///$PWD/bench/out/zipf.db

The generated database's band keys (bench.generate) are copied into a scratch file
next to it, in two layouts built from the same rows:

- *B-tree*: `claim_band` as the migrations make it, a row per (key, speaker, claim),
  WITHOUT ROWID, and its index on the claim (for deleting a claim's keys): a new
  claim's 16 keys land in 16 leaves of a 16,000,000-row tree, and the commit writes
  each of those pages to the WAL (and a checkpoint, later, to the file).
- *FTS5*: a row per claim with its keys as text (`band_doc`, appended in claim order),
  and an FTS5 index over it (`detail=none`, the row its external content, so a
  claim's keys can be deleted), whose tokens are the (speaker, key) pairs: new
  claims go into a small segment that FTS5 merges with the others in later writes,
  an LSM tree.

Rounds alternate the layouts: store the keys of 20 claims (an article's worth,
taken from stored claims at random) in one transaction, then read the candidates
of each of those claims as the matcher reads them (at most 101 claims under each
key of the claim's speaker, in one UNION ALL statement). The scratch file is
removed at the end. FTS5 reads every segment not yet merged, so its reads slow down
as small writes add segments (`--automerge` sets how eagerly it merges them).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import make_url

Keys = list[tuple[int, int]]
"""A claim's band keys, as (key, speaker)."""

_PER_KEY = 101
"""Claims read under each key: app.claims.matches reads _COMMON + 1."""


def _token(key: int, speaker: int) -> str:
    return f"s{speaker}k{key}"


def build(source: Path, scratch: Path, automerge: int) -> None:
    scratch.unlink(missing_ok=True)
    db = sqlite3.connect(scratch, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("ATTACH DATABASE ? AS src", (f"file:{source}?mode=ro",))
    db.execute(
        'CREATE TABLE claim_band ("key" BIGINT NOT NULL, speaker INTEGER NOT NULL, '
        'claim_id INTEGER NOT NULL, PRIMARY KEY ("key", speaker, claim_id)) WITHOUT ROWID'
    )
    db.execute("CREATE TABLE band_doc (claim_id INTEGER PRIMARY KEY, keys TEXT NOT NULL)")
    db.execute(
        "CREATE VIRTUAL TABLE band_fts USING fts5(keys, content='band_doc', "
        "content_rowid='claim_id', detail=none, tokenize='ascii')"
    )
    db.execute("BEGIN")
    db.execute("INSERT INTO claim_band SELECT * FROM src.claim_band ORDER BY 1, 2, 3")
    db.execute("CREATE INDEX ix_claim_band_claim_id ON claim_band (claim_id)")
    db.execute(
        "INSERT INTO band_doc SELECT claim_id, group_concat('s' || speaker || 'k' || \"key\", "
        "' ') FROM src.claim_band GROUP BY claim_id"
    )
    db.execute("INSERT INTO band_fts(band_fts) VALUES ('rebuild')")
    db.execute("COMMIT")
    db.execute("INSERT INTO band_fts(band_fts) VALUES ('optimize')")
    db.execute("INSERT INTO band_fts(band_fts, rank) VALUES ('automerge', ?)", (automerge,))
    db.execute("DETACH DATABASE src")
    db.close()


def store_btree(db: sqlite3.Connection, claims: dict[int, Keys]) -> None:
    rows = [(key, speaker, claim_id) for claim_id, keys in claims.items() for key, speaker in keys]
    db.executemany('INSERT INTO claim_band ("key", speaker, claim_id) VALUES (?, ?, ?)', rows)


def store_fts(db: sqlite3.Connection, claims: dict[int, Keys]) -> None:
    docs = [(claim_id, " ".join(_token(*k) for k in keys)) for claim_id, keys in claims.items()]
    db.executemany("INSERT INTO band_doc (claim_id, keys) VALUES (?, ?)", docs)
    db.executemany("INSERT INTO band_fts (rowid, keys) VALUES (?, ?)", docs)


def read_btree(db: sqlite3.Connection, keys: Keys) -> list[int]:
    arm = (
        'SELECT * FROM (SELECT claim_id FROM claim_band WHERE "key" = ? AND speaker = ? '
        f"LIMIT {_PER_KEY})"
    )
    params = [value for pair in keys for value in pair]
    return [r[0] for r in db.execute(" UNION ALL ".join([arm] * len(keys)), params)]


def read_fts(db: sqlite3.Connection, keys: Keys) -> list[int]:
    arm = f"SELECT * FROM (SELECT rowid FROM band_fts WHERE band_fts MATCH ? LIMIT {_PER_KEY})"
    params = [_token(*pair) for pair in keys]
    return [r[0] for r in db.execute(" UNION ALL ".join([arm] * len(keys)), params)]


Layout = tuple[str, Callable[[sqlite3.Connection, dict[int, Keys]], None],
               Callable[[sqlite3.Connection, Keys], list[int]]]  # fmt: skip
LAYOUTS: Sequence[Layout] = (("B-tree", store_btree, read_btree), ("FTS5", store_fts, read_fts))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True, help="a SQLite bench database")
    p.add_argument("--rounds", type=int, default=150)
    p.add_argument("--warmup", type=int, default=20, help="rounds left out of the figures")
    p.add_argument("--claims", type=int, default=20, help="claims stored a round")
    p.add_argument(
        "--automerge", type=int, default=4,
        help="FTS5's automerge: segments of a level merged at once (FTS5's default 4)",
    )  # fmt: skip
    a = p.parse_args(argv)
    source = Path(make_url(a.database_url).database or "")
    if not source.is_file():
        p.error(f"{source} is not a SQLite bench database (bench.generate makes one)")
    scratch = source.with_name(source.stem + ".band-index.db")
    started = time.perf_counter()
    build(source, scratch, a.automerge)
    print(f"built both layouts in {time.perf_counter() - started:.0f} s")
    try:
        report = measure(scratch, sample(source, a.rounds * a.claims), a)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
    print(report)


def sample(source: Path, count: int) -> list[Keys]:
    """The band keys of ``count`` stored claims drawn at random (a fixed seed)."""
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    last = db.execute("SELECT max(claim_id) FROM claim_band").fetchone()[0]
    rng = random.Random(13)
    drawn: list[Keys] = []
    while len(drawn) < count:
        query = 'SELECT "key", speaker FROM claim_band WHERE claim_id = ?'
        keys = db.execute(query, (rng.randint(1, last),)).fetchall()
        if keys:
            drawn.append(keys)
    db.close()
    return drawn


def measure(scratch: Path, drawn: list[Keys], a: argparse.Namespace) -> str:
    db = sqlite3.connect(scratch, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")
    next_id = db.execute("SELECT max(claim_id) FROM claim_band").fetchone()[0] + 1
    drawn_keys = iter(drawn)
    stored: dict[str, list[float]] = {name: [] for name, _, _ in LAYOUTS}
    read: dict[str, list[float]] = {name: [] for name, _, _ in LAYOUTS}
    found: dict[str, int] = dict.fromkeys(stored, 0)
    for n in range(a.rounds):
        claims = {next_id + i: next(drawn_keys) for i in range(a.claims)}
        next_id += a.claims
        order = LAYOUTS if n % 2 == 0 else LAYOUTS[::-1]
        for name, store, read_candidates in order:
            begin = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            store(db, claims)
            db.execute("COMMIT")
            took = time.perf_counter() - begin
            begin = time.perf_counter()
            rows = sum(len(read_candidates(db, keys)) for keys in claims.values())
            if n >= a.warmup:
                stored[name].append(1000 * took)
                read[name].append(1000 * (time.perf_counter() - begin))
                found[name] += rows
    db.close()
    measured = a.rounds - a.warmup
    lines = [
        f"`bench.band_index`: {a.claims} claims a round, {measured} rounds a layout "
        f"(after {a.warmup}), alternating; {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.2f} at the end. Milliseconds a round.",
        "",
        "| layout | store: mean | store: median | store: p99 | read: mean | "
        "candidates read a claim |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in stored:
        cuts = statistics.quantiles(stored[name], n=100)
        lines.append(
            f"| {name} | {statistics.mean(stored[name]):.2f} | "
            f"{statistics.median(stored[name]):.2f} | {cuts[98]:.2f} | "
            f"{statistics.mean(read[name]):.2f} | {found[name] / (measured * a.claims):.0f} |"
        )
    both = {name: statistics.mean(stored[name]) + statistics.mean(read[name]) for name in stored}
    lines += [
        "",
        f"Storing, B-tree ÷ FTS5 (mean): "
        f"{statistics.mean(stored['B-tree']) / statistics.mean(stored['FTS5']):.1f}; "
        f"storing and reading, B-tree − FTS5: {both['B-tree'] - both['FTS5']:+.2f} ms a round.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
